"""The insight guards: off unless set, at and around their thresholds, naming the numbers."""

from __future__ import annotations

import pytest

from reconciler.config.models import Guards
from reconciler.engine.guards import apply_guards
from reconciler.plan.insight import Forecast, Insight, Overlap
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan


def _overlap(shared: int, percent: float) -> Insight:
    pair = Overlap("coldsend/campaign", "Other", "id2", "ACTIVE", shared, percent, "leads", True)
    return Insight(audience=100, overlap=(pair,), overlap_shared=shared, overlap_percent=percent)


def _plan(insight: Insight, kind: ActionKind = ActionKind.LAUNCH) -> Plan:
    ref = CampaignRef("cold", "coldsend/campaign", "Launch me")
    action = Action(kind)
    return Plan((CampaignPlan(ref, "a.yaml:1:1", "id1", "DRAFT", "f", (action,), insight=insight),))


def _blocked(plan: Plan) -> tuple[str | None, str]:
    blocked = plan.campaigns[0].actions[0].blocked
    return (blocked.guard, blocked.reason) if blocked else (None, "")


@pytest.mark.parametrize(("percent", "blocked"), [(19.9, False), (20.0, False), (20.1, True)])
def test_max_lead_overlap_percent(percent: float, blocked: bool) -> None:
    plan = apply_guards(_plan(_overlap(20, percent)), Guards(max_lead_overlap_percent=20), {})
    guard, reason = _blocked(plan)
    assert (guard == "max_lead_overlap_percent") is blocked
    if blocked:
        assert reason == (
            f"launch shares 20 of 100 recipients ({percent}% > 20%) with running campaigns: "
            '"Other" (20)'
        )


@pytest.mark.parametrize(("finish", "blocked"), [(44, False), (45, False), (46, True)])
def test_max_days_to_complete(finish: int, blocked: bool) -> None:
    f = Forecast(100, 200, "emails", per_day=10, days_per_week=5, finish_days=finish)
    plan = apply_guards(_plan(Insight(forecast=f)), Guards(max_days_to_complete=45), {})
    guard, reason = _blocked(plan)
    assert (guard == "max_days_to_complete") is blocked
    if blocked:
        assert reason == (
            f"launch would take ~{finish} days to complete (limit 45): "
            "200 emails at 10 per sending day, 5 days a week"
        )


@pytest.mark.parametrize(
    ("unsubscribe", "required", "blocked"),
    [(False, True, True), (True, True, False), (None, True, False), (False, False, False)],
)
def test_require_unsubscribe(unsubscribe: bool | None, required: bool, blocked: bool) -> None:
    insight = Insight(audience=100, unsubscribe=unsubscribe)
    plan = apply_guards(_plan(insight), Guards(require_unsubscribe=required), {})
    guard, reason = _blocked(plan)
    assert (guard == "require_unsubscribe") is blocked
    if blocked:
        assert "100 recipients without an unsubscribe link" in reason


def test_only_launch_kinds_are_guarded_and_unset_guards_block_nothing() -> None:
    strict = Guards(max_lead_overlap_percent=0, max_days_to_complete=1, require_unsubscribe=True)
    insight = Insight(audience=100, overlap_percent=90.0, unsubscribe=False)
    assert not apply_guards(_plan(insight, ActionKind.UPDATE), strict, {}).blocked
    assert not apply_guards(_plan(insight), Guards(), {}).blocked
    assert apply_guards(_plan(insight, ActionKind.RESUME), strict, {}).blocked
