"""The plan as a GitHub pull-request comment: summary and table first, then details per campaign.

Campaign names, bodies and vendor messages are untrusted, so the comment is built to survive
them: table cells and prose are escaped (pipes, Markdown punctuation, ``<``/``>``/``&``), HTML
summaries are HTML-escaped, and each diff sits in a backtick fence longer than any backtick
run inside it. GitHub rejects comments over 65,536 characters; the comment stays
``COMMENT_MARGIN`` under that, room for the marker line a workflow puts in front of it
(``<!-- camp-plan -->`` in examples/github/camp-plan.yml). When the plan is longer, whole
``<details>`` blocks are dropped from the end (then table rows), never cut in the middle, and a
note says how much is shown. The totals line always covers the whole plan, and the heading says
which commit was planned and when, so a stale comment shows as stale.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from reconciler.plan.values import Action, CampaignPlan, FieldChange, Plan
from reconciler.render.diffs import (
    action_facts,
    action_title,
    assignment,
    clean,
    fence_for,
    is_assignment,
    one_line,
    plural,
    value_diff,
)
from reconciler.render.insight import forecast_cell, insight_lines
from reconciler.render.plan_text import NO_CHANGES
from reconciler.render.scope import scope_sentence

GITHUB_LIMIT = 65_536
COMMENT_MARGIN = 1_024  # for the workflow's marker line (and a little more)
_SHA = re.compile(r"[0-9a-f]{7,64}")
HEADING = "### camp plan"
BLOCKED = "⛔"
IRREVERSIBLE = "⚠️"
TABLE_HEAD = (
    "| campaign | account | kind | actions | status | forecast |",
    "| --- | --- | --- | --- | --- | --- |",
)
_MD_SPECIAL = "\\`*_[]|~#!"
_LOCAL = "run `camp plan` locally for the full plan"


def render_markdown(
    plan: Plan,
    *,
    limit: int = GITHUB_LIMIT - COMMENT_MARGIN,
    commit: str | None = None,
    made_at: datetime | None = None,
) -> str:
    """The comment body, never longer than ``limit`` characters; ``commit`` (a SHA) and
    ``made_at`` go under the heading."""
    shown = [c for c in plan.campaigns if c.actions or c.warnings]
    rows = [_row(c) for c in shown]
    details = [_details(c) for c in shown]
    head = _head(plan)
    provenance = _provenance(commit, made_at)
    if provenance:
        head = head.replace(HEADING, f"{HEADING}\n\n{provenance}", 1)
    return _fit(head, rows, details, limit)


def _provenance(commit: str | None, made_at: datetime | None) -> str:
    """``Planned from commit 1a2b3c… at 2026-03-01 09:00 UTC``: which tree, and when."""
    parts = []
    if commit:
        sha = commit.strip().lower()
        parts.append(f"from commit {sha}" if _SHA.fullmatch(sha) else f"from {md_text(commit)}")
    if made_at is not None:
        parts.append(f"at {made_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
    return f"<sub>Planned {' '.join(parts)}</sub>" if parts else ""


def md_prose(text: str) -> str:
    """Like ``md_text``, but `backtick spans` (hints name YAML keys so) render as code."""
    parts = one_line(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick stays literal text
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return "".join(
        f"<code>{_escaped(part)}</code>" if i % 2 and part else _escaped(part)
        for i, part in enumerate(parts)
    )


def md_text(text: str) -> str:
    """Inline Markdown that renders as the literal text and cannot open HTML or a table cell."""
    return _escaped(one_line(text))


def _escaped(text: str) -> str:
    out = text
    for ch in _MD_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _head(plan: Plan) -> str:
    heading = HEADING
    if plan.scope is not None:
        heading += f"\n\n> {md_text(scope_sentence(plan.scope))}"
    if not plan.has_changes:
        return f"{heading}\n\n{NO_CHANGES}"
    totals = " · ".join(f"**{n:,} to {kind}**" for kind, n in plan.counts().items())
    flags = []
    irreversible = sum(1 for c in plan.campaigns for a in c.actions if a.irreversible)
    blocked = sum(1 for c in plan.campaigns for a in c.actions if a.blocked)
    if irreversible:
        flags.append(f"{IRREVERSIBLE} {plural(irreversible, 'irreversible action')}")
    if blocked:
        flags.append(f"{BLOCKED} {plural(blocked, 'blocked action')}: apply will refuse this plan")
    lines = [heading, "", totals]
    if flags:
        lines += ["", " · ".join(flags)]
    return "\n".join(lines)


def _status(campaign: CampaignPlan) -> str:
    marks = []
    if campaign.blocked:
        marks.append(f"{BLOCKED} blocked")
    if any(a.irreversible for a in campaign.actions):
        marks.append(f"{IRREVERSIBLE} irreversible")
    if not marks:
        marks.append("ready" if campaign.actions else "no change")
    if campaign.warnings:
        marks.append(plural(len(campaign.warnings), "warning"))
    return ", ".join(marks)


def _actions(campaign: CampaignPlan) -> str:
    return ", ".join(a.kind.value for a in campaign.actions) or "—"


def _row(campaign: CampaignPlan) -> str:
    ref = campaign.ref
    cells = [md_text(ref.name), md_text(ref.account), md_text(ref.kind), _actions(campaign)]
    forecast = md_text(forecast_cell(campaign.insight))
    return f"| {' | '.join(cells)} | {_status(campaign)} | {forecast} |"


def _summary(campaign: CampaignPlan) -> str:
    ref = campaign.ref
    mark = BLOCKED if campaign.blocked else ""
    if not mark and any(a.irreversible for a in campaign.actions):
        mark = IRREVERSIBLE
    name = html.escape(one_line(ref.name))
    where = html.escape(f"{one_line(ref.account)}, {one_line(ref.kind)}")
    actions = _actions(campaign) if campaign.actions else "no change"
    text = f"<code>{name}</code> — {actions} ({where})"
    return f"<summary>{mark + ' ' if mark else ''}{text}</summary>"


def _origin(campaign: CampaignPlan) -> str:
    parts = [f"source: {md_text(campaign.source or 'no YAML (pruned)')}"]
    parts.append(f"live id: {md_text(campaign.live_id or 'new')}")
    if campaign.live_status:
        parts.append(f"status: {md_text(campaign.live_status)}")
    return " · ".join(parts)


def _details(campaign: CampaignPlan) -> str:
    opening = "<details open>" if campaign.blocked else "<details>"  # what needs a decision
    parts = [f"{opening}{_summary(campaign)}", _origin(campaign)]
    body = [line for action in campaign.actions for line in _diff_lines(action, campaign)]
    if body:
        parts.append(_fenced(body))
    notes = [n for action in campaign.actions for n in _blocked_notes(action)]
    notes += [f"- **{label}:** {md_prose(text)}" for label, text in insight_lines(campaign.insight)]
    notes += [f"- **warning:** {md_prose(w)}" for w in campaign.warnings]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join([*parts, "</details>"])


def _fenced(lines: list[str]) -> str:
    body = [clean(line) for line in lines]
    fence = fence_for(body)
    return "\n".join([f"{fence}diff", *body, fence])


def _diff_lines(action: Action, campaign: CampaignPlan) -> list[str]:
    lines = [f"# {action_title(action)}"]
    lines += [f"#   {name}: {value}" for name, value in action_facts(action, campaign.facts)]
    width = max((len(c.field) for c in action.changes if is_assignment(c)), default=0)
    for change in action.changes:
        lines.extend(_change_lines(change, width))
    return lines


def _change_lines(change: FieldChange, width: int) -> list[str]:
    if is_assignment(change):  # every line green in the diff fence, the block indented
        first, *rest = assignment(change.field, change.new, width=width)
        return [f"+ {first}", *(f"+ {line}".rstrip() for line in rest)]
    shown = value_diff(change)
    if not shown.is_inline:
        return list(shown.lines)
    lines = [] if shown.old_unset else [f"- {shown.field}: {shown.old}"]
    return lines + ([] if shown.new_unset else [f"+ {shown.field}: {shown.new}"])


def _blocked_notes(action: Action) -> list[str]:
    if not action.blocked:
        return []
    guard = f" (guard {md_text(action.blocked.guard)})" if action.blocked.guard else ""
    line = f"- {BLOCKED} **{action.kind.value} blocked**{guard}: {md_prose(action.blocked.reason)}"
    if action.blocked.hint:
        line += f"<br>hint: {md_prose(action.blocked.hint)}"
    return [line]


def _table(rows: list[str]) -> str:
    return "\n".join([*TABLE_HEAD, *rows])


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _fit(head: str, rows: list[str], details: list[str], limit: int) -> str:
    """Everything if it fits; else whole details dropped from the end; else table rows too."""
    table = _table(rows) if rows else ""
    full = _join(head, table, *details)
    if len(full) <= limit:
        return full
    total = len(details)
    reserve = len(head) + len(table) + len(_details_note(total, total)) + 8
    kept = _take(details, limit - reserve)
    out = _join(head, table, *details[:kept], _details_note(kept, total))
    if len(out) <= limit:
        return out
    reserve = len(head) + len(_rows_note(len(rows), len(rows))) + len("\n".join(TABLE_HEAD)) + 8
    kept = _take(rows, limit - reserve, sep=1)
    out = _join(head, _table(rows[:kept]), _rows_note(kept, len(rows)))
    return out if len(out) <= limit else _join(head)[:limit]


def _take(blocks: list[str], budget: int, *, sep: int = 2) -> int:
    """How many leading blocks fit in ``budget`` characters, each followed by a separator."""
    kept = 0
    for block in blocks:
        budget -= len(block) + sep
        if budget < 0:
            break
        kept += 1
    return kept


def _details_note(shown: int, total: int) -> str:
    return (
        f"_Output truncated: {shown:,} of {plural(total, 'campaign')} shown in detail; {_LOCAL}._"
    )


def _rows_note(shown: int, total: int) -> str:
    return (
        f"_Output truncated: {shown:,} of {plural(total, 'campaign')} listed in the table, "
        f"none shown in detail; {_LOCAL}._"
    )
