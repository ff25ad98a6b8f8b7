"""Inbox emulator: lead rules, sequences, enable/disable and what a completed campaign refuses."""

from __future__ import annotations

from typing import Any

import pytest
from inbox_helpers import (
    ID,
    LIST1,
    LIST2,
    LIST3,
    MESSAGE,
    STAMP,
    TestClient,
    api,
    assert_422,
    assert_error,
    completed_campaign,
    create,
    tick,
)

__all__ = ["api"]  # the fixture, imported so that pytest finds it here

DELAY = {"type": "delay", "data": {"delaySeconds": 2 * 86400, "unit": "days"}}
LIKE = {"type": "like-tweet", "data": {}}


def _named(*ids: str) -> list[dict[str, str]]:
    names = {LIST1: "SaaS founders", LIST2: "Existing customers", LIST3: "Do not contact"}
    return [{"listId": list_id, "listName": names[list_id]} for list_id in ids]


# --- rules -----------------------------------------------------------------------------------


def test_rules_update_merges_and_reads_back_with_list_names(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    body = {"syncedListIds": [LIST1], "excludedListIds": [LIST3], "excludeContacted": True}
    assert api.patch(f"{url}/rules", json=body).json() == {"success": True}
    assert api.patch(f"{url}/rules", json={"excludeMutuals": True}).json() == {"success": True}
    assert api.get(url).json()["rules"] == {
        "syncedLists": _named(LIST1),
        "excludedLists": _named(LIST3),
        "excludeContacted": True,
        "excludeMutuals": True,
    }
    api.patch(f"{url}/rules", json={"excludedListIds": [], "syncedListIds": [LIST2, LIST1]})
    rules = api.get(url).json()["rules"]
    assert (rules["syncedLists"], rules["excludedLists"]) == (_named(LIST2, LIST1), [])


def test_rules_change_syncs_leads_and_then_assesses_the_scope(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.patch(f"{url}/rules", json={"syncedListIds": [LIST1, LIST2], "excludedListIds": [LIST3]})
    syncing = api.get(url).json()
    assert (syncing["syncingLeads"], syncing["targetsCount"]) == (True, 1450)
    assert syncing["scopeAssessedCount"] == 0
    tick(api, 5)
    synced = api.get(url).json()
    assert (synced["syncingLeads"], synced["scopeAssessedCount"]) == (False, 1450)
    api.patch(f"{url}/rules", json={"syncedListIds": [LIST1, LIST2]})  # same lists: no change
    assert api.get(url).json()["syncingLeads"] is False


@pytest.mark.parametrize(
    ("rules", "targets"),
    [
        ({"syncedListIds": [LIST1]}, 1200),
        ({"syncedListIds": [LIST2], "excludedListIds": [LIST3]}, 250),
        ({"syncedListIds": [LIST3], "excludedListIds": [LIST2]}, 0),  # floored at 0
        ({"excludedListIds": [LIST3]}, 0),
    ],
)
def test_targets_follow_synced_minus_excluded_lists(
    api: TestClient, rules: dict[str, Any], targets: int
) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.patch(f"{url}/rules", json=rules)
    assert api.get(url).json()["targetsCount"] == targets


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"syncedListIds": ["list0000000000000000000009"]}, "syncedListIds.0"),
        ({"excludedListIds": [LIST1, "nope"]}, "excludedListIds.1"),
        ({"syncedListIds": [LIST1, LIST1]}, "syncedListIds.1"),
        ({"syncedListIds": LIST1}, "syncedListIds"),
        ({"excludeContacted": 1}, "excludeContacted"),
        ({"excludeMutuals": None}, "excludeMutuals"),
        ({"syncedLists": []}, "syncedLists"),
        ([], "body"),
    ],
)
def test_rules_update_rejects_invalid_bodies(api: TestClient, body: Any, path: str) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    assert_422(api.patch(f"{url}/rules", json=body), path)


