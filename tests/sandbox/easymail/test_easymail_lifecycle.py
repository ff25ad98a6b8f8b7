"""easymail lifecycle: status rules, transitions, the sandbox clock and the overwrite gate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from easymail_helpers import API, SEGMENT, create_uuid
from starlette.testclient import TestClient

from reconciler.sandbox.app import build_app
from reconciler.sandbox.easymail import EasymailVendor

ADMIN = "/_sandbox/easymail"


class FakeMonotonic:
    """Real time as the transition gate sees it, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mono() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def client(mono: FakeMonotonic) -> Iterator[TestClient]:
    app = build_app(vendors=[EasymailVendor(monotonic=mono)], api_key="k")
    with TestClient(app, headers={"Authorization": "Bearer k"}) as test_client:
        yield test_client


create = create_uuid


def act(client: TestClient, mono: FakeMonotonic, uuid: str, action: str, **body: Any) -> Any:
    """A transition after the previous one has settled (the gate is tested on its own)."""
    mono.now += 1
    return client.post(f"{API}/campaigns/{uuid}/{action}", json=body or None)


def get(client: TestClient, uuid: str) -> dict[str, Any]:
    data: dict[str, Any] = client.get(f"{API}/campaigns/{uuid}").json()["data"]
    return data


def tick(client: TestClient, seconds: float) -> None:
    assert client.post("/_sandbox/clock", json={"advance_seconds": seconds}).status_code == 200


