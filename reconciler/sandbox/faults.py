"""Fault injection for the sandbox: latency, 5xx answers, a rate-limit budget, dropped connections.

The dice are one ``random.Random(seed)`` so that a run can be replayed (shared/api/sandbox.md):
with ``error_rate`` 0, exactly one ``.random()`` draw is made per request that reaches a vendor
handler, and the request is dropped when that draw is below ``drop_rate``. With ``error_rate``
above 0 one more draw is made first, for every request that passed the rate limit.

Deliberate deviation: without a configured budget the sandbox does not throttle and reports a
generous limit of 10,000 requests per minute in the headers. The documented vendor limits
(100/min for ColdSend and easymail) would make tests and demos crawl; ``--rate-limit RPM``
(``rate_limit_per_minute``) restores a real budget, for every vendor alike.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace

import httpx

UNTHROTTLED_LIMIT = 10_000
WINDOW_SECONDS = 60


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised in-process (no socket to close) where a real server would drop the connection.

    It subclasses ``httpx.RemoteProtocolError`` so that a client driving the app through
    ``httpx.ASGITransport`` meets the same exception family (``httpx.TransportError``) as over
    real HTTP, where httpx reports "Server disconnected without sending a response".
    """


@dataclass(frozen=True)
class FaultConfig:
    """The faults of shared/api/sandbox.md; the defaults inject nothing.

    A ``rate_limit_per_minute`` of 0 turns the budget off like ``None``, and is kept as ``None``.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_per_minute: int | None = None
    drop_rate: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.rate_limit_per_minute == 0:
            object.__setattr__(self, "rate_limit_per_minute", None)

    def as_json(self) -> dict[str, object]:
        """The JSON form answered by ``/_sandbox/faults``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


FAULT_KEYS = tuple(f.name for f in fields(FaultConfig))


def validate_fault_changes(body: Mapping[str, object]) -> list[str]:
    """Reasons why ``body`` is not a valid ``/_sandbox/faults`` update (empty when valid)."""
    reasons = [f"unknown key: {key}" for key in body if key not in FAULT_KEYS]
    for key in ("error_rate", "drop_rate"):
        if key in body and not _is_probability(body[key]):
            reasons.append(f"{key} must be a number between 0 and 1")
    if "latency_ms" in body and not _is_int(body["latency_ms"], minimum=0):
        reasons.append("latency_ms must be an integer >= 0")
    limit = body.get("rate_limit_per_minute")
    if limit is not None and not _is_int(limit, minimum=0):
        reasons.append("rate_limit_per_minute must be an integer >= 0 (0: no budget) or null")
    seed = body.get("seed")
    if seed is not None and not _is_int(seed, minimum=None):
        reasons.append("seed must be an integer or null")
    return reasons


def _is_probability(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _is_int(value: object, *, minimum: int | None) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return minimum is None or value >= minimum


@dataclass(frozen=True)
class RateDecision:
    """What the rate limiter says about one request, and the headers it implies."""

    limit: int
    remaining: int
    reset_epoch: int
    limited: bool
    retry_after: int


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class FaultState:
    """The live fault configuration, its dice and the per-vendor rate windows.

    ``wall`` is real time (seconds since the epoch); rate windows run on it, not on the sandbox
    clock, because budgets protect real throughput. Tests may replace it.
    """

    config: FaultConfig = field(default_factory=FaultConfig)
    wall: Callable[[], float] = time.time
    rng: random.Random = field(init=False)
    windows: dict[str, _Window] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.config.seed)

    def update(self, changes: Mapping[str, object]) -> FaultConfig:
        """Apply a validated subset of keys; ``seed`` (even unchanged) restarts the dice.

        ``replace`` runs ``FaultConfig.__post_init__``, so a budget of 0 is stored as none.
        """
        self.config = replace(self.config, **changes)  # type: ignore[arg-type]
        if "seed" in changes:
            self.rng = random.Random(self.config.seed)
        if "rate_limit_per_minute" in changes:
            self.windows.clear()
        return self.config

    def rate_check(self, vendor: str) -> RateDecision:
        """Count one request against ``vendor``'s fixed 60 s window (429'd ones do not count)."""
        now = self.wall()
        window = self.windows.get(vendor)
        if window is None or now >= window.started + WINDOW_SECONDS:
            window = self.windows[vendor] = _Window(started=now)
        reset = window.started + WINDOW_SECONDS
        budget = self.config.rate_limit_per_minute
        limit = budget if budget is not None else UNTHROTTLED_LIMIT
        limited = budget is not None and window.count >= budget
        if not limited:
            window.count += 1
        retry_after = max(1, math.ceil(reset - now))
        remaining = max(0, limit - window.count)
        return RateDecision(limit, remaining, math.ceil(reset), limited, retry_after)

    def roll_error(self) -> int | None:
        """500 or 503 for a share ``error_rate`` of requests; no draw at all when it is 0."""
        rate = self.config.error_rate
        if rate <= 0:
            return None
        draw = self.rng.random()
        if draw >= rate:
            return None
        return 500 if draw < rate / 2 else 503

    def roll_drop(self) -> bool:
        """One draw per request that reaches a handler: drop it when below ``drop_rate``."""
        return self.rng.random() < self.config.drop_rate
