"""The preview in Markdown: for ``camp preview --format markdown``, and as the "Previews" part of
a pull-request plan comment (``with_plan_previews``).

Message text is untrusted: it sits in a backtick fence longer than any backtick run inside it,
and names and findings go through ``md_text``, so no body can close a ``<details>`` or open a
table. In a plan comment the previews come after the plan and are cut first when GitHub's
65,536 characters would be exceeded: samples (from the last), then the findings, each time with
a note.
"""

from __future__ import annotations

import html

from reconciler.plan.preview import CampaignPreview, Message, PlanPreview, Preview, Recipient
from reconciler.render.diffs import clean, fence_for, one_line, plural
from reconciler.render.plan_markdown import GITHUB_LIMIT, md_text
from reconciler.render.preview_text import MAX_MESSAGE_CHARS, cut, share_text

HEADING = "### camp preview"
PLAN_HEADING = "### Previews"
WARNING = "⚠️"
_LOCAL = "run `camp preview` locally to see them"


def render_preview_markdown(preview: Preview) -> str:
    parts = [HEADING, f"_Sent at {md_text(preview.at)}._"]
    for c in preview.campaigns:
        parts += [_title(c), _facts(c), *(_recipient(r) for r in c.recipients), _audience(c)]
    return _join(*parts)


def with_plan_previews(
    plan_markdown: str, previews: list[PlanPreview], *, limit: int = GITHUB_LIMIT
) -> str:
    """The plan comment followed by one sample per previewed campaign, within ``limit``."""
    if not previews:
        return plan_markdown
    heads = [_plan_head(p) for p in previews]
    samples = [_sample(p.preview) for p in previews]
    full = _join(plan_markdown, PLAN_HEADING, *_interleave(heads, samples))
    if len(full) <= limit:
        return full
    note = f"_Samples cut to fit GitHub's limit; {_LOCAL}._"
    budget = limit - len(plan_markdown) - len(PLAN_HEADING) - len(note) - 8
    budget -= sum(len(h) + 2 for h in heads)
    if budget < 0:
        cut_note = f"_{plural(len(previews), 'preview')} left out to fit GitHub's limit; {_LOCAL}._"
        out = _join(plan_markdown, cut_note)
        return out if len(out) <= limit else plan_markdown
    kept = [s if (budget := budget - len(s) - 2) >= 0 else "" for s in samples]
    return _join(plan_markdown, PLAN_HEADING, *_interleave(heads, kept), note)


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _interleave(heads: list[str], samples: list[str]) -> list[str]:
    return [part for pair in zip(heads, samples, strict=True) for part in pair]


def _title(c: CampaignPreview) -> str:
    where = f"{md_text(c.account)} · {md_text(c.kind)} · {md_text(c.source)}"
    return f"#### {md_text(c.name)}\n\n{where}"


def _facts(c: CampaignPreview) -> str:
    lines = [f"- **{md_text(key)}:** {md_text(value)}" for key, value in c.facts]
    lines += [f"- _note:_ {md_text(note)}" for note in c.notes]
    if c.timeline:
        steps = " → ".join(md_text(step) for step in c.timeline)
        lines.append(f"- **sequence:** {steps}")
    return "\n".join(lines)


def _recipient(r: Recipient) -> str:
    summary = html.escape(f"{one_line(r.label)} — {plural(len(r.messages), 'message')}")
    parts = [f"<details><summary>{summary}</summary>"]
    if r.fields:
        parts.append(" · ".join(f"{md_text(k)}: {md_text(v)}" for k, v in r.fields))
    parts += [_message(m) for m in r.messages]
    return _join(*parts, "</details>")


def _message(m: Message) -> str:
    lines = [f"**{md_text(m.title)}**"]
    if m.subject is not None:
        lines.append(f"Subject: **{md_text(m.subject)}**")
    lines += [f"{md_text(k)}: {md_text(v)}" for k, v in m.headers]
    head = "  \n".join(lines)
    body = [clean(line) for line in cut(m.body, MAX_MESSAGE_CHARS).split("\n")]
    fence = fence_for(body)
    return f"{head}\n\n{fence}text\n" + "\n".join(body) + f"\n{fence}"


def _audience(c: CampaignPreview) -> str:
    lines = [f"- {WARNING} {md_text(f.location)}: {md_text(f.message)}" for f in c.findings]
    lines += [
        f"- {md_text(s.location)}: {md_text(s.block)}: {md_text(share_text(s))}" for s in c.branches
    ]
    return _join("**Across the whole audience**", "\n".join(lines)) if lines else ""


def _plan_head(p: PlanPreview) -> str:
    c = p.preview
    title = (
        f"**{md_text(c.name)}** ({md_text(c.account)}, {md_text(c.kind)}): {', '.join(p.reasons)}"
    )
    return _join(title, _audience(c))


def _sample(c: CampaignPreview) -> str:
    if not c.recipients:
        return ""
    recipient = c.recipients[0]
    return _recipient(recipient).replace("<summary>", "<summary>Sample: ", 1)
