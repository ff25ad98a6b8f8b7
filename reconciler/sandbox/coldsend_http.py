"""ColdSend's answer shapes: FastAPI's ``{"detail": ...}`` errors, JSON bodies, paged queries."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox.coldsend_validate import INVALID, Errors, integer

NOT_FOUND = "Campaign not found"


def detail(status: int, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=status)


def invalid(errors: Errors) -> Response:
    return JSONResponse({"detail": list(errors)}, status_code=422)


def ok(body: Any, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status)


async def json_body(request: Request) -> tuple[object, Errors]:
    """The parsed JSON body, or FastAPI's error for a missing or undecodable one."""
    errors = Errors()
    raw = await request.body()
    if not raw.strip():
        errors.add(("body",), "field required", "value_error.missing")
        return None, errors
    try:
        return json.loads(raw), errors
    except ValueError as exc:
        position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        errors.add(("body", position), message, "value_error.jsondecode")
        return None, errors


def page_query(
    request: Request, errors: Errors, *, max_limit: int, default_limit: int
) -> tuple[int, int]:
    """``page`` (≥ 1, default 1) and ``limit`` (1..max_limit) from the query string."""
    page = _query_int(request, errors, "page", 1, 1, 1_000_000)
    limit = _query_int(request, errors, "limit", default_limit, 1, max_limit)
    return page, limit


def _query_int(
    request: Request, errors: Errors, name: str, default: int, low: int, high: int
) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value: object = int(raw)
    except ValueError:
        value = raw
    checked = integer(errors, ("query", name), value, low, high)
    return default if checked is INVALID else int(raw)


def page_of(rows: list[Any], page: int, limit: int) -> list[Any]:
    start = (page - 1) * limit
    return rows[start : start + limit]
