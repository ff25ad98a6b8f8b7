"""The insight in every format: one text line, a Markdown column, a JSON object, a saved plan."""

from __future__ import annotations

import json

import pytest

from reconciler.plan.insight import Finding, Forecast, Insight, LaneShare, Overlap
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan
from reconciler.render.insight import forecast_cell, forecast_text
from reconciler.render.plan_json import render_json
from reconciler.render.plan_markdown import render_markdown
from reconciler.render.plan_text import render_text

PACED = Forecast(
    recipients=100,
    messages=200,
    unit="emails",
    per_day=40.0,
    days_per_week=5,
    reach_days=5,
    finish_days=8,
    bound_days=45,
    lanes=(
        LaneShare("inbox alex@x", 20, 20, 70, 50, 2),
        LaneShare("inbox sam@x", 20, 20, 20, 50, 1),
    ),
)
LATE = Forecast(100, 240, "emails", 10.0, 5, 17, 47, 45)
ONE_OFF = Forecast(1200, 1200, "emails", starts_at="2030-12-01T09:00:00Z")
INSIGHT = Insight(
    audience=100,
    overlap=(Overlap("coldsend/campaign", "Other", "id2", "ACTIVE", 40, 40.0, "leads", True),),
    overlap_shared=40,
    overlap_percent=40.0,
    forecast=PACED,
    unsubscribe=True,
    findings=(Finding("note", "mass-mail", "first email variant A has no {{variable}} at all"),),
    not_computed=("overlap with 1 live campaign not in the YAML needs 2 more calls: not computed",),
)


@pytest.mark.parametrize(
    ("forecast", "text", "cell"),
    [
        (
            PACED,
            "200 emails to 100 recipients at 40 per sending day, 5 days a week → all reached in "
            "~5 days, sequence done in ~8 days",
            "~8 days",
        ),
        (
            LATE,
            "240 emails to 100 recipients at 10 per sending day, 5 days a week → all reached in "
            "~17 days, sequence done in ~47 days (over the 45-day bound)",
            "~47 days ⚠️",
        ),
        (
            ONE_OFF,
            "1,200 emails to 1,200 recipients, sent at 2030-12-01T09:00:00Z",
            "2030-12-01T09:00:00Z",
        ),
        (
            Forecast(10, 10, "DMs", 0.0, 5),
            "10 DMs to 10 recipients: no sending capacity",
            "no capacity",
        ),
    ],
)
def test_forecast_line_and_cell(forecast: Forecast, text: str, cell: str) -> None:
    assert forecast_text(forecast) == text
    assert forecast_cell(Insight(forecast=forecast)) == cell


def _plan(insight: Insight | None) -> Plan:
    ref = CampaignRef("cold", "coldsend/campaign", "Launch me")
    action = Action(ActionKind.LAUNCH, summary="start sending")
    return Plan((CampaignPlan(ref, "a.yaml:1:1", "id1", "DRAFT", "f", (action,), insight=insight),))


def test_text_shows_one_forecast_line_and_the_notes() -> None:
    text = render_text(_plan(INSIGHT), color=False)
    assert "\n  forecast: 200 emails to 100 recipients at 40 per sending day" in text
    assert "\n  note: first email variant A has no {{variable}} at all" in text
    assert "\n  note: overlap with 1 live campaign not in the YAML needs 2 more calls" in text


def test_markdown_has_a_forecast_column_and_lines_in_details() -> None:
    md = render_markdown(_plan(INSIGHT))
    assert "| launch | ⚠️ irreversible | \\~8 days |" in md
    assert "- **forecast:** 200 emails to 100 recipients" in md


def test_json_insight_is_structured_and_always_present() -> None:
    [entry] = json.loads(render_json(_plan(INSIGHT)))["campaigns"]
    insight = entry["insight"]
    assert list(insight) == [
        "audience",
        "overlap",
        "forecast",
        "unsubscribe",
        "compliance",
        "not_computed",
    ]
    assert insight["overlap"]["shared"] == 40
    assert insight["overlap"]["campaigns"][0]["examples"] == []
    assert insight["forecast"]["finish_days"] == 8
    assert insight["forecast"]["lanes"][0] == {
        "label": "inbox alex@x",
        "wanted": 20,
        "allotted": 20,
        "demand": 70,
        "capacity": 50,
        "campaigns": 2,
    }
    assert insight["compliance"] == [
        {
            "severity": "note",
            "code": "mass-mail",
            "message": "first email variant A has no {{variable}} at all",
        }
    ]
    [bare] = json.loads(render_json(_plan(None)))["campaigns"]
    assert bare["insight"]["forecast"] is None and bare["insight"]["overlap"]["campaigns"] == []


def test_a_saved_plan_keeps_the_insight() -> None:
    [campaign] = _plan(INSIGHT).campaigns
    # payloads={}: the launch carries none, so no vendor's payload types are needed
    again = CampaignPlan.from_json(json.loads(json.dumps(campaign.to_json())), payloads={})
    assert again.insight == INSIGHT
    bare = _plan(None).campaigns[0].to_json()
    assert CampaignPlan.from_json(bare, payloads={}).insight is None
