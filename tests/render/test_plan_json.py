from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
)
from reconciler.render.plan_json import JSON_VERSION, render_json
from tests.render.conftest import big_plan

CAMPAIGN_KEYS = [
    "account",
    "kind",
    "name",
    "source",
    "live_id",
    "live_status",
    "actions",
    "blocked",
    "irreversible",
    "changes",
    "blocked_reasons",
    "warnings",
    "facts",
    "insight",
]


def _doc(plan: Plan) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_json(plan))
    return parsed


def _by_name(doc: dict[str, Any], name: str) -> dict[str, Any]:
    (entry,) = (c for c in doc["campaigns"] if c["name"] == name)
    return entry


def _keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys_anywhere(v)}
    return set()


def test_top_level_shape(plan: Plan) -> None:
    doc = _doc(plan)
    assert list(doc) == ["version", "scope", "summary", "campaigns"]
    assert doc["version"] == JSON_VERSION == 1
    assert doc["scope"] is None  # a full plan (``--changed-since`` sets it: tests/e2e)
    assert doc["summary"]["changes"] is True and doc["summary"]["blocked"] is True
    assert list(doc["summary"]["counts"]) == [k.value for k in ActionKind]


def test_counts_match_the_plan(plan: Plan) -> None:
    counts = _doc(plan)["summary"]["counts"]
    assert {k: v for k, v in counts.items() if v} == plan.counts()


def test_every_campaign_in_scope_in_plan_order(plan: Plan) -> None:
    doc = _doc(plan)
    assert [c["name"] for c in doc["campaigns"]] == [c.ref.name for c in plan.campaigns]
    assert all(list(c) == CAMPAIGN_KEYS for c in doc["campaigns"])
    steady = _by_name(doc, "Steady")
    assert steady["actions"] == [] and steady["changes"] == [] and steady["blocked"] is False


@pytest.mark.parametrize(
    ("name", "actions", "blocked", "irreversible"),
    [
        ("Q1 outreach", ["create", "upload-leads"], False, False),
        ("Spring promo", ["launch"], False, True),
        ("Legacy drip", ["update"], True, False),
        ("[camp] Old outreach", ["delete"], False, True),
        ("Evergreen", [], False, False),
    ],
)
def test_campaign_entries(
    plan: Plan, name: str, actions: list[str], blocked: bool, irreversible: bool
) -> None:
    entry = _by_name(_doc(plan), name)
    assert (entry["actions"], entry["blocked"], entry["irreversible"]) == (
        actions,
        blocked,
        irreversible,
    )


def test_changes_reasons_warnings_and_facts(plan: Plan) -> None:
    doc = _doc(plan)
    assert _by_name(doc, "Legacy drip")["blocked_reasons"] == [
        {
            "action": "update",
            "reason": "ColdSend does not edit an ACTIVE campaign",
            "hint": "set state: paused first",
            "guard": None,
        }
    ]
    created = _by_name(doc, "Q1 outreach")
    assert created["changes"][1] == {
        "action": "create",
        "field": "sending_days",
        "old": None,
        "new": [1, 2, 3, 4, 5],
    }
    assert list(created["facts"]) == ["leads_new", "leads_present"]
    assert _by_name(doc, "Spring promo")["facts"] == {"audience_size": 1200}
    assert _by_name(doc, "Evergreen")["warnings"] == [
        "2 live leads are not in leads.csv (camp never deletes leads)"
    ]
    assert _by_name(doc, "[camp] Old outreach")["source"] is None


def test_payload_is_never_emitted(plan: Plan) -> None:
    text = render_json(plan)
    assert "payload" not in _keys_anywhere(json.loads(text))
    assert '"secret"' not in text


def test_output_is_stable() -> None:
    plan = big_plan(200)
    assert render_json(plan) == render_json(plan)
    shuffled = Plan.of(list(reversed(plan.campaigns)))
    assert render_json(shuffled) == render_json(plan)


def test_values_that_json_lacks_are_made_plain() -> None:
    change = FieldChange(
        "odd", (1, 2), {"when": dt.date(2026, 1, 2), "set": frozenset({"b", "a"}), "n": 1.5}
    )
    campaign = CampaignPlan(
        CampaignRef("a", "coldsend/campaign", "c"),
        source=None,
        live_id="1",
        live_status=None,
        fingerprint=None,
        actions=(Action(ActionKind.UPDATE, (change,)),),
    )
    entry = _doc(Plan.of([campaign]))["campaigns"][0]
    assert entry["changes"][0]["old"] == [1, 2]
    assert entry["changes"][0]["new"] == {"when": "2026-01-02", "set": ["a", "b"], "n": 1.5}


def test_no_changes() -> None:
    doc = _doc(Plan.of([]))
    assert doc["summary"] == {
        "changes": False,
        "blocked": False,
        "counts": dict.fromkeys((k.value for k in ActionKind), 0),
    }
    assert doc["campaigns"] == []
