"""The plan for a terminal, terraform-like: one block per campaign, then one summary line.

A block starts with a symbol (``+`` create, ``~`` change, ``-`` delete, ``!`` blocked,
``=`` unchanged but with warnings), the campaign as ``kind "name"`` with account, live id and
status, and its YAML ``file:line:col``. One line per action follows, its field changes and
facts indented under it. A field set from nothing reads as Terraform shows it, ``+ name =
value`` with the names aligned and multi-line text as an indented block; a changed field as
``name: old → new``, or a unified diff when long. Irreversible steps carry the word
``irreversible`` whether or not colour is on, so that logs, CI output and screen readers keep
the warning.
"""

from __future__ import annotations

from typing import Any

import click

from reconciler.plan.values import Action, ActionKind, CampaignPlan, FieldChange, Plan
from reconciler.render.diffs import (
    action_facts,
    assignment,
    clean,
    inline,
    is_assignment,
    one_line,
    plural,
    summary_tail,
    value_diff,
)
from reconciler.render.insight import insight_lines
from reconciler.render.scope import scope_sentence

NO_CHANGES = "No changes. Live state matches the configuration."
_ACTION = "  "
_DETAIL = "    "


def render_text(plan: Plan, *, color: bool) -> str:
    """The whole plan; with ``color=False`` the result holds no ANSI escape at all."""
    shown = [c for c in plan.campaigns if c.actions or c.warnings]
    blocks = ["\n".join(_blank_if_empty(line) for line in _campaign(c, color)) for c in shown]
    scope = [_paint(scope_sentence(plan.scope), color, fg="cyan")] if plan.scope else []
    return "\n\n".join([*scope, *blocks, _summary(plan, color)])


def _blank_if_empty(line: str) -> str:
    """An empty diff context line indented would leave trailing blanks on the terminal."""
    return line if line.strip() else ""


def _paint(text: str, color: bool, **style: Any) -> str:
    """Clean first, then style: untrusted text never carries its own escapes."""
    text = clean(text)
    style = {k: v for k, v in style.items() if v}  # click would still emit resets otherwise
    return click.style(text, **style) if color and style and text.strip() else text


def _symbol(campaign: CampaignPlan) -> tuple[str, str | None]:
    kinds = {a.kind for a in campaign.actions}
    if campaign.blocked:
        return "!", "red"
    if ActionKind.DELETE in kinds:
        return "-", "red"
    if ActionKind.CREATE in kinds:
        return "+", "green"
    return ("~", "yellow") if kinds else ("=", None)


def _header(campaign: CampaignPlan, color: bool) -> str:
    symbol, fg = _symbol(campaign)
    ref = campaign.ref
    where = [ref.account, f"id {campaign.live_id}" if campaign.live_id else "new"]
    if campaign.live_status:
        where.append(campaign.live_status)
    source = one_line(campaign.source or "no YAML (pruned)")
    title = one_line(f"{ref.kind} {inline(ref.name)} ({', '.join(where)})")
    head = f"{_paint(symbol, color, fg=fg, bold=True)} {_paint(title, color, bold=True)}"
    return f"{head} {_paint('— ' + source, color, dim=True)}"


def _campaign(campaign: CampaignPlan, color: bool) -> list[str]:
    lines = [_header(campaign, color)]
    for action in campaign.actions:
        lines.extend(_action(action, campaign, color))
    for label, text in insight_lines(campaign.insight):
        lines.append(_ACTION + _paint(f"{label}: {one_line(text)}", color, fg="cyan"))
    for warning in campaign.warnings:
        lines.append(_ACTION + _paint(f"warning: {one_line(warning)}", color, fg="yellow"))
    return lines


def _action_line(action: Action, color: bool) -> str:
    """``create campaign``, ``launch (irreversible): start sending to 5 leads``: the summary
    without the action's kind repeated in it (``diffs.action_title``, painted)."""
    kind = _paint(action.kind.value, color, fg="red" if action.blocked else None, bold=True)
    tag = " " + _paint("(irreversible)", color, fg="red", bold=True) if action.irreversible else ""
    sentence, rest = summary_tail(action)
    if sentence and not action.irreversible:
        return f"{_ACTION}{kind} {_paint(rest, color)}"
    summary = f": {_paint(rest, color)}" if rest else ""
    return f"{_ACTION}{kind}{tag}{summary}"


def _action(action: Action, campaign: CampaignPlan, color: bool) -> list[str]:
    lines = [_action_line(action, color)]
    for name, value in action_facts(action, campaign.facts):
        lines.append(_DETAIL + _paint(f"{name}: {value}", color))
    width = max((len(c.field) for c in action.changes if is_assignment(c)), default=0)
    for change in action.changes:
        lines.extend(_DETAIL + line for line in _change(change, color, width))
    if action.blocked:
        guard = f" (guard {action.blocked.guard})" if action.blocked.guard else ""
        reason = one_line(f"BLOCKED{guard}: {action.blocked.reason}")
        lines.append(_DETAIL + _paint(reason, color, fg="red", bold=True))
        if action.blocked.hint:
            hint = one_line(f"hint: {action.blocked.hint}")
            lines.append(_DETAIL + _paint(hint, color, fg="cyan"))
    return lines


def _change(change: FieldChange, color: bool, width: int) -> list[str]:
    if is_assignment(change):
        first, *rest = assignment(change.field, change.new, width=width)
        plus = _paint("+", color, fg="green", bold=True)
        return [f"{plus} {_paint(first, color)}", *(f"  {_paint(line, color)}" for line in rest)]
    shown = value_diff(change)
    if shown.is_inline:
        old = _paint(shown.old, color, dim=shown.old_unset)
        return [f"{_paint(shown.field, color)}: {old} → {_paint(shown.new, color)}"]
    return [_diff_line(line, color) for line in shown.lines]


def _diff_line(line: str, color: bool) -> str:
    if line.startswith(("---", "+++")):
        return _paint(line, color, bold=True)
    if line.startswith("@@"):
        return _paint(line, color, fg="cyan")
    fg = {"-": "red", "+": "green"}.get(line[:1])
    return _paint(line, color, fg=fg)


def _summary(plan: Plan, color: bool) -> str:
    if not plan.has_changes:
        return _paint(NO_CHANGES, color, fg="green")
    line = f"Plan: {', '.join(summary_parts(plan))}."
    if not plan.blocked:
        return _paint(line, color, bold=True)
    guards = any(a.blocked and a.blocked.guard for c in plan.campaigns for a in c.actions)
    note = "Apply would refuse this plan until the blocked actions are resolved"
    note += " (--force lifts the guard blocks)." if guards else "."
    return f"{_paint(line, color, bold=True)}\n{_paint(note, color, fg='red')}"


def summary_parts(plan: Plan) -> list[str]:
    """``2 to create``, ``1 to launch (1 irreversible)``, ``0 blocked``, ``1 warning``."""
    parts = []
    for kind, n in plan.counts().items():
        extra = f" ({n:,} irreversible)" if ActionKind(kind).irreversible else ""
        parts.append(f"{n:,} to {kind}{extra}")
    blocked = sum(1 for c in plan.campaigns for a in c.actions if a.blocked)
    parts.append(f"{blocked:,} blocked")
    warnings = sum(len(c.warnings) for c in plan.campaigns)
    if warnings:
        parts.append(plural(warnings, "warning"))
    return parts