def test_rules_update_of_unknown_or_completed_campaigns(api: TestClient) -> None:
    assert_error(api.patch("/campaigns/v2/nope/rules", json={}), 404, "NOT_FOUND")
    done = completed_campaign(api)
    response = api.patch(f"/campaigns/v2/{done['id']}/rules", json={"excludeMutuals": True})
    assert_error(response, 409, "CONFLICT")


# --- sequence --------------------------------------------------------------------------------


def test_sequence_put_replaces_the_steps_with_a_new_version(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    tick(api, 1)
    first = api.put(f"{url}/sequence", json={"steps": [MESSAGE, DELAY, LIKE]}).json()
    assert first["version"] == 1
    assert [(step["rank"], step["type"]) for step in first["steps"]] == [
        (0, "message"),
        (1, "delay"),
        (2, "like-tweet"),
    ]
    assert [step["data"] for step in first["steps"]] == [MESSAGE["data"], DELAY["data"], {}]
    assert all(ID.match(step["id"]) for step in first["steps"])
    campaign = api.get(url).json()
    assert campaign["sequence"] == first and campaign["updatedAt"] > campaign["createdAt"]
    second = api.put(f"{url}/sequence", json={"steps": [MESSAGE]}).json()
    assert second["version"] == 2 and len(second["steps"]) == 1
    assert second["steps"][0]["id"] not in {step["id"] for step in first["steps"]}


def test_sequence_accepts_every_segment_kind(api: TestClient) -> None:
    segments = [
        {"type": "variation", "options": ["Hey", "Hi", "Hello"]},
        {"type": "static", "text": " "},
        {"type": "variable", "name": "first-name", "fallback": "there"},
        {"type": "variable", "name": "custom_x9k2"},
        {"type": "variable", "name": "username", "fallback": None},
    ]
    steps = [{"type": "message", "data": {"segments": segments}}]
    response = api.put(f"/campaigns/v2/{create(api)['id']}/sequence", json={"steps": steps})
    assert response.json()["steps"][0]["data"] == {"segments": segments}


def _message(*segments: Any) -> dict[str, Any]:
    return {"type": "message", "data": {"segments": list(segments)}}


def _delay(seconds: Any, unit: Any) -> dict[str, Any]:
    return {"type": "delay", "data": {"delaySeconds": seconds, "unit": unit}}


@pytest.mark.parametrize(
    ("steps", "path"),
    [
        ([DELAY, MESSAGE], "steps.0"),
        ([LIKE], "steps.0"),
        ([MESSAGE, {"type": "email", "data": {}}], "steps.1.type"),
        ([MESSAGE, {"type": "delay"}], "steps.1.data"),
        ([MESSAGE, {**MESSAGE, "id": "abc"}], "steps.1.id"),
        ([MESSAGE, "delay"], "steps.1"),
        ([{"type": "message", "data": {}}], "steps.0.data.segments"),
        ([_message()], "steps.0.data.segments"),
        ([_message({"type": "static", "text": ""})], "steps.0.data.segments.0.text"),
        ([_message({"type": "static"})], "steps.0.data.segments.0.text"),
        ([_message({"type": "bold", "text": "x"})], "steps.0.data.segments.0.type"),
        ([_message({"type": "variable", "name": "email"})], "steps.0.data.segments.0.name"),
        ([_message({"type": "variable", "name": "custom_"})], "steps.0.data.segments.0.name"),
        (
            [_message({"type": "variable", "name": "username", "fallback": 3})],
            "steps.0.data.segments.0.fallback",
        ),
        ([_message({"type": "variation", "options": ["Hi"]})], "steps.0.data.segments.0.options"),
        (
            [_message({"type": "variation", "options": ["Hi", 2]})],
            "steps.0.data.segments.0.options",
        ),
        ([_message("Hi")], "steps.0.data.segments.0"),
        ([MESSAGE, _delay(3600, "weeks")], "steps.1.data.unit"),
        ([MESSAGE, _delay(0, "minutes")], "steps.1.data.delaySeconds"),
        ([MESSAGE, _delay(90, "minutes")], "steps.1.data.delaySeconds"),
        ([MESSAGE, _delay(2, "days")], "steps.1.data.delaySeconds"),
        ([MESSAGE, _delay("60", "minutes")], "steps.1.data.delaySeconds"),
        ([MESSAGE, {"type": "like-tweet", "data": {"tweetId": "1"}}], "steps.1.data.tweetId"),
        ([MESSAGE, {"type": "like-tweet", "data": None}], "steps.1.data"),
        ({"type": "message"}, "steps"),
    ],
)
def test_sequence_put_rejects_invalid_steps(api: TestClient, steps: Any, path: str) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    assert_422(api.put(f"{url}/sequence", json={"steps": steps}), path)
    assert api.get(url).json()["sequence"] == {"version": 0, "steps": []}


@pytest.mark.parametrize(("body", "path"), [({}, "steps"), ({"steps": [], "v": 1}, "v")])
def test_sequence_put_needs_exactly_steps(api: TestClient, body: Any, path: str) -> None:
    assert_422(api.put(f"/campaigns/v2/{create(api)['id']}/sequence", json=body), path)


def test_an_empty_sequence_is_a_new_version_but_not_while_active(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    assert api.put(f"{url}/sequence", json={"steps": []}).json() == {"version": 2, "steps": []}
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    api.post(f"{url}/enable")
    assert_error(api.put(f"{url}/sequence", json={"steps": []}), 409, "CONFLICT")
    assert api.put(f"{url}/sequence", json={"steps": [MESSAGE, LIKE]}).json()["version"] == 4


def test_sequence_of_unknown_or_completed_campaigns(api: TestClient) -> None:
    body = {"steps": [MESSAGE]}
    assert_error(api.put("/campaigns/v2/nope/sequence", json=body), 404, "NOT_FOUND")
    done = completed_campaign(api)
    assert_error(api.put(f"/campaigns/v2/{done['id']}/sequence", json=body), 409, "CONFLICT")


# --- enable and disable ----------------------------------------------------------------------


def test_enable_needs_a_sequence(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    assert_422(api.post(f"{url}/enable"), "sequence.steps")
    assert api.get(url).json()["status"] == "draft"


def test_enable_disable_enable_walks_draft_active_paused_active(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    active = api.post(f"{url}/enable").json()
    assert (active["status"], active["enabled"], active["pausedAt"]) == ("active", True, None)
    assert STAMP.match(active["startedAt"])
    tick(api, 60)
    paused = api.post(f"{url}/disable").json()
    assert (paused["status"], paused["enabled"]) == ("paused", False)
    assert paused["pausedAt"] > paused["startedAt"] == active["startedAt"]
    tick(api, 60)
    resumed = api.post(f"{url}/enable").json()
    assert (resumed["status"], resumed["enabled"]) == ("active", True)
    assert resumed["startedAt"] > paused["pausedAt"] == resumed["pausedAt"]


@pytest.mark.parametrize(
    ("steps", "action"),
    [((), "disable"), (("enable",), "enable"), (("enable", "disable"), "disable")],
)
def test_enable_and_disable_refuse_other_statuses(
    api: TestClient, steps: tuple[str, ...], action: str
) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    for step in steps:
        assert api.post(f"{url}/{step}").status_code == 200
    before = api.get(url).json()
    assert_error(api.post(f"{url}/{action}"), 409, "CONFLICT")
    assert api.get(url).json() == before


@pytest.mark.parametrize("action", ["enable", "disable"])
def test_lifecycle_of_unknown_or_completed_campaigns(api: TestClient, action: str) -> None:
    assert_error(api.post(f"/campaigns/v2/nope/{action}"), 404, "NOT_FOUND")
    done = completed_campaign(api)
    assert_error(api.post(f"/campaigns/v2/{done['id']}/{action}"), 409, "CONFLICT")
