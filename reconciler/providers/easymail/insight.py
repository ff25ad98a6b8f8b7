"""easymail's part of the plan-time insight, from what the plan already read.

- **Audience**: the list and the segment a campaign sends to, each known by its
  ``contacts_count``. Two campaigns that go out within 72 hours of each other (scheduled, or
  sent: at ``scheduled_at``, else when the vendor last updated them) to the same list or
  segment are expected to reach those contacts twice. The list endpoint shows a campaign's
  status and time but not its audience: a live campaign no document names that goes out
  within the window takes one call to compare, which the plan says instead of making it.
- **Forecast** of a schedule or send: the recipients (list + segment ``contacts_count``) and
  when the send starts; a newsletter goes out at once, so it has no pace and no duration.
- **Compliance**: the contract (shared/api/easymail.md) defines no unsubscribe merge tag or
  link for a body, so there is nothing to check a body against: not linted.
"""

from __future__ import annotations

from reconciler.config.loader import CampaignDoc
from reconciler.plan.insight import Pool, Signals, Workload
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers.base import LiveCampaign, LiveSummary
from reconciler.providers.easymail.directory import Directory, Table
from reconciler.providers.easymail.lifecycle import GONE_OUT
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.easymail.payloads import Schedule
from reconciler.providers.easymail.views import audience_view
from reconciler.providers.instants import utc_instant
from reconciler.providers.signals import first_step, listed, planned, steps_taken

KIND = "easymail/campaign"
WINDOW_HOURS = 72
_STARTS = (ActionKind.SCHEDULE, ActionKind.SEND)
_HALTS = {ActionKind.UNSCHEDULE, ActionKind.CANCEL}


def campaign_signals(
    plan: CampaignPlan,
    doc: CampaignDoc | None,
    live: LiveCampaign | None,
    directory: Directory,
    now: str,
) -> Signals:
    desired = audience_view(doc.campaign_as(EasymailCampaign)) if doc else {}
    live_view = live.view if live else {}
    start = first_step(plan.actions, _STARTS)
    at, state, running = _when(start, live, now)
    audience = plan.facts.audience_size
    workload = None
    if start is not None:
        reach = audience or 0
        workload = Workload(recipients=reach, messages=reach, unit="emails", starts_at=at)
    halted = steps_taken(plan.actions) & _HALTS
    tables = (("audience.list", directory.lists), ("audience.segment", directory.segments))
    pools = [_pool(t, desired[k] if k in desired else live_view.get(k)) for k, t in tables]
    return planned(
        plan,
        state=state,
        running=running and not halted,
        launching=start is not None,
        audience=audience,
        pools=tuple(p for p in pools if p is not None),
        at=at,
        window_hours=WINDOW_HOURS,
        workload=workload,
    )


def listed_signals(account: str, summary: LiveSummary) -> Signals | None:
    """A live campaign no document names: it matters when scheduled or gone out."""
    if summary.status not in ("scheduled", *GONE_OUT):
        return None
    at = utc_instant(summary.listed.get("scheduled_at") or summary.listed.get("updated_at"))
    return listed(
        summary,
        account,
        KIND,
        state=f"{summary.status} {at}" if at else summary.status,
        at=at,
        window_hours=WINDOW_HOURS,
        unread_calls=1,
    )


def _when(
    start: Action | None, live: LiveCampaign | None, now: str
) -> tuple[str | None, str, bool]:
    """When it goes out, how to say so, and whether it goes (or went) out at all."""
    if start is not None and start.kind is ActionKind.SEND:
        return now or None, "sent now in this plan", True
    if start is not None:
        at = start.payload_as(Schedule).scheduled_at
        return at, f"scheduled for {at} in this plan", True
    if live is None:
        return None, "new", False
    at = live.view.get("scheduled_at")
    if live.status == "scheduled":
        return at, f"scheduled for {at}", True
    if live.status in GONE_OUT:
        at = at or utc_instant(live.raw.get("updated_at"))
        return at, f"{live.status} {at}" if at else live.status, True
    return None, live.status, False


def _pool(table: Table, name: str | None) -> Pool | None:
    found = table.named(name) if name is not None else []
    if len(found) != 1:
        return None
    item = found[0]
    return Pool(f"{table.label}:{item.uuid}", f"{table.label} {item.name!r}", item.contacts)
