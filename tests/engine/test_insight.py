"""Plan-time insight across campaigns: overlap pairs, windows, notes, attachment to the plan."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.engine.insight import add_insight, campaign_insight
from reconciler.engine.overlap import mask, pair, within_window
from reconciler.plan.insight import Lane, Pool, Signals, Workload
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan


def _signals(name: str, **kw: object) -> Signals:
    base = Signals("cold", "coldsend/campaign", name, None, "launches in this plan", True)
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("email", "masked"),
    [("ada@example.com", "a***@example.com"), ("x@y.io", "x***@y.io"), ("odd", "o***")],
)
def test_mask(email: str, masked: str) -> None:
    assert mask(email) == masked


def test_member_overlap_counts_shares_and_masks() -> None:
    me = _signals("A", members=frozenset({"ada@x.com", "bob@x.com", "cy@x.com", "dan@x.com"}))
    other = _signals("B", members=frozenset({"bob@x.com", "dan@x.com", "eve@x.com"}))
    found = pair(me, other)
    assert found is not None
    assert (found.shared, found.percent, found.exact) == (2, 50.0, True)
    assert found.examples == ("b***@x.com", "d***@x.com")
    assert pair(me, _signals("C", members=frozenset({"zed@x.com"}))) is None


def test_pool_overlap_is_expected_and_capped_by_the_audience() -> None:
    saas, customers = Pool("list:1", "list 'SaaS'", 1200), Pool("list:2", "list 'Cust'", 300)
    me = _signals("A", audience=1000, pools=(saas, customers))
    found = pair(me, _signals("B", pools=(saas,)))
    assert found is not None
    assert (found.shared, found.percent, found.exact, found.basis) == (
        1000,
        100.0,
        False,
        "list 'SaaS'",
    )


@pytest.mark.parametrize(
    ("other_at", "inside"),
    [("2030-12-04T08:00:00Z", True), ("2030-12-04T10:00:00Z", False), (None, True)],
)
def test_time_window(other_at: str | None, inside: bool) -> None:
    me = _signals("A", at="2030-12-01T09:00:00Z", window_hours=72)
    assert within_window(me, _signals("B", at=other_at)) is inside


def test_insight_of_a_launch_with_unread_live_campaigns() -> None:
    lane = Lane("inbox:1", "inbox alex@x", 20, 50)
    me = _signals(
        "A",
        members=frozenset({"ada@x.com"}),
        audience=1,
        lanes=(lane,),
        launching=True,
        workload=Workload(1, 1, "emails", 5),
    )
    unread = _signals("Live", state="ACTIVE", in_plan=False, lanes_known=False, unread_calls=3)
    insight, warnings = campaign_insight(me, [me, unread], [])
    assert insight.not_computed == (
        'overlap and shared sending capacity with 1 live campaign not in the YAML ("Live") '
        "needs 3 more calls: not computed",
    )
    assert warnings == [
        "forecast: no sending capacity known for these emails: nothing would go out"
    ]


def test_no_overlap_for_a_campaign_that_does_not_launch() -> None:
    a = _signals("A", members=frozenset({"ada@x.com"}), state="ACTIVE")
    b = _signals("B", members=frozenset({"ada@x.com"}), launching=True)
    insight_a, warnings_a = campaign_insight(a, [a, b], [])
    insight_b, warnings_b = campaign_insight(b, [a, b], [])
    assert insight_a.overlap == () and warnings_a == []
    assert insight_b.overlap_shared == 1 and insight_b.overlap_percent == 100.0
    assert warnings_b == [
        'audience overlap: shares 1 of its 1 recipients (100%) with coldsend/campaign "A" '
        "(ACTIVE): a***@x.com"
    ]


def test_many_overlaps_name_the_largest_three_and_sum_up_the_rest() -> None:
    """A launch among many running campaigns of one audience gets a readable warning list;
    the plan's data (JSON) keeps every pair."""
    me = _signals("Me", members=frozenset(f"l{i}@x.com" for i in range(100)), launching=True)
    running = [
        _signals(f"R{n}", state="ACTIVE", members=frozenset(f"l{i}@x.com" for i in range(n)))
        for n in (5, 40, 10, 30, 20)
    ]
    insight, warnings = campaign_insight(me, [me, *running], [])
    assert len(insight.overlap) == 5
    assert [w.split('"')[1] for w in warnings[:3]] == ["R40", "R30", "R20"]  # the plan's order
    assert warnings[3] == (
        "audience overlap with 2 more running campaigns; with all 5, 40 of its 100 recipients "
        "(40%) are shared (the JSON plan lists each)"
    )
    assert len(warnings) == 4


def test_add_insight_attaches_to_the_plan_and_only_counts_running_campaigns() -> None:
    ref = CampaignRef("cold", "coldsend/campaign", "A")
    plan = Plan((CampaignPlan(ref, "a.yaml:1:1", None, None, None, (Action(ActionKind.LAUNCH),)),))
    a = _signals("A", members=frozenset({"ada@x.com", "bob@x.com"}), launching=True)
    stopped = _signals("B", members=frozenset({"ada@x.com"}), running=False, state="PAUSED")
    other_account = replace(_signals("C", members=frozenset({"bob@x.com"})), account="cold2")
    [campaign] = add_insight(plan, [a, stopped, other_account]).campaigns
    assert campaign.insight is not None
    assert campaign.insight.overlap == () and campaign.warnings == ()
