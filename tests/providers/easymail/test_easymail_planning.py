"""easymail planning as a pure function: views, the overwrite gate, editability, lifecycle."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any

import pytest

from reconciler.config.loader import CampaignDoc
from reconciler.engine.workspace import load_workspace
from reconciler.plan.values import ActionKind, CampaignPlan, CampaignRef, PlanFacts
from reconciler.providers.base import LiveCampaign
from reconciler.providers.easymail.checks import EasymailPrepared
from reconciler.providers.easymail.directory import Directory
from reconciler.providers.easymail.payloads import CampaignPatch, NewCampaign, Schedule
from reconciler.providers.easymail.planning import plan_easymail
from reconciler.providers.easymail.views import live_view

NOW = "2030-01-01T00:00:00Z"
SOON = "2030-01-02T09:00:00Z"
IDENTITY = "22222222-2222-4222-8222-000000000001"
CUSTOMERS = "22222222-2222-4222-8222-000000000011"
SEGMENT = "22222222-2222-4222-8222-000000000021"
READY = """\
subject: Hello
from_name: Brand News
from_identity: news@brand.example
audience: {list: Customers}
content: "# Hi\\n\\nBody\\n"
"""


def directory() -> Directory:
    d = Directory()
    d.add_identity({"uuid": IDENTITY, "email": "news@brand.example"})
    d.lists.add({"uuid": CUSTOMERS, "name": "Customers", "contacts_count": 1200})
    d.segments.add({"uuid": SEGMENT, "name": "Active last 30 days", "contacts_count": 800})
    return d


def load_doc(tmp_path: Path, body: str) -> CampaignDoc:
    (tmp_path / "camp.yaml").write_text(
        "accounts:\n  news: {provider: easymail, api_key_env: EASYMAIL_API_KEY}\n"
    )
    path = tmp_path / "campaigns" / "news.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("kind: easymail/campaign\nname: News\n" + textwrap.dedent(body))
    ws = load_workspace(tmp_path / "camp.yaml", [path])
    assert not ws.errors, ws.errors
    return ws.campaigns[0]


def live(status: str = "draft", **fields: Any) -> LiveCampaign:
    obj: dict[str, Any] = {
        "uuid": "c1",
        "name": "News",
        "status": status,
        "subject": "Hello",
        "preheader": None,
        "from_name": "Brand News",
        "reply_to": None,
        "from_identity": IDENTITY,
        "from_email": "news@brand.example",
        "content": "# Hi\n\nBody\n",
        "content_editable_via_api": True,
        "content_overwrite_required": False,
        "audience": {"list_uuid": CUSTOMERS, "segment_uuid": None},
        "readiness": {"can_send": True, "missing": []},
        "scheduled_at": None,
        "updated_at": "2029-12-01T00:00:00Z",
    }
    obj.update(fields)
    return LiveCampaign("c1", "News", status, live_view(obj, directory()), obj)


def plan(tmp_path: Path, body: str, current: LiveCampaign | None) -> CampaignPlan:
    doc = load_doc(tmp_path, body)
    return plan_easymail(
        CampaignRef("news", "easymail/campaign", "News"), doc, current, directory(), NOW
    )


def kinds(p: CampaignPlan) -> list[str]:
    return [a.kind.value for a in p.actions]


def test_applied_campaign_plans_nothing(tmp_path: Path) -> None:
    assert plan(tmp_path, READY, live()).actions == ()


def test_create_sends_uuids_and_the_written_body(tmp_path: Path) -> None:
    p = plan(tmp_path, READY + "preheader: null\n", None)
    [create] = p.actions
    assert create.kind is ActionKind.CREATE
    assert create.payload == NewCampaign(
        {
            "name": "News",
            "subject": "Hello",
            "from_name": "Brand News",
            "from_identity": IDENTITY,
            "content": "# Hi\n\nBody\n",
            "list_uuid": CUSTOMERS,
        }
    )
    assert p.facts == PlanFacts(audience_size=1200)


def test_update_sends_only_changed_fields_and_null_clears(tmp_path: Path) -> None:
    current = live(preheader="Old", reply_to="x@brand.example")
    p = plan(tmp_path, READY.replace("Hello", "New") + "preheader: null\n", current)
    [update] = p.actions
    assert update.payload == CampaignPatch({"subject": "New", "preheader": None})
    assert [(c.field, c.old, c.new) for c in update.changes] == [
        ("subject", "Hello", "New"),
        ("preheader", "Old", None),
    ]


def test_audience_sub_keys_are_managed_one_by_one(tmp_path: Path) -> None:
    current = live(audience={"list_uuid": CUSTOMERS, "segment_uuid": SEGMENT})
    assert plan(tmp_path, READY, current).actions == ()
    p = plan(
        tmp_path, READY.replace("{list: Customers}", "{list: Customers, segment: null}"), current
    )
    assert p.actions[0].payload == CampaignPatch({"segment_uuid": None})
    p = plan(tmp_path, READY.replace("audience: {list: Customers}", "audience: null"), current)
    assert p.actions[0].payload == CampaignPatch({"list_uuid": None, "segment_uuid": None})


def test_content_compares_after_flattening(tmp_path: Path) -> None:
    current = live(content="# Hi\n\nBody with code\n")
    # Inline code is stored as plain text; validation refuses it, but planning predicts it.
    doc = load_doc(tmp_path, READY)
    doc = dataclasses.replace(doc, prepared=EasymailPrepared("# Hi\n\nBody with `code`\n"))
    ref = CampaignRef("news", "easymail/campaign", "News")
    assert plan_easymail(ref, doc, current, directory(), NOW).actions == ()


@pytest.mark.parametrize("editable", [True, False])
def test_overwrite_required_blocks_without_permission(tmp_path: Path, editable: bool) -> None:
    current = live(
        content_overwrite_required=True,
        content_editable_via_api=editable,
        content="# Hi\n\nBody\n" if editable else None,
    )
    [action] = plan(tmp_path, READY, current).actions
    assert action.kind is ActionKind.OVERWRITE_CONTENT and action.irreversible
    assert action.blocked is not None
    assert "set `overwrite: true`" in action.blocked.hint
    assert ("content_editable_via_api: false" in action.blocked.reason) is not editable
    [allowed] = plan(tmp_path, READY + "overwrite: true\n", current).actions
    assert allowed.blocked is None
    assert allowed.payload == CampaignPatch({"content": "# Hi\n\nBody\n", "overwrite": True})


def test_overwrite_is_not_needed_when_content_is_unmanaged(tmp_path: Path) -> None:
    current = live(content_overwrite_required=True, content_editable_via_api=False, content=None)
    body = READY.replace('content: "# Hi\\n\\nBody\\n"\n', "")
    assert plan(tmp_path, body, current).actions == ()


@pytest.mark.parametrize("status", ["queued", "sending", "sent", "canceled"])
def test_edits_are_blocked_once_it_went_out(tmp_path: Path, status: str) -> None:
    [update] = plan(tmp_path, READY.replace("Hello", "New"), live(status)).actions
    assert update.blocked is not None and f"(live: {status})" in update.blocked.reason


@pytest.mark.parametrize(
    ("state", "status", "expected", "blocked"),
    [
        ("sent", "draft", ["send"], False),
        ("sent", "scheduled", ["send"], False),
        ("sent", "queued", [], False),
        ("sent", "sent", [], False),
        ("sent", "canceled", ["send"], True),
        ("draft", "scheduled", ["unschedule"], False),
        ("draft", "draft", [], False),
        ("draft", "failed", [], False),
        ("draft", "sent", ["unschedule"], True),
        ("canceled", "queued", ["cancel"], False),
        ("canceled", "sending", ["cancel"], False),
        ("canceled", "canceled", [], False),
        ("canceled", "draft", ["cancel"], True),
        ("canceled", "sent", ["cancel"], True),
        ("absent", "draft", ["delete"], False),
        ("absent", "sent", ["delete"], False),
        ("absent", "scheduled", ["delete"], True),
        ("absent", "sending", ["delete"], True),
    ],
)
def test_lifecycle(
    tmp_path: Path, state: str, status: str, expected: list[str], blocked: bool
) -> None:
    p = plan(tmp_path, READY + f"state: {state}\n", live(status))
    assert kinds(p) == expected
    assert p.blocked is blocked


@pytest.mark.parametrize(
    ("status", "live_at", "expected", "blocked"),
    [
        ("draft", None, ["schedule"], False),
        ("failed", None, ["schedule"], False),
        ("scheduled", SOON, [], False),
        ("scheduled", "2030-01-03T09:00:00Z", ["schedule"], False),
        ("sent", SOON, [], False),
        ("sent", None, ["schedule"], True),
        ("canceled", SOON, ["schedule"], True),
    ],
)
def test_schedule(
    tmp_path: Path, status: str, live_at: str | None, expected: list[str], blocked: bool
) -> None:
    body = READY + "state: scheduled\nscheduled_at: 2030-01-02T10:00:00+01:00\n"
    p = plan(tmp_path, body, live(status, scheduled_at=live_at))
    assert kinds(p) == expected and p.blocked is blocked
    if expected and not blocked:
        assert p.actions[0].payload == Schedule(SOON)


def test_schedule_in_the_past_is_blocked(tmp_path: Path) -> None:
    body = READY + "state: scheduled\nscheduled_at: 2029-12-31T23:00:00Z\n"
    [schedule] = plan(tmp_path, body, live()).actions
    assert schedule.blocked is not None and "is in the past" in schedule.blocked.reason


def test_readiness_is_predicted_from_yaml_and_live(tmp_path: Path) -> None:
    body = "state: sent\nsubject: null\naudience: {list: Customers}\n"
    current = live(from_name=None, readiness={"can_send": False, "missing": ["from_name"]})
    update, send = plan(tmp_path, body, current).actions
    assert update.blocked is None and send.blocked is not None
    assert send.blocked.reason.endswith("missing from_name, subject")
    [new_send] = [
        a for a in plan(tmp_path, "state: sent\n", None).actions if a.kind.value == "send"
    ]
    assert new_send.blocked is not None
    assert "missing from_name, from_identity, subject, content, audience" in new_send.blocked.reason


def test_audience_size_sums_list_and_segment(tmp_path: Path) -> None:
    body = READY.replace("{list: Customers}", "{list: Customers, segment: Active last 30 days}")
    p = plan(tmp_path, body + "state: sent\n", live())
    assert p.facts.audience_size == 2000


def test_prune_deletes(tmp_path: Path) -> None:
    ref = CampaignRef("news", "easymail/campaign", "News")
    p = plan_easymail(ref, None, live("canceled"), directory(), NOW)
    assert kinds(p) == ["delete"] and not p.blocked


def test_fingerprint_ignores_what_moves_on_its_own() -> None:
    a = live("sent", updated_at="2030-01-01T00:00:00Z", recipients_count=1)
    b = live("sent", updated_at="2030-02-01T00:00:00Z", recipients_count=2)
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != live("sent", subject="Other").fingerprint


def test_edit_that_breaks_a_scheduled_send_warns(tmp_path: Path) -> None:
    body = READY.replace("subject: Hello", "subject: null")
    p = plan(tmp_path, body, live("scheduled", scheduled_at=SOON))
    assert kinds(p) == ["update"] and not p.blocked
    assert p.warnings == (f"the scheduled send will fail at {SOON}: missing subject",)
