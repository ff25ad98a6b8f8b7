"""easymail campaigns: create, read, update, delete, list, validation and readiness."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from easymail_helpers import API, LIST, READY, SEGMENT
from starlette.testclient import TestClient

from reconciler.sandbox.app import build_app
from reconciler.sandbox.easymail import EasymailVendor

FULL_KEYS = {
    "uuid", "name", "status", "subject", "preheader", "from_name", "reply_to", "from_identity",
    "from_email", "content", "content_editable_via_api", "content_overwrite_required", "audience",
    "readiness", "scheduled_at", "created_at", "updated_at", "last_updated_at",
}  # fmt: skip
CONDENSED_KEYS = {
    "uuid", "name", "status", "subject", "from_name", "language", "scheduled_at",
    "recipients_count", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = build_app(vendors=[EasymailVendor(transition_window=0)], api_key="k")
    with TestClient(app, headers={"Authorization": "Bearer k"}) as test_client:
        yield test_client


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post(f"{API}/campaigns", json={"name": "C", **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def tick(client: TestClient, seconds: float = 1) -> None:
    assert client.post("/_sandbox/clock", json={"advance_seconds": seconds}).status_code == 200


def test_create_answers_201_with_the_full_draft(client: TestClient) -> None:
    data = create(client, **{**READY, "reply_to": "r@brand.example", "preheader": "pre"})
    assert set(data) == FULL_KEYS
    assert data["status"] == "draft"
    assert data["from_email"] == "news@brand.example"
    assert data["audience"] == {"list_uuid": LIST, "segment_uuid": None}
    assert data["readiness"] == {"can_send": True, "missing": []}
    assert data["content_editable_via_api"] is True
    assert data["content_overwrite_required"] is False
    assert data["scheduled_at"] is None
    assert data["created_at"] == data["updated_at"] == data["last_updated_at"]
    assert data["created_at"].endswith("Z") and len(data["created_at"]) == 20


def test_create_with_only_a_name_lists_every_requirement(client: TestClient) -> None:
    data = create(client)
    assert data["readiness"] == {
        "can_send": False,
        "missing": ["from_name", "sender_email", "subject", "content", "audience"],
    }
    assert data["from_email"] is None and data["content"] is None


def test_get_returns_what_create_returned(client: TestClient) -> None:
    data = create(client, **READY)
    response = client.get(f"{API}/campaigns/{data['uuid']}")
    assert response.status_code == 200 and response.json() == {"data": data}


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_campaign_is_404(client: TestClient, method: str) -> None:
    response = client.request(method, f"{API}/campaigns/nope", json={})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "RESOURCE_NOT_FOUND"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": 5}, "name"),
        ({"subject": "x" * 256}, "subject"),
        ({"preheader": "x" * 256}, "preheader"),
        ({"from_name": "x" * 256}, "from_name"),
        ({"reply_to": "not-an-email"}, "reply_to"),
        ({"from_identity": "33333333-0000-4000-8000-000000000000"}, "from_identity"),
        ({"from_identity": LIST}, "from_identity"),
        ({"list_uuid": SEGMENT}, "list_uuid"),
        ({"segment_uuid": LIST}, "segment_uuid"),
        ({"content": "x" * 65_001}, "content"),
        ({"content": ["x"]}, "content"),
        ({"overwrite": "yes"}, "overwrite"),
        ({"status": "sent"}, "status"),
        ({"language": "de"}, "language"),
    ],
)
def test_create_rejects_invalid_fields_with_details(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post(f"{API}/campaigns", json={"name": "C", **body} if body else {})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert set(error["details"]) == {field}
    assert all(isinstance(message, str) for message in error["details"][field])


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'"text"'])
def test_create_rejects_a_body_that_is_not_an_object(client: TestClient, raw: bytes) -> None:
    response = client.post(f"{API}/campaigns", content=raw)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_every_problem_is_reported_at_once(client: TestClient) -> None:
    body = {"subject": "x" * 300, "reply_to": "nope", "bogus": 1}
    details = client.post(f"{API}/campaigns", json=body).json()["error"]["details"]
    assert set(details) == {"name", "subject", "reply_to", "bogus"}


def test_limits_are_inclusive(client: TestClient) -> None:
    data = create(client, name="n" * 255, subject="s" * 255, content="c" * 65_000)
    assert len(data["name"]) == 255 and len(data["content"]) == 65_000


def test_content_is_flattened_on_write(client: TestClient) -> None:
    data = create(client, content="| a | b |\n|---|---|\n~~x~~ `y` <b>z</b>\n- [ ] t")
    assert data["content"] == "a b\nx y z\n- t"


def test_patch_changes_only_the_given_fields(client: TestClient) -> None:
    data = create(client, **READY)
    tick(client, 10)
    response = client.patch(f"{API}/campaigns/{data['uuid']}", json={"subject": "New"})
    patched = response.json()["data"]
    assert response.status_code == 200
    assert patched["subject"] == "New" and patched["name"] == "Launch"
    assert patched["updated_at"] == patched["last_updated_at"] > data["updated_at"]
    assert patched["created_at"] == data["created_at"]


def test_patch_null_clears_and_readiness_follows(client: TestClient) -> None:
    data = create(client, **READY, segment_uuid=SEGMENT)
    body = {"subject": None, "content": None, "from_identity": None, "list_uuid": None}
    patched = client.patch(f"{API}/campaigns/{data['uuid']}", json=body).json()["data"]
    assert patched["subject"] is None and patched["content"] is None
    assert patched["from_email"] is None
    assert patched["audience"] == {"list_uuid": None, "segment_uuid": SEGMENT}
    assert patched["readiness"]["missing"] == ["sender_email", "subject", "content"]


def test_patch_that_changes_nothing_keeps_the_stamps(client: TestClient) -> None:
    data = create(client, **READY)
    tick(client, 10)
    url = f"{API}/campaigns/{data['uuid']}"
    patched = client.patch(url, json={"subject": "Hello", "content": "# Hi"}).json()["data"]
    assert patched["updated_at"] == data["updated_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": None}, "name"), ({"name": ""}, "name"), ({"reply_to": "x@"}, "reply_to")],
)
def test_patch_validates_like_create(client: TestClient, body: dict[str, Any], field: str) -> None:
    data = create(client)
    response = client.patch(f"{API}/campaigns/{data['uuid']}", json=body)
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]) == {field}


@pytest.mark.parametrize(
    ("blank", "missing"),
    [
        ({"from_name": ""}, ["from_name"]),
        ({"subject": ""}, ["subject"]),
        ({"content": "   "}, ["content"]),
        ({"list_uuid": None}, ["audience"]),
        ({"list_uuid": None, "segment_uuid": SEGMENT}, []),
    ],
)
def test_readiness_names_each_unmet_requirement(
    client: TestClient, blank: dict[str, Any], missing: list[str]
) -> None:
    readiness = create(client, **{**READY, **blank})["readiness"]
    assert readiness == {"can_send": not missing, "missing": missing}


def test_delete_answers_204_and_forgets(client: TestClient) -> None:
    data = create(client)
    response = client.delete(f"{API}/campaigns/{data['uuid']}")
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"{API}/campaigns/{data['uuid']}").status_code == 404


def test_list_shows_condensed_items_newest_first(client: TestClient) -> None:
    first = create(client, name="First", **{k: v for k, v in READY.items() if k != "name"})
    tick(client)
    second = create(client, name="Second")
    body = client.get(f"{API}/campaigns").json()
    assert [item["uuid"] for item in body["data"]] == [second["uuid"], first["uuid"]]
    assert body["pagination"] == {"current_page": 1, "per_page": 100, "total": 2}
    item = body["data"][1]
    assert set(item) == CONDENSED_KEYS
    assert item["language"] == "en" and item["recipients_count"] is None


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-created_at", ["bravo", "Charlie", "alpha"]),
        ("created_at", ["alpha", "Charlie", "bravo"]),
        ("name", ["alpha", "bravo", "Charlie"]),
        ("-name", ["Charlie", "bravo", "alpha"]),
        ("updated_at", ["Charlie", "bravo", "alpha"]),
        ("-updated_at", ["alpha", "bravo", "Charlie"]),
    ],
)
def test_list_sorts(client: TestClient, sort: str, expected: list[str]) -> None:
    uuids = {}
    for name in ("alpha", "Charlie", "bravo"):
        uuids[name] = create(client, name=name)["uuid"]
        tick(client)
    client.patch(f"{API}/campaigns/{uuids['bravo']}", json={"subject": "s"})
    tick(client)
    client.patch(f"{API}/campaigns/{uuids['alpha']}", json={"subject": "s"})
    names = [item["name"] for item in client.get(f"{API}/campaigns?sort={sort}").json()["data"]]
    assert names == expected


def test_list_searches_and_filters(client: TestClient) -> None:
    for name in ("Spring Sale", "spring news", "Autumn"):
        create(client, name=name)
    create(client, **{**READY, "name": "Springfield"})
    client.post(f"{API}/campaigns/{create(client, **READY)['uuid']}/send")
    found = client.get(f"{API}/campaigns", params={"search": "SPRING"}).json()
    assert sorted(i["name"] for i in found["data"]) == ["Spring Sale", "Springfield", "spring news"]
    queued = client.get(f"{API}/campaigns", params={"status": "queued"}).json()
    assert [i["name"] for i in queued["data"]] == ["Launch"]
    both = client.get(f"{API}/campaigns", params={"status": "draft", "search": "field"}).json()
    assert both["pagination"]["total"] == 1


def test_list_paginates(client: TestClient) -> None:
    for index in range(5):
        create(client, name=f"c{index}")
    page = client.get(f"{API}/campaigns", params={"page": 2, "per_page": 2, "sort": "name"}).json()
    assert [item["name"] for item in page["data"]] == ["c2", "c3"]
    assert page["pagination"] == {"current_page": 2, "per_page": 2, "total": 5}
    beyond = client.get(f"{API}/campaigns", params={"page": 9, "per_page": 2}).json()
    assert beyond["data"] == [] and beyond["pagination"]["total"] == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=x", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=1.5", "per_page"),
        ("status=archived", "status"),
        ("sort=subject", "sort"),
        ("sort=--name", "sort"),
    ],
)
def test_list_rejects_invalid_queries(client: TestClient, query: str, field: str) -> None:
    response = client.get(f"{API}/campaigns?{query}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert set(response.json()["error"]["details"]) == {field}
