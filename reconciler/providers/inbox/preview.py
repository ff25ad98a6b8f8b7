"""``camp preview`` for Inbox: each message step with its variations, for sample variable
values (``--var first-name=Ada``; by default the fallbacks), and the sequence as a timeline
within the schedule's sending windows. Offline: the compiled wire steps come from the checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.config.context import DocContext
from reconciler.config.loader import CampaignDoc
from reconciler.config.references import display_path
from reconciler.plan.preview import CampaignPreview, Finding, Message, PreviewOptions, Recipient
from reconciler.providers.inbox.checks import InboxPrepared
from reconciler.providers.inbox.model import InboxCampaign
from reconciler.providers.inbox.rendering import (
    DEFAULT_TIMEZONE,
    MAX_COMBINATIONS,
    message_texts,
    sending_windows,
    timeline,
    variables_of,
)

Step = Mapping[str, Any]


def preview_inbox(doc: CampaignDoc, options: PreviewOptions) -> CampaignPreview:
    """The campaign's messages for the sample values, its timeline and its findings."""
    campaign = doc.campaign_as(InboxCampaign)
    prepared = doc.prepared_as(InboxPrepared)
    steps: Sequence[Step] = prepared.sequence or []
    used = _variables(steps)
    values = {name: options.variables[name] for name in used if name in options.variables}
    messages = [
        m for number, step in _messages(steps) for m in _texts(number, step, values, options)
    ]
    fields = tuple((name, _shown(name, fallback, values)) for name, fallback in used.items())
    label = "sample values (--var)" if values else "sample values: the fallbacks"
    notes = [] if prepared.sequence is not None else ["the YAML sets no sequence"]
    return CampaignPreview(
        account=doc.account,
        kind=doc.kind,
        name=campaign.name,
        source=str(doc.location),
        facts=_facts(campaign, prepared),
        recipients=(Recipient(label, fields, tuple(messages)),) if steps else (),
        timeline=tuple(timeline(steps)),
        findings=tuple(_findings(doc, steps)),
        notes=tuple(notes),
        variables=frozenset(used),
    )


def _messages(steps: Sequence[Step]) -> list[tuple[int, Step]]:
    """(message number, step) for each message step."""
    found = [step for step in steps if step.get("type") == "message"]
    return list(enumerate(found, start=1))


def _segments(step: Step) -> list[Mapping[str, Any]]:
    return list((step.get("data") or {}).get("segments") or [])


def _variables(steps: Sequence[Step]) -> dict[str, list[str]]:
    """Every variable of the sequence → its fallbacks (one per message that reads it)."""
    used: dict[str, list[str]] = {}
    for _, step in _messages(steps):
        for name, fallback in variables_of(_segments(step)):
            used.setdefault(name, []).append(fallback)
    return used


def _texts(
    number: int, step: Step, values: Mapping[str, str], options: PreviewOptions
) -> list[Message]:
    texts, total = message_texts(_segments(step), values, inline=options.spin_all)
    if len(texts) == 1:
        return [Message(f"Message {number}", texts[0])]
    shown = f"variation {{}} of {total}" + (
        f" (first {MAX_COMBINATIONS} shown)" if total > len(texts) else ""
    )
    return [
        Message(f"Message {number} · {shown.format(i)}", text) for i, text in enumerate(texts, 1)
    ]


def _shown(name: str, fallbacks: list[str], values: Mapping[str, str]) -> str:
    if name in values:
        return f"{values[name]} (--var)"
    shown = " / ".join(dict.fromkeys(f or "(empty: no fallback)" for f in fallbacks))
    return f"{shown} (fallback{'s' if ' / ' in shown else ''})"


def _facts(campaign: InboxCampaign, prepared: InboxPrepared) -> tuple[tuple[str, str], ...]:
    timezone = campaign.timezone or DEFAULT_TIMEZONE
    windows = sending_windows(prepared.schedule)
    if prepared.schedule is None:
        windows += " (the vendor's default)"
    rules = campaign.rules
    facts = [
        ("accounts", ", ".join(campaign.account_links or []) or "(not set)"),
        ("sending windows", f"{windows} ({timezone})"),
        ("pace", f"{campaign.messages_per_hour or 8} messages per hour"),
    ]
    if rules is not None and rules.include_lists:
        excluded = ", ".join(rules.exclude_lists or []) or "none"
        facts.append(("leads", f"lists {', '.join(rules.include_lists)}; excluded: {excluded}"))
    return tuple(facts)


def _findings(doc: CampaignDoc, steps: Sequence[Step]) -> list[Finding]:
    """A variable without fallback: a lead without that value gets nothing in its place."""
    ctx = DocContext(doc.data, doc.yaml_path, doc.yaml_path.parent, display_path(doc.yaml_path))
    found = []
    for index, step in enumerate(steps):
        for name, fallback in variables_of(_segments(step)):
            if not fallback:
                where = ctx.at("sequence", index)
                message = (
                    f"sequence.{index}: `{{{{{name}}}}}` has no fallback: "
                    "a lead without it gets nothing there"
                )
                found.append(Finding(str(where), message, f"write {{{{{name}|…}}}}"))
    return found
