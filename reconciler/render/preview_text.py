"""The preview for a terminal: each campaign, its facts, each recipient's messages in a box,
then what holds across the whole audience.

Message text is campaign content and lead data, so it is untrusted: every line passes through
``clean`` (no escape sequence reaches the terminal), and a message longer than
``MAX_MESSAGE_CHARS`` is cut with a note (the JSON and HTML outputs keep it whole).
"""

from __future__ import annotations

import click

from reconciler.plan.preview import BranchShare, CampaignPreview, Message, Preview, Recipient
from reconciler.render.diffs import clean, one_line

MAX_MESSAGE_CHARS = 4_000
MAX_FIELD_CHARS = 60


def render_preview_text(preview: Preview, *, color: bool) -> str:
    """Every campaign of the preview, separated by a blank line."""
    return "\n\n".join(_campaign(c, color) for c in preview.campaigns)


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and how many more there are."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def share_text(share: BranchShare) -> str:
    """``5 of 5 leads reach it: {% if company %} 4 (80%), no branch 1 (20%)``."""
    parts = [
        f"{one_line(b.label)} {b.count:,} ({_percent(b.count, share.reached)})"
        for b in share.branches
    ]
    return f"{share.reached:,} of {share.total:,} leads reach it: " + ", ".join(parts)


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "–"


def _campaign(c: CampaignPreview, color: bool) -> str:
    title = f"━━ {one_line(c.name)}"
    head = click.style(title, bold=True) if color else title
    lines = [head, f"   {one_line(c.account)} · {c.kind} · {clean(c.source)}"]
    lines += [f"   {key}: {one_line(value)}" for key, value in c.facts]
    lines += [f"   note: {one_line(note)}" for note in c.notes]
    if c.timeline:
        lines += ["", "   sequence:"]
        lines += [f"     {i}. {one_line(step)}" for i, step in enumerate(c.timeline, 1)]
    for recipient in c.recipients:
        lines += ["", *_recipient(recipient, color)]
    if c.findings or c.branches:
        lines += ["", "   across the whole audience:"]
    for finding in c.findings:
        label = click.style("warning", fg="yellow", bold=True) if color else "warning"
        lines.append(f"     {clean(finding.location)}: {label}: {one_line(finding.message)}")
        if finding.hint:
            lines.append(f"       hint: {one_line(finding.hint)}")
    for share in c.branches:
        lines.append(f"     {clean(share.location)}: {one_line(share.block)}: {share_text(share)}")
    return "\n".join(lines)


def _recipient(r: Recipient, color: bool) -> list[str]:
    title = f"── {one_line(r.label)}"
    lines = [f"   {click.style(title, bold=True) if color else title}"]
    if r.fields:
        fields = [f"{one_line(k)}: {cut(one_line(v), MAX_FIELD_CHARS)}" for k, v in r.fields]
        lines.append("      " + " · ".join(fields))
    for message in r.messages:
        lines += ["", *_message(message)]
    return lines


def _message(m: Message) -> list[str]:
    lines = [f"      ┌ {one_line(m.title)}"]
    if m.subject is not None:
        lines.append(f"      │ Subject: {one_line(m.subject)}")
    lines += [f"      │ {one_line(k)}: {one_line(v)}" for k, v in m.headers]
    if m.headers or m.subject is not None:
        lines.append("      │")
    body = cut(m.body, MAX_MESSAGE_CHARS)
    lines += [f"      │ {clean(line)}".rstrip() for line in body.split("\n")]
    lines.append("      └")
    return lines
