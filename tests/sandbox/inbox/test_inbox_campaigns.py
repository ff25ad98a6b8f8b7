"""Inbox emulator: campaign create, list, get, PATCH, DELETE and the team resources."""

from __future__ import annotations

import re
from typing import Any

import pytest
from inbox_helpers import (
    ID,
    LINK1,
    LINK2,
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

from reconciler.sandbox.inbox.model import CAMPAIGN_KEYS, DEFAULT_SCHEDULE

__all__ = ["api"]  # the fixture, imported so that pytest finds it here

# --- create ----------------------------------------------------------------------------------


def test_create_returns_a_draft_with_every_contract_key_and_default(api: TestClient) -> None:
    campaign = create(api, name="Q1")
    assert list(campaign) == CAMPAIGN_KEYS
    assert ID.match(campaign["id"])
    assert STAMP.match(campaign["createdAt"]) and campaign["updatedAt"] == campaign["createdAt"]
    expected = {
        "name": "Q1",
        "description": None,
        "status": "draft",
        "enabled": False,
        "dryRun": False,
        "messagesPerHour": 8,
        "timezone": "UTC",
        "schedule": DEFAULT_SCHEDULE,
        "sequence": {"version": 0, "steps": []},
        "accountLinkIds": [LINK1],
        "automations": [],
        "rebalancing": False,
        "syncingLeads": False,
        "rules": {
            "syncedLists": [],
            "excludedLists": [],
            "excludeContacted": False,
            "excludeMutuals": False,
        },
    }
    assert {key: campaign[key] for key in expected} == expected
    counts = ("targetsCount", "contactedCount", "repliedCount", "scopeAssessedCount")
    assert [campaign[key] for key in counts] == [0, 0, 0, 0]
    assert [campaign["completionRate"], campaign["replyRate"]] == [0, 0]
    assert [campaign[key] for key in ("pausedAt", "completedAt", "startedAt")] == [None] * 3


def test_create_with_rules_and_timezone_starts_a_lead_sync(api: TestClient) -> None:
    rules = {"syncedListIds": [LIST1, LIST2], "excludedListIds": [LIST3], "excludeMutuals": True}
    campaign = create(api, rules=rules, timezone="America/New_York")
    assert campaign["timezone"] == "America/New_York"
    assert campaign["rules"] == {
        "syncedLists": [
            {"listId": LIST1, "listName": "SaaS founders"},
            {"listId": LIST2, "listName": "Existing customers"},
        ],
        "excludedLists": [{"listId": LIST3, "listName": "Do not contact"}],
        "excludeContacted": False,
        "excludeMutuals": True,
    }
    assert (campaign["targetsCount"], campaign["syncingLeads"]) == (1200 + 300 - 50, True)
    assert campaign["scopeAssessedCount"] == 0


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"accountLinkIds": [LINK1]}, "name"),
        ({"name": "", "accountLinkIds": [LINK1]}, "name"),
        ({"name": "x" * 256, "accountLinkIds": [LINK1]}, "name"),
        ({"name": 7, "accountLinkIds": [LINK1]}, "name"),
        ({"name": "Q1"}, "accountLinkIds"),
        ({"name": "Q1", "accountLinkIds": []}, "accountLinkIds"),
        ({"name": "Q1", "accountLinkIds": LINK1}, "accountLinkIds"),
        ({"name": "Q1", "accountLinkIds": ["nope"]}, "accountLinkIds.0"),
        ({"name": "Q1", "accountLinkIds": [LINK1, 5]}, "accountLinkIds.1"),
        ({"name": "Q1", "accountLinkIds": [LINK1, LINK1]}, "accountLinkIds.1"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "timezone": "/etc/passwd"}, "timezone"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "timezone": "localtime"}, "timezone"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "timezone": "utc"}, "timezone"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "timezone": 3}, "timezone"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "rules": []}, "rules"),
        (
            {"name": "Q1", "accountLinkIds": [LINK1], "rules": {"syncedListIds": ["x"]}},
            "rules.syncedListIds.0",
        ),
        (
            {"name": "Q1", "accountLinkIds": [LINK1], "rules": {"excludeContacted": "yes"}},
            "rules.excludeContacted",
        ),
        ({"name": "Q1", "accountLinkIds": [LINK1], "rules": {"lists": []}}, "rules.lists"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "status": "active"}, "status"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "dryRun": True}, "dryRun"),
        ({"name": "Q1", "accountLinkIds": [LINK1], "messagesPerHour": 5}, "messagesPerHour"),
        (["Q1"], "body"),
    ],
)
def test_create_rejects_invalid_bodies(api: TestClient, body: Any, path: str) -> None:
    assert_422(api.post("/campaigns/v2", json=body), path)


