"""The interface every emulated vendor implements, the base that does most of it alike, and the
context the core hands it.

The core (``reconciler.sandbox.core``, assembled by ``reconciler.sandbox.app``) owns what is
common to all vendors: the SQLite connection, the sandbox clock, fault injection, rate limiting,
the request log, the outbox and the ``/_sandbox`` admin endpoints. A vendor package owns its
tables, its routes, its auth check, its error shape and its background progressions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from reconciler.sandbox.store import Outbox


@dataclass
class SandboxContext:
    """Shared state handed to every vendor.

    ``db`` is one connection shared by all vendors (autocommit mode, ``check_same_thread=False``);
    each vendor prefixes its tables (``cs_``, ``em_``, ``ib_``). ``now`` returns the sandbox clock:
    real UTC time plus whatever ``/_sandbox/clock`` advanced it by (timezone-aware, UTC).
    ``api_key`` is the only key every vendor accepts. ``outbox`` takes what a vendor's test
    endpoint "sends".
    """

    db: sqlite3.Connection
    now: Callable[[], datetime]
    api_key: str
    outbox: Outbox = field(default_factory=Outbox)


class Vendor(Protocol):
    """One emulated vendor API, mounted by the core at ``mount``."""

    name: str  # "coldsend" | "easymail" | "inbox": used in the request log
    mount: str  # e.g. "/coldsend/api/public/v1"
    documented_rate_limit: int  # requests per minute the vendor documents (for headers)

    def create_tables(self, db: sqlite3.Connection) -> None:
        """Create this vendor's tables (idempotent)."""

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        """Wipe this vendor's rows and insert the seed data of shared/api/sandbox.md."""

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        """Run background progressions up to ``now`` (before every request and on clock moves)."""

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        """Routes relative to ``mount``, answering in the vendor's shapes.

        The core has already applied latency, rate limit, error faults and the auth check
        (``authorized``); it answers unknown paths with ``error(404, ...)``.
        """

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        """Extra routes mounted under ``/_sandbox/<name>`` (e.g. easymail's dashboard-edit)."""

    def authorized(self, request: Request, ctx: SandboxContext) -> bool:
        """True when the request carries ``ctx.api_key`` in this vendor's auth header."""

    def error(self, status: int, message: str, *, retry_after: int | None = None) -> Response:
        """An error response in this vendor's shape (used by the core for 401, 429, 500, 503)."""

    def rate_limit_headers(
        self, *, limit: int, remaining: int, reset_epoch: int, limited: bool
    ) -> dict[str, str]:
        """The rate-limit headers this vendor puts on a response (``limited``: on a 429)."""


def x_ratelimit_headers(*, limit: int, remaining: int, reset_epoch: int) -> dict[str, str]:
    """The common trio, ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` (a Unix time in seconds),
    which ColdSend and Inbox send on every answer."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": str(reset_epoch),
    }


class VendorStore(Protocol):
    """A vendor's ``store`` module as :class:`VendorBase` uses it."""

    def create_tables(self, db: sqlite3.Connection) -> None: ...

    def reset(self, db: sqlite3.Connection) -> None: ...


class VendorProgress(Protocol):
    """A vendor's ``progress`` module as :class:`VendorBase` uses it."""

    def advance(self, db: sqlite3.Connection, now: datetime) -> None: ...


class VendorRoutes(Protocol):
    """A vendor's ``routes`` module as :class:`VendorBase` uses it."""

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]: ...


class VendorBase:
    """The part of a :class:`Vendor` that every emulated vendor hands to its own modules alike.

    A subclass names them in its class statement,
    ``class ColdSendVendor(VendorBase, store=store, progress=progress, routes=routes)``, and states
    the rest: ``name``, ``mount``, ``documented_rate_limit``, ``authorized`` and ``error``.
    ``store`` creates the tables and reseeds them (the seed data is fixed, so ``reset`` does not
    pass ``now`` on); ``progress`` and ``routes`` may be left out by a vendor that overrides
    ``advance`` and ``routes`` (and all three by a subclass of a vendor, which inherits them).
    There are no admin routes and the rate-limit headers are the X-RateLimit-* trio unless a
    vendor overrides ``admin_routes`` or ``rate_limit_headers``.
    """

    name: str
    mount: str
    documented_rate_limit: int
    store: ClassVar[VendorStore]
    progress: ClassVar[VendorProgress]
    api: ClassVar[VendorRoutes]

    def __init_subclass__(
        cls,
        *,
        store: VendorStore | None = None,
        progress: VendorProgress | None = None,
        routes: VendorRoutes | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if store is not None:
            cls.store = store
        if progress is not None:
            cls.progress = progress
        if routes is not None:
            cls.api = routes

    def create_tables(self, db: sqlite3.Connection) -> None:
        self.store.create_tables(db)

    def reset(self, db: sqlite3.Connection, now: datetime) -> None:
        self.store.reset(db)

    def advance(self, db: sqlite3.Connection, now: datetime) -> None:
        self.progress.advance(db, now)

    def routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return self.api.routes(ctx)

    def admin_routes(self, ctx: SandboxContext) -> Sequence[BaseRoute]:
        return []

    def rate_limit_headers(
        self, *, limit: int, remaining: int, reset_epoch: int, limited: bool
    ) -> dict[str, str]:
        """``Retry-After`` (on a 429) is ``error``'s to set, where a vendor sends it."""
        return x_ratelimit_headers(limit=limit, remaining=remaining, reset_epoch=reset_epoch)
