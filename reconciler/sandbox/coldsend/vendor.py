"""ColdSend as the core sees it: its mount, ``X-API-Key`` auth, error shape and rate headers."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from reconciler.sandbox.coldsend import progress, routes, store
from reconciler.sandbox.coldsend.validate import detail
from reconciler.sandbox.vendor import SandboxContext, x_ratelimit_headers


class ColdSendVendor:
    """The ColdSend API: ``X-API-Key`` auth, FastAPI ``detail`` errors, X-RateLimit-* headers."""

    name = "coldsend"
    mount = "/coldsend/api/public/v1"
    documented_rate_limit = 100

    def create_tables(self, db: sqlite3.Connection) -> None:
        store.create_tables(db)

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        store.reset(db)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        progress.advance(db, now)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return routes.routes(ctx)

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return []

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        return request.headers.get("x-api-key") == ctx.api_key

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        """ColdSend's own texts for 401 and 429 (no Retry-After header: the contract says so)."""
        if status == 401:
            message = "Invalid or revoked API key"
        elif status == 429:
            message = f"Rate limit exceeded. Retry after {retry_after or 60} seconds."
        return detail(status, message)

    def rate_limit_headers(
        self, *, limit: int, remaining: int, reset_epoch: int, limited: bool
    ) -> dict[str, str]:
        return x_ratelimit_headers(limit=limit, remaining=remaining, reset_epoch=reset_epoch)


VENDOR = ColdSendVendor()
