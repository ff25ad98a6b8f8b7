"""What the ApiClient logs (``camp -v`` and progress): every exchange at DEBUG, every wait at
INFO, through the standard logging module; never a header, a key, a query or a body. Errors
name the account and host that raised them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import ProviderError, TransportError, Unauthorized
from reconciler.providers.progress import EVENT_ATTR, Exchange, Wait

KEY = "sk_live_9f8e7d6c5b4a3210"
BASE = "https://eu.vendor.test/api/v1"
NOW = 1_700_000_000.0
Handler = Callable[[httpx.Request], httpx.Response]


def _run(handler: Handler, call: Callable[[ApiClient], Any]) -> tuple[Any, list[float]]:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock moves only when the client sleeps
        sleeps.append(seconds)

    async def main() -> Any:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport) as client:
            api = ApiClient(
                client,
                profile=COLDSEND,
                api_key=KEY,
                base_url=BASE,
                account="cold_eu",
                sleep=sleep,
                clock=lambda: NOW + sum(sleeps),
                rand=lambda: 0.0,
            )
            return await call(api)

    return asyncio.run(main()), sleeps


def _answers(*statuses: int, headers: dict[str, str] | None = None) -> Handler:
    remaining = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        status = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return httpx.Response(status, json={"detail": f"echo {KEY}"}, headers=headers)

    return handler


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("reconciler.")]


def test_every_exchange_is_logged_with_account_method_path_status_ms_and_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="reconciler")
    _run(
        _answers(503, 200),
        lambda api: api.request("GET", "/campaigns", params={"search": "secret-ish"}),
    )
    exchanges = [r for r in _records(caplog) if r.levelno == logging.DEBUG]
    assert [r.name for r in exchanges] == ["reconciler.http", "reconciler.http"]
    first, second = (r.getMessage() for r in exchanges)
    assert first.startswith("cold_eu: GET /campaigns → 503 in ") and first.endswith(" ms")
    assert second.startswith("cold_eu: GET /campaigns → 200 in ")
    assert second.endswith(" ms (retry 1)")
    event = getattr(exchanges[1], EVENT_ATTR)
    assert isinstance(event, Exchange) and (event.status, event.attempt) == (200, 2)


def test_a_retry_says_why_and_how_long_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="reconciler")
    _, sleeps = _run(_answers(503, 200), lambda api: api.request("GET", "/campaigns"))
    (record,) = _records(caplog)  # INFO: no exchange lines
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        "cold_eu (coldsend): GET /campaigns → 503 Service Unavailable; "
        "retrying in 1.0 s (attempt 2 of 6)"
    )
    assert sleeps == [1.0]


def test_a_429_wait_names_the_vendor_and_the_seconds(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="reconciler")
    headers = {"X-RateLimit-Reset": str(int(NOW + 42))}  # ColdSend waits for its window
    _run(_answers(429, 200, headers=headers), lambda api: api.get_json("/campaigns"))
    (record,) = _records(caplog)
    wait = getattr(record, EVENT_ATTR)
    assert isinstance(wait, Wait) and wait.rate_limit and wait.seconds == 42
    assert record.getMessage() == (
        "cold_eu (coldsend): GET /campaigns → 429 Too Many Requests; "
        "retrying in 42 s (attempt 2 of 6)"
    )


def test_pacing_announces_the_wait_for_a_new_window(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="reconciler")
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW + 30))}

    async def twice(api: ApiClient) -> None:
        await api.request("GET", "/campaigns")
        await api.request("GET", "/campaigns")

    _, sleeps = _run(_answers(200, headers=headers), twice)
    (record,) = _records(caplog)
    assert record.getMessage() == (
        "cold_eu (coldsend): rate limit reached: waiting 30 s for a new rate-limit window"
    )
    assert sleeps == [30.0]


def test_no_key_no_query_no_body_in_any_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="reconciler")

    def call(api: ApiClient) -> Any:
        return api.send_json("POST", "/campaigns?token=q", json={"name": "body-text"})

    with pytest.raises(ProviderError):
        _run(_answers(500), call)
    text = "\n".join(r.getMessage() for r in _records(caplog))
    assert "POST /campaigns →" in text
    for leak in (KEY, "token=q", "body-text", "X-API-Key", "echo"):
        assert leak not in text


@pytest.mark.parametrize(
    ("handler", "kind"),
    [
        (_answers(401), Unauthorized),
        (lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")), TransportError),
    ],
)
def test_errors_name_the_account_and_host(handler: Handler, kind: type[ProviderError]) -> None:
    with pytest.raises(kind) as info:
        _run(handler, lambda api: api.get_json("/campaigns"))
    assert info.value.account == "cold_eu"
    assert info.value.host == "https://eu.vendor.test"
    assert KEY not in str(info.value)
