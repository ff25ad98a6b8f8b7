"""ColdSend campaign bodies: create and update fields, defaults, cross-field rules.

The primitives (and the message style) are in ``validate``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from reconciler.sandbox.coldsend.validate import (
    INVALID,
    TRIGGERS,
    Checker,
    Errors,
    Loc,
    boolean,
    checked_items,
    enum_member,
    integer,
    mapping,
    not_null,
    nullable,
    record,
    sending_days,
    text,
    timestamp,
    timezone,
    uuid_list,
    variant_list,
)

REQUIRED = object()  # the default of a setting a create must send


def _int(low: int, high: int) -> Checker:
    return lambda e, loc, v: integer(e, loc, v, low, high)


class Setting(NamedTuple):
    """A campaign setting: how a sent value is checked, and what a create that leaves it out gets
    (``REQUIRED``: a create must send it)."""

    check: Checker
    default: object = REQUIRED


SETTINGS: dict[str, Setting] = {
    "name": Setting(not_null(lambda e, loc, v: text(e, loc, v, 8, 255))),
    "timezone": Setting(not_null(timezone), "America/New_York"),
    "sending_days": Setting(not_null(sending_days), [1, 2, 3, 4, 5]),
    "sending_window_start": Setting(not_null(_int(0, 23)), 9),
    "sending_window_start_minute": Setting(not_null(_int(0, 59)), 0),
    "sending_window_end": Setting(not_null(_int(1, 24)), 17),
    "sending_window_end_minute": Setting(not_null(_int(0, 59)), 0),
    "daily_limit_per_inbox": Setting(nullable(_int(1, 100)), None),
    "start_date": Setting(nullable(timestamp), None),
    "enable_tracking": Setting(not_null(boolean), False),
    "enable_unsubscribe": Setting(not_null(boolean), True),
}
DEFAULTS: dict[str, Any] = {
    key: setting.default for key, setting in SETTINGS.items() if setting.default is not REQUIRED
}


_sequence = record(
    {
        "step_number": _int(2, 4),
        "trigger_type": lambda e, lc, v: enum_member(e, lc, v, TRIGGERS),
        "wait_days": _int(1, 30),
        "variants": lambda e, lc, v: variant_list(e, lc, v, 1),
    }
)


def _sequences(errors: Errors, loc: Loc, value: object) -> object:
    """At most 3 follow-ups, steps 2.. consecutive, wait_days 1–30 summing to at most 45."""
    steps = checked_items(errors, loc, value, 0, 3, _sequence)
    if steps is None:
        return INVALID
    ordered: list[dict[str, Any]] = sorted(steps, key=lambda s: s["step_number"])  # type: ignore[arg-type]
    if [s["step_number"] for s in ordered] != list(range(2, len(ordered) + 2)):
        return errors.add(
            loc, "step_number values must be consecutive starting at 2", "value_error"
        )
    if sum(s["wait_days"] for s in ordered) > 45:
        return errors.add(loc, "the sum of wait_days must be at most 45", "value_error")
    return ordered


UPDATE_ONLY: dict[str, Checker] = {
    "inbox_ids": not_null(uuid_list),
    "variants": not_null(lambda e, loc, v: variant_list(e, loc, v, 0)),
    "sequences": not_null(_sequences),
    "launch": not_null(boolean),
}
_CREATE_CHECKS = {key: setting.check for key, setting in SETTINGS.items()}
_UPDATE_CHECKS = {**_CREATE_CHECKS, **UPDATE_ONLY}


def _check_fields(
    body: dict[str, object], checkers: dict[str, Checker], errors: Errors
) -> dict[str, Any]:
    """The cleaned values of the known fields present in ``body``; unknown keys are ignored."""
    clean = {
        key: check(errors, ("body", key), body[key])
        for key, check in checkers.items()
        if key in body
    }
    return {key: value for key, value in clean.items() if value is not INVALID}


def validate_create(payload: object) -> tuple[dict[str, Any], Errors]:
    """A new campaign's settings with defaults filled in, and the 422 errors (empty when valid)."""
    errors = Errors()
    body = mapping(errors, ("body",), payload)
    if body is None:
        return {}, errors
    for key, setting in SETTINGS.items():
        if setting.default is REQUIRED and key not in body:
            errors.add(("body", key), "field required", "value_error.missing")
    clean = {**DEFAULTS, **_check_fields(body, _CREATE_CHECKS, errors)}
    if not errors:
        errors.extend(window_errors(clean))
    return clean, errors


def validate_update(payload: object) -> tuple[dict[str, Any], Errors]:
    """The fields a PUT sends, cleaned; cross-field rules wait for the merge (``window_errors``)."""
    errors = Errors()
    body = mapping(errors, ("body",), payload)
    if body is None:
        return {}, errors
    return _check_fields(body, _UPDATE_CHECKS, errors), errors


def window_errors(settings: dict[str, Any]) -> Errors:
    """The sending window must end after it starts; an end at hour 24 has minute 0."""
    errors = Errors()
    end, end_minute = settings["sending_window_end"], settings["sending_window_end_minute"]
    start = settings["sending_window_start"] * 60 + settings["sending_window_start_minute"]
    if end == 24 and end_minute != 0:
        msg = "sending_window_end_minute must be 0 when sending_window_end is 24"
        errors.add(("body", "sending_window_end_minute"), msg, "value_error")
    elif end * 60 + end_minute <= start:
        msg = "sending_window_end must be after sending_window_start"
        errors.add(("body", "sending_window_end"), msg, "value_error")
    return errors