def test_create_rejects_malformed_json_and_names_every_problem(api: TestClient) -> None:
    assert_422(api.post("/campaigns/v2", content=b"{nope"), "body")
    response = api.post("/campaigns/v2", json={"name": "", "accountLinkIds": []})
    paths = [detail["path"] for detail in response.json()["error"]["details"]]
    assert paths == ["name", "accountLinkIds"]


# --- list and get ----------------------------------------------------------------------------


def test_list_is_empty_without_campaigns(api: TestClient) -> None:
    assert api.get("/campaigns/v2").json() == {"data": [], "nextCursor": None}


def test_list_pages_newest_first_with_a_stable_cursor(api: TestClient) -> None:
    made = []
    for index in range(5):
        made.append(create(api, name=f"c{index}")["id"])
        tick(api, 1 if index % 2 else 0)  # some share a createdAt: the id breaks the tie
    seen, query = [], {"limit": "2"}
    while True:
        page = api.get("/campaigns/v2", params=query).json()
        seen += [campaign["id"] for campaign in page["data"]]
        if page["nextCursor"] is None:
            break
        assert page["nextCursor"] == {"id": seen[-1], "timestamp": page["data"][-1]["createdAt"]}
        query = {
            "limit": "2",
            "cursorId": seen[-1],
            "cursorTimestamp": page["nextCursor"]["timestamp"],
        }
    assert seen == list(reversed(made))


def test_list_defaults_to_50(api: TestClient) -> None:
    for index in range(51):
        create(api, name=f"c{index}")
    page = api.get("/campaigns/v2").json()
    assert len(page["data"]) == 50 and page["nextCursor"] is not None
    rest = api.get("/campaigns/v2", params={"limit": 100, **_cursor(page)}).json()
    assert len(rest["data"]) == 1 and rest["nextCursor"] is None


def _cursor(page: dict[str, Any]) -> dict[str, str]:
    cursor = page["nextCursor"]
    return {"cursorId": cursor["id"], "cursorTimestamp": cursor["timestamp"]}


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "²"}, "limit"),
        ({"cursorId": "abc", "cursorTimestamp": "0001-01-01T00:00:00+01:00"}, "cursorTimestamp"),
        ({"cursorId": "abc"}, "cursorTimestamp"),
        ({"cursorTimestamp": "2025-01-01T00:00:00.000Z"}, "cursorId"),
        ({"cursorId": "abc", "cursorTimestamp": "yesterday"}, "cursorTimestamp"),
    ],
)
def test_list_rejects_bad_queries(api: TestClient, query: dict[str, str], path: str) -> None:
    assert_422(api.get("/campaigns/v2", params=query), path)


def test_get_returns_the_campaign_or_404(api: TestClient) -> None:
    campaign = create(api)
    assert api.get(f"/campaigns/v2/{campaign['id']}").json() == campaign
    missing = api.get("/campaigns/v2/doesnotexist0000000000000")
    assert_error(missing, 404, "NOT_FOUND")
    assert set(missing.json()["error"]) == {"code", "message", "status"}


# --- PATCH -----------------------------------------------------------------------------------

AUTOMATION = {"trigger": "replied", "action": "set-status", "actionData": {"statusId": "st1"}}


