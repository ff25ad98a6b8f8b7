"""ColdSend as the core sees it: its mount, ``X-API-Key`` auth, error shape and rate headers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from reconciler.sandbox.coldsend import progress, routes, store
from reconciler.sandbox.coldsend.validate import detail
from reconciler.sandbox.vendor import SandboxContext, Vendor, VendorBase


class ColdSendVendor(VendorBase, store=store, progress=progress, routes=routes):
    """The ColdSend API: ``X-API-Key`` auth, FastAPI ``detail`` errors, X-RateLimit-* headers."""

    name = "coldsend"
    mount = "/coldsend/api/public/v1"
    documented_rate_limit = 100

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        return request.headers.get("x-api-key") == ctx.api_key

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        """ColdSend's own texts for 401 and 429 (no Retry-After header: the contract says so)."""
        if status == 401:
            message = "Invalid or revoked API key"
        elif status == 429:
            message = f"Rate limit exceeded. Retry after {retry_after or 60} seconds."
        return detail(status, message)


VENDOR: Vendor = ColdSendVendor()
