"""ColdSend's insight signals, and the engine's figures over them, on hand-computed cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.config.loader import CampaignDoc
from reconciler.engine.insight import add_insight
from reconciler.engine.workspace import load_workspace
from reconciler.plan.insight import Signals
from reconciler.plan.values import CampaignPlan, CampaignRef, Plan
from reconciler.providers.base import LiveCampaign, LiveSummary
from reconciler.providers.coldsend.insight import campaign_signals, listed_signals
from reconciler.providers.coldsend.planning import plan_coldsend
from reconciler.providers.coldsend.views import live_view

ALEX, SAM = "inbox-alex", "inbox-sam"
IDS = {"alex@outbound.example": ALEX, "sam@outbound.example": SAM}
INBOXES = {"alex@outbound.example": (ALEX, 50), "sam@outbound.example": (SAM, 30)}
CAMPAIGN = """\
kind: coldsend/campaign
name: "{name}"
state: {state}
inboxes: [{inboxes}]
leads: {name_slug}.csv
variants:
  - variant_name: A
    subject_template: "{subject}"
    email_content: "Hello there, a short note."
    distribution_percent: 100
"""


def _docs(
    tmp_path: Path, *campaigns: tuple[str, str, list[str]], **extra: str
) -> list[CampaignDoc]:
    """Campaigns (name, YAML tail, lead emails), each with its own leads CSV."""
    (tmp_path / "camp.yaml").write_text("accounts:\n  cold: {provider: coldsend, api_key_env: K}\n")
    texts = []
    for name, tail, emails in campaigns:
        slug = name.lower().replace(" ", "-")
        (tmp_path / f"{slug}.csv").write_text("email\n" + "".join(e + "\n" for e in emails))
        body = CAMPAIGN.format(
            name=f"[camp] {name}",
            name_slug=slug,
            state=extra.get("state", "active"),
            inboxes=extra.get("inboxes", "alex@outbound.example"),
            subject=extra.get("subject", "Hi {{first_name}}"),
        )
        texts.append(body + tail)
    (tmp_path / "c.yaml").write_text("---\n".join(texts))
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert not ws.errors, [str(p) for p in ws.errors]
    return ws.campaigns


def _live(status: str, emails: set[str] | None, **fields: Any) -> LiveCampaign:
    obj = {"campaign_id": "live1", "name": "[camp] Live", "status": status, **fields}
    extra = {"lead_emails": emails} if emails is not None else {}
    view = live_view(obj, {ALEX: "alex@outbound.example", SAM: "sam@outbound.example"})
    return LiveCampaign("live1", "[camp] Live", status, view, obj, extra)


def _signals(doc: CampaignDoc, live: LiveCampaign | None = None) -> tuple[CampaignPlan, Signals]:
    plan = plan_coldsend(CampaignRef("cold", doc.kind, doc.campaign.name), doc, live, IDS)
    return plan, campaign_signals(plan, doc, live, INBOXES)


def _insight(*pairs: tuple[CampaignPlan, Signals]) -> Plan:
    return add_insight(Plan.of([p for p, _ in pairs]), [s for _, s in pairs])


def _leads(n: int, start: int = 0) -> list[str]:
    return [f"lead{i}@example.com" for i in range(start, start + n)]


def test_overlap_with_case_different_emails(tmp_path: Path) -> None:
    a, b = _docs(
        tmp_path,
        ("Alpha outreach", "", ["Ada@Example.com", "bob@example.com", "Cy@Example.com"]),
        ("Beta outreach", "", ["ada@EXAMPLE.com", "cy@example.com", "dan@example.com"]),
    )
    plan = _insight(_signals(a), _signals(b))
    alpha = plan.campaigns[0]
    assert alpha.insight is not None
    [pair] = alpha.insight.overlap
    assert (pair.name, pair.shared, pair.percent) == ("[camp] Beta outreach", 2, 66.7)
    assert pair.examples == ("a***@example.com", "c***@example.com")
    assert pair.state == "launches in this plan"
    assert (
        'audience overlap: shares 2 of its 3 recipients (66.7%) with coldsend/campaign "[camp] '
        'Beta outreach" (launches in this plan): a***@example.com, c***@example.com'
    ) in alpha.warnings


def test_live_leads_and_csv_are_one_audience_whatever_the_case(tmp_path: Path) -> None:
    [doc] = _docs(tmp_path, ("Alpha outreach", "", ["ADA@example.com", "new@example.com"]))
    live = _live("ACTIVE", {"ada@example.com"}, total_leads=1)
    _, signals = _signals(doc, live)
    assert signals.members == frozenset({"ada@example.com", "new@example.com"})
    assert signals.running and not signals.launching


@pytest.mark.parametrize(
    ("tail", "wanted"),
    [
        ("", [50.0, 30.0]),  # omitted: the live/vendor default null
        ("daily_limit_per_inbox: null\n", [50.0, 30.0]),  # null: each inbox's own daily_limit
        ("daily_limit_per_inbox: 20\n", [20.0, 20.0]),
    ],
)
def test_null_daily_limit_per_inbox_takes_each_inboxs_daily_limit(
    tmp_path: Path, tail: str, wanted: list[float]
) -> None:
    inboxes = "alex@outbound.example, sam@outbound.example"
    [doc] = _docs(tmp_path, ("Alpha outreach", tail, _leads(100)), inboxes=inboxes)
    _, signals = _signals(doc)
    assert [lane.wanted for lane in signals.lanes] == wanted
    assert [lane.capacity for lane in signals.lanes] == [50.0, 30.0]


def test_shared_inbox_demand(tmp_path: Path) -> None:
    # alex carries 50/day; Alpha asks 50 (null limit), Beta 20: 70 > 50, Alpha gets 30.
    # Alpha: 90 leads at 30/day → 3 sending days (5 days); Beta: 90 at 20/day → 5 (7 days).
    a, b = _docs(
        tmp_path,
        ("Alpha outreach", "", _leads(90)),
        ("Beta outreach", "daily_limit_per_inbox: 20\n", _leads(90, start=1000)),
    )
    alpha, beta = _insight(_signals(a), _signals(b)).campaigns
    assert alpha.insight and alpha.insight.forecast and beta.insight and beta.insight.forecast
    assert (alpha.insight.forecast.per_day, alpha.insight.forecast.reach_days) == (30, 5)
    assert (beta.insight.forecast.per_day, beta.insight.forecast.reach_days) == (20, 7)
    [lane] = alpha.insight.forecast.lanes
    assert (lane.wanted, lane.allotted, lane.demand, lane.capacity) == (50, 30, 70, 50)
    assert (
        "inbox alex@outbound.example is asked for 70/day by 2 running campaigns but carries "
        "50/day: this one gets 30/day of the 50 it asks"
    ) in alpha.warnings
    assert alpha.insight.overlap == ()


FOLLOW_UP = """\
daily_limit_per_inbox: 10
sequences:
  - step_number: 2
    trigger_type: NOT_REPLIED
    wait_days: {wait}
    variants:
      - variant_name: A
        subject_template: "Re"
        email_content: "Any thoughts {{{{first_name}}}}?"
        distribution_percent: 100
