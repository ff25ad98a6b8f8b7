"""Sequence steps of the Inbox emulator: validation of ``PUT …/sequence`` and the stored form.

Step types (shared/api/inbox.md): ``message`` with ``data.segments`` (static, variable,
variation), ``delay`` with ``delaySeconds`` and a display ``unit``, ``like-tweet`` with ``{}``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from reconciler.sandbox.inbox.model import JSON, new_id
from reconciler.sandbox.inbox.validate import Problems, join, object_keys

STEP_TYPES = ("message", "delay", "like-tweet")
VARIABLE_NAME = re.compile(r"^(first-name|last-name|username|custom_[0-9a-z]+)$")
UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}


def _keys(value: object, allowed: Collection[str], path: str, problems: Problems) -> bool:
    if not isinstance(value, dict):
        problems.add(path, "Expected an object")
        return False
    for key in value:
        if key not in allowed:
            problems.add(join(path, key), f"Unrecognized key '{key}'")
    return True


def check_sequence(body: object) -> list[JSON]:
    problems = Problems()
    steps: list[JSON] = []
    if object_keys(body, ("steps",), "", problems):
        assert isinstance(body, dict)
        if "steps" not in body:
            problems.add("steps", "Required")
        else:
            steps = check_steps(body["steps"], "steps", problems)
    problems.raise_if_any()
    return steps


def check_steps(value: object, path: str, problems: Problems) -> list[JSON]:
    """The steps as given (``type`` and ``data``), after checking every one of them."""
    if not isinstance(value, list):
        problems.add(path, "Expected an array of steps")
        return []
    for index, step in enumerate(value):
        _check_step(step, join(path, index), problems)
    if value and isinstance(value[0], dict) and value[0].get("type") != "message":
        problems.add(join(path, 0), "The first step must be a message")
    return [
        {"type": step.get("type"), "data": step.get("data")}
        for step in value
        if isinstance(step, dict)
    ]


def _check_step(step: object, path: str, problems: Problems) -> None:
    if not _keys(step, ("type", "data"), path, problems):
        return
    assert isinstance(step, dict)
    kind, data = step.get("type"), step.get("data")
    data_path = join(path, "data")
    if kind not in STEP_TYPES:
        problems.add(join(path, "type"), "Expected 'message', 'delay' or 'like-tweet'")
    elif kind == "message":
        _check_message(data, data_path, problems)
    elif kind == "delay":
        _check_delay(data, data_path, problems)
    elif _keys(data, (), data_path, problems) and data:
        problems.add(data_path, "A like-tweet step takes no data")


def _check_message(data: object, path: str, problems: Problems) -> None:
    if not _keys(data, ("segments",), path, problems):
        return
    assert isinstance(data, dict)
    segments, seg_path = data.get("segments"), join(path, "segments")
    if not isinstance(segments, list) or not segments:
        problems.add(seg_path, "Expected a non-empty array of segments")
        return
    for index, segment in enumerate(segments):
        _check_segment(segment, join(seg_path, index), problems)


def _check_segment(segment: object, path: str, problems: Problems) -> None:
    if not isinstance(segment, dict):
        problems.add(path, "Expected an object")
        return
    kind = segment.get("type")
    if kind == "static" and _keys(segment, ("type", "text"), path, problems):
        text = segment.get("text")
        if not isinstance(text, str) or not text:
            problems.add(join(path, "text"), "Expected a non-empty string")
    elif kind == "variable" and _keys(segment, ("type", "name", "fallback"), path, problems):
        _check_variable(segment, path, problems)
    elif kind == "variation" and _keys(segment, ("type", "options"), path, problems):
        options = segment.get("options")
        if not isinstance(options, list) or len(options) < 2:
            problems.add(join(path, "options"), "Expected at least 2 options")
        elif not all(isinstance(option, str) for option in options):
            problems.add(join(path, "options"), "Options must be strings")
    elif kind not in ("static", "variable", "variation"):
        problems.add(join(path, "type"), "Expected 'static', 'variable' or 'variation'")


def _check_variable(segment: Mapping[str, Any], path: str, problems: Problems) -> None:
    name = segment.get("name")
    if not isinstance(name, str) or not VARIABLE_NAME.match(name):
        problems.add(
            join(path, "name"),
            "Expected 'first-name', 'last-name', 'username' or 'custom_<id>'",
        )
    if not isinstance(segment.get("fallback", ""), str | None):
        problems.add(join(path, "fallback"), "Expected a string or null")


def _check_delay(data: object, path: str, problems: Problems) -> None:
    if not _keys(data, ("delaySeconds", "unit"), path, problems):
        return
    assert isinstance(data, dict)
    seconds, unit = data.get("delaySeconds"), data.get("unit")
    if unit not in UNIT_SECONDS:
        problems.add(join(path, "unit"), "Expected 'minutes', 'hours' or 'days'")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        problems.add(join(path, "delaySeconds"), "Expected a positive integer")
    elif unit in UNIT_SECONDS and seconds % UNIT_SECONDS[unit]:
        # The unit is how the dashboard shows the delay; seconds must be a whole number of it.
        problems.add(join(path, "delaySeconds"), f"Must be a whole number of {unit}")


def build_sequence(steps: list[JSON], version: int, now: datetime) -> JSON:
    """The stored sequence: a new version, fresh step ids, ranks from 0 in the given order."""
    stored = [
        {"id": new_id(now), "rank": rank, "type": step["type"], "data": step["data"]}
        for rank, step in enumerate(steps)
    ]
    return {"version": version, "steps": stored}


def total_delay(sequence: Mapping[str, Any]) -> int:
    """Seconds of delay steps: how long after its first message a lead finishes the sequence."""
    return sum(
        step["data"]["delaySeconds"] for step in sequence["steps"] if step["type"] == "delay"
    )