def test_patch_changes_every_writable_field(api: TestClient) -> None:
    campaign = create(api)
    tick(api, 1)
    change = {
        "name": "Renamed",
        "description": "For founders",
        "timezone": "Europe/Berlin",
        "messagesPerHour": 25,
        "schedule": {"0": {"start": 0, "end": 1440}},
        "accountLinkIds": [LINK1, LINK2],
        "automations": [{**AUTOMATION, "enabled": False}],
    }
    patched = api.patch(f"/campaigns/v2/{campaign['id']}", json=change).json()
    assert {key: patched[key] for key in change} == change
    assert patched["updatedAt"] > campaign["updatedAt"]
    assert api.get(f"/campaigns/v2/{campaign['id']}").json() == patched


def test_patch_defaults_automation_enabled_and_keeps_omitted_fields(api: TestClient) -> None:
    campaign = create(api, timezone="Asia/Tokyo")
    patched = api.patch(f"/campaigns/v2/{campaign['id']}", json={"automations": [AUTOMATION]})
    assert patched.json()["automations"] == [{**AUTOMATION, "enabled": True}]
    assert patched.json()["timezone"] == "Asia/Tokyo"
    cleared = api.patch(f"/campaigns/v2/{campaign['id']}", json={"description": None}).json()
    assert cleared["description"] is None


def test_an_empty_patch_changes_nothing(api: TestClient) -> None:
    campaign = create(api)
    tick(api, 1)
    assert api.patch(f"/campaigns/v2/{campaign['id']}", json={}).json() == campaign


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"name": ""}, "name"),
        ({"description": 5}, "description"),
        ({"timezone": "Nowhere/Special"}, "timezone"),
        ({"messagesPerHour": 0}, "messagesPerHour"),
        ({"messagesPerHour": 26}, "messagesPerHour"),
        ({"messagesPerHour": 8.5}, "messagesPerHour"),
        ({"messagesPerHour": True}, "messagesPerHour"),
        ({"messagesPerHour": "8"}, "messagesPerHour"),
        ({"schedule": []}, "schedule"),
        ({"schedule": {"7": {"start": 0, "end": 60}}}, "schedule.7"),
        ({"schedule": {"mon": {"start": 0, "end": 60}}}, "schedule.mon"),
        ({"schedule": {"1": {"start": 600, "end": 600}}}, "schedule.1"),
        ({"schedule": {"1": {"start": 700, "end": 600}}}, "schedule.1"),
        ({"schedule": {"1": {"start": -1, "end": 600}}}, "schedule.1"),
        ({"schedule": {"1": {"start": 0, "end": 1441}}}, "schedule.1"),
        ({"schedule": {"1": {"start": 0}}}, "schedule.1"),
        ({"schedule": {"1": {"start": 0, "end": 60, "tz": "UTC"}}}, "schedule.1.tz"),
        ({"schedule": {"1": "09:00-17:00"}}, "schedule.1"),
        ({"accountLinkIds": ["acct0000000000000000000009"]}, "accountLinkIds.0"),
        ({"automations": {}}, "automations"),
        ({"automations": [{**AUTOMATION, "trigger": "opened"}]}, "automations.0.trigger"),
        ({"automations": [{**AUTOMATION, "action": "tag"}]}, "automations.0.action"),
        ({"automations": [{**AUTOMATION, "actionData": {}}]}, "automations.0.actionData.statusId"),
        ({"automations": [{**AUTOMATION, "enabled": "yes"}]}, "automations.0.enabled"),
        ({"automations": [{**AUTOMATION, "when": 1}]}, "automations.0.when"),
        ({"status": "active"}, "status"),
        ({"rules": {}}, "rules"),
        ({"dryRun": True}, "dryRun"),
        ("name", "body"),
    ],
)
def test_patch_rejects_invalid_fields(api: TestClient, body: Any, path: str) -> None:
    campaign = create(api)
    assert_422(api.patch(f"/campaigns/v2/{campaign['id']}", json=body), path)
    assert api.get(f"/campaigns/v2/{campaign['id']}").json() == campaign


