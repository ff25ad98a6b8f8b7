"""Proactive pacing: the client slows down before the vendor answers 429."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.pacing import Pacer
from reconciler.providers.http.profile import VendorProfile
from reconciler.providers.inbox.profile import PROFILE as INBOX

NOW = 1_700_000_000.0
WINDOW = 60


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = NOW
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class BudgetServer:
    """A vendor allowing ``limit`` requests per fixed window, with ColdSend's headers."""

    def __init__(self, fake: FakeTime, *, limit: int) -> None:
        self.fake = fake
        self.limit = limit
        self.window_end = NOW + WINDOW
        self.used = 0
        self.answers: list[int] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)  # let other tasks run while this request is "in flight"
        if self.fake.now >= self.window_end:
            self.window_end += WINDOW * ((self.fake.now - self.window_end) // WINDOW + 1)
            self.used = 0
        self.used += 1
        status = 200 if self.used <= self.limit else 429
        self.answers.append(status)
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.used, 0)),
            "X-RateLimit-Reset": str(int(self.window_end)),
        }
        return httpx.Response(status, json={}, headers=headers)


async def _client_run(
    server: BudgetServer, fake: FakeTime, *, sequential: int, concurrent: int = 0
) -> ApiClient:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as client:
        api = ApiClient(
            client, profile=COLDSEND, api_key="k", base_url="https://cs.test", reserve=2,
            sleep=fake.sleep, clock=fake.clock, rand=lambda: 0.0,
        )  # fmt: skip
        for _ in range(sequential):
            await api.request("GET", "/campaigns")
        await asyncio.gather(*(api.request("GET", "/campaigns") for _ in range(concurrent)))
        return api


def test_requests_wait_for_the_reset_once_the_reserve_is_reached() -> None:
    fake = FakeTime()
    server = BudgetServer(fake, limit=5)
    api = asyncio.run(_client_run(server, fake, sequential=4))
    # Answers said 4, 3, 2 left: the 4th request waits for the window to reset.
    assert fake.sleeps == [60.0]
    assert server.answers == [200, 200, 200, 200]
    assert (api.stats.paced, api.stats.pacing_wait, api.stats.retries) == (1, 60.0, 0)


def test_plenty_of_budget_means_no_waiting() -> None:
    fake = FakeTime()
    server = BudgetServer(fake, limit=100)
    asyncio.run(_client_run(server, fake, sequential=10))
    assert fake.sleeps == []


@pytest.mark.parametrize("concurrent", [5, 20, 50])
def test_concurrent_tasks_share_the_budget_and_never_hit_429(concurrent: int) -> None:
    fake = FakeTime()
    server = BudgetServer(fake, limit=10)
    api = asyncio.run(_client_run(server, fake, sequential=1, concurrent=concurrent))
    assert 429 not in server.answers
    assert len(server.answers) == concurrent + 1
    assert api.stats.rate_limited == 0


@pytest.mark.parametrize("profile", [EASYMAIL, INBOX])
def test_a_429_holds_back_the_other_requests_too(profile: VendorProfile) -> None:
    fake = FakeTime()
    answers = iter([429, 200, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={}, headers={"Retry-After": "10"})

    async def main() -> list[float]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            api = ApiClient(
                client, profile=profile, api_key="k", base_url="https://v.test",
                sleep=fake.sleep, clock=fake.clock,
            )  # fmt: skip
            await api.request("GET", "/a")
            return fake.sleeps

    # The retry waited 10 s; the pacer's hold had expired by then, so no second wait.
    assert asyncio.run(main()) == [10.0]


def test_pacer_hold_delays_the_next_acquire() -> None:
    fake = FakeTime()
    pacer = Pacer(reserve=2, max_wait=60.0, clock=fake.clock, sleep=fake.sleep)

    async def main() -> None:
        pacer.hold(seconds=12.0)
        await pacer.acquire()
        pacer.release()

    asyncio.run(main())
    assert fake.sleeps == [12.0]


def test_pacer_waits_are_capped() -> None:
    fake = FakeTime()
    pacer = Pacer(reserve=2, max_wait=30.0, clock=fake.clock, sleep=fake.sleep)
    pacer.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)})
    asyncio.run(pacer.acquire())
    assert fake.sleeps == [30.0]


def test_a_stale_answer_never_raises_the_budget() -> None:
    fake = FakeTime()
    pacer = Pacer(reserve=2, max_wait=60.0, clock=fake.clock, sleep=fake.sleep)
    reset = str(int(NOW) + 30)
    pacer.observe({"x-ratelimit-remaining": "3", "x-ratelimit-reset": reset})
    pacer.observe({"x-ratelimit-remaining": "7", "x-ratelimit-reset": reset})
    assert pacer.remaining == 3
    later = str(int(NOW) + 90)
    pacer.observe({"x-ratelimit-remaining": "99", "x-ratelimit-reset": later})
    assert (pacer.remaining, pacer.reset_at) == (99, NOW + 90)


def test_in_flight_requests_are_taken_off_the_reported_budget() -> None:
    fake = FakeTime()
    pacer = Pacer(reserve=2, max_wait=60.0, clock=fake.clock, sleep=fake.sleep)

    async def main() -> None:
        for _ in range(4):
            await pacer.acquire()
        pacer.observe({"x-ratelimit-remaining": "9", "x-ratelimit-reset": str(int(NOW) + 30)})

    asyncio.run(main())
    assert pacer.remaining == 6  # three others are still out and may not be counted yet
