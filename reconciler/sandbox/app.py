"""Assemble the sandbox: one SQLite database, one clock, one set of faults, every vendor mounted.

``build_app`` is what the server (``reconciler.sandbox.server``) runs and what tests drive
in-process through ``httpx.ASGITransport`` or Starlette's ``TestClient``. The core object
(:class:`~reconciler.sandbox.core.Sandbox`) is reachable as ``app.state.sandbox`` for tests that
need to steer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from reconciler.sandbox.admin import admin_routes
from reconciler.sandbox.core import Sandbox
from reconciler.sandbox.faults import FaultConfig, FaultState
from reconciler.sandbox.gateway import VendorGateway
from reconciler.sandbox.store import SandboxClock, open_db
from reconciler.sandbox.vendor import SandboxContext, Vendor

DEFAULT_API_KEY = "sandbox-key"


def default_vendors() -> list[Vendor]:
    """All three emulated vendors, imported lazily so that each can be tested alone."""
    from reconciler.sandbox import coldsend, easymail, inbox

    return [coldsend.VENDOR, easymail.VENDOR, inbox.VENDOR]


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