def test_patch_of_an_unknown_campaign_is_404(api: TestClient) -> None:
    assert_error(api.patch("/campaigns/v2/nope", json={"name": "x"}), 404, "NOT_FOUND")


def test_patch_while_active_allows_everything_but_emptying_account_links(
    api: TestClient,
) -> None:
    campaign = create(api)
    url = f"/campaigns/v2/{campaign['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    assert api.post(f"{url}/enable").json()["status"] == "active"
    for change in ({"name": "Live"}, {"messagesPerHour": 3}, {"accountLinkIds": [LINK2]}):
        assert api.patch(url, json=change).status_code == 200
    assert_error(api.patch(url, json={"accountLinkIds": []}), 409, "CONFLICT")


def test_draft_may_drop_every_account_link_but_cannot_then_be_enabled(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    assert api.patch(url, json={"accountLinkIds": []}).json()["accountLinkIds"] == []
    assert_422(api.post(f"{url}/enable"), "accountLinkIds")


def test_changing_account_links_rebalances_for_five_seconds(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    assert api.patch(url, json={"accountLinkIds": [LINK1]}).json()["rebalancing"] is False
    assert api.patch(url, json={"accountLinkIds": [LINK2, LINK1]}).json()["rebalancing"] is True
    tick(api, 3)
    assert api.get(url).json()["rebalancing"] is True
    tick(api, 3)
    assert api.get(url).json()["rebalancing"] is False
    reordered = api.patch(url, json={"accountLinkIds": [LINK1, LINK2]}).json()
    assert reordered["rebalancing"] is False  # the same set in another order is no change


def test_a_completed_campaign_accepts_no_patch(api: TestClient) -> None:
    done = completed_campaign(api)
    assert_error(api.patch(f"/campaigns/v2/{done['id']}", json={"name": "x"}), 409, "CONFLICT")


# --- DELETE ----------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [(), ("enable", "disable")])
def test_delete_removes_a_draft_or_paused_campaign(api: TestClient, steps: tuple[str]) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    for step in steps:
        assert api.post(f"{url}/{step}").status_code == 200
    response = api.delete(url)
    assert (response.status_code, response.content) == (204, b"")
    assert_error(api.get(url), 404, "NOT_FOUND")
    assert_error(api.delete(url), 404, "NOT_FOUND")


def test_delete_refuses_an_active_campaign_and_accepts_a_completed_one(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api)['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    api.post(f"{url}/enable")
    assert_error(api.delete(url), 409, "CONFLICT")
    done = completed_campaign(api)
    assert api.delete(f"/campaigns/v2/{done['id']}").status_code == 204


# --- team resources --------------------------------------------------------------------------


def test_account_links_are_the_seed_links_as_a_flat_array(api: TestClient) -> None:
    links = api.get("/account-links").json()
    assert [(link["id"], link["username"]) for link in links] == [
        (LINK1, "founder_x"),
        (LINK2, "growth_x"),
    ]
    keys = ["id", "platform", "platformId", "name", "username", "image", "createdAt"]
    keys += ["status", "syncedAt"]
    for link in links:
        assert list(link) == keys
        assert (link["platform"], link["status"]) == ("twitter", "active")
        assert STAMP.match(link["createdAt"]) and STAMP.match(link["syncedAt"])


def test_lists_are_the_seed_lists_as_a_flat_array(api: TestClient) -> None:
    lists = api.get("/lists").json()
    assert [(item["id"], item["name"], item["leadsCount"]) for item in lists] == [
        (LIST1, "SaaS founders", 1200),
        (LIST2, "Existing customers", 300),
        (LIST3, "Do not contact", 50),
    ]
    assert all(list(item) == ["id", "name", "leadsCount", "createdAt"] for item in lists)
    # sandbox.md fixes 26-char seed ids; they still match the contract's alphabet
    assert all(re.fullmatch("[0-9a-z]+", item["id"]) for item in lists)
