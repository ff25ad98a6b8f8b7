"""Inbox as the core sees it: its mount, Bearer auth, error shape and rate-limit headers."""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from reconciler.sandbox.inbox import progress, routes, store
from reconciler.sandbox.inbox.validate import error_response
from reconciler.sandbox.vendor import SandboxContext, Vendor, x_ratelimit_headers


class InboxVendor:
    """Inbox as a sandbox ``Vendor`` (see ``reconciler.sandbox.vendor``)."""

    name = "inbox"
    mount = "/inbox/api/v1"
    documented_rate_limit = 300

    def create_tables(self, db: sqlite3.Connection) -> None:
        store.create_tables(db)

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        """Seed data is fixed (ids and timestamps), so ``now`` is not needed."""
        store.reset(db)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        progress.advance(db, now)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return routes.routes(ctx)

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return []

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        """``Authorization: Bearer <key>``; the scheme is case-insensitive (RFC 6750)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        expected = ctx.api_key.encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        return error_response(status, message, retry_after=retry_after)

    def rate_limit_headers(
        self, *, limit: int, remaining: int, reset_epoch: int, limited: bool
    ) -> dict[str, str]:
        """``Retry-After`` comes with ``error`` (on a 429)."""
        return x_ratelimit_headers(limit=limit, remaining=remaining, reset_epoch=reset_epoch)


VENDOR: Vendor = InboxVendor()
