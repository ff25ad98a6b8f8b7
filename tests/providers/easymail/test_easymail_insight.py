"""easymail's insight signals: when a send goes out, its list and segment, the 72 h window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reconciler.engine.insight import add_insight
from reconciler.plan.insight import Signals
from reconciler.plan.values import CampaignPlan, CampaignRef, Plan
from reconciler.providers.base import LiveCampaign, LiveSummary
from reconciler.providers.easymail.insight import campaign_signals, listed_signals
from reconciler.providers.easymail.planning import plan_easymail
from tests.providers.easymail.test_easymail_planning import (
    CUSTOMERS,
    NOW,
    READY,
    SEGMENT,
    directory,
    live,
    load_doc,
)

REF = CampaignRef("news", "easymail/campaign", "News")


def _signals(
    tmp_path: Path, body: str, current: LiveCampaign | None = None
) -> tuple[CampaignPlan, Signals]:
    doc = load_doc(tmp_path, body)
    p = plan_easymail(REF, doc, current, directory(), NOW)
    return p, campaign_signals(p, doc, current, directory(), NOW)


def test_a_schedule_goes_out_at_its_time_to_its_list(tmp_path: Path) -> None:
    body = READY + "state: scheduled\nscheduled_at: 2030-01-05T09:00:00Z\n"
    plan, signals = _signals(tmp_path, body)
    assert signals.launching and signals.running
    assert (signals.at, signals.window_hours) == ("2030-01-05T09:00:00Z", 72)
    assert [p.key for p in signals.pools] == [f"list:{CUSTOMERS}"]
    [campaign] = add_insight(Plan((plan,)), [signals]).campaigns
    assert campaign.insight and campaign.insight.forecast
    f = campaign.insight.forecast
    assert (f.recipients, f.starts_at, f.per_day, f.finish_days) == (
        1200,
        "2030-01-05T09:00:00Z",
        None,
        None,
    )


def test_a_send_goes_out_now_to_list_and_segment(tmp_path: Path) -> None:
    body = READY.replace("{list: Customers}", "{list: Customers, segment: Active last 30 days}")
    _, signals = _signals(tmp_path, body + "state: sent\n")
    assert (signals.at, signals.state, signals.audience) == (NOW, "sent now in this plan", 2000)
    assert [p.key for p in signals.pools] == [f"list:{CUSTOMERS}", f"segment:{SEGMENT}"]


@pytest.mark.parametrize(
    ("status", "fields", "running", "at"),
    [
        ("scheduled", {"scheduled_at": "2030-01-03T09:00:00Z"}, True, "2030-01-03T09:00:00Z"),
        ("sent", {}, True, "2029-12-01T00:00:00Z"),  # no scheduled_at: when it last moved
        ("draft", {}, False, None),
    ],
)
def test_live_campaigns_that_went_or_go_out(
    tmp_path: Path, status: str, fields: dict[str, str], running: bool, at: str | None
) -> None:
    _, signals = _signals(tmp_path, READY, live(status, **fields))
    assert (signals.running, signals.at, signals.launching) == (running, at, False)


@pytest.mark.parametrize(
    ("other_at", "overlaps"), [("2030-01-08T09:00:00Z", True), ("2030-01-08T09:00:01Z", False)]
)
def test_overlap_only_within_72_hours(tmp_path: Path, other_at: str, overlaps: bool) -> None:
    body = READY + "state: scheduled\nscheduled_at: 2030-01-05T09:00:00Z\n"
    plan, mine = _signals(tmp_path, body)
    other_live = live("scheduled", scheduled_at=other_at)
    other_plan = plan_easymail(
        CampaignRef("news", "easymail/campaign", "Other"), None, other_live, directory(), NOW
    )
    other = campaign_signals(other_plan, None, other_live, directory(), NOW)
    other = replace(other, name="Other", live_id="c2")
    campaign = add_insight(Plan((plan,)), [mine, other]).campaigns[0]
    assert campaign.insight is not None
    assert bool(campaign.insight.overlap) is overlaps


def test_listed_campaigns_in_the_window_need_one_call_each() -> None:
    item = {"scheduled_at": "2030-01-03T09:00:00Z"}
    listed = listed_signals("news", LiveSummary("c9", "Old", "scheduled", item))
    assert listed is not None and listed.unread_calls == 1 and not listed.audience_known
    assert listed.at == "2030-01-03T09:00:00Z"
    assert listed_signals("news", LiveSummary("c8", "Draft", "draft", item)) is None
