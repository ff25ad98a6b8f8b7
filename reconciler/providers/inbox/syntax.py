"""Inbox sequence short syntax and friendly schedules ⇄ the wire form of shared/api/inbox.md.

Short steps: ``{"message": "Hey {{first-name|there}}, {Hi|Hello}!"}``, ``{"delay": "2d"}`` (also
``30m``, ``12h``), ``{"like_tweet": True}``; a raw wire step ``{"type", "data"}`` passes through.

Message syntax, chosen so that every wire message has exactly one spelling (``camp import``
writes the short form only when it compiles back to the identical wire step):

- ``{{name}}`` is a variable without fallback, sent as ``"fallback": ""``; ``{{name|text}}`` has a
  fallback (an empty one is written ``{{name}}``). Names: first-name, last-name, username,
  custom_<id>.
- ``{a|b|c}`` is a variation (at least two options; an option may be empty).
- Backslash escapes: outside braces ``\\{``, ``\\}`` and ``\\\\`` are a literal ``{``, ``}`` and
  ``\\``; inside braces (options, fallback) ``\\|`` too. A bare ``{``/``}``, or a backslash before
  anything else, is an error, so that no text has two spellings. ``|`` outside braces is plain.
  In YAML, use plain or single-quoted strings so that YAML leaves the backslashes alone.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.config.problems import TextIssue

VARIABLE_NAMES = ("first-name", "last-name", "username")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
DELAY_UNITS = {"m": ("minutes", 60), "h": ("hours", 3_600), "d": ("days", 86_400)}
SHORT_KEYS = ("message", "delay", "like_tweet")
WIRE_TYPES = ("message", "delay", "like-tweet")

_CUSTOM = re.compile(r"custom_[0-9a-z]+")
_DELAY = re.compile(r"([1-9][0-9]*)([mhd])")
_RANGE = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")
_OUTSIDE, _INSIDE = "{}\\", "{}|\\"

Step = dict[str, Any]


@dataclass(frozen=True)
class SyntaxIssue:
    """One invalid value. ``path`` locates it in the YAML: ``(2, "message")`` or ``("mon",)``;
    ``line``/``col`` are 0-based within a message text."""

    path: tuple[str | int, ...]
    message: str
    hint: str = ""
    line: int = 0
    col: int = 0

    def text_issue(self) -> TextIssue:
        return TextIssue(self.line, self.col, self.message, self.hint)


class InboxSyntaxError(ValueError):
    """Every issue found in a sequence or schedule, raised once."""

    def __init__(self, issues: list[SyntaxIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.message for issue in issues))


class _MessageError(Exception):
    def __init__(self, offset: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


# -- delays ----------------------------------------------------------------------------------


def parse_delay(text: str) -> tuple[int, str]:
    """``"2d"`` → ``(172800, "days")``; a positive whole number of m, h or d, no spaces."""
    match = _DELAY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        hint = "write a whole number and a unit: 30m, 12h or 2d"
        raise InboxSyntaxError([SyntaxIssue((), f"invalid delay {text!r}", hint)])
    unit, size = DELAY_UNITS[match.group(2)]
    return int(match.group(1)) * size, unit


def format_delay(seconds: int, unit: str) -> str:
    """``(172800, "days")`` → ``"2d"``; ValueError when the unit does not divide the seconds."""
    for suffix, (name, size) in DELAY_UNITS.items():
        if name == unit and isinstance(seconds, int) and seconds > 0 and seconds % size == 0:
            return f"{seconds // size}{suffix}"
    raise ValueError(f"{seconds} seconds cannot be written in {unit}")


# -- messages --------------------------------------------------------------------------------


def parse_message(text: str) -> list[dict[str, Any]]:
    """The wire segments of a short-form message; raises ``InboxSyntaxError``."""
    try:
        return _Lexer(text).segments()
    except _MessageError as exc:
        line = text.count("\n", 0, exc.offset)
        col = exc.offset - (text.rfind("\n", 0, exc.offset) + 1)
        raise InboxSyntaxError([SyntaxIssue((), exc.message, exc.hint, line, col)]) from None


def render_message(segments: list[dict[str, Any]]) -> str:
    """The short form of wire segments (unchecked: ``decompile_steps`` verifies the round trip)."""
    return "".join(_render_segment(segment) for segment in segments)


def _escape(text: str, specials: str) -> str:
    return "".join(f"\\{char}" if char in specials else char for char in text)


def _render_segment(segment: dict[str, Any]) -> str:
    kind = segment.get("type")
    if kind == "static":
        return _escape(str(segment.get("text")), _OUTSIDE)
    if kind == "variable":
        fallback = segment.get("fallback")
        tail = f"|{_escape(str(fallback), _INSIDE)}" if fallback else ""
        return f"{{{{{segment.get('name')}{tail}}}}}"
    options = segment.get("options") or []
    return "{" + "|".join(_escape(str(option), _INSIDE) for option in options) + "}"


class _Lexer:
    """Reads a message left to right; every error carries the offset where it was noticed."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0
        self.out: list[dict[str, Any]] = []
        self.static: list[str] = []

    def segments(self) -> list[dict[str, Any]]:
        if not self.text:
            raise _MessageError(0, "empty message", "write the text to send")
        while self.pos < len(self.text):
            self._next()
        self._flush()
        return self.out

    def _next(self) -> None:
        char = self.text[self.pos]
        if char == "{":
            self._flush()
            self.out.append(self._variable() if self._at("{{") else self._variation())
        elif char == "}":
            raise _MessageError(self.pos, "`}` without a matching `{`", "write \\} for a literal }")
        else:
            self.static.append(self._char(_OUTSIDE))

    def _at(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def _flush(self) -> None:
        if self.static:
            self.out.append({"type": "static", "text": "".join(self.static)})
            self.static = []

    def _char(self, specials: str) -> str:
        """One character of text, resolving a backslash escape."""
        char, start = self.text[self.pos], self.pos
        self.pos += 1
        if char != "\\":
            return char
        escaped = self.text[self.pos] if self.pos < len(self.text) else ""
        if not escaped or escaped not in specials:
            shown = " ".join(f"\\{c}" for c in specials)
            hint = f"here only {shown} are escapes; write \\\\ for a literal backslash"
            raise _MessageError(start, f"invalid escape `\\{escaped}`", hint)
        self.pos += 1
        return escaped

    def _text_until(self, stops: str) -> str:
        """Text inside braces up to an unescaped ``|`` or ``}``; a bare ``{`` is an error."""
        chars: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            if self.text[self.pos] == "{":
                raise _MessageError(self.pos, "`{` inside braces", "write \\{ for a literal {")
            chars.append(self._char(_INSIDE))
        return "".join(chars)

    def _variable(self) -> dict[str, Any]:
        start = self.pos
        self.pos += 2
        name = self._text_until("|}")
        fallback = ""
        if self._at("|"):
            self.pos += 1
            fallback = self._text_until("|}")
            if not fallback:
                raise _MessageError(start, "empty fallback", f"write {{{{{name}}}}} for none")
            if self._at("|"):
                raise _MessageError(self.pos, "`|` in a fallback", "write \\| for a literal |")
        if not self._at("}}"):
            raise _MessageError(start, "unclosed variable: expected `}}`", "close it with }}")
        self.pos += 2
        _check_name(name, start)
        return {"type": "variable", "name": name, "fallback": fallback}

    def _variation(self) -> dict[str, Any]:
        start = self.pos
        options = []
        while self.pos < len(self.text) and self.text[self.pos] in "{|":
            self.pos += 1
            options.append(self._text_until("|}"))
        if not self._at("}"):
            raise _MessageError(start, "unclosed variation: expected `}`", "close it with }")
        self.pos += 1
        if len(options) < 2:
            hint = "give two options or more, {Hi|Hello}; write \\{ \\} for literal braces"
            raise _MessageError(start, "a variation needs at least 2 options", hint)
        return {"type": "variation", "options": options}


def _check_name(name: str, offset: int) -> None:
    if name in VARIABLE_NAMES or _CUSTOM.fullmatch(name):
        return
    names = ", ".join(VARIABLE_NAMES)
    hint = f"use {names} or custom_<id> (no spaces inside the braces)"
    raise _MessageError(offset, f"unknown variable `{name}`", hint)


# -- steps -----------------------------------------------------------------------------------


def compile_steps(steps: list[Step]) -> list[Step]:
    """Short (or raw wire) steps → wire steps ``{type, data}``; raises ``InboxSyntaxError``."""
    wire: list[Step] = []
    issues: list[SyntaxIssue] = []
    for index, step in enumerate(steps):
        try:
            wire.append(_compile_step(step))
        except InboxSyntaxError as exc:
            issues += [_at_step(index, step, issue) for issue in exc.issues]
    if not issues and wire and wire[0]["type"] != "message":
        issues.append(SyntaxIssue((0,), "the first step must be a message", "start with message:"))
    if issues:
        raise InboxSyntaxError(issues)
    return wire


def _at_step(index: int, step: object, issue: SyntaxIssue) -> SyntaxIssue:
    key = next((k for k in SHORT_KEYS if isinstance(step, dict) and k in step), None)
    path = (index, key) if key else (index,)
    return SyntaxIssue(path, issue.message, issue.hint, issue.line, issue.col)


def _compile_step(step: object) -> Step:
    if not isinstance(step, dict):
        raise _step_error(f"a step must be a mapping, not {type(step).__name__}")
    keys = set(step)
    if keys == {"message"} and isinstance(step["message"], str):
        return {"type": "message", "data": {"segments": parse_message(step["message"])}}
    if keys == {"delay"}:
        seconds, unit = parse_delay(step["delay"])
        return {"type": "delay", "data": {"delaySeconds": seconds, "unit": unit}}
    if keys == {"like_tweet"} and step["like_tweet"] is True:
        return {"type": "like-tweet", "data": {}}
    if {"type", "data"} <= keys <= {"type", "data", "id", "rank"}:
        return _raw_step(step)
    raise _step_error(f"invalid step {step!r}")


def _step_error(message: str) -> InboxSyntaxError:
    hint = "write one of message: …, delay: 2d, like_tweet: true, or {type, data}"
    return InboxSyntaxError([SyntaxIssue((), message, hint)])


def _raw_step(step: Mapping[str, Any]) -> Step:
    if step["type"] not in WIRE_TYPES or not isinstance(step["data"], dict):
        raise _step_error(f"invalid wire step: type must be one of {', '.join(WIRE_TYPES)}")
    return {"type": step["type"], "data": copy.deepcopy(step["data"])}


def decompile_steps(wire_steps: list[Step]) -> list[Step]:
    """Wire steps → the short form where it compiles back identically, else ``{type, data}``."""
    return [_decompile_step(step) for step in wire_steps]


def _decompile_step(step: Mapping[str, Any]) -> Step:
    raw = {"type": step.get("type"), "data": copy.deepcopy(step.get("data"))}
    try:
        short = _short_form(raw)
        if short is not None and _compile_step(short) == raw:
            return short
    except (InboxSyntaxError, ValueError, TypeError, AttributeError):
        pass  # not expressible in the short form: keep the wire step
    return raw


def _short_form(step: Step) -> Step | None:
    data = step["data"]
    if step["type"] == "message":
        return {"message": render_message(data["segments"])}
    if step["type"] == "delay":
        return {"delay": format_delay(data["delaySeconds"], data["unit"])}
    if step["type"] == "like-tweet":
        return {"like_tweet": True}
    return None


# -- schedule --------------------------------------------------------------------------------


def normalize_schedule(friendly: Mapping[Any, Any]) -> dict[str, dict[str, int]]:
    """``{"mon": "09:00-17:00"}`` or ``{"1": {"start": 540, "end": 1020}}`` → the wire form."""
    wire: dict[int, dict[str, int]] = {}
    issues: list[SyntaxIssue] = []
    for key, value in friendly.items():
        try:
            day, window = _day(key), _window(value)
            if day in wire:
                raise _schedule_error(f"day {DAYS[day]} is given twice", "keep one of them")
            wire[day] = window
        except InboxSyntaxError as exc:
            issues += [SyntaxIssue((key,), i.message, i.hint) for i in exc.issues]
    if issues:
        raise InboxSyntaxError(issues)
    return {str(day): wire[day] for day in sorted(wire)}


def friendly_schedule(wire: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """The wire form → ``{"mon": "09:00-17:00"}`` (1440 is written ``24:00``), Sunday first."""
    days = sorted((_day(key), window) for key, window in wire.items())
    return {DAYS[day]: f"{_clock(w['start'])}-{_clock(w['end'])}" for day, w in days}


def _schedule_error(message: str, hint: str) -> InboxSyntaxError:
    return InboxSyntaxError([SyntaxIssue((), message, hint)])


def _day(key: object) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 6:
        return key
    if isinstance(key, str) and key.lower() in DAYS:
        return DAYS.index(key.lower())
    if isinstance(key, str) and key in {str(day) for day in range(7)}:
        return int(key)
    raise _schedule_error(f"unknown day {key!r}", "use sun, mon, … sat, or 0 (Sunday) … 6")


def _window(value: object) -> dict[str, int]:
    if isinstance(value, str) and (match := _RANGE.fullmatch(value)):
        hours_start, minutes_start, hours_end, minutes_end = map(int, match.groups())
        start, end = _minutes(hours_start, minutes_start), _minutes(hours_end, minutes_end)
    elif isinstance(value, Mapping) and set(value) == {"start", "end"}:
        start, end = value["start"], value["end"]
    else:
        raise _schedule_error(f"invalid window {value!r}", 'write "09:00-17:00" or {start, end}')
    if not all(type(m) is int for m in (start, end)) or not 0 <= start < end <= 1440:
        hint = "minutes after midnight: 0 ≤ start < end ≤ 1440 (24:00)"
        raise _schedule_error(f"window {value!r} must start before it ends, within the day", hint)
    return {"start": start, "end": end}


def _minutes(hours: int, minutes: int) -> int:
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise _schedule_error(f"invalid time {hours:02d}:{minutes:02d}", "use 00:00 … 24:00")
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
