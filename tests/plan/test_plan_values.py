"""Plan values: typed facts, and how an action's payload is written and read back."""

from __future__ import annotations

import dataclasses
import json

import pytest

from reconciler.plan.payload import WireBody
from reconciler.plan.values import MEANING, Action, ActionKind, Blocked, FieldChange, PlanFacts


def test_facts_write_only_what_is_set() -> None:
    facts = PlanFacts(leads_new=3, leads_present=0)
    assert facts.to_json() == {"leads_new": 3, "leads_present": 0}
    assert PlanFacts().to_json() == {}


def test_facts_read_back_and_ignore_keys_they_do_not_know() -> None:
    assert PlanFacts.from_json({"audience_size": 5, "someday": 1}) == PlanFacts(audience_size=5)


def test_facts_named_keeps_the_asked_order_and_leaves_out_unset_ones() -> None:
    facts = PlanFacts(audience_size=1200, targets_count=40)
    assert facts.named(("targets_count", "leads_new", "audience_size")) == [
        ("targets_count", 40),
        ("audience_size", 1200),
    ]


def test_every_fact_the_kind_table_names_is_a_plan_fact() -> None:
    known = {f.name for f in dataclasses.fields(PlanFacts)}
    assert {name for meaning in MEANING.values() for name in meaning.facts} <= known


class Body(WireBody):
    """A payload type as a vendor would declare one."""


PAYLOADS = {ActionKind.UPDATE: Body.from_json}


def _again(action: Action) -> Action:
    return Action.from_json(json.loads(json.dumps(action.to_json())), payloads=PAYLOADS)


def test_an_action_round_trips_with_its_vendors_payload_type() -> None:
    action = Action(
        ActionKind.UPDATE,
        (FieldChange("subject", "Old", "New"),),
        Body({"subject": "New"}),
        Blocked("no", guard="max_change_percent"),
        "1 field",
    )
    assert action.to_json()["payload"] == {"subject": "New"}
    assert _again(action) == action


def test_no_payload_is_written_as_an_empty_object_and_read_as_none() -> None:
    launch = Action(ActionKind.LAUNCH, summary="go")
    assert launch.to_json()["payload"] == {}
    assert _again(launch).payload is None


def test_a_payload_on_a_kind_the_vendor_gives_none_is_refused() -> None:
    data = Action(ActionKind.LAUNCH, payload=Body({"x": 1})).to_json()
    with pytest.raises(ValueError, match="a launch action carries no payload"):
        Action.from_json(data, payloads=PAYLOADS)


def test_payload_as_names_what_the_action_carries() -> None:
    class Other(WireBody):
        pass

    assert Action(ActionKind.UPDATE, payload=Body({})).payload_as(Body) == Body({})
    with pytest.raises(TypeError, match="update action carries Body, not Other"):
        Action(ActionKind.UPDATE, payload=Body({})).payload_as(Other)
    with pytest.raises(TypeError, match="launch action carries NoneType, not Body"):
        Action(ActionKind.LAUNCH).payload_as(Body)


def test_a_blocked_reason_from_an_older_file_reads_with_its_defaults() -> None:
    assert Blocked.from_json({"reason": "no", "hint": "h"}) == Blocked("no", "h", None)
