"""Inbox rules that JSON Schema cannot express (shared/api/inbox.md), checked offline.

The schedule and the sequence are compiled here, once, to the wire forms the provider sends
and compares (``normalize_schedule``, ``compile_steps``); a problem inside a message string is
located at its line and column in the YAML file, not just at the step. Raw wire steps
(``{type, data}``) get the same rules the vendor applies, so a typo there fails ``validate``
instead of a 422 in the middle of an apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.config.checks_common import check_timezone
from reconciler.config.context import DocContext
from reconciler.providers.inbox.model import InboxCampaign
from reconciler.providers.inbox.syntax import (
    DELAY_UNITS,
    VARIABLE_NAMES,
    InboxSyntaxError,
    SyntaxIssue,
    compile_steps,
    normalize_schedule,
)

_CUSTOM = re.compile(r"custom_[0-9a-z]+")
_UNIT_SECONDS = dict(DELAY_UNITS.values())
_SEGMENT_HINT = (
    "segments are {type: static, text}, {type: variable, name, fallback} "
    "or {type: variation, options}"
)


@dataclass(frozen=True)
class InboxPrepared:
    """The wire forms compiled from the YAML once, here (None when the key is not set)."""

    schedule: dict[str, Any] | None = None
    sequence: list[dict[str, Any]] | None = None


def check_inbox(ctx: DocContext, campaign: InboxCampaign) -> InboxPrepared:
    """Check one Inbox document; return its compiled wire forms (schedule, sequence)."""
    check_timezone(ctx, campaign.timezone)
    _check_unique(ctx, ["account_links"], campaign.account_links, "account")
    if campaign.rules is not None:
        _check_lists(ctx, campaign.rules.include_lists, campaign.rules.exclude_lists)
    schedule = _schedule(ctx, ctx.data.get("schedule"))
    return InboxPrepared(schedule, _sequence(ctx, ctx.data.get("sequence")))


def _check_unique(ctx: DocContext, path: list[Any], names: Sequence[str] | None, what: str) -> None:
    """The vendor refuses a duplicate id with a 422: catch the duplicate name first."""
    seen: set[str] = set()
    for index, name in enumerate(names or []):
        key = name.lower().lstrip("@") if what == "account" else name
        if key in seen:
            ctx.error([*path, index], f"{what} {name!r} is listed twice", "list each one once")
        seen.add(key)


def _check_lists(ctx: DocContext, include: list[str] | None, exclude: list[str] | None) -> None:
    _check_unique(ctx, ["rules", "include_lists"], include, "list")
    _check_unique(ctx, ["rules", "exclude_lists"], exclude, "list")
    both = set(include or []) & set(exclude or [])
    for index, name in enumerate(exclude or []):
        if name in both:
            ctx.warn(
                ["rules", "exclude_lists", index],
                f"list {name!r} is both included and excluded: it adds no lead",
                "remove it from include_lists or from exclude_lists",
            )


# -- schedule --------------------------------------------------------------------------------


def _schedule(ctx: DocContext, raw: Any) -> dict[str, dict[str, int]] | None:
    if not isinstance(raw, Mapping):
        return None
    try:
        return normalize_schedule(raw)
    except InboxSyntaxError as exc:
        for issue in exc.issues:
            ctx.error(["schedule", *issue.path], issue.message, issue.hint)
        return None


# -- sequence --------------------------------------------------------------------------------


def _sequence(ctx: DocContext, raw: Any) -> list[dict[str, Any]] | None:
    if not isinstance(raw, list):
        return None
    try:
        steps = compile_steps(list(raw))
    except InboxSyntaxError as exc:
        for issue in exc.issues:
            _report(ctx, issue)
        return None
    before = len(ctx.problems)
    for index, step in enumerate(raw):
        if isinstance(step, Mapping) and "type" in step:
            _check_raw_step(ctx, ["sequence", index, "data"], step["type"], step["data"])
    errors = [p for p in ctx.problems[before:] if p.is_error]
    return None if errors else steps


def _report(ctx: DocContext, issue: SyntaxIssue) -> None:
    path = ["sequence", *issue.path]
    if issue.path and issue.path[-1] == "message":
        ctx.text_issues(path, [issue.text_issue()])
    else:
        ctx.error(path, issue.message, issue.hint)


def _check_raw_step(ctx: DocContext, path: list[Any], kind: str, data: Mapping[str, Any]) -> None:
    """The vendor's rules for a step written in the wire form."""
    if kind == "message":
        _check_segments(ctx, [*path, "segments"], data.get("segments"))
    elif kind == "delay":
        _check_delay(ctx, path, data)
    elif data:
        ctx.error(path, "a like-tweet step takes no data", "write data: {}")


def _check_segments(ctx: DocContext, path: list[Any], segments: Any) -> None:
    if not isinstance(segments, list) or not segments:
        ctx.error(path, "a message needs a non-empty list of segments", _SEGMENT_HINT)
        return
    for index, segment in enumerate(segments):
        problem = _segment_problem(segment)
        if problem:
            ctx.error([*path, index], problem, _SEGMENT_HINT)


def _segment_problem(segment: Any) -> str | None:
    if not isinstance(segment, Mapping):
        return "a segment must be a mapping"
    kind = segment.get("type")
    if kind == "static":
        text = segment.get("text")
        return None if isinstance(text, str) and text else "static text must be a non-empty string"
    if kind == "variable":
        name = segment.get("name")
        if name in VARIABLE_NAMES or (isinstance(name, str) and _CUSTOM.fullmatch(name)):
            return None
        return f"unknown variable {name!r} (use {', '.join(VARIABLE_NAMES)} or custom_<id>)"
    if kind == "variation":
        options = segment.get("options")
        if (
            isinstance(options, list)
            and len(options) >= 2
            and all(isinstance(o, str) for o in options)
        ):
            return None
        return "a variation needs at least 2 options (strings)"
    return f"unknown segment type {kind!r}"


def _check_delay(ctx: DocContext, path: list[Any], data: Mapping[str, Any]) -> None:
    seconds, unit = data.get("delaySeconds"), data.get("unit")
    size = _UNIT_SECONDS.get(unit) if isinstance(unit, str) else None
    if size is None:
        ctx.error([*path, "unit"], f"unknown delay unit {unit!r}", "use minutes, hours or days")
    elif type(seconds) is not int or seconds < 1 or seconds % size:
        ctx.error(
            [*path, "delaySeconds"],
            f"delaySeconds must be a positive whole number of {unit}",
            "or write the step in the short form: delay: 2d",
        )
