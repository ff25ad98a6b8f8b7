"""Inbox's part of the plan-time insight, from what the plan already read.

- **Audience**: the lead lists a campaign syncs (``include_lists``), each known by its
  ``leadsCount``: two active campaigns syncing one list are expected to share that list's
  leads (an upper bound: exclusions only remove some). The list endpoint returns whole
  campaign objects, so live campaigns no document names are compared too, at no extra call.
- **Workload** of an enable (launch or resume): the audience (``targetsCount``, or the sum of
  the synced lists' ``leadsCount`` for new lists) is contacted at ``messages_per_hour`` (default
  8) during the schedule's hours (default Mon–Fri 09:00–17:00) from every account link: one lane
  per link, asking ``messages_per_hour × hours per week ÷ days per week`` per sending day. A
  resume counts the targets not contacted yet. The sequence's delays are the tail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.plan.insight import Lane, Pool, Signals, Workload
from reconciler.plan.values import ActionKind, CampaignPlan
from reconciler.providers.base import LiveCampaign, LiveSummary
from reconciler.providers.inbox.checks import InboxPrepared
from reconciler.providers.inbox.directory import Directory, first_of
from reconciler.providers.inbox.model import InboxCampaign
from reconciler.providers.inbox.views import SEQUENCE, desired_view
from reconciler.providers.signals import first_step, listed, planned, steps_taken

KIND = "inbox/campaign"
DEFAULT_MESSAGES_PER_HOUR = 8
DEFAULT_SCHEDULE = {str(day): {"start": 540, "end": 1020} for day in range(1, 6)}
_STARTS = {ActionKind.LAUNCH: "launches", ActionKind.RESUME: "resumes"}
_STOPS = {ActionKind.PAUSE, ActionKind.DELETE}
_DAY = 86_400
Setting = Callable[[str, Any], Any]  # a setting after apply: the YAML's, else live's


def campaign_signals(
    plan: CampaignPlan,
    doc: CampaignDoc | None,
    live: LiveCampaign | None,
    directory: Directory,
) -> Signals:
    campaign = doc.campaign_as(InboxCampaign) if doc else None
    desired: dict[str, Any] = {}
    if campaign is not None and doc is not None:
        desired = desired_view(campaign, doc.prepared_as(InboxPrepared), directory)
    live_view = live.view if live else {}

    def setting(key: str, default: Any) -> Any:
        value = desired[key] if key in desired else live_view.get(key)
        return default if value is None else value

    step = first_step(plan.actions, _STARTS)
    start = step.kind if step else None
    active = live is not None and live.status == "active" and not steps_taken(plan.actions) & _STOPS
    facts = plan.facts
    audience = facts.targets_count if facts.audience_size is None else facts.audience_size
    workload: Workload | None = None
    lanes: tuple[Lane, ...] = ()
    if start is not None:
        lanes = _lanes(setting, directory)
        workload = _workload(setting, start, live, audience or 0)
    return planned(
        plan,
        state=f"{_STARTS[start]} in this plan" if start else (live.status if live else "new"),
        running=start is not None or active,
        launching=start is not None,
        audience=audience,
        pools=_pools(setting("rules.include_lists", []), directory),
        lanes=lanes,
        workload=workload,
    )


def listed_signals(account: str, summary: LiveSummary, directory: Directory) -> Signals | None:
    """A live campaign no document names, from its list item (a whole campaign object)."""
    if summary.status != "active":
        return None
    rules = summary.listed.get("rules") or {}
    synced = rules.get("syncedLists") or [{"listId": i} for i in rules.get("syncedListIds") or []]
    ids = [str(first_of(item, "listId", "id")) for item in synced]
    targets = first_of(summary.listed, "targetsCount", "targetCount", default=None)
    return listed(
        summary,
        account,
        KIND,
        audience=targets if isinstance(targets, int) else None,
        pools=tuple(_pool(i, directory) for i in ids),
    )


def _pool(list_id: str, directory: Directory) -> Pool:
    name = directory.list_names.get(list_id, list_id)
    return Pool(f"list:{list_id}", f"list {name!r}", directory.list_counts.get(list_id, 0))


def _pools(names: Iterable[str], directory: Directory) -> tuple[Pool, ...]:
    ids = [directory.list_id(name) for name in names]
    return tuple(_pool(i, directory) for i in ids if i is not None)


def schedule_hours(schedule: Mapping[str, Mapping[str, Any]]) -> tuple[float, int]:
    """Hours per week and sending days per week of a wire schedule."""
    spans = [(int(w.get("end") or 0) - int(w.get("start") or 0)) / 60 for w in schedule.values()]
    spans = [s for s in spans if s > 0]
    return sum(spans), len(spans)


def _lanes(setting: Setting, directory: Directory) -> tuple[Lane, ...]:
    per_hour = setting("messages_per_hour", DEFAULT_MESSAGES_PER_HOUR)
    hours, days = schedule_hours(setting("schedule", DEFAULT_SCHEDULE))
    per_day = per_hour * hours / days if days else 0.0
    return tuple(
        Lane(f"link:{directory.link_id(name) or name}", f"@{name}", per_day)
        for name in setting("account_links", [])
    )


def _workload(
    setting: Setting, start: ActionKind, live: LiveCampaign | None, targets: int
) -> Workload:
    if start is ActionKind.RESUME and live is not None:
        targets = max(0, targets - int(live.extra.get("contacted_count") or 0))
    _, days = schedule_hours(setting("schedule", DEFAULT_SCHEDULE))
    delays = sum(
        int((step.get("data") or {}).get("delaySeconds") or 0)
        for step in setting(SEQUENCE, [])
        if step.get("type") == "delay"
    )
    return Workload(
        recipients=targets,
        messages=targets,
        unit="DMs",
        days_per_week=days or 7,  # an empty schedule sends nothing: its lanes carry 0
        tail_days=delays / _DAY,
    )
