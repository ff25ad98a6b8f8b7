"""A representative plan for the renderer tests, and a builder for big synthetic ones."""

from __future__ import annotations

import pytest

from reconciler.plan.payload import WireBody
from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
    PlanFacts,
)

OLD_BODY = "Hi {{first_name}},\n\nOur spring offer is here.\nReply to book a call.\n\nBest,\nAna\n"
NEW_BODY = "Hi {{first_name}},\n\nOur spring offer is live.\nReply to book a call.\n\nBest,\nAna\n"


def _create() -> CampaignPlan:
    changes = (
        FieldChange("timezone", None, "Europe/Berlin"),
        FieldChange("sending_days", None, [1, 2, 3, 4, 5]),
        FieldChange("daily_limit_per_inbox", None, 30),
        FieldChange("enable_tracking", None, False),
        FieldChange("inboxes", None, ["ana@acme.test", "bo@acme.test"]),
    )
    return CampaignPlan(
        ref=CampaignRef("cold", "coldsend/campaign", "Q1 outreach"),
        source="campaigns/q1.yaml:1:1",
        live_id=None,
        live_status=None,
        fingerprint=None,
        actions=(
            Action(
                ActionKind.CREATE,
                changes,
                WireBody({"name": "Q1 outreach"}),
                summary="new campaign",
            ),
            Action(ActionKind.UPLOAD_LEADS, summary="add leads from leads.csv"),
        ),
        facts=PlanFacts(leads_new=120, leads_present=0),
    )


def _launch() -> CampaignPlan:
    return CampaignPlan(
        ref=CampaignRef("cold", "coldsend/campaign", "Spring promo"),
        source="campaigns/spring.yaml:1:1",
        live_id="cs_7",
        live_status="DRAFTED",
        fingerprint="f7",
        actions=(
            Action(ActionKind.LAUNCH, payload=WireBody({"secret": "x"}), summary="start sending"),
        ),
        facts=PlanFacts(audience_size=1200),
    )


def _blocked() -> CampaignPlan:
    update = Action(
        ActionKind.UPDATE,
        (FieldChange("daily_limit_per_inbox", 20, 40),),
        summary="1 field",
    ).block("ColdSend does not edit an ACTIVE campaign", "set state: paused first")
    return CampaignPlan(
        ref=CampaignRef("cold", "coldsend/campaign", "Legacy drip"),
        source="campaigns/legacy.yaml:4:1",
        live_id="cs_3",
        live_status="ACTIVE",
        fingerprint="f3",
        actions=(update,),
    )


def _warning() -> CampaignPlan:
    return CampaignPlan(
        ref=CampaignRef("cold", "coldsend/campaign", "Evergreen"),
        source="campaigns/evergreen.yaml:1:1",
        live_id="cs_5",
        live_status="ACTIVE",
        fingerprint="f5",
        warnings=("2 live leads are not in leads.csv (camp never deletes leads)",),
    )


def _delete() -> CampaignPlan:
    return CampaignPlan(
        ref=CampaignRef("ib", "inbox/campaign", "[camp] Old outreach"),
        source=None,
        live_id="ib_9",
        live_status="paused",
        fingerprint="f9",
        actions=(Action(ActionKind.DELETE, summary="pruned: no YAML names it"),),
    )


def _unchanged() -> CampaignPlan:
    return CampaignPlan(
        ref=CampaignRef("ib", "inbox/campaign", "Steady"),
        source="campaigns/steady.yaml:1:1",
        live_id="ib_2",
        live_status="active",
        fingerprint="f2",
        facts=PlanFacts(targets_count=40),
    )


def _update() -> CampaignPlan:
    changes = (
        FieldChange("subject", "March news", "March news: spring"),
        FieldChange("content", OLD_BODY, NEW_BODY),
    )
    return CampaignPlan(
        ref=CampaignRef("mail", "easymail/campaign", "Newsletter March"),
        source="campaigns/news.yaml:1:1",
        live_id="em_42",
        live_status="draft",
        fingerprint="f42",
        actions=(Action(ActionKind.UPDATE, changes, summary="2 fields"),),
    )


def representative_plan() -> Plan:
    builders = (_create, _launch, _blocked, _warning, _delete, _unchanged, _update)
    return Plan.of([build() for build in builders])


def big_plan(n: int, *, name: str = "Campaign") -> Plan:
    """``n`` creates, every tenth blocked and every seventh launched: a plan too long for GitHub."""
    campaigns = []
    for i in range(n):
        actions = [Action(ActionKind.CREATE, (FieldChange("subject", None, f"Hello {i}"),))]
        if i % 7 == 0:
            actions.append(Action(ActionKind.LAUNCH, summary="start sending"))
        if i % 10 == 0:
            actions[0] = actions[0].block("guard exceeded", "pass --force", guard="max_change")
        campaigns.append(
            CampaignPlan(
                ref=CampaignRef(f"acct{i % 3}", "coldsend/campaign", f"{name} {i:05d}"),
                source=f"campaigns/c{i}.yaml:1:1",
                live_id=None,
                live_status=None,
                fingerprint=None,
                actions=tuple(actions),
                facts=PlanFacts(audience_size=i),
            )
        )
    return Plan.of(campaigns)


@pytest.fixture
def plan() -> Plan:
    return representative_plan()
