"""The per-request pipeline in front of every vendor (shared/api/sandbox.md), as a plain ASGI app.

In this order: log the request, add latency, charge the rate-limit budget (429), roll the
``error_rate`` dice (500/503), check auth (401), run the vendor's background progressions up to
now, then route (404/405 for unknown paths). Every answer carries the vendor's rate-limit
headers. A request chosen by the ``drop_rate`` dice is fully processed and then its connection is
closed without an answer: over uvicorn the transport (put into the scope by
``reconciler.sandbox.server``) is aborted; in-process, where there is no socket, the app raises
:class:`~reconciler.sandbox.faults.ConnectionDropped` instead, which ``httpx.ASGITransport``
passes on to the client as an ``httpx.RemoteProtocolError``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.sandbox.core import Sandbox
from reconciler.sandbox.faults import ConnectionDropped
from reconciler.sandbox.store import LogEntry
from reconciler.sandbox.vendor import Vendor

TRANSPORT_KEY = "sandbox.transport"
logger = logging.getLogger(__name__)


class _Abortable(Protocol):
    def abort(self) -> None: ...


class VendorGateway:
    """The ASGI app mounted at ``vendor.mount``."""

    def __init__(self, sandbox: Sandbox, vendor: Vendor) -> None:
        self.sandbox = sandbox
        self.vendor = vendor
        self.routes: list[BaseRoute] = list(vendor.routes(sandbox.ctx))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        entry = self.sandbox.log.record(
            vendor=self.vendor.name,
            method=scope["method"],
            path=scope["path"],
            at=self.sandbox.clock.now(),
        )
        await self._pipeline(scope, receive, _recording(send, entry))

    async def _pipeline(self, scope: Scope, receive: Receive, send: Send) -> None:
        faults = self.sandbox.faults
        if faults.config.latency_ms > 0:
            await asyncio.sleep(faults.config.latency_ms / 1000)
        decision = faults.rate_check(self.vendor.name)
        send = _with_headers(
            send,
            self.vendor.rate_limit_headers(
                limit=decision.limit,
                remaining=decision.remaining,
                reset_epoch=decision.reset_epoch,
                limited=decision.limited,
            ),
        )
        if decision.limited:
            error = self.vendor.error(429, "Rate limit exceeded", retry_after=decision.retry_after)
            await error(scope, receive, send)
            return
        await self._guarded(scope, receive, send)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """After the rate limit: error dice, auth, then the vendor under the sandbox lock."""
        status = self.sandbox.faults.roll_error()
        if status is not None:
            await self.vendor.error(status, _FAULT_TEXT[status])(scope, receive, send)
            return
        if not self.vendor.authorized(Request(scope, receive), self.sandbox.ctx):
            await self.vendor.error(401, "Invalid or missing API key")(scope, receive, send)
            return
        async with self.sandbox.lock():
            self.vendor.advance(self.sandbox.ctx.db, self.sandbox.clock.now())
            await self._route(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        route, child_scope, match = self._match(scope)
        if route is None or match is not Match.FULL:
            status, text = (405, "Method Not Allowed") if route else (404, "Not Found")
            await self.vendor.error(status, text)(scope, receive, send)
            return
        scope.update(child_scope)
        if self.sandbox.faults.roll_drop():
            await self._drop(route, scope, receive, send)
            return
        await self._handle(route.handle, scope, receive, send)

    def _match(self, scope: Scope) -> tuple[BaseRoute | None, Scope, Match]:
        partial: tuple[BaseRoute | None, Scope, Match] = (None, {}, Match.NONE)
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return route, child_scope, match
            if match is Match.PARTIAL and partial[0] is None:
                partial = (route, child_scope, match)
        return partial

    async def _handle(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a vendor endpoint; a bug in it answers 500 in the vendor's shape, not a traceback."""
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await app(scope, receive, watch)
        except Exception:
            logger.exception("sandbox: %s handler failed", self.vendor.name)
            if not started:
                await self.vendor.error(500, "Internal Server Error")(scope, receive, send)

    async def _drop(self, route: BaseRoute, scope: Scope, receive: Receive, send: Send) -> None:
        """Process the request for real, record its status, then close without an answer."""

        async def swallow(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send({**message, "sandbox.swallow": True})

        await self._handle(route.handle, scope, receive, swallow)
        transport: _Abortable | None = scope.get("extensions", {}).get(TRANSPORT_KEY)
        if transport is None:
            raise ConnectionDropped("Server disconnected without sending a response.")
        transport.abort()
        # Let uvicorn see the connection as lost before we return, so it neither logs
        # "returned without starting response" nor tries to answer 500.
        for _ in range(5):
            await asyncio.sleep(0)


_FAULT_TEXT = {500: "Internal Server Error", 503: "Service Unavailable"}


def _recording(send: Send, entry: LogEntry) -> Send:
    """Note the final status in the log entry; a swallowed (dropped) answer stops here."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            entry["status"] = int(message["status"])
        if not message.get("sandbox.swallow"):
            await send(message)

    return wrapped


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    """Add the rate-limit headers to whatever answer follows."""
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped
