"""Proactive pacing and counters shared by every task that uses one ``ApiClient``.

A plan reads many campaigns concurrently; waiting for 429s to slow down wastes the vendor's
budget and our retries. The pacer reads ``X-RateLimit-Remaining`` / ``X-RateLimit-Reset`` from
every response and, once the budget is down to a small reserve, holds new requests until the
window resets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from reconciler.providers.http.profile import reset_at

# Responses whose reset times differ by less than this describe the same window
# (a reset sent as a delta drifts by up to a second between responses).
_SAME_WINDOW_SECONDS = 1.5


@dataclass
class ClientStats:
    """Counters for benchmarks and ``-v`` output; one per ``ApiClient``."""

    requests: int = 0
    retries: int = 0
    retry_wait: float = 0.0
    rate_limited: int = 0
    paced: int = 0
    pacing_wait: float = 0.0
    responses_lost: int = 0


@dataclass(frozen=True)
class RateWindow:
    """The budget of the current rate-limit window as the vendor last reported it.

    Every field is None until an answer says (and ``remaining`` / ``resets_in`` once the
    window has reset). ``reserve`` requests of each window are never spent: the pacer waits
    for the next window instead.
    """

    limit: int | None = None
    remaining: int | None = None
    resets_in: float | None = None
    reserve: int = 0


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None


class Pacer:
    """The vendor's remaining budget as last reported, minus requests started since."""

    def __init__(
        self,
        *,
        reserve: int,
        max_wait: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self._reserve = reserve
        self._on_wait = on_wait  # told before each wait for a new window (progress output)
        self._max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self.remaining: int | None = None
        self.reset_at: float | None = None
        self.limit: int | None = None
        self.in_flight = 0
        self._news = asyncio.Event()

    async def acquire(self) -> float:
        """Wait while the budget is at the reserve, then count one request; return the wait.

        Every ``acquire`` must be paired with a ``release`` once the request is over. Holding
        the lock while waiting queues the other tasks behind the first one that waits.
        """
        async with self._lock:
            start = self._clock()
            waited = False
            while self._at_reserve():
                waited = True
                if not await self._wait_for_budget():
                    break
            if self.remaining is not None:
                self.remaining -= 1
            self.in_flight += 1
            return self._clock() - start if waited else 0.0

    def release(self) -> None:
        """The request got an answer or failed: it no longer counts as in flight."""
        self.in_flight -= 1
        self._news.set()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Take the budget from a response; never raise it within the same window.

        Requests still in flight may not be counted by the server yet, so they are taken off
        what it reports (this response's own request is among ``in_flight``).
        """
        self.limit = _int_header(headers, "x-ratelimit-limit") or self.limit
        reported = _int_header(headers, "x-ratelimit-remaining")
        if reported is None:
            return
        remaining = reported - max(self.in_flight - 1, 0)
        reset = reset_at(headers, now=self._clock())
        if self._same_window(reset) and self.remaining is not None:
            self.remaining = min(self.remaining, remaining)
        elif reset is None or self.reset_at is None or reset > self.reset_at:
            self.remaining, self.reset_at = remaining, reset

    def window(self) -> RateWindow:
        """What is known of the current window, for estimates made before spending it."""
        self._expire()
        resets_in = None if self.reset_at is None else max(self.reset_at - self._clock(), 0.0)
        return RateWindow(self.limit, self.remaining, resets_in, self._reserve)

    def hold(self, *, seconds: float) -> None:
        """After a 429: every request through this client waits ``seconds`` too."""
        until = self._clock() + seconds
        self.remaining = 0
        self.reset_at = max(self.reset_at or until, until)

    def _same_window(self, reset: float | None) -> bool:
        if reset is None or self.reset_at is None:
            return False
        return abs(reset - self.reset_at) < _SAME_WINDOW_SECONDS

    def _at_reserve(self) -> bool:
        self._expire()
        return self.remaining is not None and self.remaining <= self._reserve

    async def _wait_for_budget(self) -> bool:
        """Sleep until the reset or, if it is unknown, until an answer brings news.

        Returns False when nothing can bring news (no reset known, nothing in flight).
        """
        if self.reset_at is not None:
            seconds = min(max(self.reset_at - self._clock(), 0.0), self._max_wait)
            if self._on_wait is not None and seconds > 0:
                self._on_wait(seconds)
            await self._sleep(seconds)
            self._new_window()
            return True
        if self.in_flight == 0:
            return False
        self._news.clear()
        await self._news.wait()
        return True

    def _expire(self) -> None:
        if self.reset_at is not None and self.reset_at <= self._clock():
            self._new_window()

    def _new_window(self) -> None:
        """The window has reset: assume the full limit, less what is still on its way."""
        self.remaining = None if self.limit is None else self.limit - self.in_flight
        self.reset_at = None