"""


@pytest.mark.parametrize(
    ("wait", "finish", "warned"), [(20, 37, False), (28, 45, False), (30, 47, True)]
)
def test_a_follow_up_that_makes_the_sequence_exceed_45_days(
    tmp_path: Path, wait: int, finish: int, warned: bool
) -> None:
    # 120 leads at 10/day Mon–Fri: all reached after 12 sending days = ceil(12 × 7 / 5) = 17
    # days; the last lead's follow-up comes `wait` days later (the 240 emails alone would take
    # 24 sending days = 34 days): 17 + 30 = 47 > 45.
    [doc] = _docs(tmp_path, ("Alpha outreach", FOLLOW_UP.format(wait=wait), _leads(120)))
    [campaign] = _insight(_signals(doc)).campaigns
    assert campaign.insight and campaign.insight.forecast
    f = campaign.insight.forecast
    assert (f.messages, f.reach_days, f.finish_days, f.bound_days) == (240, 17, finish, 45)
    message = (
        f"forecast: the sequence needs ~{finish} days to finish, more than the 45-day bound "
        "(240 emails at 10 per sending day)"
    )
    assert (message in campaign.warnings) is warned


def test_a_resume_counts_what_is_left(tmp_path: Path) -> None:
    [doc] = _docs(tmp_path, ("Alpha outreach", "", _leads(100)))
    live = _live("PAUSED", set(_leads(100)), total_leads=100, sent_count=60, inbox_ids=[ALEX])
    _, signals = _signals(doc, live)
    assert signals.launching and signals.state == "resumes in this plan"
    assert signals.workload is not None
    assert (signals.workload.recipients, signals.workload.messages) == (40, 40)


@pytest.mark.parametrize(
    ("status", "total", "calls", "members"),
    [("ACTIVE", 2500, 4, None), ("ACTIVE", 0, 1, frozenset()), ("DRAFT", 10, None, None)],
)
def test_listed_campaigns_say_what_reading_them_would_cost(
    status: str, total: int, calls: int | None, members: frozenset[str] | None
) -> None:
    summary = LiveSummary("id9", "Not in YAML", status, {"total_leads": total})
    signals = listed_signals("cold", summary)
    if calls is None:
        assert signals is None
        return
    assert signals is not None and not signals.in_plan and not signals.lanes_known
    assert (signals.unread_calls, signals.members) == (calls, members)


def test_launch_without_unsubscribe_is_a_finding_and_a_validate_warning(tmp_path: Path) -> None:
    [doc] = _docs(tmp_path, ("Alpha outreach", "enable_unsubscribe: false\n", _leads(3)))
    _, signals = _signals(doc)
    assert signals.unsubscribe is False
    assert [(f.severity, f.code) for f in signals.findings] == [("warning", "unsubscribe-disabled")]
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert [p.message for p in ws.warnings if p.message.startswith("enable_unsubscribe")] == [
        "enable_unsubscribe: false on a campaign that launches: its recipients get no "
        "unsubscribe link"
    ]


@pytest.mark.parametrize(
    ("leads", "subject", "noted"),
    [(501, "Hello", True), (500, "Hello", False), (501, "Hi {{first_name}}", False)],
)
def test_mass_mail_is_a_note(tmp_path: Path, leads: int, subject: str, noted: bool) -> None:
    [doc] = _docs(tmp_path, ("Alpha outreach", "", _leads(leads)), subject=subject)
    [campaign] = _insight(_signals(doc)).campaigns
    assert campaign.insight is not None
    notes = [f for f in campaign.insight.findings if f.code == "mass-mail"]
    assert bool(notes) is noted and not any("mass mail" in w for w in campaign.warnings)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert any("mass mail, not outreach" in p.message for p in ws.warnings) is noted
