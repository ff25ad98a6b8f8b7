"""Inbox planning as a pure function: views, lifecycle rules, audience, fingerprints."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from reconciler.plan.values import ActionKind, CampaignRef, PlanFacts
from reconciler.providers.base import LiveCampaign
from reconciler.providers.inbox.directory import Directory
from reconciler.providers.inbox.planning import plan_inbox
from reconciler.providers.inbox.views import display_view, live_view
from tests.providers.inbox.test_inbox_kit import CUSTOMERS, DNC, LINK_1, SAAS, load_doc

REF = CampaignRef("dm", "inbox/campaign", "Founders")
YAML = """\
kind: inbox/campaign
name: Founders
{state}
account_links: [founder_x]
rules:
  include_lists: [{lists}]
sequence:
  - message: "Hi {{{{first-name}}}}"
"""


def _directory() -> Directory:
    d = Directory()
    d.add_links([{"id": LINK_1, "username": "founder_x", "status": "active"}])
    d.add_lists(
        [
            {"id": SAAS, "name": "SaaS founders", "leadsCount": 1200},
            {"id": CUSTOMERS, "name": "Existing customers", "leadsCount": 300},
            {"id": DNC, "name": "Do not contact", "leadsCount": 50},
        ]
    )
    return d


def _wire(status: str = "draft", **changes: Any) -> dict[str, Any]:
    """A campaign as GET /campaigns/v2/{id} returns it, matching YAML with lists=SaaS."""
    obj: dict[str, Any] = {
        "id": "c1",
        "name": "Founders",
        "description": None,
        "status": status,
        "enabled": status == "active",
        "targetsCount": 1200,
        "contactedCount": 10,
        "repliedCount": 1,
        "messagesPerHour": 8,
        "timezone": "UTC",
        "schedule": {"1": {"start": 540, "end": 1020}},
        "rebalancing": False,
        "syncingLeads": False,
        "accountLinkIds": [LINK_1],
        "rules": {
            "syncedLists": [{"listId": SAAS, "listName": "SaaS founders"}],
            "excludedLists": [],
            "excludeContacted": False,
            "excludeMutuals": False,
        },
        "sequence": {
            "version": 3,
            "steps": [
                {
                    "id": "s1",
                    "rank": 0,
                    "type": "message",
                    "data": {
                        "segments": [
                            {"type": "static", "text": "Hi "},
                            {"type": "variable", "name": "first-name", "fallback": None},
                        ]
                    },
                }
            ],
        },
        "automations": [],
        "updatedAt": "2025-01-01T00:00:00.000Z",
    }
    obj.update(changes)
    return obj


def _live(obj: dict[str, Any]) -> LiveCampaign:
    extra = {"targets_count": obj["targetsCount"], "contacted_count": obj["contactedCount"]}
    view = live_view(obj, _directory())
    return LiveCampaign(obj["id"], obj["name"], obj["status"], view, obj, extra)


def _plan(
    tmp_path: Path, live: LiveCampaign | None, state: str = "", lists: str = "SaaS founders"
) -> Any:
    doc = load_doc(tmp_path, YAML.format(state=f"state: {state}" if state else "", lists=lists))
    return plan_inbox(REF, doc, live, _directory())


def test_vendor_defaults_and_read_back_are_not_changes(tmp_path: Path) -> None:
    assert _plan(tmp_path, _live(_wire())).actions == ()


def test_fingerprint_ignores_what_moves_on_its_own() -> None:
    moved = _wire(contactedCount=99, repliedCount=9, targetsCount=5, syncingLeads=True)
    moved["rebalancing"] = True
    moved["updatedAt"] = "2026-01-01T00:00:00.000Z"
    moved["sequence"] = copy.deepcopy(moved["sequence"]) | {"version": 7}
    moved["sequence"]["steps"][0]["id"] = "other"
    assert _live(moved).fingerprint == _live(_wire()).fingerprint
    assert _live(_wire(timezone="Europe/Berlin")).fingerprint != _live(_wire()).fingerprint


def test_either_spelling_of_renamed_fields_is_read() -> None:
    from reconciler.providers.inbox.provider import _extra

    old = _extra({"targetsCount": 3, "repliesCount": 2, "lastStartedAt": "t"})
    new = _extra({"targetsCount": 3, "repliedCount": 2, "startedAt": "t"})
    assert (
        old
        == new
        == {"targets_count": 3, "contacted_count": 0, "replied_count": 2, "started_at": "t"}
    )


def test_display_uses_the_friendly_forms() -> None:
    shown = display_view(live_view(_wire(), _directory()))
    assert shown["schedule"] == {"mon": "09:00-17:00"}
    assert shown["sequence"] == [{"message": "Hi {{first-name}}"}]


LIFECYCLE = [
    ("", "active", [], False),
    ("draft", "draft", [], False),
    ("draft", "active", [ActionKind.UPDATE], True),
    ("draft", "completed", [ActionKind.UPDATE], True),
    ("active", "draft", [ActionKind.LAUNCH], False),
    ("active", "paused", [ActionKind.RESUME], False),
    ("active", "active", [], False),
    ("active", "completed", [], False),
    ("paused", "active", [ActionKind.PAUSE], False),
    ("paused", "draft", [ActionKind.PAUSE], True),
    ("paused", "completed", [], False),
    ("absent", "active", [ActionKind.DELETE], True),
    ("absent", "paused", [ActionKind.DELETE], False),
    ("absent", "completed", [ActionKind.DELETE], False),
]


@pytest.mark.parametrize(("state", "status", "kinds", "blocked"), LIFECYCLE)
def test_lifecycle(
    tmp_path: Path, state: str, status: str, kinds: list[ActionKind], blocked: bool
) -> None:
    plan = _plan(tmp_path, _live(_wire(status)), state)
    assert [a.kind for a in plan.actions] == kinds
    assert plan.blocked is blocked


def test_enable_is_blocked_on_an_empty_live_sequence(tmp_path: Path) -> None:
    doc = load_doc(tmp_path, "kind: inbox/campaign\nname: Founders\nstate: active\n")
    empty = _live(_wire(sequence={"version": 0, "steps": []}))
    [action] = plan_inbox(REF, doc, empty, _directory()).actions
    assert action.kind is ActionKind.LAUNCH and action.irreversible
    assert action.blocked is not None and "the sequence is empty" in action.blocked.reason


def test_completed_campaign_edits_are_blocked(tmp_path: Path) -> None:
    [action] = _plan(tmp_path, _live(_wire("completed")), lists="Do not contact").actions
    assert action.kind is ActionKind.UPDATE
    assert action.blocked is not None and "completed" in action.blocked.reason


def test_audience_is_targets_count_while_the_lists_stay(tmp_path: Path) -> None:
    plan = _plan(tmp_path, _live(_wire("paused", targetsCount=1150)), "active")
    assert plan.facts == PlanFacts(targets_count=1150, audience_size=1150)


def test_audience_is_predicted_from_the_lists_when_they_change(tmp_path: Path) -> None:
    lists = "SaaS founders, Existing customers"
    plan = _plan(tmp_path, _live(_wire("draft", targetsCount=0)), "active", lists=lists)
    assert plan.facts.audience_size == 1500  # upper bound: the sum of leadsCount
    new = _plan(tmp_path, None, "active", lists="Do not contact")
    assert [a.kind for a in new.actions] == [ActionKind.CREATE, ActionKind.LAUNCH]
    assert new.facts == PlanFacts(audience_size=50)


def test_new_campaign_without_account_links_is_blocked(tmp_path: Path) -> None:
    doc = load_doc(tmp_path, "kind: inbox/campaign\nname: Founders\n")
    [action] = plan_inbox(REF, doc, None, _directory()).actions
    assert action.blocked is not None and "account link" in action.blocked.reason


def test_rules_a_yaml_omits_are_not_managed(tmp_path: Path) -> None:
    live = _live(_wire(rules=_wire()["rules"] | {"excludeMutuals": True, "excludedLists": []}))
    assert _plan(tmp_path, live).actions == ()
