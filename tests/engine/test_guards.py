"""Guards at and around their thresholds; --force is tested end to end."""

from __future__ import annotations

import pytest

from reconciler.config.models import Guards
from reconciler.engine.guards import apply_guards
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan, PlanFacts


def _campaign(
    i: int, kind: ActionKind, *, live: bool = True, audience: int | None = None
) -> CampaignPlan:
    return CampaignPlan(
        ref=CampaignRef("cold", "coldsend/campaign", f"campaign {i:03d}"),
        source=f"c{i}.yaml:1:1",
        live_id=f"id{i}" if live else None,
        live_status="DRAFT" if live else None,
        fingerprint="f" if live else None,
        actions=(Action(kind),),
        facts=PlanFacts(audience_size=audience),
    )


def _updates(n: int) -> Plan:
    return Plan(tuple(_campaign(i, ActionKind.UPDATE) for i in range(n)))


@pytest.mark.parametrize(("changed", "blocked"), [(2, False), (3, False), (4, True)])
def test_max_change_percent_at_and_around_threshold(changed: int, blocked: bool) -> None:
    guards = Guards(max_change_percent=30, min_existing=10)
    plan = apply_guards(_updates(changed), guards, {"cold": 10})
    assert plan.blocked is blocked
    if blocked:
        reason = plan.campaigns[0].actions[0].blocked
        assert reason is not None and reason.guard == "max_change_percent"
        assert "4 of 10 live campaigns" in reason.reason


@pytest.mark.parametrize(("live", "blocked"), [(9, False), (10, True)])
def test_min_existing_turns_the_percentage_guard_on(live: int, blocked: bool) -> None:
    guards = Guards(max_change_percent=30, min_existing=10)
    assert apply_guards(_updates(5), guards, {"cold": live}).blocked is blocked


def test_creates_do_not_count_as_changes() -> None:
    plan = Plan(tuple(_campaign(i, ActionKind.CREATE, live=False) for i in range(10)))
    guards = Guards(max_change_percent=10, min_existing=0)
    assert not apply_guards(plan, guards, {"cold": 10}).blocked


@pytest.mark.parametrize(("audience", "blocked"), [(999, False), (1000, False), (1001, True)])
def test_max_recipients_per_launch(audience: int, blocked: bool) -> None:
    plan = Plan((_campaign(1, ActionKind.LAUNCH, audience=audience),))
    guarded = apply_guards(plan, Guards(max_recipients_per_launch=1000), {"cold": 1})
    assert guarded.blocked is blocked


def test_unset_guards_block_nothing() -> None:
    plan = Plan((_campaign(1, ActionKind.LAUNCH, audience=10**6), *_updates(5).campaigns))
    assert not apply_guards(plan, Guards(), {"cold": 5}).blocked
