"""How Inbox sends a sequence (shared/api/inbox.md): each message's texts, and the steps in
time.

A message is a list of wire segments: static text, a variable (``first-name``, …) sent as the
lead's value or its fallback, and a variation, one option of which each lead gets. A preview
shows every text a message can be (one per combination of variation options, up to
``MAX_COMBINATIONS``) for sample variable values, and the sequence as a timeline: messages,
waits, tweet likes, within the schedule's sending windows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from reconciler.providers.inbox.syntax import DELAY_UNITS

MAX_COMBINATIONS = 8
DEFAULT_SCHEDULE = {str(day): {"start": 540, "end": 1020} for day in range(1, 6)}  # Mon–Fri
DEFAULT_TIMEZONE = "UTC"
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_UNIT_SECONDS = dict(DELAY_UNITS.values())

Segment = Mapping[str, Any]


def variables_of(segments: Sequence[Segment]) -> list[tuple[str, str]]:
    """The message's variables as (name, fallback), in order of first use."""
    seen: dict[str, str] = {}
    for segment in segments:
        if segment.get("type") == "variable":
            seen.setdefault(str(segment.get("name")), str(segment.get("fallback") or ""))
    return list(seen.items())


def variable_text(segment: Segment, values: Mapping[str, str]) -> str:
    """The lead's value, else the fallback (the empty string when there is none)."""
    value = values.get(str(segment.get("name")), "")
    return value if value.strip() else str(segment.get("fallback") or "")


def message_texts(
    segments: Sequence[Segment], values: Mapping[str, str], *, inline: bool = False
) -> tuple[list[str], int]:
    """The texts a message can be, and how many there are in all (the list stops at
    ``MAX_COMBINATIONS``). With ``inline`` there is one text, variations shown ``[a | b]``."""
    parts: list[list[str]] = []
    total = 1
    for segment in segments:
        kind = segment.get("type")
        if kind == "static":
            parts.append([str(segment.get("text"))])
        elif kind == "variable":
            parts.append([variable_text(segment, values)])
        else:
            options = [str(option) for option in segment.get("options") or []]
            total *= max(len(options), 1)
            parts.append(["[" + " | ".join(options) + "]"] if inline else options)
    combos = itertools.islice(itertools.product(*parts), MAX_COMBINATIONS)
    return ["".join(combo) for combo in combos], total


def timeline(steps: Sequence[Mapping[str, Any]]) -> list[str]:
    """The sequence step by step: ``message 1``, ``wait 2 days``, ``like a tweet``…"""
    out, messages = [], 0
    for step in steps:
        kind, data = step.get("type"), step.get("data") or {}
        if kind == "message":
            messages += 1
            out.append(f"message {messages}")
        elif kind == "delay":
            out.append(f"wait {_duration(data)}")
        else:
            out.append("like their latest tweet")
    return out


def _duration(data: Mapping[str, Any]) -> str:
    unit = str(data.get("unit"))
    size = _UNIT_SECONDS.get(unit, 1)
    count = int(data.get("delaySeconds") or 0) // size
    word = unit[:-1] if count == 1 and unit.endswith("s") else unit
    return f"{count} {word}"


def sending_windows(schedule: Mapping[str, Mapping[str, int]] | None) -> str:
    """``Mon–Thu 09:00–17:00, Fri 09:00–12:00``: days in week order, equal windows grouped."""
    wire = schedule if schedule is not None else DEFAULT_SCHEDULE
    days = [(day, wire[str(day)]) for day in (1, 2, 3, 4, 5, 6, 0) if str(day) in wire]
    if not days:
        return "no sending day"
    return ", ".join(_group_text(group) for group in _groups(days))


def _groups(
    days: list[tuple[int, Mapping[str, int]]],
) -> Iterator[list[tuple[int, Mapping[str, int]]]]:
    """Runs of consecutive days (Monday first) that share one window."""
    order = (1, 2, 3, 4, 5, 6, 0)
    group = [days[0]]
    for day, window in days[1:]:
        last_day, last_window = group[-1]
        if window == last_window and order.index(day) == order.index(last_day) + 1:
            group.append((day, window))
        else:
            yield group
            group = [(day, window)]
    yield group


def _group_text(group: list[tuple[int, Mapping[str, int]]]) -> str:
    first, last = _DAY_NAMES[group[0][0]], _DAY_NAMES[group[-1][0]]
    days = first if len(group) == 1 else f"{first}–{last}"
    window = group[0][1]
    return f"{days} {_clock(window['start'])}–{_clock(window['end'])}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