def future(client: TestClient, seconds: int) -> str:
    now = datetime.fromisoformat(
        client.post("/_sandbox/clock", json={"advance_seconds": 0}).json()["now"]
    )
    return (now + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# How to reach each status: transitions (with bodies), clock moves, and a readiness-breaking edit.
_PATHS: dict[str, list[tuple[str, Any]]] = {
    "draft": [],
    "scheduled": [("schedule", 3600)],
    "queued": [("send", None)],
    "sending": [("send", None), ("tick", 5)],
    "sent": [("send", None), ("tick", 40)],
    "canceled": [("send", None), ("cancel", None)],
    "failed": [("schedule", 60), ("unready", None), ("tick", 61)],
}


def into(client: TestClient, mono: FakeMonotonic, status: str) -> str:
    """A campaign brought into ``status`` through the API and the clock."""
    uuid = create(client)
    for step, arg in _PATHS[status]:
        if step == "tick":
            tick(client, arg)
        elif step == "unready":
            client.patch(f"{API}/campaigns/{uuid}", json={"subject": None})
        elif step == "schedule":
            scheduled = act(client, mono, uuid, step, scheduled_at=future(client, arg))
            assert scheduled.status_code == 200
        else:
            assert act(client, mono, uuid, step).status_code == 200
    assert get(client, uuid)["status"] == status
    return uuid


ALL = ("draft", "scheduled", "queued", "sending", "sent", "failed", "canceled")


@pytest.mark.parametrize("status", ALL)
def test_patch_follows_the_status_rule(
    client: TestClient, mono: FakeMonotonic, status: str
) -> None:
    uuid = into(client, mono, status)
    response = client.patch(f"{API}/campaigns/{uuid}", json={"name": "Renamed"})
    if status in ("draft", "scheduled", "failed"):
        assert response.status_code == 200
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CAMPAIGN_NOT_EDITABLE"


@pytest.mark.parametrize("status", ALL)
def test_delete_follows_the_status_rule(
    client: TestClient, mono: FakeMonotonic, status: str
) -> None:
    uuid = into(client, mono, status)
    response = client.delete(f"{API}/campaigns/{uuid}")
    if status in ("draft", "sent", "failed", "canceled"):
        assert response.status_code == 204
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CAMPAIGN_NOT_DELETABLE"


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("action", ["send", "schedule"])
def test_send_and_schedule_follow_the_status_rule(
    client: TestClient, mono: FakeMonotonic, status: str, action: str
) -> None:
    uuid = into(client, mono, status)
    client.patch(f"{API}/campaigns/{uuid}", json={"subject": "Hello"})  # failed → ready again
    body = {"scheduled_at": future(client, 7200)} if action == "schedule" else {}
    response = act(client, mono, uuid, action, **body)
    if status in ("draft", "failed", "scheduled"):
        assert response.status_code == 200
        assert response.json()["data"]["status"] == ("queued" if action == "send" else action + "d")
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CAMPAIGN_NOT_SENDABLE"


@pytest.mark.parametrize("status", ALL)
def test_unschedule_only_from_scheduled(
    client: TestClient, mono: FakeMonotonic, status: str
) -> None:
    uuid = into(client, mono, status)
    response = act(client, mono, uuid, "unschedule")
    if status == "scheduled":
        data = response.json()["data"]
        assert (data["status"], data["scheduled_at"]) == ("draft", None)
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CAMPAIGN_NOT_UNSCHEDULABLE"


@pytest.mark.parametrize("status", ALL)
def test_cancel_only_while_queued_or_sending(
    client: TestClient, mono: FakeMonotonic, status: str
) -> None:
    uuid = into(client, mono, status)
    response = act(client, mono, uuid, "cancel")
    if status in ("queued", "sending"):
        assert response.json()["data"]["status"] == "canceled"
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CAMPAIGN_NOT_CANCELABLE"


@pytest.mark.parametrize("action", ["send", "schedule"])
def test_not_ready_is_422_with_the_missing_list(
    client: TestClient, mono: FakeMonotonic, action: str
) -> None:
    uuid = create(client, subject=None, content=None)
    body = {"scheduled_at": future(client, 60)} if action == "schedule" else {}
    response = act(client, mono, uuid, action, **body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "CAMPAIGN_NOT_READY"
    assert response.json()["error"]["details"] == {"missing": ["subject", "content"]}
    assert get(client, uuid)["status"] == "draft"


@pytest.mark.parametrize(
    "when", [None, 5, "tomorrow", "2020-01-01T00:00:00Z", "2999-01-01T00:00:00", "past"]
)
def test_schedule_needs_a_future_instant(
    client: TestClient, mono: FakeMonotonic, when: Any
) -> None:
    uuid = create(client)
    scheduled_at = future(client, -1) if when == "past" else when
    response = act(client, mono, uuid, "schedule", scheduled_at=scheduled_at)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert set(response.json()["error"]["details"]) == {"scheduled_at"}


def test_schedule_then_reschedule_then_queue_at_the_instant(
    client: TestClient, mono: FakeMonotonic
) -> None:
    uuid = create(client)
    assert act(client, mono, uuid, "schedule", scheduled_at=future(client, 600)).status_code == 200
    later = future(client, 1200)
    data = act(client, mono, uuid, "schedule", scheduled_at=later).json()["data"]
    assert (data["status"], data["scheduled_at"]) == ("scheduled", later)
    tick(client, 1199)
    assert get(client, uuid)["status"] == "scheduled"
    tick(client, 2)
    assert get(client, uuid)["status"] == "queued"
    assert get(client, uuid)["scheduled_at"] == later


def test_send_now_clears_a_schedule(client: TestClient, mono: FakeMonotonic) -> None:
    uuid = into(client, mono, "scheduled")
    data = act(client, mono, uuid, "send").json()["data"]
    assert (data["status"], data["scheduled_at"]) == ("queued", None)


def test_background_progression_and_recipients(client: TestClient, mono: FakeMonotonic) -> None:
    uuid = create(client, segment_uuid=SEGMENT)
    listed = client.get(f"{API}/campaigns").json()["data"][0]
    assert listed["recipients_count"] is None
    act(client, mono, uuid, "send")
    statuses = []
    for seconds in (4, 2, 28, 2):
        tick(client, seconds)
        statuses.append(get(client, uuid)["status"])
    assert statuses == ["queued", "sending", "sending", "sent"]
    listed = client.get(f"{API}/campaigns").json()["data"][0]
    assert listed["recipients_count"] == 1200 + 800


def test_one_big_clock_jump_runs_every_step(client: TestClient, mono: FakeMonotonic) -> None:
    uuid = create(client)
    act(client, mono, uuid, "schedule", scheduled_at=future(client, 60))
    tick(client, 3600)
    assert get(client, uuid)["status"] == "sent"


def test_a_transition_in_progress_is_409_until_it_settles(
    client: TestClient, mono: FakeMonotonic
) -> None:
    uuid = create(client)
    other = create(client)
    url = f"{API}/campaigns/{uuid}"
    assert client.post(f"{url}/send").status_code == 200
    mono.now += 0.199
    busy = client.post(f"{url}/cancel")
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "CAMPAIGN_TRANSITION_IN_PROGRESS"
    assert client.post(f"{API}/campaigns/{other}/send").status_code == 200  # per campaign
    assert client.patch(url, json={"name": "x"}).json()["error"]["code"] == "CAMPAIGN_NOT_EDITABLE"
    mono.now += 0.01
    assert client.post(f"{url}/cancel").json()["data"]["status"] == "canceled"


def test_a_refused_transition_does_not_start_the_gate(
    client: TestClient, mono: FakeMonotonic
) -> None:
    uuid = create(client)
    url = f"{API}/campaigns/{uuid}"
    assert client.post(f"{url}/cancel").status_code == 409
    assert client.post(f"{url}/send").status_code == 200


def test_dashboard_edit_styled_requires_overwrite(client: TestClient) -> None:
    uuid = create(client)
    data = client.post(f"{ADMIN}/campaigns/{uuid}/dashboard-edit", json={"layout": "styled"})
    assert data.json()["data"]["content_overwrite_required"] is True
    assert data.json()["data"]["content"] == "# Hi"
    assert data.json()["data"]["content_editable_via_api"] is True
    for body in ({"content": "new"}, {"content": None}, {"content": "new", "overwrite": False}):
        response = client.patch(f"{API}/campaigns/{uuid}", json=body)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "CONTENT_OVERWRITE_REQUIRED"
    assert client.patch(f"{API}/campaigns/{uuid}", json={"subject": "ok"}).status_code == 200
    replaced = client.patch(f"{API}/campaigns/{uuid}", json={"content": "new", "overwrite": True})
    data_after = replaced.json()["data"]
    assert data_after["content"] == "new"
    assert data_after["content_overwrite_required"] is False
    assert data_after["content_editable_via_api"] is True


def test_dashboard_edit_multi_column_hides_content_but_keeps_a_body(client: TestClient) -> None:
    uuid = create(client)
    edited = client.post(
        f"{ADMIN}/campaigns/{uuid}/dashboard-edit", json={"layout": "multi-column"}
    )
    data = edited.json()["data"]
    assert data["content"] is None
    assert (data["content_editable_via_api"], data["content_overwrite_required"]) == (False, True)
    assert data["readiness"]["can_send"] is True
    cleared = client.patch(f"{API}/campaigns/{uuid}", json={"content": None, "overwrite": True})
    data = cleared.json()["data"]
    assert (data["content_editable_via_api"], data["content_overwrite_required"]) == (True, False)
    assert data["readiness"]["missing"] == ["content"]


@pytest.mark.parametrize("body", [{}, {"layout": "fancy"}, {"layout": None}])
def test_dashboard_edit_validates_its_layout(client: TestClient, body: dict[str, Any]) -> None:
    uuid = create(client)
    response = client.post(f"{ADMIN}/campaigns/{uuid}/dashboard-edit", json=body)
    assert response.status_code == 422
    assert client.post(f"{ADMIN}/campaigns/nope/dashboard-edit", json=body).status_code == 404


@pytest.mark.parametrize("status", ["draft", "sent"])
def test_test_email_works_from_any_status(
    client: TestClient, mono: FakeMonotonic, status: str
) -> None:
    uuid = into(client, mono, status)
    response = client.post(f"{API}/campaigns/{uuid}/test", json={"email": "me@brand.example"})
    assert response.status_code == 200 and response.json() == {"data": {"sent": True}}
    assert get(client, uuid)["status"] == status


def test_test_email_needs_subject_body_and_sender(client: TestClient) -> None:
    uuid = create(client, from_name=None, list_uuid=None, subject=None, from_identity=None)
    response = client.post(f"{API}/campaigns/{uuid}/test", json={"email": "me@brand.example"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "CAMPAIGN_NOT_TESTABLE"
    assert response.json()["error"]["details"] == {"missing": ["sender_email", "subject"]}


@pytest.mark.parametrize("body", [{}, {"email": "nope"}, {"email": 3}])
def test_test_email_validates_the_address(client: TestClient, body: dict[str, Any]) -> None:
    uuid = create(client)
    response = client.post(f"{API}/campaigns/{uuid}/test", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("action", ["send", "schedule", "unschedule", "cancel", "test"])
def test_actions_on_an_unknown_campaign_are_404(client: TestClient, action: str) -> None:
    response = client.post(f"{API}/campaigns/nope/{action}", json={"email": "a@b.example"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "RESOURCE_NOT_FOUND"


def test_a_scheduled_campaign_no_longer_ready_fails(
    client: TestClient, mono: FakeMonotonic
) -> None:
    uuid = into(client, mono, "failed")
    data = get(client, uuid)
    assert data["readiness"]["missing"] == ["subject"]
    assert client.get(f"{API}/campaigns").json()["data"][0]["recipients_count"] is None
