"""The Inbox (X DM outreach) emulator: shared/api/inbox.md as a ``Vendor`` for the sandbox core.

The core applies faults, the rate limit and ``authorized`` before a request gets here; this
module wires the contract's routes to ``inbox_handlers`` and answers in Inbox's error shape
``{"error": {"code", "message", "status"}}``. Storage is in ``inbox_store``, validation in
``inbox_validate``/``inbox_steps``, the background model in ``inbox_progress``.
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox import inbox_handlers as handlers
from reconciler.sandbox import inbox_progress, inbox_store
from reconciler.sandbox.inbox_model import ERROR_CODES, JSON, InboxError
from reconciler.sandbox.vendor import SandboxContext, Vendor

Handler = Callable[[Request, SandboxContext], Awaitable[Response]]

__all__ = ["VENDOR", "InboxVendor", "error_response"]

#: path (relative to the mount) → method → handler; the core answers a known path with an
#: unknown method with ``error(405, ...)``.
ROUTES: dict[str, dict[str, Handler]] = {
    "/campaigns/v2": {"POST": handlers.create_campaign, "GET": handlers.list_campaigns},
    "/campaigns/v2/{id}": {
        "GET": handlers.get_campaign,
        "PATCH": handlers.patch_campaign,
        "DELETE": handlers.delete_campaign,
    },
    "/campaigns/v2/{id}/rules": {"PATCH": handlers.patch_rules},
    "/campaigns/v2/{id}/sequence": {"PUT": handlers.put_sequence},
    "/campaigns/v2/{id}/enable": {"POST": handlers.enable_campaign},
    "/campaigns/v2/{id}/disable": {"POST": handlers.disable_campaign},
    "/account-links": {"GET": handlers.list_account_links},
    "/lists": {"GET": handlers.list_lists},
}


def error_response(
    status: int,
    message: str,
    *,
    details: list[JSON] | None = None,
    retry_after: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Inbox's error body; ``details`` only on 422, ``Retry-After`` when given (429, 503)."""
    body: JSON = {"code": ERROR_CODES.get(status, "ERROR"), "message": message, "status": status}
    if status == 422:
        body["details"] = details or []
    extra = dict(headers or {})
    if retry_after is not None:
        extra["Retry-After"] = str(retry_after)
    return JSONResponse({"error": body}, status_code=status, headers=extra)


def _endpoint(methods: Mapping[str, Handler], ctx: SandboxContext) -> Callable[..., Any]:
    """One Starlette endpoint for a path: dispatch on method, turn ``InboxError`` into a body."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is None:
            allow = {"Allow": ", ".join(methods)}
            return error_response(405, f"Method {request.method} not allowed", headers=allow)
        try:
            return await handler(request, ctx)
        except InboxError as problem:
            return error_response(problem.status, problem.message, details=problem.details)

    return endpoint


class InboxVendor:
    """Inbox as a sandbox ``Vendor`` (see ``reconciler.sandbox.vendor``)."""

    name = "inbox"
    mount = "/inbox/api/v1"
    documented_rate_limit = 300

    def create_tables(self, db: sqlite3.Connection) -> None:
        inbox_store.create_tables(db)

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        """Seed data is fixed (ids and timestamps), so ``now`` is not needed."""
        inbox_store.reset(db)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        inbox_progress.advance(db, now)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return [
            Route(path, _endpoint(methods, ctx), methods=list(methods))
            for path, methods in ROUTES.items()
        ]

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
        """``X-RateLimit-Reset`` is a Unix time in seconds; ``Retry-After`` comes with ``error``."""
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": str(reset_epoch),
        }


VENDOR: Vendor = InboxVendor()
