"""ColdSend request validation and error shapes: FastAPI's ``{"detail": ...}`` (coldsend.md).

ColdSend runs FastAPI with pydantic v1, so the messages and ``type`` codes are pydantic v1's
(e.g. ``ensure this value has at least 8 characters`` / ``value_error.any_str.min_length``);
the four messages the vendor documents are reproduced verbatim. Values are checked strictly
(no string-to-number coercion): camp sends JSON types, and strictness catches client bugs.
Every error of a body is collected before answering, as FastAPI does.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox import jsonbody

Loc = tuple[str | int, ...]
ErrorItem = dict[str, Any]
Checker = Callable[["Errors", Loc, object], object]
INVALID = object()  # a checker's result when it reported an error
TRIGGERS = ("NOT_OPENED", "NOT_REPLIED", "OPENED_BUT_NOT_REPLIED")
STATUSES = ("DRAFT", "ACTIVE", "PAUSED", "COMPLETED", "FAILED")
_LETTERS = re.compile(r"[A-Za-z]+")
NOT_FOUND = "Campaign not found"


class Errors(list[ErrorItem]):
    """The ``detail`` list of a 422 answer."""

    def add(self, loc: Loc, msg: str, kind: str) -> object:
        self.append({"loc": list(loc), "msg": msg, "type": kind})
        return INVALID


def text(errors: Errors, loc: Loc, value: object, low: int, high: int) -> object:
    if not isinstance(value, str):
        return errors.add(loc, "str type expected", "type_error.str")
    if len(value) < low:
        msg = f"ensure this value has at least {low} characters"
        return errors.add(loc, msg, "value_error.any_str.min_length")
    if len(value) > high:
        msg = f"ensure this value has at most {high} characters"
        return errors.add(loc, msg, "value_error.any_str.max_length")
    return value


def integer(errors: Errors, loc: Loc, value: object, low: int, high: int) -> object:
    if not isinstance(value, int) or isinstance(value, bool):
        return errors.add(loc, "value is not a valid integer", "type_error.integer")
    if value < low:
        msg = f"ensure this value is greater than or equal to {low}"
        return errors.add(loc, msg, "value_error.number.not_ge")
    if value > high:
        msg = f"ensure this value is less than or equal to {high}"
        return errors.add(loc, msg, "value_error.number.not_le")
    return value


def boolean(errors: Errors, loc: Loc, value: object) -> object:
    if not isinstance(value, bool):
        return errors.add(loc, "value could not be parsed to a boolean", "type_error.bool")
    return value


def items(errors: Errors, loc: Loc, value: object, low: int, high: int) -> list[object] | None:
    """A JSON array with ``low``..``high`` items, or ``None`` after reporting why not."""
    if not isinstance(value, list):
        errors.add(loc, "value is not a valid list", "type_error.list")
        return None
    if len(value) < low:
        errors.add(loc, f"ensure this value has at least {low} items", "value_error.list.min_items")
        return None
    if len(value) > high:
        errors.add(loc, f"ensure this value has at most {high} items", "value_error.list.max_items")
        return None
    return value


def checked_items(
    errors: Errors, loc: Loc, value: object, low: int, high: int, checker: Checker
) -> list[object] | None:
    """``items``, each cleaned by ``checker`` at its index; ``None`` after reporting any error."""
    found = items(errors, loc, value, low, high)
    if found is None:
        return None
    clean = [checker(errors, (*loc, i), item) for i, item in enumerate(found)]
    return None if INVALID in clean else clean


def mapping(errors: Errors, loc: Loc, value: object) -> dict[str, object] | None:
    if not isinstance(value, dict):
        errors.add(loc, "value is not a valid dict", "type_error.dict")
        return None
    return value


def required(errors: Errors, loc: Loc, body: dict[str, object], checker: Checker) -> object:
    key = loc[-1]
    if key not in body:
        return errors.add(loc, "field required", "value_error.missing")
    return checker(errors, loc, body[key])


def record(fields: dict[str, Checker]) -> Checker:
    """A JSON object in which every one of ``fields`` is required and cleaned by its checker.

    The cleaned object has exactly those keys, in that order; other keys are dropped.
    """

    def check(errors: Errors, loc: Loc, value: object) -> object:
        body = mapping(errors, loc, value)
        if body is None:
            return INVALID
        clean = {key: required(errors, (*loc, key), body, field) for key, field in fields.items()}
        return INVALID if INVALID in clean.values() else clean

    return check


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone(errors: Errors, loc: Loc, value: object) -> object:
    if text(Errors(), loc, value, 0, 100) is INVALID:
        return text(errors, loc, value, 0, 100)
    if value not in _timezones():
        return errors.add(loc, f"Invalid timezone: {value}", "value_error")
    return value


def sending_days(errors: Errors, loc: Loc, value: object) -> object:
    days = checked_items(errors, loc, value, 1, 7, lambda e, lc, v: integer(e, lc, v, 1, 7))
    if days is None:
        return INVALID
    if len(set(days)) != len(days):
        return errors.add(loc, "sending_days must not contain duplicates", "value_error")
    return sorted(days)  # type: ignore[type-var]


def timestamp(errors: Errors, loc: Loc, value: object) -> object:
    """ISO 8601 (a date alone means midnight UTC; no offset means UTC), answered with ``Z``."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        return errors.add(loc, "invalid datetime format", "value_error.datetime")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def nullable(checker: Checker) -> Checker:
    def check(errors: Errors, loc: Loc, value: object) -> object:
        return None if value is None else checker(errors, loc, value)

    return check


