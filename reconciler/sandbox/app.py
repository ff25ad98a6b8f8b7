"""Assemble the sandbox: one SQLite database, one clock, one set of faults, every vendor mounted.

``build_app`` is what the server (``reconciler.sandbox.server``) runs and what tests drive
in-process through ``httpx.ASGITransport`` or Starlette's ``TestClient``. The core object
(:class:`Sandbox`) is reachable as ``app.state.sandbox`` for tests that need to steer it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from reconciler.sandbox.admin import admin_routes
from reconciler.sandbox.faults import FaultConfig, FaultState
from reconciler.sandbox.gateway import VendorGateway
from reconciler.sandbox.store import RequestLog, SandboxClock, open_db
from reconciler.sandbox.vendor import SandboxContext, Vendor

DEFAULT_API_KEY = "sandbox-key"


def default_vendors() -> list[Vendor]:
    """All three emulated vendors, imported lazily so that each can be tested alone."""
    from reconciler.sandbox import coldsend, easymail, inbox

    return [coldsend.VENDOR, easymail.VENDOR, inbox.VENDOR]


@dataclass
class Sandbox:
    """The state the core keeps for all vendors, and the operations of the admin endpoints."""

    ctx: SandboxContext
    clock: SandboxClock
    vendors: list[Vendor]
    faults: FaultState
    log: RequestLog = field(default_factory=RequestLog)
    _locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def reset(self) -> datetime:
        """Wipe every vendor's rows and reseed; also clear the log, the clock offset, the budgets.

        The fault configuration and its dice survive: they belong to how the sandbox was started.
        """
        self.clock.reset()
        now = self.clock.now()
        for vendor in self.vendors:
            vendor.reset(self.ctx.db, now)
        self.log.clear()
        self.faults.windows.clear()
        return now

    def advance_clock(self, seconds: float) -> datetime:
        """Move the sandbox clock and run every vendor's background progressions up to it."""
        now = self.clock.advance(seconds)
        for vendor in self.vendors:
            vendor.advance(self.ctx.db, now)
        return now

    @contextlib.asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        """Serialise vendor handlers; one lock per event loop (tests may run several)."""
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        async with lock:
            yield


def build_app(
    *,
    api_key: str = DEFAULT_API_KEY,
    db_path: str | Path | None = None,
    seed: bool = True,
    faults: FaultConfig = FaultConfig(),  # noqa: B008 - frozen, so a shared default is safe
    vendors: Sequence[Vendor] | None = None,
) -> Starlette:
    """The sandbox as an ASGI app.

    ``seed`` wipes and reseeds every vendor (shared/api/sandbox.md); without it an existing
    ``db_path`` keeps its rows and a new one starts empty.
    """
    sandbox = make_sandbox(api_key=api_key, db_path=db_path, faults=faults, vendors=vendors)
    if seed:
        sandbox.reset()
    app = Starlette(routes=_routes(sandbox))
    app.state.sandbox = sandbox
    return app


def make_sandbox(
    *,
    api_key: str,
    db_path: str | Path | None,
    faults: FaultConfig,
    vendors: Sequence[Vendor] | None,
) -> Sandbox:
    """The core object with every vendor's tables created (no seed data)."""
    clock = SandboxClock()
    ctx = SandboxContext(db=open_db(db_path), now=clock.now, api_key=api_key)
    chosen = list(default_vendors() if vendors is None else vendors)
    for vendor in chosen:
        vendor.create_tables(ctx.db)
    return Sandbox(ctx=ctx, clock=clock, vendors=chosen, faults=FaultState(config=faults))


def _routes(sandbox: Sandbox) -> list[BaseRoute]:
    routes: list[BaseRoute] = [Mount("/_sandbox", routes=admin_routes(sandbox))]
    for vendor in sandbox.vendors:
        routes.append(Mount(vendor.mount, app=VendorGateway(sandbox, vendor)))
    return routes
