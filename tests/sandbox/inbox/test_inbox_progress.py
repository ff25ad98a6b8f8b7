"""Inbox emulator: the background model on the sandbox clock, and the vendor's HTTP plumbing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from inbox_helpers import (
    KEY,
    LINK1,
    LINK2,
    LIST2,
    MESSAGE,
    ROOT,
    STAMP,
    TestClient,
    api,
    assert_error,
    create,
    tick,
)
from starlette.requests import Request

from reconciler.sandbox.inbox import VENDOR, progress
from reconciler.sandbox.inbox.model import DEFAULT_SCHEDULE, iso, new_campaign
from reconciler.sandbox.inbox.steps import build_sequence
from reconciler.sandbox.inbox.store import Row, Sim
from reconciler.sandbox.vendor import SandboxContext

__all__ = ["api"]  # the fixture, imported so that pytest finds it here

MONDAY = datetime(2025, 6, 2, tzinfo=UTC)  # a Monday in summer time
DAY = timedelta(days=1)


def _utc(hours: float, base: datetime = MONDAY) -> datetime:
    return base + timedelta(hours=hours)


# --- schedule windows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "end", "expected"),
    [
        ("UTC", MONDAY, MONDAY + DAY, [(_utc(9), _utc(17))]),
        ("UTC", _utc(12), _utc(13), [(_utc(12), _utc(13))]),
        ("UTC", MONDAY - DAY, MONDAY, []),  # Sunday is not in the default schedule
        ("America/New_York", MONDAY, MONDAY + DAY, [(_utc(13), _utc(21))]),
        ("Asia/Tokyo", _utc(-24), _utc(24), [(_utc(0), _utc(8))]),  # Mon 09:00 JST = Mon 00:00Z
    ],
)
def test_windows_follow_the_schedule_in_the_campaign_timezone(
    zone: str, start: datetime, end: datetime, expected: list[tuple[datetime, datetime]]
) -> None:
    assert list(progress.windows(DEFAULT_SCHEDULE, ZoneInfo(zone), start, end)) == expected


def test_a_window_may_run_to_midnight() -> None:
    schedule = {"1": {"start": 0, "end": 1440}}
    windows = progress.windows(schedule, ZoneInfo("UTC"), MONDAY - DAY, MONDAY + 2 * DAY)
    assert list(windows) == [(MONDAY, MONDAY + DAY)]


# --- the sending model -----------------------------------------------------------------------


def _active(targets: int, links: int = 1, delay_days: int = 0) -> Row:
    doc = new_campaign("c" * 24, MONDAY)
    doc.update(status="active", enabled=True, targetsCount=targets, scopeAssessedCount=targets)
    doc["accountLinkIds"] = [LINK1, LINK2][:links]
    steps: list[dict[str, Any]] = [MESSAGE]
    if delay_days:
        steps.append(
            {"type": "delay", "data": {"delaySeconds": delay_days * 86400, "unit": "days"}}
        )
    doc["sequence"] = build_sequence(steps, 1, MONDAY)
    return Row(doc, Sim(progress_at=iso(MONDAY)))


def test_sending_happens_at_the_hourly_rate_inside_windows_only() -> None:
    row = _active(targets=1000)
    progress.progress(row, _utc(9.5))
    assert row.doc["contactedCount"] == 4  # 8 per hour, half an hour in
    progress.progress(row, _utc(24 + 9))  # the rest of Monday's window, nothing overnight
    assert row.doc["contactedCount"] == 64
    assert (row.doc["repliedCount"], row.doc["status"]) == (6, "active")


def test_every_linked_account_adds_its_rate() -> None:
    row = _active(targets=1000, links=2)
    progress.progress(row, _utc(10))
    assert row.doc["contactedCount"] == 16


def test_completion_comes_after_the_last_contact_plus_the_sequence_delays() -> None:
    row = _active(targets=100, links=2, delay_days=1)
    progress.progress(row, _utc(17))  # 100 leads at 16/h: the last at 15:15
    assert (row.doc["contactedCount"], row.doc["status"]) == (100, "active")
    assert row.sim.all_contacted_at == "2025-06-02T15:15:00.000Z"
    progress.progress(row, _utc(24 + 15))
    assert row.doc["status"] == "active"
    progress.progress(row, _utc(24 + 16))
    assert (row.doc["status"], row.doc["enabled"]) == ("completed", False)
    assert row.doc["completedAt"] == "2025-06-03T15:15:00.000Z"


def test_a_campaign_without_targets_never_completes() -> None:
    row = _active(targets=0)
    progress.progress(row, MONDAY + 365 * DAY)
    assert (row.doc["status"], row.doc["contactedCount"]) == ("active", 0)


def test_sending_never_outruns_the_assessed_scope() -> None:
    row = _active(targets=100)
    row.doc.update(scopeAssessedCount=10, syncingLeads=True)
    row.sim.sync_until = iso(MONDAY + 30 * DAY)
    progress.progress(row, MONDAY + 7 * DAY)
    assert (row.doc["contactedCount"], row.doc["status"]) == (10, "active")


# --- the model over HTTP ---------------------------------------------------------------------


def test_an_active_campaign_runs_to_completion_on_the_clock(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api, rules={'syncedListIds': [LIST2]})['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    api.post(f"{url}/enable")
    tick(api, 3 * 86400)
    running = api.get(url).json()
    assert 0 < running["contactedCount"] < 300 and running["status"] == "active"
    assert 0 < running["completionRate"] < 1
    assert running["replyRate"] == pytest.approx(
        running["repliedCount"] / running["contactedCount"], abs=1e-4
    )
    tick(api, 30 * 86400)
    done = api.get(url).json()
    assert (done["status"], done["enabled"], done["contactedCount"]) == ("completed", False, 300)
    assert (done["completionRate"], done["replyRate"], done["repliedCount"]) == (1.0, 0.1, 30)
    assert STAMP.match(done["completedAt"]) and done["completedAt"] > done["startedAt"]


def test_a_paused_campaign_does_not_send(api: TestClient) -> None:
    url = f"/campaigns/v2/{create(api, rules={'syncedListIds': [LIST2]})['id']}"
    api.put(f"{url}/sequence", json={"steps": [MESSAGE]})
    api.post(f"{url}/enable")
    api.post(f"{url}/disable")
    tick(api, 30 * 86400)
    paused = api.get(url).json()
    assert (paused["status"], paused["contactedCount"]) == ("paused", 0)


# --- HTTP plumbing ---------------------------------------------------------------------------


def test_every_answer_carries_rate_limit_headers(api: TestClient) -> None:
    for response in (api.get("/lists"), api.get("/campaigns/v2/nope")):
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            response.headers
        )


def test_a_spent_budget_answers_429_with_retry_after(api: TestClient) -> None:
    api.post(f"{ROOT}/_sandbox/faults", json={"rate_limit_per_minute": 1})
    assert api.get("/lists").status_code == 200
    limited = api.get("/lists")
    assert_error(limited, 429, "RATE_LIMITED")
    assert int(limited.headers["retry-after"]) >= 0
    assert limited.headers["x-ratelimit-remaining"] == "0"


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Token {KEY}", KEY])
def test_a_missing_or_wrong_key_is_401(api: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    client = TestClient(api.app, base_url=f"{ROOT}/inbox/api/v1", headers=headers)
    assert_error(client.get("/lists"), 401, "UNAUTHORIZED")


def test_unknown_paths_and_methods_answer_in_the_vendor_shape(api: TestClient) -> None:
    assert_error(api.get("/campaigns"), 404, "NOT_FOUND")
    assert_error(api.put("/campaigns/v2"), 405, "METHOD_NOT_ALLOWED")
    assert api.head("/lists").status_code == 200


def test_reset_wipes_campaigns_and_reseeds(api: TestClient) -> None:
    create(api)
    assert api.post(f"{ROOT}/_sandbox/reset").status_code == 200
    assert api.get("/campaigns/v2").json() == {"data": [], "nextCursor": None}
    assert [link["id"] for link in api.get("/account-links").json()] == [LINK1, LINK2]
    assert len(api.get("/lists").json()) == 3


def _request(authorization: str) -> Request:
    headers = [(b"authorization", authorization.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


@pytest.mark.parametrize(
    ("header", "ok"),
    [(f"Bearer {KEY}", True), (f"bearer {KEY}", True), (f"Bearer {KEY}x", False), ("", False)],
)
def test_authorized_checks_the_bearer_token(header: str, ok: bool) -> None:
    ctx = SandboxContext(db=None, now=lambda: MONDAY, api_key=KEY)  # type: ignore[arg-type]
    assert VENDOR.authorized(_request(header), ctx) is ok


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (500, "INTERNAL_ERROR"),
        (503, "SERVICE_UNAVAILABLE"),
    ],
)
def test_error_uses_the_contract_codes(status: int, code: str) -> None:
    response = VENDOR.error(status, "boom", retry_after=7)
    assert response.status_code == status
    assert response.body == (
        b'{"error":{"code":"%s","message":"boom","status":%d}}' % (code.encode(), status)
    )
    assert response.headers["retry-after"] == "7"


def test_rate_limit_headers_never_go_negative() -> None:
    headers = VENDOR.rate_limit_headers(
        limit=300, remaining=-1, reset_epoch=1700000000, limited=True
    )
    assert headers == {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1700000000",
    }
