"""The admin endpoints as shared/api/sandbox.md now has them: the clock, reset, the budget off."""

from __future__ import annotations

from datetime import datetime, timedelta

from coldsend_helpers import ADMIN, TestClient, create

CAMPAIGNS = "/campaigns"


def _now(client: TestClient) -> datetime:
    response = client.get(f"{ADMIN}/clock")
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["now"]
    return datetime.fromisoformat(response.json()["now"])


def test_get_clock_answers_the_sandbox_instant(cold: TestClient) -> None:
    before = _now(cold)
    moved = cold.post(f"{ADMIN}/clock", json={"advance_seconds": 3600}).json()["now"]
    after = _now(cold)
    assert after - before >= timedelta(hours=1)
    assert after >= datetime.fromisoformat(moved)
    assert cold.get(f"{ADMIN}/clock").json()["now"].endswith("Z")


def test_reset_keeps_the_clock_where_it_was(cold: TestClient) -> None:
    cold.post(f"{ADMIN}/clock", json={"advance_seconds": 86400})
    advanced = _now(cold)
    reset = cold.post(f"{ADMIN}/reset").json()
    assert datetime.fromisoformat(reset["now"]) >= advanced
    assert _now(cold) >= advanced


def test_reset_keeps_the_faults(cold: TestClient) -> None:
    cold.post(f"{ADMIN}/faults", json={"latency_ms": 1, "seed": 7})
    cold.post(f"{ADMIN}/reset")
    faults = cold.get(f"{ADMIN}/faults").json()
    assert (faults["latency_ms"], faults["seed"]) == (1, 7)


def test_clock_never_moves_back_and_refuses_what_it_cannot_hold(cold: TestClient) -> None:
    before = _now(cold)
    far = cold.post(f"{ADMIN}/clock", json={"advance_seconds": 1e300})
    assert far.status_code == 422
    assert "advance_seconds" in far.json()["detail"][0]
    assert before <= _now(cold) < before + timedelta(minutes=1)
    assert cold.get(CAMPAIGNS).status_code == 200  # the vendors still answer


def test_a_zero_budget_turns_the_rate_limit_off(cold: TestClient) -> None:
    assert cold.post(f"{ADMIN}/faults", json={"rate_limit_per_minute": 2}).status_code == 200
    assert [cold.get(CAMPAIGNS).status_code for _ in range(3)] == [200, 200, 429]
    off = cold.post(f"{ADMIN}/faults", json={"rate_limit_per_minute": 0})
    assert off.json()["rate_limit_per_minute"] is None
    assert all(cold.get(CAMPAIGNS).status_code == 200 for _ in range(5))
    assert cold.get(CAMPAIGNS).headers["x-ratelimit-limit"] == "10000"


def test_a_null_budget_turns_the_rate_limit_off(cold: TestClient) -> None:
    cold.post(f"{ADMIN}/faults", json={"rate_limit_per_minute": 1})
    assert [cold.get(CAMPAIGNS).status_code for _ in range(2)] == [200, 429]
    cold.post(f"{ADMIN}/faults", json={"rate_limit_per_minute": None})
    assert all(cold.get(CAMPAIGNS).status_code == 200 for _ in range(3))


def test_reset_still_wipes_the_vendors(cold: TestClient) -> None:
    create(cold)
    cold.post(f"{ADMIN}/reset")
    assert cold.get(CAMPAIGNS).json()["campaigns"] == []
