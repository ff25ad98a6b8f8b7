"""Capacity forecast figures, pinned on hand-computed cases."""

from __future__ import annotations

import pytest

from reconciler.engine.forecast import calendar_days, fair_shares, forecast, lane_shares
from reconciler.plan.insight import Lane, LaneShare, Signals, Workload


@pytest.mark.parametrize(
    ("wanted", "capacity", "expected"),
    [
        ({"a": 20, "b": 20}, 50, {"a": 20, "b": 20}),  # fits: everyone gets what it asks
        ({"a": 50, "b": 20}, 50, {"a": 30, "b": 20}),  # b asks less than half: a gets the rest
        ({"a": 50, "b": 50}, 50, {"a": 25, "b": 25}),  # two null limits on one inbox
        ({"a": 40, "b": 40, "c": 5}, 50, {"a": 22.5, "b": 22.5, "c": 5}),
        ({"a": 80}, None, {"a": 80}),  # not shared
    ],
)
def test_fair_shares(
    wanted: dict[str, float], capacity: float | None, expected: dict[str, float]
) -> None:
    assert fair_shares(wanted, capacity) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sending", "per_week", "calendar"), [(0, 5, 0), (3, 5, 5), (5, 5, 7), (10, 5, 14), (28, 2, 98)]
)
def test_calendar_days(sending: int, per_week: int, calendar: int) -> None:
    assert calendar_days(sending, per_week) == calendar


def _share(allotted: float) -> LaneShare:
    return LaneShare("inbox a@x.example", allotted, allotted, allotted, 50.0, 1)


def test_two_inboxes_with_a_follow_up() -> None:
    # 100 leads × 2 steps = 200 emails at 2 × 20 = 40/day, Mon–Fri:
    # reach: ceil(100 / 40) = 3 sending days → ceil(3 × 7 / 5) = 5 days;
    # all 200: 5 sending days → 7 days; last lead reached on day 5 + 3 days wait = 8 days.
    work = Workload(100, 200, "emails", days_per_week=5, tail_days=3, bound_days=45)
    f = forecast(work, [_share(20), _share(20)])
    assert (f.per_day, f.reach_days, f.finish_days, f.exceeds_bound) == (40, 5, 8, False)


@pytest.mark.parametrize(("wait_days", "finish", "exceeds"), [(None, 14, False), (35, 49, True)])
def test_a_follow_up_pushes_the_sequence_past_45_days(
    wait_days: int | None, finish: int, exceeds: bool
) -> None:
    # 100 leads at 10/day, Mon–Fri: reached in 10 sending days = 14 days. A follow-up waiting
    # 35 days: 200 emails take 20 sending days (28 days), but the last lead's follow-up
    # is due on day 14 + 35 = 49 > 45.
    steps = 1 if wait_days is None else 2
    work = Workload(100, 100 * steps, "emails", 5, float(wait_days or 0), bound_days=45)
    f = forecast(work, [_share(10)])
    assert (f.reach_days, f.finish_days, f.exceeds_bound) == (14, finish, exceeds)


def test_a_two_day_week() -> None:
    # Inbox: 8/h, Mon 09–17 (8 h) and Fri 09–12 (3 h) = 11 h over 2 days = 44 per sending day;
    # 1,200 targets: ceil(1200 / 44) = 28 sending days → 28 × 7 / 2 = 98 days.
    work = Workload(1200, 1200, "DMs", days_per_week=2)
    f = forecast(work, [LaneShare("@founder_x", 44, 44, 44, None, 1)])
    assert (f.per_day, f.reach_days, f.finish_days) == (44, 98, 98)


def test_a_one_off_send_has_no_pace() -> None:
    f = forecast(Workload(1200, 1200, "emails", starts_at="2030-12-01T09:00:00Z"), [])
    assert (f.per_day, f.reach_days, f.finish_days) == (None, None, None)
    assert f.starts_at == "2030-12-01T09:00:00Z"


def test_no_capacity_is_no_date() -> None:
    f = forecast(Workload(10, 10, "emails", days_per_week=5), [])
    assert (f.per_day, f.reach_days, f.finish_days) == (0, None, None)


def _running(name: str, *lanes: Lane) -> Signals:
    return Signals("cold", "coldsend/campaign", name, None, "ACTIVE", True, lanes=lanes)


def test_shared_inbox_demand_across_campaigns() -> None:
    alex = "inbox:alex"
    a = _running("A", Lane(alex, "inbox alex", 50, 50), Lane("inbox:sam", "inbox sam", 50, 50))
    b = _running("B", Lane(alex, "inbox alex", 20, 50))
    shares = lane_shares([a, b])
    a_alex, a_sam = shares[a.key]
    assert (a_alex.allotted, a_alex.demand, a_alex.campaigns, a_alex.oversubscribed) == (
        30,
        70,
        2,
        True,
    )
    assert (a_sam.allotted, a_sam.oversubscribed) == (50, False)
    [b_alex] = shares[b.key]
    assert b_alex.allotted == 20
