"""Inbox as the core sees it: its mount, Bearer auth, error shape and rate-limit headers."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response

from reconciler.sandbox.inbox import progress, routes, store
from reconciler.sandbox.inbox.validate import error_response
from reconciler.sandbox.vendor import SandboxContext, Vendor, VendorBase


class InboxVendor(VendorBase, store=store, progress=progress, routes=routes):
    """Inbox as a sandbox ``Vendor`` (see ``reconciler.sandbox.vendor``)."""

    name = "inbox"
    mount = "/inbox/api/v1"
    documented_rate_limit = 300

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        """``Authorization: Bearer <key>``; the scheme is case-insensitive (RFC 6750)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        expected = ctx.api_key.encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        return error_response(status, message, retry_after=retry_after)


VENDOR: Vendor = InboxVendor()
