"""easymail's error shape, and request validation: bodies and queries → clean values or a 422.

Every problem of a request is collected before answering, so one 422 ``VALIDATION_ERROR``
carries ``details: {field: [message, …]}`` for all of them, as the vendor's validator does.
Unknown body fields are rejected rather than ignored (the contract lists the fields
exhaustively; a silently dropped misspelling would only surface later as drift).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse

from reconciler.sandbox import jsonbody
from reconciler.sandbox.easymail import store

STATUSES = ("draft", "scheduled", "queued", "sending", "sent", "failed", "canceled")
SORTS = ("created_at", "updated_at", "name")
MAX_TEXT = 255
MAX_CONTENT = 65_000
_TEXT_FIELDS = ("name", "subject", "preheader", "from_name")
_REFERENCES = {
    "from_identity": "em_identities",
    "list_uuid": "em_lists",
    "segment_uuid": "em_segments",
}
BODY_FIELDS = frozenset({*_TEXT_FIELDS, *_REFERENCES, "reply_to", "content", "overwrite"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # the rule camp and ColdSend use too
_DIGITS = re.compile(r"^[0-9]{1,9}$")

Details = dict[str, list[str]]
#: The code of an error the core answers for (401, 404, 405, 429, 5xx), by status.
CODES = {
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


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    """``{"error": {"code", "message", "details"?}}``, easymail's one error shape."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


class ApiError(Exception):
    """An easymail error answer: HTTP status, error code, message and optional details."""

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def invalid(details: Details) -> ApiError:
    return ApiError(422, "VALIDATION_ERROR", "The given data was invalid.", details)


def parse_json_object(raw: bytes, *, required: bool) -> dict[str, Any]:
    """The body as a JSON object; an empty body is ``{}`` unless the endpoint needs one."""
    if not raw.strip() and not required:
        return {}
    try:
        body = jsonbody.loads(raw)
    except ValueError:  # undecodable, not JSON, or nested too deep
        body = None
    if not isinstance(body, dict):
        raise invalid({"body": ["The request body must be a JSON object."]})
    return body


def campaign_fields(
    db: sqlite3.Connection, body: Mapping[str, Any], *, create: bool
) -> dict[str, Any]:
    """The writable fields of a create/PATCH body, or ApiError 422 listing every problem."""
    details: Details = {}
    for field in sorted(set(body) - BODY_FIELDS):
        details[field] = [f"The {field} field is not a campaign field."]
    if create and body.get("name") is None:
        details["name"] = ["The name field is required."]
    for field, value in body.items():
        if field in BODY_FIELDS and (problem := _field_problem(db, field, value)):
            details.setdefault(field, []).append(problem)
    if details:
        raise invalid(details)
    return dict(body)


def _field_problem(db: sqlite3.Connection, field: str, value: Any) -> str | None:
    if field == "overwrite":
        return None if isinstance(value, bool) else "The overwrite field must be true or false."
    if value is None:
        return "The name field must not be empty." if field == "name" else None
    if not isinstance(value, str):
        return f"The {field} field must be a string."
    if field == "content":
        return _too_long(field, value, MAX_CONTENT)
    if field in _REFERENCES:
        found = store.exists(db, _REFERENCES[field], value)
        return None if found else f"The selected {field} does not belong to this account."
    if field == "name" and not value.strip():
        return "The name field must not be empty."
    if field == "reply_to" and not _EMAIL.fullmatch(value):
        return "The reply_to field must be a valid email address."
    return _too_long(field, value, MAX_TEXT)


def _too_long(field: str, value: str, limit: int) -> str | None:
    if len(value) <= limit:
        return None
    return f"The {field} field must not be greater than {limit:,} characters."


def pagination(query: Mapping[str, str], details: Details) -> tuple[int, int]:
    """``page`` ≥ 1 and ``per_page`` 1–100 (default 100); problems go into ``details``."""
    page = _bounded(query, "page", 1, 1, None, details)
    per_page = _bounded(query, "per_page", 100, 1, 100, details)
    return page, per_page


def _bounded(
    query: Mapping[str, str], key: str, default: int, low: int, high: int | None, details: Details
) -> int:
    raw = query.get(key)
    if raw is None:
        return default
    value = int(raw) if _DIGITS.match(raw) else None
    if value is None or value < low or (high is not None and value > high):
        upper = "" if high is None else f" and at most {high}"
        details[key] = [f"The {key} field must be an integer of at least {low}{upper}."]
        return default
    return value


def page_query(query: Mapping[str, str]) -> tuple[int, int]:
    details: Details = {}
    page = pagination(query, details)
    if details:
        raise invalid(details)
    return page


def campaign_query(query: Mapping[str, str]) -> tuple[int, int, str | None, str | None, str]:
    """(page, per_page, search, status, sort) of ``GET /campaigns``, or ApiError 422."""
    details: Details = {}
    page, per_page = pagination(query, details)
    status = query.get("status")
    if status is not None and status not in STATUSES:
        details["status"] = [f"The status field must be one of: {', '.join(STATUSES)}."]
    sort = query.get("sort", "-created_at")
    if sort.removeprefix("-") not in SORTS:
        details["sort"] = [f"The sort field must be one of: {', '.join(SORTS)} (- for desc)."]
    if details:
        raise invalid(details)
    return page, per_page, query.get("search"), status, sort


def scheduled_at(body: Mapping[str, Any], now: float) -> float:
    """The ``scheduled_at`` of a schedule body as epoch seconds: an ISO instant in the future."""
    raw = body.get("scheduled_at")
    if raw is None:
        raise invalid({"scheduled_at": ["The scheduled_at field is required."]})
    instant = _instant(raw)
    if instant is None:
        raise invalid({"scheduled_at": ["The scheduled_at field must be an ISO 8601 instant."]})
    if instant <= now:
        raise invalid({"scheduled_at": ["The scheduled_at field must be a date in the future."]})
    return instant


def _instant(raw: Any) -> float | None:
    if not isinstance(raw, str):
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return None if parsed.tzinfo is None else parsed.timestamp()


def recipient_email(body: Mapping[str, Any]) -> str:
    """The address of a ``/test`` body."""
    email = body.get("email")
    if email is None:
        raise invalid({"email": ["The email field is required."]})
    if not isinstance(email, str) or not _EMAIL.fullmatch(email) or len(email) > MAX_TEXT:
        raise invalid({"email": ["The email field must be a valid email address."]})
    return email
