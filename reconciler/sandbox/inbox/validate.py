"""Inbox's error shape, and request validation: every rule of shared/api/inbox.md, one 422.

Errors answer ``{"error": {"code", "message", "status"}}``. Each ``check_*`` function returns
the accepted values and raises ``InboxError(422)`` whose ``details`` list every problem with
its dotted path (``schedule.1.start``). Unknown keys are refused rather than ignored, so that a
client sending a field the contract does not list (or the read-only ``dryRun``) learns about
it here instead of at the real vendor. Sequence steps are checked in ``steps``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox import jsonbody
from reconciler.sandbox.inbox.model import JSON

CREATE_KEYS = ("name", "accountLinkIds", "rules", "timezone")
PATCH_KEYS = [
    "name",
    "description",
    "timezone",
    "messagesPerHour",
    "schedule",
    "accountLinkIds",
    "automations",
]
RULE_KEYS = ("syncedListIds", "excludedListIds", "excludeContacted", "excludeMutuals")
AUTOMATION_TRIGGERS = ("replied", "completed")
AUTOMATION_ACTIONS = ("set-status",)

#: Error codes of shared/api/inbox.md; 500/503 are the sandbox's choice (the contract gives none).
ERROR_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


@dataclass
class InboxError(Exception):
    """A request the emulator refuses; rendered as the vendor's error body by the routes."""

    status: int
    message: str
    details: list[JSON] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.message}"


