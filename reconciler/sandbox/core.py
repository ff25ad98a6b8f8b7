"""The state the sandbox keeps for all vendors, and the operations of its admin endpoints.

Both the admin endpoints (``admin``) and the vendor pipelines (``gateway``) act on one
:class:`Sandbox`; ``app`` builds it and mounts them. Keeping it here, below all three, is
what lets them import it without importing each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from reconciler.sandbox.faults import FaultState
from reconciler.sandbox.store import Outbox, RequestLog, SandboxClock
from reconciler.sandbox.vendor import SandboxContext, Vendor


@dataclass
class Sandbox:
    """The shared context, the clock, the vendors, the faults and the request log."""

    ctx: SandboxContext
    clock: SandboxClock
    vendors: list[Vendor]
    faults: FaultState
    log: RequestLog = field(default_factory=RequestLog)
    _locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    @property
    def outbox(self) -> Outbox:
        return self.ctx.outbox

    def reset(self) -> datetime:
        """Wipe every vendor's rows and reseed; also clear the log, the outbox, the budgets.

        The fault configuration and its dice survive: they belong to how the sandbox was
        started. So does the clock, which only ever moves forward.
        """
        now = self.clock.now()
        for vendor in self.vendors:
            vendor.reset(self.ctx.db, now)
        self.log.clear()
        self.outbox.clear()
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
