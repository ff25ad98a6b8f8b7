"""The request budget: the wait a run's calls imply under the vendors' limits, said up front."""

from __future__ import annotations

import pytest

from reconciler.engine.budget import (
    BudgetPolicy,
    Estimate,
    OverBudget,
    effective_limits,
    format_duration,
    parse_duration,
    suggest_duration,
)
from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.http.pacing import RateWindow
from reconciler.providers.http.profile import RateLimits
from reconciler.providers.inbox.profile import PROFILE as INBOX

COLD = RateLimits(per_minute=100, per_hour=1000)


def test_each_vendor_profile_holds_its_documented_limits() -> None:
    assert COLDSEND.rate_limits == COLD
    assert EASYMAIL.rate_limits == RateLimits(per_minute=100)
    assert INBOX.rate_limits == RateLimits(per_minute=300)


def _estimate(
    done: int, ahead: int, limits: RateLimits = COLD, window: RateWindow | None = None
) -> Estimate:
    return Estimate(
        "cold", "coldsend", done, {"campaign reads": ahead}, limits, window or RateWindow()
    )


@pytest.mark.parametrize(
    ("done", "ahead", "window", "wait"),
    [
        # Fits the minute the run started: no wait.
        (2, 90, RateWindow(), 0.0),
        # 150 calls from a fresh start: the second window opens a minute later.
        (0, 150, RateWindow(), 60.0),
        # What the vendor reported: 30 left, the window resets in 20 s, 2 are kept in reserve.
        (50, 20, RateWindow(100, 30, 20.0, 2), 0.0),
        (50, 40, RateWindow(100, 30, 20.0, 2), 20.0),
        (50, 300, RateWindow(100, 30, 20.0, 2), 20.0 + 2 * 60),
    ],
)
def test_minute_waits(done: int, ahead: int, window: RateWindow, wait: float) -> None:
    assert _estimate(done, ahead, RateLimits(per_minute=100), window).wait() == wait


def test_the_hourly_budget_dominates_a_long_run() -> None:
    # 5,051 calls at 1,000 an hour: five more hours after the first.
    assert _estimate(52, 4_999).wait() == 5 * 3600


def test_the_vendor_reported_minute_wins_and_a_larger_one_drops_the_documented_hour() -> None:
    assert effective_limits(COLD, RateWindow()) == COLD
    assert effective_limits(COLD, RateWindow(limit=5)) == RateLimits(per_minute=5, per_hour=1000)
    # A sandbox without --rate-limit reports 10,000/minute: the documented hour is not its.
    assert effective_limits(COLD, RateWindow(limit=10_000)) == RateLimits(per_minute=10_000)


def test_over_budget_names_each_account_the_estimate_and_the_ways_out() -> None:
    policy = BudgetPolicy(max_wait=300, doing="this plan")
    with pytest.raises(OverBudget) as raised:
        policy.check([_estimate(52, 4_999), _estimate(0, 10, RateLimits(per_minute=100))])
    message = raised.value.message
    assert message.startswith("this plan would wait longer than --max-wait (5 min)")
    [problem] = raised.value.problems
    assert problem.message == (
        "account 'cold' (coldsend): this plan needs 5,051 requests (52 made, 4,999 campaign "
        "reads to go); coldsend allows 100/minute and 1,000/hour, so about 5 h of waiting "
        "for the rate limit"
    )
    for way_out in (
        "--changed-since REF",
        "--account KEY",
        "camp plan campaigns/",
        "--max-wait 6h",
    ):
        assert way_out in problem.hint


def test_a_wait_within_max_wait_is_a_note_and_none_is_silence() -> None:
    policy = BudgetPolicy(max_wait=300)
    [note] = policy.check([_estimate(0, 150), _estimate(0, 10)])
    assert note.endswith("so about 1 min of waiting for the rate limit")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("300", 300), ("90s", 90), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("0", 0)],
)
def test_durations_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5 minutes", "m", "-5", "1.5h"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "shown", "suggested"),
    [
        (45, "45 s", "2m"),
        (61, "1 min", "3m"),
        (180, "3 min", "4m"),
        (5 * 3600 + 120, "5 h 2 min", "6h"),
        (3600, "1 h", "2h"),
    ],
)
def test_durations_read_at_a_glance(seconds: float, shown: str, suggested: str) -> None:
    assert format_duration(seconds) == shown
    assert suggest_duration(seconds) == suggested