def not_null(checker: Checker) -> Checker:
    def check(errors: Errors, loc: Loc, value: object) -> object:
        if value is None:
            return errors.add(loc, "none is not an allowed value", "type_error.none.not_allowed")
        return checker(errors, loc, value)

    return check


def uuid_list(errors: Errors, loc: Loc, value: object) -> object:
    ids = checked_items(errors, loc, value, 1, 1000, _uuid)
    return INVALID if ids is None else list(dict.fromkeys(ids))


def _uuid(errors: Errors, loc: Loc, value: object) -> object:
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else INVALID
    except ValueError:
        pass
    return errors.add(loc, "value is not a valid uuid", "type_error.uuid")


def _variant_name(errors: Errors, loc: Loc, value: object) -> object:
    if not isinstance(value, str):
        return errors.add(loc, "str type expected", "type_error.str")
    if not _LETTERS.fullmatch(value):
        return errors.add(loc, "variant_name must contain letters only", "value_error")
    return value.upper()


_variant = record(
    {
        "variant_name": _variant_name,
        "subject_template": lambda e, lc, v: text(e, lc, v, 1, 500),
        "email_content": lambda e, lc, v: text(e, lc, v, 10, 100_000),
        "distribution_percent": lambda e, lc, v: integer(e, lc, v, 0, 100),
    }
)


def variant_list(errors: Errors, loc: Loc, value: object, minimum: int) -> object:
    """Up to 4 variants with unique upper-cased letter names; a non-empty list sums to 100."""
    clean = checked_items(errors, loc, value, minimum, 4, _variant)
    if clean is None:
        return INVALID
    names = [v["variant_name"] for v in clean]  # type: ignore[index]
    if len(set(names)) != len(names):
        return errors.add(loc, "variant_name must be unique", "value_error")
    if clean and sum(v["distribution_percent"] for v in clean) != 100:  # type: ignore[index]
        return errors.add(loc, "Variant distributions must sum to 100%", "value_error")
    return clean


def enum_member(errors: Errors, loc: Loc, value: object, allowed: tuple[str, ...]) -> object:
    if value not in allowed:
        permitted = ", ".join(f"'{a}'" for a in allowed)
        msg = f"value is not a valid enumeration member; permitted: {permitted}"
        return errors.add(loc, msg, "type_error.enum")
    return value


# -- answers and request parts ----------------------------------------------------------------


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
        return jsonbody.loads(raw), errors
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
