"""The request budget: what a run will cost each account, said before the calls are spent.

The vendors bound every key: ColdSend 100 requests a minute and 1,000 an hour, easymail 100 a
minute, Inbox 300 a minute (each vendor's ``profile.py``). camp paces itself to those windows,
so a run that needs more calls than a window holds simply waits; one that needs more than an
hour's budget would wait for an hourly reset. So before the campaigns are read (once the list
pages are in, which tell how many there are) and before apply writes, camp counts the calls
still ahead per account and works out how long the limits make it wait. Past ``--max-wait``
it stops with the estimate and the ways to plan less at a time; below it, any wait is a note.

The limits used are the vendor's own words where it gives them (``X-RateLimit-Limit``,
``-Remaining`` and ``-Reset`` of its first answers), else the documented ones. No answer
reports the hourly budget: camp assumes none of it was spent before this run, and drops it
for a server that reports a larger minute budget than the vendor documents (a sandbox, a
raised plan), whose documented hour no longer applies either.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.config.problems import Location, Problem
from reconciler.engine.errors import EngineError
from reconciler.plan.values import Plan
from reconciler.providers.base import Provider
from reconciler.providers.http.pacing import RateWindow
from reconciler.providers.http.profile import RateLimits

DEFAULT_MAX_WAIT = 300.0  # seconds: a few minutes of waiting is fine, an hourly reset is not
MINUTE, HOUR = 60.0, 3600.0
WAY_OUT = (
    "plan less at a time: only what changed (--changed-since REF), one account "
    "(--account KEY) or some paths (camp plan campaigns/<folder>)"
)


class OverBudget(EngineError):
    """The run would wait longer than ``--max-wait`` for the vendors' rate limits."""


@dataclass(frozen=True)
class Estimate:
    """The calls one account has made and still needs, and the limits they meet."""

    account: str
    vendor: str
    done: int
    ahead: Mapping[str, int]  # what is still to come, by what it is: {"campaign reads": 334}
    limits: RateLimits
    window: RateWindow = field(default_factory=RateWindow)

    @property
    def remaining_calls(self) -> int:
        return sum(self.ahead.values())

    @property
    def total(self) -> int:
        return self.done + self.remaining_calls

    def wait(self) -> float:
        """Seconds the limits hold the calls ahead back (0 when they fit the budget left)."""
        return max(self._minute_wait(), self._hour_wait())

    def _minute_wait(self) -> float:
        if not self.limits.per_minute:
            return 0.0
        reserve = self.window.reserve  # the pacer never spends these: each window holds less
        per_window = max(self.limits.per_minute - reserve, 1)
        reported = self.window.remaining
        # Before any answer, the window is taken to start with this run.
        left = max(per_window - self.done if reported is None else reported - reserve, 0)
        ahead = self.remaining_calls
        if ahead <= left:
            return 0.0
        resets_in = self.window.resets_in if self.window.resets_in is not None else MINUTE
        return resets_in + MINUTE * (math.ceil((ahead - left) / per_window) - 1)

    def _hour_wait(self) -> float:
        per_hour = self.limits.per_hour
        if not per_hour:
            return 0.0
        return HOUR * (math.ceil(self.total / per_hour) - 1)

    def describe(self) -> str:
        """``5 made, 334 campaign reads to go``"""
        ahead = ", ".join(f"{n:,} {what}" for what, n in self.ahead.items() if n)
        return f"{self.done:,} made, {ahead or 'nothing'} to go"


def effective_limits(documented: RateLimits, window: RateWindow) -> RateLimits:
    """The minute budget the vendor reported for this key, else the documented one; the
    documented hour only while the reported minute is not larger than the documented one."""
    reported = window.limit
    if reported is None:
        return documented
    beyond = documented.per_minute is not None and reported > documented.per_minute
    return RateLimits(per_minute=reported, per_hour=None if beyond else documented.per_hour)


def writes_ahead(plan: Plan, account: str, provider: Provider) -> int:
    """Requests applying ``plan`` makes in ``account`` (``Provider.write_calls``)."""
    return sum(
        provider.write_calls(action)
        for campaign in plan.changed
        if campaign.ref.account == account
        for action in campaign.actions
    )


def apply_estimates(
    plan: Plan, providers: Mapping[str, Provider], *, verify: bool
) -> list[Estimate]:
    """Per account touched: the writes ahead, and with ``--verify`` a second plan's reads
    (as many as the first plan made)."""
    out = []
    for account in sorted({c.ref.account for c in plan.changed}):
        provider = providers[account]
        ahead = {"writes": writes_ahead(plan, account, provider)}
        if verify:
            ahead["verify reads"] = provider.api.stats.requests
        out.append(estimate(provider, ahead))
    return out


def estimate(provider: Provider, ahead: Mapping[str, int]) -> Estimate:
    """The estimate for ``provider``'s account: its requests so far and ``ahead``."""
    api = provider.api
    window = api.rate_window()
    lookups = 0 if provider.directory_loaded else provider.lookup_calls
    calls = {**ahead, "look-ups": ahead.get("look-ups", 0) + lookups}
    return Estimate(
        provider.account,
        api.vendor,
        api.stats.requests,
        {what: n for what, n in calls.items() if n},
        effective_limits(api.rate_limits, window),
        window,
    )


@dataclass(frozen=True)
class BudgetPolicy:
    """How long a run may wait for rate limits (``--max-wait``), and what it is doing."""

    max_wait: float = DEFAULT_MAX_WAIT
    doing: str = "this plan"

    def check(self, estimates: Sequence[Estimate]) -> list[str]:
        """Notes for the waits within ``max_wait``; ``OverBudget`` naming every account past it."""
        over = [e for e in estimates if e.wait() > self.max_wait]
        if over:
            longest = max(e.wait() for e in over)
            hint = f"{WAY_OUT}; or allow the wait: --max-wait {suggest_duration(longest)}"
            problems = [Problem(Location("camp.yaml"), self._line(e), hint) for e in over]
            raise OverBudget(
                f"{self.doing} would wait longer than --max-wait "
                f"({format_duration(self.max_wait)}) for the vendors' rate limits: "
                "nothing was changed",
                problems,
            )
        return [self._line(e) for e in estimates if e.wait() >= 1]

    def _line(self, e: Estimate) -> str:
        return (
            f"account {e.account!r} ({e.vendor}): {self.doing} needs {e.total:,} requests "
            f"({e.describe()}); {e.vendor} allows {e.limits.describe()}, so about "
            f"{format_duration(e.wait())} of waiting for the rate limit"
        )


_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str) -> float:
    """``300`` (seconds), ``90s``, ``5m``, ``1h``, ``1h30m`` → seconds; ValueError otherwise."""
    text = text.strip().lower()
    if text.isdigit():
        return float(text)
    match = _DURATION.match(text)
    if not text or match is None:
        raise ValueError(f"{text!r} is not a duration such as 90s, 5m or 1h30m")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def format_duration(seconds: float) -> str:
    """``45 s``, ``3 min``, ``5 h 2 min``: what a person reads at a glance."""
    seconds = max(round(seconds), 0)
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def suggest_duration(seconds: float) -> str:
    """A ``--max-wait`` value that covers ``seconds`` (rounded up to a whole minute or hour)."""
    minutes = math.ceil(seconds / 60) + 1
    if minutes < 60:
        return f"{minutes}m"
    return f"{math.ceil(minutes / 60)}h"
