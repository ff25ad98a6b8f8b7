"""The applier: each campaign's steps in run order, campaigns concurrently within the
parallelism, and one campaign's failure isolated to that campaign (no HTTP)."""

from __future__ import annotations

import asyncio

import pytest

from reconciler.engine.applier import CampaignOutcome, apply_plan
from reconciler.engine.errors import Refused
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan
from tests.support.memory_provider import KIND, MemoryProvider


def _campaign(name: str, *kinds: ActionKind, live_id: str | None = "c0") -> CampaignPlan:
    plan = CampaignPlan(CampaignRef("acct", KIND, name), f"{name}.yaml:1:1", live_id, None, None)
    return plan.with_actions(tuple(Action(kind) for kind in kinds))


def _apply(
    provider: MemoryProvider, plan: Plan, *, parallelism: int = 8
) -> tuple[list[CampaignOutcome], list[str]]:
    finished: list[str] = []
    outcomes = asyncio.run(
        apply_plan(
            plan,
            {"acct": provider},
            parallelism=parallelism,
            finished=lambda o: finished.append(o.plan.ref.name),
        )
    )
    return outcomes, finished


def test_a_campaigns_steps_run_in_kind_order() -> None:
    shuffled = (ActionKind.LAUNCH, ActionKind.UPLOAD_LEADS, ActionKind.CREATE, ActionKind.UPDATE)
    provider = MemoryProvider()
    (outcome,), _ = _apply(provider, Plan((_campaign("A", *shuffled, live_id=None),)))
    ranked = sorted(shuffled, key=lambda k: k.rank)
    assert ranked == [
        ActionKind.CREATE,
        ActionKind.UPDATE,
        ActionKind.UPLOAD_LEADS,
        ActionKind.LAUNCH,
    ]
    assert provider.executed == [("A", kind) for kind in ranked]
    assert outcome.done == [kind.value for kind in ranked]
    assert outcome.ok and outcome.skipped == []


@pytest.mark.parametrize("parallelism", [1, 2, 3])
def test_campaigns_run_concurrently_bounded_by_parallelism(parallelism: int) -> None:
    provider = MemoryProvider(delay=0.02)
    plan = Plan(tuple(_campaign(f"C{i}", ActionKind.UPDATE) for i in range(6)))
    outcomes, finished = _apply(provider, plan, parallelism=parallelism)
    assert provider.max_in_flight == parallelism
    assert sorted(finished) == [f"C{i}" for i in range(6)]
    assert [o.plan.ref.name for o in outcomes] == [f"C{i}" for i in range(6)]  # plan order


def test_one_campaigns_failure_skips_its_later_steps_but_not_the_others() -> None:
    provider = MemoryProvider(fail={("B", ActionKind.UPLOAD_LEADS): "422 leads rejected"})
    steps = (ActionKind.UPDATE, ActionKind.UPLOAD_LEADS, ActionKind.LAUNCH)
    plan = Plan(tuple(_campaign(name, *steps) for name in ("A", "B", "C")))
    outcomes, finished = _apply(provider, plan, parallelism=1)
    a, b, c = outcomes
    assert a.ok and c.ok
    assert a.done == c.done == ["update", "upload-leads", "launch"]
    assert not b.ok
    assert b.done == ["update"]
    assert b.failed == "upload-leads"
    assert b.error == "422 leads rejected"
    assert b.skipped == ["launch"]
    assert ("B", ActionKind.LAUNCH) not in provider.executed
    assert ("C", ActionKind.LAUNCH) in provider.executed  # ran after B failed (parallelism 1)
    assert finished == ["A", "B", "C"]


def test_a_failing_first_step_skips_everything_after_it() -> None:
    provider = MemoryProvider(fail={("A", ActionKind.CREATE): "500 boom"})
    plan = Plan((_campaign("A", ActionKind.CREATE, ActionKind.LAUNCH, live_id=None),))
    (outcome,), _ = _apply(provider, plan)
    assert outcome.done == [] and outcome.failed == "create"
    assert outcome.skipped == ["launch"]
    assert outcome.live_id is None


def test_outcomes_report_the_created_id_and_the_notes() -> None:
    provider = MemoryProvider()
    plan = Plan(
        (
            _campaign("New", ActionKind.CREATE, ActionKind.LAUNCH, live_id=None),
            _campaign("Old", ActionKind.UPDATE, live_id="c7"),
        )
    )
    new, old = _apply(provider, plan)[0]
    assert new.live_id == "m-100"
    assert new.notes == ["create New", "launch New"]
    assert old.live_id == "c7"
    assert old.notes == ["update Old"]


def test_campaigns_without_changes_are_not_run() -> None:
    provider = MemoryProvider()
    plan = Plan((_campaign("Same"), _campaign("Changed", ActionKind.UPDATE)))
    outcomes, finished = _apply(provider, plan)
    assert [o.plan.ref.name for o in outcomes] == ["Changed"]
    assert provider.executed == [("Changed", ActionKind.UPDATE)]
    assert finished == ["Changed"]


def test_each_step_is_reported_as_it_is_done() -> None:
    provider = MemoryProvider(fail={("A", ActionKind.LAUNCH): "409 not ready"})
    plan = Plan((_campaign("A", ActionKind.UPDATE, ActionKind.LAUNCH),))
    steps: list[tuple[str, str]] = []
    asyncio.run(
        apply_plan(
            plan, {"acct": provider}, progress=lambda o, s: steps.append((o.plan.ref.name, s))
        )
    )
    assert steps == [("A", "update")]  # the failed launch is not a done step


def test_a_plan_holding_a_blocked_action_is_refused_whole() -> None:
    provider = MemoryProvider()
    blocked = _campaign("B", ActionKind.UPDATE).with_actions(
        (Action(ActionKind.LAUNCH).block("missing unsubscribe link"),)
    )
    plan = Plan((_campaign("A", ActionKind.UPDATE), blocked))
    with pytest.raises(Refused) as refused:
        _apply(provider, plan)
    assert refused.value.message == "the plan has blocked actions: nothing was applied"
    assert provider.executed == []
