"""easymail as the core sees it: its mount, Bearer auth, error shape and rate headers.

The decisions where the contract is silent are listed in the package docstring.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from reconciler.sandbox.easymail import progress, store
from reconciler.sandbox.easymail.routes import EasymailApi
from reconciler.sandbox.easymail.validate import CODES, error_response
from reconciler.sandbox.vendor import SandboxContext, Vendor, VendorBase

TRANSITION_WINDOW = 0.2  # seconds of real time a transition stays "being processed"


@dataclass
class EasymailVendor(VendorBase, store=store):
    """The easymail :class:`~reconciler.sandbox.vendor.Vendor`.

    ``monotonic`` and ``transition_window`` drive the transition-in-progress gate; tests pass a
    fake clock instead of sleeping.
    """

    name: str = "easymail"
    mount: str = "/easymail/api/v1"
    documented_rate_limit: int = 100
    transition_window: float = TRANSITION_WINDOW
    monotonic: Callable[[], float] = field(default=time.monotonic)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        progress.advance(db, now.timestamp())

    def _api(self, ctx: SandboxContext) -> EasymailApi:
        return EasymailApi(ctx, monotonic=self.monotonic, window=self.transition_window)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return self._api(ctx).routes()

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return self._api(ctx).admin_routes()

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        return request.headers.get("authorization") == f"Bearer {ctx.api_key}"

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        response = error_response(status, CODES.get(status, "ERROR"), message)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    def rate_limit_headers(
        self, *, limit: int, remaining: int, reset_epoch: int, limited: bool
    ) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(limit)}
        if limited:
            headers["X-RateLimit-Remaining"] = "0"
        return headers


VENDOR: Vendor = EasymailVendor()
