"""ColdSend campaign lifecycle (shared/api/coldsend.md): launch, pause, activate, delete."""

from __future__ import annotations

import re
from typing import Any

import pytest
from coldsend_helpers import (
    ADMIN,
    INBOX1,
    INBOX2,
    STEP,
    VARIANT,
    TestClient,
    advance,
    create,
    detail,
    launched,
    ready,
    upload,
)

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UPDATE_KEYS = {
    "success", "message", "campaign_id", "name", "status", "is_launch_ready",
    "missing_requirements", "updated_at",
}  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "missing"),
    [
        ({}, ["leads", "inboxes", "variants"]),
        ({"inbox_ids": [INBOX1]}, ["leads", "variants"]),
        ({"variants": [VARIANT]}, ["leads", "inboxes"]),
    ],
)
def test_launch_when_not_ready_stays_draft(
    cold: TestClient, setup: dict[str, Any], missing: list[str]
) -> None:
    campaign_id = create(cold)
    response = cold.put(f"/campaigns/{campaign_id}", json={**setup, "launch": True})
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["is_launch_ready"], body["missing_requirements"]) == (
        "DRAFT",
        False,
        missing,
    )


def test_launch_when_ready_activates(cold: TestClient) -> None:
    campaign_id = ready(cold)
    body = cold.put(f"/campaigns/{campaign_id}", json={"launch": True}).json()
    assert (body["status"], body["is_launch_ready"], body["missing_requirements"]) == (
        "ACTIVE",
        True,
        [],
    )
    assert STAMP.match(cold.get(f"/campaigns/{campaign_id}").json()["launched_at"])


@pytest.mark.parametrize("body", [{"variants": [VARIANT]}, {"sequences": []}])
def test_active_refuses_content_edits(cold: TestClient, body: dict[str, Any]) -> None:
    response = cold.put(f"/campaigns/{launched(cold)}", json=body)
    assert response.status_code == 409
    assert detail(response) == "Campaign is ACTIVE: pause it to change variants or sequences"


def test_active_accepts_schedule_edits(cold: TestClient) -> None:
    campaign_id = launched(cold)
    body = {"name": "Renamed while active", "sending_days": [1], "inbox_ids": [INBOX2]}
    response = cold.put(f"/campaigns/{campaign_id}", json=body)
    assert (response.status_code, response.json()["status"]) == (200, "ACTIVE")


@pytest.mark.parametrize("status", ["ACTIVE", "PAUSED"])
def test_launch_on_a_launched_campaign_is_409(cold: TestClient, status: str) -> None:
    campaign_id = launched(cold)
    if status == "PAUSED":
        cold.post(f"/campaigns/{campaign_id}/pause")
    response = cold.put(f"/campaigns/{campaign_id}", json={"launch": True})
    assert (response.status_code, detail(response)) == (
        409,
        f"Campaign is {status} and cannot be launched",
    )


def test_pause_activate_cycle(cold: TestClient) -> None:
    campaign_id = launched(cold)
    paused = cold.post(f"/campaigns/{campaign_id}/pause")
    assert (paused.status_code, paused.json()["status"]) == (200, "PAUSED")
    assert set(paused.json()) == UPDATE_KEYS
    edited = cold.put(f"/campaigns/{campaign_id}", json={"variants": [VARIANT]})
    assert edited.status_code == 200
    active = cold.post(f"/campaigns/{campaign_id}/activate")
    assert (active.status_code, active.json()["status"]) == (200, "ACTIVE")


def test_pause_and_activate_refuse_other_statuses(cold: TestClient) -> None:
    campaign_id = create(cold)
    pause = cold.post(f"/campaigns/{campaign_id}/pause")
    assert (pause.status_code, detail(pause)) == (409, "Only ACTIVE campaigns can be paused")
    activate = cold.post(f"/campaigns/{campaign_id}/activate")
    assert (activate.status_code, detail(activate)) == (
        409,
        "Only PAUSED campaigns can be activated",
    )


def test_delete_rules(cold: TestClient) -> None:
    draft = create(cold)
    assert cold.delete(f"/campaigns/{draft}").status_code == 204
    assert cold.get(f"/campaigns/{draft}").status_code == 404
    active = launched(cold)
    refused = cold.delete(f"/campaigns/{active}")
    assert (refused.status_code, detail(refused)) == (
        409,
        "Only DRAFT or PAUSED campaigns can be deleted",
    )
    cold.post(f"/campaigns/{active}/pause")
    assert cold.delete(f"/campaigns/{active}").status_code == 204


def test_active_completes_after_every_step_and_locks(cold: TestClient) -> None:
    campaign_id = create(cold)
    upload(cold, campaign_id)
    setup = {"inbox_ids": [INBOX1], "variants": [VARIANT], "sequences": [STEP], "launch": True}
    assert cold.put(f"/campaigns/{campaign_id}", json=setup).json()["status"] == "ACTIVE"
    advance(cold, 3 * 86_400)  # step 2 just sent; one more day until complete
    midway = cold.get(f"/campaigns/{campaign_id}").json()
    assert (midway["status"], midway["sent_count"]) == ("ACTIVE", 4)
    advance(cold, 86_400)
    done = cold.get(f"/campaigns/{campaign_id}").json()
    assert (done["status"], done["sent_count"], done["reply_count"]) == ("COMPLETED", 4, 0)
    refused = cold.put(f"/campaigns/{campaign_id}", json={"name": "Too late to rename"})
    assert (refused.status_code, detail(refused)) == (
        409,
        "Campaign is COMPLETED and cannot be modified",
    )
    assert cold.delete(f"/campaigns/{campaign_id}").status_code == 409


def test_paused_time_does_not_count_towards_completion(cold: TestClient) -> None:
    campaign_id = launched(cold)
    cold.post(f"/campaigns/{campaign_id}/pause")
    advance(cold, 10 * 86_400)
    assert cold.get(f"/campaigns/{campaign_id}").json()["status"] == "PAUSED"
    cold.post(f"/campaigns/{campaign_id}/activate")
    advance(cold, 86_400)
    assert cold.get(f"/campaigns/{campaign_id}").json()["status"] == "COMPLETED"


def test_sender_accounts_are_seeded_and_paginated(cold: TestClient) -> None:
    body = cold.get("/sender-accounts", params={"limit": 2}).json()
    assert [a["email_address"] for a in body["sender_accounts"]] == [
        "alex@outbound.example", "sam@outbound.example"
    ]  # fmt: skip
    assert body["pagination"]["total"] == 3 and body["pagination"]["has_next"] is True
    assert set(body["sender_accounts"][0]) == {
        "inbox_id", "email_address", "display_name", "inbox_type", "daily_limit", "overall_status"
    }  # fmt: skip
    assert cold.get("/sender-accounts", params={"limit": 101}).status_code == 422


def test_reset_wipes_campaigns(cold: TestClient) -> None:
    create(cold)
    assert cold.post(f"{ADMIN}/reset").status_code == 200
    assert cold.get("/campaigns").json()["pagination"]["total"] == 0
    assert cold.get("/sender-accounts").json()["pagination"]["total"] == 3
