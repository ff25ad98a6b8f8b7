"""The outbox (shared/api/sandbox.md): what easymail's ``POST /campaigns/{uuid}/test`` sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from easymail_helpers import API, create_uuid
from starlette.testclient import TestClient

from reconciler.sandbox.app import build_app
from reconciler.sandbox.easymail import EasymailVendor

OUTBOX = "/_sandbox/outbox"
SENDER = "22222222-2222-4222-8222-000000000002"
TESTED = {
    "preheader": "Read me",
    "from_identity": SENDER,
    "content": "# Hi\n\nRun `camp apply` ~~today~~ now.",
}
KEYS = ["vendor", "campaign_id", "to", "from_name", "from_email", "subject", "preheader"]
KEYS += ["markdown", "html", "at"]


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = build_app(vendors=[EasymailVendor(monotonic=lambda: 0.0)], api_key="k")
    with TestClient(app, headers={"Authorization": "Bearer k"}) as test_client:
        yield test_client


def create(client: TestClient, **fields: Any) -> str:
    return create_uuid(client, **{**TESTED, **fields})


def send_test(client: TestClient, uuid: str, to: str = "me@brand.example") -> Any:
    response = client.post(f"{API}/campaigns/{uuid}/test", json={"email": to})
    assert response.json() == {"data": {"sent": True}}, response.text
    return response


def outbox(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(OUTBOX)
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()
    return entries


def test_a_test_send_lands_in_the_outbox(client: TestClient) -> None:
    uuid = create(client)
    send_test(client, uuid)
    [email] = outbox(client)
    assert list(email) == KEYS
    assert email["vendor"] == "easymail"
    assert email["campaign_id"] == uuid
    assert (email["to"], email["from_name"], email["from_email"]) == (
        "me@brand.example",
        "Brand",
        "ceo@brand.example",
    )
    assert (email["subject"], email["preheader"]) == ("Hello", "Read me")
    assert email["markdown"] == "# Hi\n\nRun camp apply today now."  # the stored body
    assert email["html"] == "<h1>Hi</h1>\n<p>Run camp apply today now.</p>\n"
    now = client.get("/_sandbox/clock").json()["now"]
    assert email["at"] == now or datetime.fromisoformat(email["at"]) <= datetime.fromisoformat(now)


def test_the_outbox_is_oldest_first_and_stamped_by_the_sandbox_clock(client: TestClient) -> None:
    first, second = create(client), create(client, subject="Second")
    send_test(client, first, "a@x.example")
    client.post("/_sandbox/clock", json={"advance_seconds": 86_400 * 30})
    send_test(client, second, "b@x.example")
    entries = outbox(client)
    assert [(e["campaign_id"], e["to"]) for e in entries] == [
        (first, "a@x.example"),
        (second, "b@x.example"),
    ]
    gap = datetime.fromisoformat(entries[1]["at"]) - datetime.fromisoformat(entries[0]["at"])
    assert gap.days >= 30


def test_a_test_send_never_changes_the_campaign(client: TestClient) -> None:
    uuid = create(client)
    before = client.get(f"{API}/campaigns/{uuid}").json()["data"]
    send_test(client, uuid)
    assert client.get(f"{API}/campaigns/{uuid}").json()["data"] == before
    client.post(f"{API}/campaigns/{uuid}/send")
    queued = client.get(f"{API}/campaigns/{uuid}").json()["data"]
    send_test(client, uuid)
    assert client.get(f"{API}/campaigns/{uuid}").json()["data"] == queued
    assert queued["status"] == "queued"


def test_refused_tests_send_nothing(client: TestClient) -> None:
    uuid = create(client, subject=None)
    response = client.post(f"{API}/campaigns/{uuid}/test", json={"email": "me@brand.example"})
    assert response.json()["error"]["code"] == "CAMPAIGN_NOT_TESTABLE"
    bad = client.post(f"{API}/campaigns/{create(client)}/test", json={"email": "nope"})
    assert bad.status_code == 422
    assert outbox(client) == []


def test_delete_clears_the_outbox_and_reset_empties_it(client: TestClient) -> None:
    uuid = create(client)
    send_test(client, uuid)
    assert client.delete(OUTBOX).status_code == 204
    assert outbox(client) == []
    send_test(client, uuid)
    assert client.post("/_sandbox/reset").status_code == 200
    assert outbox(client) == []


def test_a_multi_column_body_has_no_markdown_to_send(client: TestClient) -> None:
    uuid = create(client)
    edit = client.post(
        f"/_sandbox/easymail/campaigns/{uuid}/dashboard-edit", json={"layout": "multi-column"}
    )
    assert edit.status_code == 200
    send_test(client, uuid)
    [email] = outbox(client)
    assert (email["markdown"], email["html"]) == (None, None)


def test_admin_outbox_calls_are_not_logged(client: TestClient) -> None:
    client.delete("/_sandbox/requests")
    client.get(OUTBOX)
    client.delete(OUTBOX)
    assert client.get("/_sandbox/requests").json() == []


def test_a_body_markdown_it_py_cannot_read_unguarded_is_stored_and_sent(client: TestClient) -> None:
    """``> - <!--`` then a bare ``>``: markdown-it-py 4.3.0 raises on it
    (``reconciler.markdown_it_guard``); the vendor stores it and a test sends it, no 500."""
    body = "Hi\n\n> - <!--\n>"
    uuid = create(client, content=body)
    stored = client.get(f"{API}/campaigns/{uuid}").json()["data"]["content"]
    send_test(client, uuid)
    [email] = outbox(client)
    assert email["markdown"] == stored
    assert email["html"].startswith("<p>Hi</p>\n<blockquote>\n<ul>\n<li>")