class Problems:
    """Collects every validation problem so that one 422 names them all."""

    def __init__(self) -> None:
        self.items: list[JSON] = []

    def add(self, path: str, message: str) -> None:
        self.items.append({"path": path, "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            where = f"{first['path']}: " if first["path"] else ""
            raise InboxError(422, f"Validation failed: {where}{first['message']}", self.items)


def join(path: str, key: str | int) -> str:
    """Dotted field path (``steps.0.data.segments``), as the 422 ``details`` carry it."""
    return f"{path}.{key}" if path else str(key)


def error_response(
    status: int,
    message: str,
    *,
    details: list[JSON] | None = None,
    retry_after: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Inbox's error body; ``details`` only on 422, ``Retry-After`` when given (429, 503)."""
    body: JSON = {"code": ERROR_CODES.get(status, "ERROR"), "message": message, "status": status}
    if status == 422:
        body["details"] = details or []
    extra = dict(headers or {})
    if retry_after is not None:
        extra["Retry-After"] = str(retry_after)
    return JSONResponse({"error": body}, status_code=status, headers=extra)


async def read_json(request: Request) -> Any:
    """The decoded body; an empty, malformed or too deeply nested body is a 422 on ``body``."""
    raw = await request.body()
    try:
        return jsonbody.loads(raw)
    except ValueError:
        detail = {"path": "body", "message": "Expected a JSON body"}
        raise InboxError(422, "Validation failed: body: Expected a JSON body", [detail]) from None


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def object_keys(value: object, allowed: Collection[str], path: str, problems: Problems) -> bool:
    """True when ``value`` is an object; every key outside ``allowed`` is a problem."""
    if not isinstance(value, dict):
        problems.add(path or "body", "Expected an object")
        return False
    for key in value:
        if key == "dryRun" and not path:
            problems.add(key, "dryRun is managed internally and cannot be set through the API")
        elif key not in allowed:
            problems.add(join(path, key), f"Unrecognized key '{key}'")
    return True


def check_create(body: object, links: Collection[str], lists: Collection[str]) -> JSON:
    problems = Problems()
    if not object_keys(body, CREATE_KEYS, "", problems):
        problems.raise_if_any()
    assert isinstance(body, dict)
    for key in ("name", "accountLinkIds"):
        if key not in body:
            problems.add(key, "Required")
    _check_fields(body, problems, links)
    if "rules" in body and object_keys(body["rules"], RULE_KEYS, "rules", problems):
        _check_rule_fields(body["rules"], "rules", problems, lists)
    problems.raise_if_any()
    return dict(body)


def check_patch(body: object, links: Collection[str]) -> JSON:
    problems = Problems()
    if object_keys(body, PATCH_KEYS, "", problems):
        assert isinstance(body, dict)
        _check_fields(body, problems, links, allow_no_links=True)
    problems.raise_if_any()
    assert isinstance(body, dict)
    return dict(body)


def check_rules(body: object, lists: Collection[str]) -> JSON:
    problems = Problems()
    if object_keys(body, RULE_KEYS, "", problems):
        assert isinstance(body, dict)
        _check_rule_fields(body, "", problems, lists)
    problems.raise_if_any()
    assert isinstance(body, dict)
    return dict(body)


def _check_fields(
    body: Mapping[str, Any],
    problems: Problems,
    links: Collection[str],
    allow_no_links: bool = False,
) -> None:
    """Campaign fields shared by create and PATCH (only those present are checked)."""
    if "name" in body:
        _check_name(body["name"], problems)
    if "description" in body and not isinstance(body["description"], str | None):
        problems.add("description", "Expected a string or null")
    if "timezone" in body:
        _check_timezone(body["timezone"], problems)
    if "messagesPerHour" in body:
        value = body["messagesPerHour"]
        if not is_int(value) or not 1 <= value <= 25:
            problems.add("messagesPerHour", "Expected an integer from 1 to 25")
    if "schedule" in body:
        _check_schedule(body["schedule"], problems)
    if "accountLinkIds" in body:
        _check_ids(body["accountLinkIds"], "accountLinkIds", problems, links, "account link")
        if body["accountLinkIds"] == [] and not allow_no_links:
            problems.add("accountLinkIds", "At least one account link is required")
    if "automations" in body:
        _check_automations(body["automations"], problems)


def _check_name(value: object, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.add("name", "Expected a string")
    elif not 1 <= len(value) <= 255:
        problems.add("name", "Must be 1 to 255 characters long")


def _check_timezone(value: object, problems: Problems) -> None:
    if not isinstance(value, str) or not valid_timezone(value):
        problems.add("timezone", f"Invalid IANA timezone: {value!r}")


def valid_timezone(name: str) -> bool:
    """An IANA zone name (``available_timezones`` leaves out files like ``posixrules``)."""
    zones = _zones()
    if zones:
        return name in zones
    try:  # no tz database listing on this system: ask zoneinfo for the one name
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@cache
def _zones() -> frozenset[str]:
    # Some tz databases list their own helper files too; none of them is a zone name.
    return frozenset(available_timezones()) - {"Factory", "localtime", "posixrules", "posix"}


def _check_schedule(value: object, problems: Problems) -> None:
    days = [str(day) for day in range(7)]
    if not object_keys(value, days, "schedule", problems):
        return
    assert isinstance(value, dict)
    for day, window in value.items():
        path = join("schedule", day)
        if day not in days or not object_keys(window, ("start", "end"), path, problems):
            continue
        start, end = window.get("start"), window.get("end")
        if not is_int(start) or not is_int(end):
            problems.add(path, "start and end must be integers (minutes after midnight)")
        elif not 0 <= start < end <= 1440:
            problems.add(path, "Expected 0 <= start < end <= 1440")


def _check_ids(
    value: object, path: str, problems: Problems, known: Collection[str], what: str
) -> None:
    """A list of distinct ids, each one of the team's ``known`` ids."""
    if not isinstance(value, list):
        problems.add(path, "Expected an array of ids")
        return
    seen: set[str] = set()
    for index, item in enumerate(value):
        where = join(path, index)
        if not isinstance(item, str):
            problems.add(where, "Expected a string id")
        elif item not in known:
            problems.add(where, f"Unknown {what} id '{item}'")
        elif item in seen:
            problems.add(where, f"Duplicate {what} id '{item}'")
        else:
            seen.add(item)


def _check_rule_fields(
    rules: Mapping[str, Any], path: str, problems: Problems, lists: Collection[str]
) -> None:
    for key in ("syncedListIds", "excludedListIds"):
        if key in rules:
            _check_ids(rules[key], join(path, key), problems, lists, "list")
    for key in ("excludeContacted", "excludeMutuals"):
        if key in rules and not isinstance(rules[key], bool):
            problems.add(join(path, key), "Expected a boolean")


def _check_automations(value: object, problems: Problems) -> None:
    if not isinstance(value, list):
        problems.add("automations", "Expected an array")
        return
    keys = ("trigger", "action", "actionData", "enabled")
    for index, item in enumerate(value):
        path = join("automations", index)
        if object_keys(item, keys, path, problems):
            assert isinstance(item, dict)
            _check_automation(item, path, problems)


def _check_automation(item: Mapping[str, Any], path: str, problems: Problems) -> None:
    if item.get("trigger") not in AUTOMATION_TRIGGERS:
        problems.add(join(path, "trigger"), "Expected 'replied' or 'completed'")
    if item.get("action") not in AUTOMATION_ACTIONS:
        problems.add(join(path, "action"), "Expected 'set-status'")
    data = item.get("actionData")
    data_path = join(path, "actionData")
    if object_keys(data, ("statusId",), data_path, problems):
        assert isinstance(data, dict)
        status_id = data.get("statusId")
        if not isinstance(status_id, str) or not status_id:
            problems.add(join(data_path, "statusId"), "Expected a non-empty string")
    if "enabled" in item and not isinstance(item["enabled"], bool):
        problems.add(join(path, "enabled"), "Expected a boolean")
