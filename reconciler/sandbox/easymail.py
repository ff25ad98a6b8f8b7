"""The easymail (easy.tools) emulator, mounted at ``/easymail/api/v1`` (shared/api/easymail.md).

Where the contract is silent, the emulator decides as follows (the client must not rely on more):

- **Transition in progress.** After a successful transition (send, schedule, unschedule,
  cancel) the campaign counts as "being processed" for 200 ms of *real* (monotonic) time; any
  other transition on it meanwhile gets 409 ``CAMPAIGN_TRANSITION_IN_PROGRESS``, checked before
  the status rule. Real rather than sandbox time, so that advancing the clock cannot skip it and
  a client's retry after a short sleep succeeds. PATCH, DELETE and ``/test`` are not gated.
- **Background** (sandbox clock): ``queued`` → ``sending`` 5 s after queueing, ``sending`` →
  ``sent`` 30 s later, ``scheduled`` → ``queued`` at ``scheduled_at``, each stamped into
  ``updated_at`` at the instant it was due. A scheduled campaign that is no longer ready at
  ``scheduled_at`` becomes ``failed``. Sending a scheduled campaign now clears ``scheduled_at``.
- **recipients_count** is null until the campaign is queued, then frozen at the audience size:
  the list's plus the segment's ``contacts_count`` (the union approximated as the sum).
- **Timestamps.** ``last_updated_at`` is set at creation and moves with ``updated_at`` on every
  PATCH that changes something and on dashboard edits; transitions move only ``updated_at``.
- **Validation.** Unknown body fields → 422; empty strings are stored but count as unset for
  readiness; ``name`` may not be null or blank; the 255 and 65,000 limits apply to what was
  written (before flattening). ``language`` (condensed items) is the account default, ``"en"``.
- **Errors.** Checks run 404 → 422 body → 409 in progress → 409 status → 422 not ready.
  ``/test`` answers 422 ``CAMPAIGN_NOT_TESTABLE`` with ``details: {"missing": [...]}`` (a
  subset of ``sender_email, subject, content``) and a malformed address as ``VALIDATION_ERROR``.
  A body that is not a JSON object is a 422 ``VALIDATION_ERROR`` on ``body``.
- **Dashboard edit** (admin): ``styled`` keeps ``content`` and only raises
  ``content_overwrite_required``; ``multi-column`` also nulls ``content`` and clears
  ``content_editable_via_api``, yet the body still exists, so readiness does not list
  ``content``. Writing ``content`` (with ``overwrite: true`` where required) drops the layout.
- **Rate limit.** ``Retry-After`` is set by :meth:`EasymailVendor.error` (the core passes
  ``retry_after`` with every 429); :meth:`rate_limit_headers` adds only the ``X-RateLimit-*``
  headers, so the header is never sent twice.
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

from reconciler.sandbox import easymail_store as store
from reconciler.sandbox.easymail_routes import EasymailApi, error_response
from reconciler.sandbox.vendor import SandboxContext, Vendor

TRANSITION_WINDOW = 0.2  # seconds of real time a transition stays "being processed"

_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "RESOURCE_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
}


@dataclass
class EasymailVendor:
    """The easymail :class:`~reconciler.sandbox.vendor.Vendor`.

    ``monotonic`` and ``transition_window`` drive the transition-in-progress gate; tests pass a
    fake clock instead of sleeping.
    """

    name: str = "easymail"
    mount: str = "/easymail/api/v1"
    documented_rate_limit: int = 100
    transition_window: float = TRANSITION_WINDOW
    monotonic: Callable[[], float] = field(default=time.monotonic)

    def create_tables(self, db: sqlite3.Connection) -> None:
        store.create_tables(db)

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        store.reset(db)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        store.advance(db, now.timestamp())

    def _api(self, ctx: SandboxContext) -> EasymailApi:
        return EasymailApi(ctx, monotonic=self.monotonic, window=self.transition_window)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return self._api(ctx).routes()

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return self._api(ctx).admin_routes()

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        return request.headers.get("authorization") == f"Bearer {ctx.api_key}"

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        response = error_response(status, _CODES.get(status, "ERROR"), message)
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
