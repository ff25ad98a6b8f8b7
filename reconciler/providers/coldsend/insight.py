"""ColdSend's part of the plan-time insight, from what the plan already read.

- **Audience**: the lead emails, lower-cased: the live leads the plan fetched (it does for a
  document with a leads CSV) plus the CSV's. A campaign whose live leads were not fetched is
  unknown: reading them takes one call per 1,000 leads.
- **Lanes**: one per assigned inbox. A campaign asks each inbox for its
  ``daily_limit_per_inbox`` per sending day, or the inbox's own ``daily_limit`` (from
  ``/sender-accounts``) when that is null; the inbox carries its ``daily_limit`` across every
  active campaign using it.
- **Workload** of a launch or resume: leads × (1 + follow-ups), every follow-up counted (the
  vendor completes a campaign when every lead has received every step); a resume counts what
  is left after ``sent_count``. ``sending_days`` give the days per week, the follow-ups'
  ``wait_days`` the tail, and 45 days is the bound (the most a sequence may wait in all).
- **Compliance**: see ``compliance``.

A live ACTIVE campaign no document names is listed, not read: its leads and inboxes would
take ``1 + ceil(total_leads / 1000)`` calls, which the plan says instead of making them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.plan.insight import Finding, Lane, Signals, Workload
from reconciler.plan.values import ActionKind, CampaignPlan
from reconciler.providers.base import LiveCampaign, LiveSummary
from reconciler.providers.coldsend import compliance
from reconciler.providers.coldsend.checks import MAX_TOTAL_WAIT_DAYS, ColdSendPrepared
from reconciler.providers.coldsend.leads import LEADS_PAGE
from reconciler.providers.coldsend.model import ColdSendCampaign
from reconciler.providers.coldsend.views import desired_view
from reconciler.providers.signals import first_step, listed, planned, steps_taken

KIND = "coldsend/campaign"
DEFAULT_DAYS = (1, 2, 3, 4, 5)  # the vendor's default sending_days
_STARTS = {ActionKind.LAUNCH: "launches", ActionKind.RESUME: "resumes"}
_STOPS = {ActionKind.PAUSE, ActionKind.DELETE}


class _Settings:
    """A setting as it will be after apply: the YAML's when it sets it, else live's."""

    def __init__(self, desired: Mapping[str, Any], live: LiveCampaign | None) -> None:
        self.desired = desired
        self.live = live.view if live else {}

    def get(self, key: str, default: Any = None) -> Any:
        value = self.desired[key] if key in self.desired else self.live.get(key)
        return default if value is None else value


def campaign_signals(
    plan: CampaignPlan,
    doc: CampaignDoc | None,
    live: LiveCampaign | None,
    inboxes: Mapping[str, tuple[str, int | None]],
) -> Signals:
    """``inboxes``: sender email (lower-case) → (inbox id, its ``daily_limit``)."""
    campaign = doc.campaign_as(ColdSendCampaign) if doc else None
    settings = _Settings(desired_view(campaign) if campaign else {}, live)
    step = first_step(plan.actions, _STARTS)
    start = step.kind if step else None
    active = live is not None and live.status == "ACTIVE" and not steps_taken(plan.actions) & _STOPS
    running = start is not None or active
    audience = plan.facts.audience_size
    members, calls = _members(doc, live) if running else (None, 0)
    lanes, unknown = _lanes(settings, inboxes) if running else ((), [])
    unsubscribe = bool(settings.get("enable_unsubscribe", True))
    workload, findings = None, []
    if start is not None:
        workload = _workload(settings, start, live, audience or 0)
        findings = unknown + _findings(settings, start, unsubscribe, audience or 0)
    return planned(
        plan,
        state=f"{_STARTS[start]} in this plan" if start else (live.status if live else "new"),
        running=running,
        launching=start is not None,
        audience=audience,
        members=members,
        lanes=lanes,
        workload=workload,
        unread_calls=calls,
        unsubscribe=unsubscribe,
        findings=tuple(findings),
    )


def listed_signals(account: str, summary: LiveSummary) -> Signals | None:
    """A live campaign no document names: only an ACTIVE one can overlap or share inboxes."""
    if summary.status != "ACTIVE":
        return None
    total = int(summary.listed.get("total_leads") or 0)
    return listed(
        summary,
        account,
        KIND,
        audience=total,
        members=frozenset() if total == 0 else None,
        lanes_known=False,
        unread_calls=1 + math.ceil(total / LEADS_PAGE),
    )


def _members(
    doc: CampaignDoc | None, live: LiveCampaign | None
) -> tuple[frozenset[str] | None, int]:
    """The lead emails after apply, or None and the calls it takes to read the live ones."""
    live_total = int(live.view.get("_total_leads") or 0) if live else 0
    live_emails = live.extra.get("lead_emails") if live else None
    if live_total and live_emails is None:
        return None, math.ceil(live_total / LEADS_PAGE)
    emails = set(live_emails or ())
    csv = doc.prepared_as(ColdSendPrepared).leads if doc else None
    if csv is not None:
        emails.update(e.lower() for e in csv.emails)
    return frozenset(emails), 0


def _lanes(
    settings: _Settings, inboxes: Mapping[str, tuple[str, int | None]]
) -> tuple[tuple[Lane, ...], list[Finding]]:
    per_inbox = settings.get("daily_limit_per_inbox")
    lanes, findings = [], []
    for email in settings.get("inboxes", []):
        inbox_id, limit = inboxes.get(email, (email, None))
        wanted = per_inbox if per_inbox is not None else limit
        if wanted is None:
            note = f"inbox {email} has no daily_limit: its capacity is not counted"
            findings.append(Finding("note", "capacity-unknown", note))
            continue
        capacity = float(limit) if limit is not None else None
        lanes.append(Lane(f"inbox:{inbox_id}", f"inbox {email}", float(wanted), capacity))
    return tuple(lanes), findings


def _workload(
    settings: _Settings, start: ActionKind, live: LiveCampaign | None, leads: int
) -> Workload:
    follow_ups = settings.get("sequences", [])
    messages = leads * (1 + len(follow_ups))
    if start is ActionKind.RESUME and live is not None:
        sent = int(live.raw.get("sent_count") or 0)
        leads, messages = max(0, leads - sent), max(0, messages - sent)
    return Workload(
        recipients=leads,
        messages=messages,
        unit="emails",
        days_per_week=len(settings.get("sending_days") or DEFAULT_DAYS),
        tail_days=float(sum(int(s.get("wait_days") or 0) for s in follow_ups)),
        bound_days=MAX_TOTAL_WAIT_DAYS,
        starts_at=settings.get("start_date"),
    )


def _findings(
    settings: _Settings, start: ActionKind, unsubscribe: bool, leads: int
) -> list[Finding]:
    out = []
    if not unsubscribe:
        message = compliance.no_unsubscribe(start.value, leads)
        out.append(Finding("warning", "unsubscribe-disabled", message))
    note = compliance.mass_mail(leads, settings.get("variants", []))
    if note:
        out.append(Finding("note", "mass-mail", note))
    return out
