"""Guards on the plan-time insight (camp.yaml ``guards``), off unless set, lifted by --force.

- ``max_lead_overlap_percent``: a launch (launch, resume, schedule, send) sharing more than this
  share of its recipients with campaigns that are or will be sending is blocked;
- ``max_days_to_complete``: a launch whose forecast needs more calendar days than this to
  finish its sequence is blocked (a one-off send has no duration and is never blocked);
- ``require_unsubscribe: true``: a launch whose recipients get no unsubscribe link is blocked.

Each returns ``(guard, reason)`` with the numbers that tripped it (``guards`` makes it a hit).
"""

from __future__ import annotations

from reconciler.config.models import Guards
from reconciler.plan.insight import Insight, number
from reconciler.plan.values import Action

Hit = tuple[str, str]


def insight_hit(insight: Insight | None, action: Action, guards: Guards) -> Hit | None:
    """The first insight guard ``action`` (a launch kind) trips, if any."""
    if insight is None:
        return None
    verb = action.kind.value
    return (
        _overlap(insight, verb, guards.max_lead_overlap_percent)
        or _days(insight, verb, guards.max_days_to_complete)
        or _unsubscribe(insight, verb, guards.require_unsubscribe)
    )


def _overlap(insight: Insight, verb: str, limit: float | None) -> Hit | None:
    if limit is None or insight.overlap_percent <= limit:
        return None
    pairs = sorted(insight.overlap, key=lambda o: -o.shared)
    with_whom = ", ".join(f'"{o.name}" ({number(o.shared)})' for o in pairs[:3])
    more = f" and {len(pairs) - 3} more" if len(pairs) > 3 else ""
    whole = number(insight.audience or 0)
    return (
        "max_lead_overlap_percent",
        f"{verb} shares {number(insight.overlap_shared)} of {whole} recipients "
        f"({number(insight.overlap_percent)}% > {limit:g}%) with running campaigns: "
        f"{with_whom}{more}",
    )


def _days(insight: Insight, verb: str, limit: int | None) -> Hit | None:
    f = insight.forecast
    if limit is None or f is None or f.finish_days is None or f.finish_days <= limit:
        return None
    return (
        "max_days_to_complete",
        f"{verb} would take ~{f.finish_days} days to complete (limit {limit}): "
        f"{number(f.messages)} {f.unit} at {number(f.per_day or 0)} per sending day, "
        f"{f.days_per_week} days a week",
    )


def _unsubscribe(insight: Insight, verb: str, required: bool) -> Hit | None:
    if not required or insight.unsubscribe is not False:
        return None
    return (
        "require_unsubscribe",
        f"{verb} would send to {number(insight.audience or 0)} recipients without an "
        "unsubscribe link (enable_unsubscribe: false)",
    )
