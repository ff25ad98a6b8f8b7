"""Inbox's insight signals: lanes from the schedule, lists as pools, listed campaigns."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.engine.insight import add_insight
from reconciler.plan.values import CampaignRef, Plan
from reconciler.providers.base import LiveSummary
from reconciler.providers.inbox.insight import campaign_signals, listed_signals, schedule_hours
from reconciler.providers.inbox.planning import plan_inbox
from tests.providers.inbox.test_inbox_kit import CUSTOMERS, SAAS, load_doc
from tests.providers.inbox.test_inbox_planning import _directory

YAML = """\
kind: inbox/campaign
name: Founders
state: active
account_links: [founder_x]
{extra}rules:
  include_lists: [SaaS founders]
sequence:
  - message: "Hi {{{{first-name}}}}"
  - delay: 2d
  - message: "Still there?"
"""
REF = CampaignRef("dm", "inbox/campaign", "Founders")


def _plan(tmp_path: Path, extra: str) -> Plan:
    doc = load_doc(tmp_path, YAML.format(extra=extra))
    plan = plan_inbox(REF, doc, None, _directory())
    signals = campaign_signals(plan, doc, None, _directory())
    return add_insight(Plan((plan,)), [signals])


@pytest.mark.parametrize(
    ("schedule", "hours_days"),
    [
        ({"1": {"start": 540, "end": 1020}, "5": {"start": 540, "end": 720}}, (11.0, 2)),
        ({"0": {"start": 0, "end": 1440}}, (24.0, 1)),
        ({}, (0.0, 0)),
    ],
)
def test_schedule_hours(schedule: dict[str, dict[str, int]], hours_days: tuple[float, int]) -> None:
    assert schedule_hours(schedule) == hours_days


def test_a_schedule_with_a_two_day_week(tmp_path: Path) -> None:
    # 8/h × (8 h Monday + 3 h Friday) = 88 a week from one link, 44 per sending day:
    # 1,200 targets → 28 sending days → 98 days; the 2-day delay makes the sequence 100.
    schedule = 'schedule: {mon: "09:00-17:00", fri: "09:00-12:00"}\n'
    [campaign] = _plan(tmp_path, schedule).campaigns
    assert campaign.insight and campaign.insight.forecast
    f = campaign.insight.forecast
    assert (f.recipients, f.per_day, f.days_per_week) == (1200, 44, 2)
    assert (f.reach_days, f.finish_days) == (98, 100)


def test_defaults_and_messages_per_hour(tmp_path: Path) -> None:
    # Mon–Fri 09:00–17:00 by default: 40 h a week at 20/h = 800 a week, 160 per day;
    # 1,200 targets: 8 sending days → ceil(8 × 7 / 5) = 12 days.
    [campaign] = _plan(tmp_path, "messages_per_hour: 20\n").campaigns
    assert campaign.insight and campaign.insight.forecast
    assert (campaign.insight.forecast.per_day, campaign.insight.forecast.reach_days) == (160, 12)


def test_listed_active_campaign_syncing_the_same_list(tmp_path: Path) -> None:
    item = {
        "status": "active",
        "targetsCount": 1500,
        "rules": {"syncedLists": [{"listId": SAAS}, {"listId": CUSTOMERS}]},
    }
    listed = listed_signals("dm", LiveSummary("c9", "Other DMs", "active", item), _directory())
    assert listed is not None and listed.audience == 1500 and not listed.in_plan
    assert [p.key for p in listed.pools or ()] == [f"list:{SAAS}", f"list:{CUSTOMERS}"]
    assert listed_signals("dm", LiveSummary("c8", "Off", "paused", item), _directory()) is None

    doc = load_doc(tmp_path, YAML.format(extra=""))
    plan = plan_inbox(REF, doc, None, _directory())
    mine = campaign_signals(plan, doc, None, _directory())
    [campaign] = add_insight(Plan((plan,)), [mine, listed]).campaigns
    assert campaign.insight is not None
    [pair] = campaign.insight.overlap
    assert (pair.shared, pair.percent, pair.basis, pair.exact) == (
        1200,
        100.0,
        "list 'SaaS founders'",
        False,
    )
