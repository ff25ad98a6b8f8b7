"""The sandbox core (shared/api/sandbox.md): auth, faults, rate limit, request log, clock, reset."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from coldsend_helpers import ADMIN, KEY, ROOT, TestClient, create, detail, launched

from reconciler.sandbox import coldsend
from reconciler.sandbox.app import build_app
from reconciler.sandbox.core import Sandbox
from reconciler.sandbox.faults import ConnectionDropped, FaultConfig

CAMPAIGNS = "/campaigns"
COLD_PATH = "/coldsend/api/public/v1/campaigns"
COLD_401 = "Invalid or revoked API key"
WRONG_BEARER = {"Authorization": "Bearer wrong"}


def _sandbox(client: TestClient) -> Sandbox:
    sandbox: Sandbox = client.app.state.sandbox  # type: ignore[attr-defined]
    return sandbox


def _faults(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post(f"{ADMIN}/faults", json=changes)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def everyone() -> Iterator[TestClient]:
    """All three vendors (the other emulators included), rooted at the server."""
    with TestClient(build_app(api_key=KEY), base_url=ROOT) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "headers", "shape"),
    [
        (COLD_PATH, {"X-API-Key": "wrong"}, {"detail": COLD_401}),
        (COLD_PATH, {}, {"detail": COLD_401}),
        ("/easymail/api/v1/campaigns", WRONG_BEARER, {"error": {"code": "UNAUTHENTICATED"}}),
        ("/inbox/api/v1/campaigns", WRONG_BEARER, {"error": {"code": "UNAUTHORIZED"}}),
    ],
)
def test_wrong_key_is_401_in_each_vendors_shape(
    everyone: TestClient, path: str, headers: dict[str, str], shape: dict[str, Any]
) -> None:
    response = everyone.get(path, headers=headers)
    assert response.status_code == 401
    body = response.json()
    for key, value in shape.items():
        assert (
            body[key] == value
            if not isinstance(value, dict)
            else value.items() <= body[key].items()
        )
    assert "x-ratelimit-limit" in response.headers


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/coldsend/api/public/v1/campaigns", {"X-API-Key": KEY}),
        ("/easymail/api/v1/campaigns", {"Authorization": f"Bearer {KEY}"}),
        ("/inbox/api/v1/campaigns/v2", {"Authorization": f"Bearer {KEY}"}),
    ],
)
def test_the_sandbox_key_opens_every_vendor(
    everyone: TestClient, path: str, headers: dict[str, str]
) -> None:
    assert everyone.get(path, headers=headers).status_code == 200


def test_unthrottled_by_default_with_generous_headers(cold: TestClient) -> None:
    response = cold.get(CAMPAIGNS)
    assert response.headers["x-ratelimit-limit"] == "10000"
    assert response.headers["x-ratelimit-remaining"] == "9999"
    assert int(response.headers["x-ratelimit-reset"]) >= time.time()


def test_rate_limit_answers_429_until_the_window_resets(cold: TestClient) -> None:
    _faults(cold, rate_limit_per_minute=2)
    sandbox = _sandbox(cold)
    start = time.time()
    sandbox.faults.wall = lambda: start
    remaining = [cold.get(CAMPAIGNS).headers["x-ratelimit-remaining"] for _ in range(2)]
    limited = cold.get(CAMPAIGNS)
    assert remaining == ["1", "0"] and limited.status_code == 429
    assert detail(limited) == "Rate limit exceeded. Retry after 60 seconds."
    assert "retry-after" not in limited.headers
    assert limited.headers["x-ratelimit-reset"] == str(int(start) + 60 + (start % 1 > 0))
    sandbox.faults.wall = lambda: start + 60
    assert cold.get(CAMPAIGNS).status_code == 200


def test_rate_limit_is_per_vendor_and_spares_admin(cold: TestClient) -> None:
    _faults(cold, rate_limit_per_minute=1)
    cold.get(CAMPAIGNS)
    assert cold.get(CAMPAIGNS).status_code == 429
    assert cold.get(f"{ADMIN}/requests").status_code == 200
    assert cold.post(f"{ADMIN}/reset").status_code == 200  # reset also restarts the budgets
    assert cold.get(CAMPAIGNS).status_code == 200


def test_error_rate_answers_500_or_503_in_vendor_shape_and_spares_admin(cold: TestClient) -> None:
    _faults(cold, error_rate=1.0, seed=3)
    statuses = {cold.get(CAMPAIGNS).status_code for _ in range(20)}
    assert statuses == {500, 503}
    response = cold.get(CAMPAIGNS)
    assert set(response.json()) == {"detail"} and "x-ratelimit-limit" in response.headers
    assert cold.get(f"{ADMIN}/requests").status_code == 200


def test_error_rate_happens_before_auth(cold: TestClient) -> None:
    _faults(cold, error_rate=1.0)
    assert cold.get(CAMPAIGNS, headers={"X-API-Key": "wrong"}).status_code in {500, 503}


def test_latency_delays_vendor_calls_only(cold: TestClient) -> None:
    _faults(cold, latency_ms=150)
    started = time.monotonic()
    cold.get(CAMPAIGNS)
    assert time.monotonic() - started >= 0.15
    started = time.monotonic()
    cold.get(f"{ADMIN}/requests")
    assert time.monotonic() - started < 0.15


def test_request_log_records_vendor_calls_only(cold: TestClient) -> None:
    campaign_id = create(cold)
    cold.get(f"{CAMPAIGNS}/{campaign_id}", params={"x": "1"})
    cold.get("/nowhere")
    cold.get(CAMPAIGNS, headers={"X-API-Key": "wrong"})
    cold.post(f"{ADMIN}/clock", json={"advance_seconds": 1})
    log = cold.get(f"{ADMIN}/requests").json()
    mount = coldsend.VENDOR.mount
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", f"{mount}/campaigns", 201),
        ("GET", f"{mount}/campaigns/{campaign_id}", 200),
        ("GET", f"{mount}/nowhere", 404),
        ("GET", f"{mount}/campaigns", 401),
    ]
    assert {e["vendor"] for e in log} == {"coldsend"} and log[0]["at"].endswith("Z")
    assert cold.delete(f"{ADMIN}/requests").status_code == 204
    assert cold.get(f"{ADMIN}/requests").json() == []


def test_unknown_path_and_method(cold: TestClient) -> None:
    assert (cold.get("/nowhere").status_code, detail(cold.get("/nowhere"))) == (404, "Not Found")
    assert cold.patch(CAMPAIGNS).status_code == 405


def test_clock_advance_completes_active_campaigns(cold: TestClient) -> None:
    campaign_id = launched(cold)
    now = cold.post(f"{ADMIN}/clock", json={"advance_seconds": 2 * 86_400}).json()["now"]
    assert now.endswith("Z")
    assert cold.get(f"{CAMPAIGNS}/{campaign_id}").json()["status"] == "COMPLETED"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"advance_seconds": -1},
        {"advance_seconds": "1"},
        {"advance_seconds": 1e300},  # past what a datetime can hold
        {"advance_seconds": 10**400},  # no float can hold it
    ],
)
def test_clock_rejects_bad_bodies(cold: TestClient, body: dict[str, Any]) -> None:
    assert cold.post(f"{ADMIN}/clock", json=body).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 2},
        {"drop_rate": -0.1},
        {"latency_ms": -1},
        {"rate_limit_per_minute": -1},
        {"rate_limit_per_minute": 1.5},
        {"nope": 1},
    ],
)
def test_faults_rejects_bad_values(cold: TestClient, body: dict[str, Any]) -> None:
    assert cold.post(f"{ADMIN}/faults", json=body).status_code == 422


def test_faults_accept_any_subset(cold: TestClient) -> None:
    assert _faults(cold, latency_ms=5) == {
        "latency_ms": 5,
        "error_rate": 0.0,
        "rate_limit_per_minute": None,
        "drop_rate": 0.0,
        "seed": None,
    }
    assert _faults(cold, rate_limit_per_minute=None)["latency_ms"] == 5


def test_reset_reseeds_and_clears_the_log(cold: TestClient) -> None:
    create(cold)
    cold.post(f"{ADMIN}/reset")
    assert cold.get(f"{ADMIN}/requests").json() == []
    assert cold.get(CAMPAIGNS).json()["campaigns"] == []
    assert cold.get("/sender-accounts").json()["pagination"]["total"] == 3


def test_without_seed_the_sandbox_starts_empty() -> None:
    app = build_app(vendors=[coldsend.VENDOR], api_key=KEY, seed=False)
    with TestClient(
        app, base_url=ROOT + coldsend.VENDOR.mount, headers={"X-API-Key": KEY}
    ) as client:
        assert client.get("/sender-accounts").json()["sender_accounts"] == []
        client.post(f"{ADMIN}/reset")
        assert client.get("/sender-accounts").json()["pagination"]["total"] == 3


def _dropped(client: TestClient, count: int) -> list[int]:
    dropped = []
    for n in range(count):
        try:
            client.get(CAMPAIGNS)
        except ConnectionDropped:
            dropped.append(n)
    return dropped


@pytest.mark.parametrize(("seed", "rate"), [(7, 0.5), (42, 0.2), (1, 0.9)])
def test_drops_follow_the_seeded_dice_exactly(cold: TestClient, seed: int, rate: float) -> None:
    _faults(cold, drop_rate=rate, seed=seed)
    dice = random.Random(seed)
    expected = [n for n in range(30) if dice.random() < rate]
    assert _dropped(cold, 30) == expected
    log = cold.get(f"{ADMIN}/requests").json()
    assert len(log) == 30 and {e["status"] for e in log} == {200}


def test_requests_that_reach_no_handler_draw_no_dice(cold: TestClient) -> None:
    _faults(cold, drop_rate=0.5, seed=7)
    cold.get("/nowhere")
    cold.get(CAMPAIGNS, headers={"X-API-Key": "wrong"})
    dice = random.Random(7)
    assert _dropped(cold, 10) == [n for n in range(10) if dice.random() < 0.5]


def test_faults_from_build_app_and_reseeding_replay(cold: TestClient) -> None:
    app = build_app(
        vendors=[coldsend.VENDOR], api_key=KEY, faults=FaultConfig(drop_rate=0.5, seed=9)
    )
    with TestClient(
        app, base_url=ROOT + coldsend.VENDOR.mount, headers={"X-API-Key": KEY}
    ) as client:
        first = _dropped(client, 12)
        _faults(client, seed=9)
        assert _dropped(client, 12) == first


def test_a_dropped_create_still_happened_in_process() -> None:
    app = build_app(vendors=[coldsend.VENDOR], api_key=KEY, faults=FaultConfig(drop_rate=1.0))
    transport = httpx.ASGITransport(app=app)

    async def scenario() -> dict[str, Any]:
        base = ROOT + coldsend.VENDOR.mount
        async with httpx.AsyncClient(
            transport=transport, base_url=base, headers={"X-API-Key": KEY}
        ) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post(CAMPAIGNS, json={"name": "Dropped but created"})
            await client.post(f"{ADMIN}/faults", json={"drop_rate": 0})
            return dict((await client.get(CAMPAIGNS)).json())

    listing = asyncio.run(scenario())
    assert [c["name"] for c in listing["campaigns"]] == ["Dropped but created"]


def test_a_db_file_keeps_state_unless_seeded_again(tmp_path: Any) -> None:
    db = tmp_path / "sandbox.sqlite"
    headers = {"X-API-Key": KEY}
    base = ROOT + coldsend.VENDOR.mount
    for seed, expected in [(True, 0), (False, 1), (True, 0)]:
        app = build_app(vendors=[coldsend.VENDOR], api_key=KEY, db_path=db, seed=seed)
        with TestClient(app, base_url=base, headers=headers) as client:
            assert client.get(CAMPAIGNS).json()["pagination"]["total"] == expected
            create(client)
