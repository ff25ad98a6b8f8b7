"""ColdSend campaign bodies: create and update fields, defaults, cross-field rules.

The primitives (and the message style) are in ``validate``.
"""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.coldsend.validate import (
    INVALID,
    TRIGGERS,
    Checker,
    Errors,
    Loc,
    boolean,
    enum_member,
    integer,
    items,
    mapping,
    not_null,
    nullable,
    required,
    sending_days,
    text,
    timestamp,
    timezone,
    uuid_list,
    variant_list,
)

DEFAULTS: dict[str, Any] = {
    "timezone": "America/New_York",
    "sending_days": [1, 2, 3, 4, 5],
    "sending_window_start": 9,
    "sending_window_start_minute": 0,
    "sending_window_end": 17,
    "sending_window_end_minute": 0,
    "daily_limit_per_inbox": None,
    "start_date": None,
    "enable_tracking": False,
    "enable_unsubscribe": True,
}


def _int(low: int, high: int) -> Checker:
    return lambda e, loc, v: integer(e, loc, v, low, high)


SETTINGS: dict[str, Checker] = {
    "name": not_null(lambda e, loc, v: text(e, loc, v, 8, 255)),
    "timezone": not_null(timezone),
    "sending_days": not_null(sending_days),
    "sending_window_start": not_null(_int(0, 23)),
    "sending_window_start_minute": not_null(_int(0, 59)),
    "sending_window_end": not_null(_int(1, 24)),
    "sending_window_end_minute": not_null(_int(0, 59)),
    "daily_limit_per_inbox": nullable(_int(1, 100)),
    "start_date": nullable(timestamp),
    "enable_tracking": not_null(boolean),
    "enable_unsubscribe": not_null(boolean),
}


def _sequences(errors: Errors, loc: Loc, value: object) -> object:
    """At most 3 follow-ups, steps 2.. consecutive, wait_days 1–30 summing to at most 45."""
    steps = items(errors, loc, value, 0, 3)
    if steps is None:
        return INVALID
    clean = [_sequence(errors, (*loc, i), step) for i, step in enumerate(steps)]
    if INVALID in clean:
        return INVALID
    ordered: list[dict[str, Any]] = sorted(clean, key=lambda s: s["step_number"])  # type: ignore[arg-type]
    if [s["step_number"] for s in ordered] != list(range(2, len(ordered) + 2)):
        return errors.add(
            loc, "step_number values must be consecutive starting at 2", "value_error"
        )
    if sum(s["wait_days"] for s in ordered) > 45:
        return errors.add(loc, "the sum of wait_days must be at most 45", "value_error")
    return ordered


def _sequence(errors: Errors, loc: Loc, value: object) -> object:
    body = mapping(errors, loc, value)
    if body is None:
        return INVALID
    clean = {
        "step_number": required(errors, (*loc, "step_number"), body, _int(2, 4)),
        "trigger_type": required(
            errors, (*loc, "trigger_type"), body, lambda e, lc, v: enum_member(e, lc, v, TRIGGERS)
        ),
        "wait_days": required(errors, (*loc, "wait_days"), body, _int(1, 30)),
        "variants": required(
            errors, (*loc, "variants"), body, lambda e, lc, v: variant_list(e, lc, v, 1)
        ),
    }
    return INVALID if INVALID in clean.values() else clean


UPDATE_ONLY: dict[str, Checker] = {
    "inbox_ids": not_null(uuid_list),
    "variants": not_null(lambda e, loc, v: variant_list(e, loc, v, 0)),
    "sequences": not_null(_sequences),
    "launch": not_null(boolean),
}


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
    if "name" not in body:
        errors.add(("body", "name"), "field required", "value_error.missing")
    clean = {**DEFAULTS, **_check_fields(body, SETTINGS, errors)}
    if not errors:
        errors.extend(window_errors(clean))
    return clean, errors


def validate_update(payload: object) -> tuple[dict[str, Any], Errors]:
    """The fields a PUT sends, cleaned; cross-field rules wait for the merge (``window_errors``)."""
    errors = Errors()
    body = mapping(errors, ("body",), payload)
    if body is None:
        return {}, errors
    return _check_fields(body, {**SETTINGS, **UPDATE_ONLY}, errors), errors


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
