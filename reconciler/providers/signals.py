"""What every vendor's insight module shares: the identity part of ``Signals`` and which
lifecycle steps a plan will really take (an action a vendor rule blocks never runs)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers.base import LiveSummary


def planned(
    plan: CampaignPlan, *, state: str, running: bool, launching: bool, **figures: Any
) -> Signals:
    """Signals of a campaign of the plan; ``figures`` are the vendor's (audience, lanes, …)."""
    ref = plan.ref  # identity first, positionally: account, kind, name, live id
    figures.update(state=state, running=running, launching=launching)
    return Signals(ref.account, ref.kind, ref.name, plan.live_id, **figures)


def listed(summary: LiveSummary, account: str, kind: str, **figures: Any) -> Signals:
    """Signals of a running live campaign the plan lists but does not read."""
    figures = {"state": summary.status, "running": True, "in_plan": False, **figures}
    return Signals(account, kind, summary.name, summary.id, **figures)


def first_step(actions: Iterable[Action], kinds: Collection[ActionKind]) -> Action | None:
    """The first action of ``kinds`` that will run (not blocked by a vendor rule)."""
    return next((a for a in actions if a.kind in kinds and a.blocked is None), None)


def steps_taken(actions: Iterable[Action]) -> set[ActionKind]:
    return {a.kind for a in actions if a.blocked is None}
