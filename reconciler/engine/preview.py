"""``camp preview`` and the samples of a Markdown plan: campaigns rendered offline by their
vendor's preview hook (``Vendor.preview``), reached through the registry only.

The hooks render what they are given; checking the options against the campaigns is done here,
once, across all of them: a ``--lead`` that no campaign's CSV holds, or a ``--var`` that no
message reads, is an ``EngineError`` (exit 1), with a did-you-mean when one is close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

from reconciler.config.loader import CampaignDoc, Workspace
from reconciler.engine.facade import EngineError
from reconciler.plan.preview import CampaignPreview, PlanPreview, Preview, PreviewOptions
from reconciler.plan.values import ActionKind, CampaignPlan, Plan
from reconciler.providers.registry import vendor_for_kind


def preview_workspace(ws: Workspace, options: PreviewOptions) -> Preview:
    """Every campaign of the workspace, rendered; raises ``EngineError`` for a bad option."""
    campaigns = tuple(preview_campaign(doc, options) for doc in ws.campaigns)
    _check_leads(campaigns, options.leads)
    _check_variables(campaigns, options.variables)
    return Preview(at=options.at.isoformat(timespec="seconds"), campaigns=campaigns)


def preview_campaign(doc: CampaignDoc, options: PreviewOptions) -> CampaignPreview:
    """One campaign through its vendor's hook (a vendor without one says so)."""
    hook = vendor_for_kind(doc.kind).preview
    if hook is None:
        note = f"camp cannot preview {doc.kind} campaigns"
        return CampaignPreview(
            doc.account, doc.kind, doc.campaign.name, str(doc.location), notes=(note,)
        )
    return hook.renderer()(doc, options)


def plan_previews(ws: Workspace, plan: Plan, options: PreviewOptions) -> list[PlanPreview]:
    """One sample for each planned campaign whose content changes or whose plan reaches its
    audience (launch, resume, send, schedule: ``KindMeaning.reaches_audience``)."""
    docs = {str(doc.location): doc for doc in ws.campaigns}
    found = []
    for campaign in plan.campaigns:
        doc = docs.get(campaign.source or "")
        reasons = _reasons(campaign, doc)
        if doc is None or not reasons:
            continue
        preview = preview_campaign(doc, replace(options, sample=1, leads=()))
        found.append(PlanPreview(reasons, replace(preview, recipients=preview.recipients[:1])))
    return found


def _reasons(campaign: CampaignPlan, doc: CampaignDoc | None) -> tuple[str, ...]:
    hook = vendor_for_kind(doc.kind).preview if doc is not None else None
    if hook is None:
        return ()
    reasons = []
    kinds = {action.kind for action in campaign.actions}
    changed = {_root(c.field) for action in campaign.actions for c in action.changes}
    if ActionKind.CREATE in kinds or changed & hook.content_fields:
        reasons.append("content changes")
    reasons += [
        kind.value for kind in ActionKind if kind in kinds and kind.meaning.reaches_audience
    ]
    return tuple(reasons)


def _root(field: str) -> str:
    """``variants[1].subject_template`` → ``variants``."""
    return field.split(".")[0].split("[")[0]


def _check_leads(campaigns: Iterable[CampaignPreview], wanted: Iterable[str]) -> None:
    found = set().union(*(c.leads_found for c in campaigns))
    for email in wanted:
        if email.lower() not in found:
            raise EngineError(
                f"--lead {email}: no campaign in scope has this email in its leads CSV"
            )


def _check_variables(campaigns: Iterable[CampaignPreview], given: Iterable[str]) -> None:
    known = sorted(set().union(*(c.variables for c in campaigns)))
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            suggestion = f" (did you mean {close[0]}?)" if close else ""
            reads = f"they read: {', '.join(known)}" if known else "they read no --var variable"
            raise EngineError(
                f"--var {name}: no message in scope reads this variable{suggestion}; {reads}"
            )
