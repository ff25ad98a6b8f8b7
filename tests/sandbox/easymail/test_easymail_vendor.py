"""easymail as a Vendor: seed resources, auth, error shapes, rate-limit headers, reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from reconciler.sandbox.app import build_app
from reconciler.sandbox.easymail import VENDOR, EasymailVendor
from reconciler.sandbox.faults import FaultConfig

API = "/easymail/api/v1"
P = "22222222-2222-4222-8222-"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = build_app(vendors=[EasymailVendor()], api_key="k")
    with TestClient(app, headers={"Authorization": "Bearer k"}) as test_client:
        yield test_client


def test_vendor_identity() -> None:
    assert (VENDOR.name, VENDOR.mount, VENDOR.documented_rate_limit) == (
        "easymail",
        "/easymail/api/v1",
        100,
    )


def test_sender_identities_are_seeded(client: TestClient) -> None:
    body = client.get(f"{API}/sender-identities").json()
    assert body == {
        "data": [
            {
                "uuid": P + "000000000001",
                "email": "news@brand.example",
                "from_name": "Brand News",
                "reply_to": None,
            },
            {
                "uuid": P + "000000000002",
                "email": "ceo@brand.example",
                "from_name": "Dana at Brand",
                "reply_to": None,
            },
        ],
        "pagination": {"current_page": 1, "per_page": 100, "total": 2},
    }


def test_lists_are_seeded(client: TestClient) -> None:
    data = client.get(f"{API}/lists").json()["data"]
    assert [(i["uuid"], i["name"], i["contacts_count"]) for i in data] == [
        (P + "000000000011", "Customers", 1200),
        (P + "000000000012", "Trial users", 5400),
        (P + "000000000013", "Everyone", 250000),
    ]
    assert set(data[0]) == {
        "uuid", "name", "description", "is_public", "contacts_count", "created_at", "updated_at",
    }  # fmt: skip
    assert all(isinstance(item["is_public"], bool) for item in data)


def test_segments_are_seeded(client: TestClient) -> None:
    data = client.get(f"{API}/segments").json()["data"]
    assert data == [
        {
            "uuid": P + "000000000021",
            "name": "Active last 30 days",
            "contacts_count": 800,
            "contacts_count_calculated_at": "2024-01-15T09:00:00Z",
            "created_at": "2024-01-15T09:00:00Z",
            "updated_at": "2024-01-15T09:00:00Z",
        }
    ]


@pytest.mark.parametrize("path", ["/sender-identities", "/lists", "/segments"])
def test_account_resources_paginate(client: TestClient, path: str) -> None:
    body = client.get(f"{API}{path}", params={"page": 2, "per_page": 1}).json()
    assert body["pagination"]["current_page"] == 2 and body["pagination"]["per_page"] == 1
    assert len(body["data"]) == (0 if path == "/segments" else 1)
    bad = client.get(f"{API}{path}", params={"per_page": 500})
    assert bad.status_code == 422 and set(bad.json()["error"]["details"]) == {"per_page"}


@pytest.mark.parametrize("header", [None, "Bearer wrong", "k", "Basic k", "bearer k"])
def test_wrong_or_missing_key_is_401(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    client.headers.pop("Authorization")
    response = client.get(f"{API}/campaigns", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    assert "X-RateLimit-Limit" in response.headers


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "UNAUTHENTICATED"),
        (404, "RESOURCE_NOT_FOUND"),
        (405, "METHOD_NOT_ALLOWED"),
        (429, "RATE_LIMITED"),
        (500, "INTERNAL_ERROR"),
        (503, "SERVICE_UNAVAILABLE"),
    ],
)
def test_error_shape_per_status(status: int, code: str) -> None:
    response = VENDOR.error(status, "text")
    assert response.status_code == status
    assert response.body == b'{"error":{"code":"%s","message":"text"}}' % code.encode()
    assert "retry-after" not in response.headers


def test_error_carries_retry_after_when_given() -> None:
    assert VENDOR.error(429, "slow down", retry_after=7).headers["Retry-After"] == "7"


@pytest.mark.parametrize("limited", [False, True])
def test_rate_limit_headers(limited: bool) -> None:
    headers = VENDOR.rate_limit_headers(limit=100, remaining=0, reset_epoch=0, limited=limited)
    expected = {"X-RateLimit-Limit": "100"}
    assert headers == ({**expected, "X-RateLimit-Remaining": "0"} if limited else expected)


def test_a_throttled_request_is_429_with_one_retry_after() -> None:
    app = build_app(
        vendors=[EasymailVendor()], api_key="k", faults=FaultConfig(rate_limit_per_minute=1)
    )
    with TestClient(app, headers={"Authorization": "Bearer k"}) as client:
        assert client.get(f"{API}/lists").headers["X-RateLimit-Limit"] == "1"
        response = client.get(f"{API}/lists")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert len(response.headers.get_list("Retry-After")) == 1
    assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nothing"), ("PUT", "/campaigns"), ("POST", "/lists")]
)
def test_unknown_paths_and_methods_in_the_vendor_shape(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, f"{API}{path}")
    assert response.status_code in (404, 405)
    assert set(response.json()["error"]) == {"code", "message"}


def test_reset_wipes_campaigns_and_keeps_the_seed(client: TestClient) -> None:
    created: dict[str, Any] = client.post(f"{API}/campaigns", json={"name": "x"}).json()["data"]
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get(f"{API}/campaigns/{created['uuid']}").status_code == 404
    assert client.get(f"{API}/campaigns").json()["pagination"]["total"] == 0
    assert client.get(f"{API}/lists").json()["pagination"]["total"] == 3


def test_requests_are_logged_under_the_vendor_name(client: TestClient) -> None:
    client.get(f"{API}/segments")
    entries = client.get("/_sandbox/requests").json()
    assert entries[-1]["vendor"] == "easymail"
    assert entries[-1]["path"] == f"{API}/segments"
