"""The ``/_sandbox`` admin endpoints of shared/api/sandbox.md.

They are never part of a vendor API: no auth, and never logged, delayed, faulted or limited
(they are mounted beside the vendor gateways, not behind them). Bad input answers 422
``{"detail": [reason, …]}``, never a 500.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from reconciler.sandbox import jsonbody
from reconciler.sandbox.core import Sandbox
from reconciler.sandbox.faults import validate_fault_changes
from reconciler.sandbox.store import iso_z


def admin_routes(sandbox: Sandbox) -> list[BaseRoute]:
    """The core's admin routes plus each vendor's own, under ``/<vendor.name>``."""

    async def reset(request: Request) -> Response:
        async with sandbox.lock():
            now = sandbox.reset()
        return JSONResponse({"reset": True, "now": iso_z(now)})

    async def clock(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"now": iso_z(sandbox.clock.now())})
        body = await _json_object(request)
        seconds = body.get("advance_seconds") if body is not None else None
        if not _is_non_negative_number(seconds):
            return _invalid(["advance_seconds must be a number >= 0"])
        assert isinstance(seconds, int | float)
        async with sandbox.lock():
            try:
                now = sandbox.advance_clock(float(seconds))
            except (ValueError, OverflowError) as refused:  # float() of a huge integer overflows
                return _invalid([f"advance_seconds is too large: {refused}"])
        return JSONResponse({"now": iso_z(now)})

    async def faults(request: Request) -> Response:
        body = await _json_object(request)
        if body is None:
            return _invalid(["body must be a JSON object"])
        reasons = validate_fault_changes(body)
        if reasons:
            return _invalid(reasons)
        return JSONResponse(sandbox.faults.update(body).as_json())

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.log.clear()
            return Response(status_code=204)
        return JSONResponse(list(sandbox.log.entries))

    async def outbox(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.outbox.clear()
            return Response(status_code=204)
        return JSONResponse(list(sandbox.outbox.entries))

    routes: list[BaseRoute] = [
        Route("/reset", reset, methods=["POST"]),
        Route("/clock", clock, methods=["GET", "POST"]),
        Route("/faults", faults, methods=["GET", "POST"]),
        Route("/requests", requests, methods=["GET", "DELETE"]),
        Route("/outbox", outbox, methods=["GET", "DELETE"]),
    ]
    routes += [Mount(f"/{v.name}", routes=v.admin_routes(sandbox.ctx)) for v in sandbox.vendors]
    return routes


async def _json_object(request: Request) -> dict[str, object] | None:
    """The body as a JSON object; ``{}`` when empty (GET /faults reads the configuration)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = jsonbody.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _is_non_negative_number(value: object) -> bool:
    """A JSON number >= 0 (``NaN`` and ``Infinity``, which Python's json accepts, are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= 0 and (isinstance(value, int) or math.isfinite(value))


def _invalid(reasons: list[str]) -> Response:
    return JSONResponse({"detail": reasons}, status_code=422)
