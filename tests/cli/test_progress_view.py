"""The progress view: live status line on a terminal, timestamped lines elsewhere, nothing
with -q, and the -v summary of calls per endpoint and time spent waiting."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from reconciler.cli import progress_view
from reconciler.cli.progress_view import ProgressView, Tally
from reconciler.providers.progress import Exchange, Phase, Progress, Wait, endpoint, report

STAMP = r"\d\d:\d\d:\d\d "


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def views(clock: Clock) -> Iterator[list[ProgressView]]:
    """Views attached to camp's logger for one test, detached after it."""
    made: list[ProgressView] = []
    yield made
    for view in made:
        progress_view.uninstall(view, verbose=False)


def _attach(
    views: list[ProgressView], clock: Clock, *, live: bool, verbose: bool = False, width: int = 200
) -> None:
    stream = io.StringIO()
    view = progress_view.install(stream, verbose=verbose, quiet=False, live=live)
    view._clock = clock  # the seam: throttling and countdowns read it
    view._width = lambda: width
    views.append(view)


def _output(views: list[ProgressView]) -> str:
    stream = views[-1].stream
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


def test_plain_lines_are_timestamped_and_a_count_is_throttled(
    views: list[ProgressView], clock: Clock
) -> None:
    _attach(views, clock, live=False)
    report(Progress(task="read cold", text="cold: reading", total=3, unit="campaigns"))
    report(Progress(task="read cold", text="cold: reading", done=1, total=3, unit="campaigns"))
    clock.now += progress_view.PLAIN_EVERY
    report(Progress(task="read cold", text="cold: reading", done=2, total=3, unit="campaigns"))
    report(Progress(task="read cold", text="cold: 3 live campaigns, read", finished=True))
    lines = _output(views).splitlines()
    assert [re.sub(STAMP, "", line, count=1) for line in lines] == [
        "cold: reading 0/3 campaigns",
        "cold: reading 2/3 campaigns",  # the 1/3 in between is not worth a log line
        "cold: 3 live campaigns, read",
    ]
    assert all(re.match(STAMP, line) for line in lines)
    assert "\x1b" not in _output(views)


def test_on_a_terminal_the_status_line_is_redrawn_and_news_printed_above(
    views: list[ProgressView], clock: Clock
) -> None:
    _attach(views, clock, live=True)
    report(Progress(task="read cold", text="cold: reading", total=2, unit="campaigns"))
    report(Progress(task="read news", text="news: listing campaigns"))
    wait = Wait(account="cold", vendor="coldsend", seconds=42, reason="rate limit reached")
    report(wait)
    report(Progress(task="read cold", text="cold: done", finished=True))
    out = _output(views)
    assert "\r\x1b[Kcold: reading 0/2 campaigns" in out
    assert "\r\x1b[Kcold: reading 0/2 campaigns · news: listing campaigns" in out
    assert f"\r\x1b[K{wait}\n" in out  # lasting news on its own line, status cleared first
    assert "cold (coldsend): waiting, 42 s left" in out  # the countdown on the status line
    assert "\r\x1b[Kcold: done\n" in out
    assert not re.search(STAMP, out)


def test_on_a_terminal_a_new_count_alone_redraws_at_most_every_live_every(
    views: list[ProgressView], clock: Clock
) -> None:
    """A thousand reads in a few seconds are ten redraws a second, not a thousand; a phase that
    starts or ends is drawn at once."""
    _attach(views, clock, live=True)
    cold = dict(task="read cold", text="cold: reading", total=1000, unit="campaigns")
    report(Progress(**cold))
    for done in range(1, 101):
        clock.now += progress_view.LIVE_EVERY / 10
        report(Progress(**cold, done=done))
    report(Progress(task="read news", text="news: listing campaigns"))
    out = _output(views)
    assert 9 <= out.count("\r\x1b[Kcold: reading ") <= 12, out.count("\r\x1b[K")
    assert "cold: reading 100/1,000 campaigns · news: listing campaigns" in out


def test_the_status_line_is_cut_to_the_terminal_width(
    views: list[ProgressView], clock: Clock
) -> None:
    _attach(views, clock, live=True, width=30)
    report(Progress(task="read cold", text="cold: a status far wider than the terminal"))
    assert _output(views) == "\r\x1b[Kcold: a status far wider tha…"  # 29 columns


def test_a_wait_counts_down_while_nothing_else_happens(
    views: list[ProgressView], clock: Clock
) -> None:
    _attach(views, clock, live=True)
    report(Wait(account="cold", vendor="coldsend", seconds=42, reason="rate limit reached"))
    clock.now += 12
    views[-1]._draw(views[-1]._status_text())  # as the ticker does each second
    assert "cold (coldsend): waiting, 30 s left" in _output(views)


def test_lines_printed_by_the_command_do_not_tear_the_status(
    views: list[ProgressView], clock: Clock
) -> None:
    _attach(views, clock, live=True)
    report(Progress(task="apply", text="applying campaigns:", total=2, unit="done"))
    stdout = io.StringIO()
    views[-1].echo("✓ campaign one", stream=stdout)
    assert stdout.getvalue() == "✓ campaign one\n"
    out = _output(views)
    assert out.endswith("\r\x1b[K\r\x1b[Kapplying campaigns: 0/2 done")


def test_quiet_shows_nothing(views: list[ProgressView], clock: Clock) -> None:
    stream = io.StringIO()
    view = progress_view.install(stream, verbose=False, quiet=True, live=False)
    views.append(view)
    Phase("read cold", "cold: listing campaigns").finish("cold: done")
    report(Wait(account="cold", vendor="coldsend", seconds=3, reason="rate limit reached"))
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("verbose", "shown"), [(False, False), (True, True)])
def test_exchanges_only_with_verbose(
    views: list[ProgressView], clock: Clock, verbose: bool, shown: bool
) -> None:
    _attach(views, clock, live=False, verbose=verbose)
    exchange = Exchange(account="cold", method="GET", path="/campaigns", status=200, ms=12.3)
    report(exchange, level=logging.DEBUG)
    assert ("cold: GET /campaigns → 200 in 12 ms" in _output(views)) is shown


def test_verbose_ends_with_calls_per_endpoint_and_time_waited() -> None:
    tally = Tally()
    for path, status in [("/campaigns/ab12cd34ef", 200), ("/campaigns/99", 503), ("/lists", 200)]:
        tally.add(Exchange(account="cold", method="GET", path=path, status=status, ms=10))
    tally.add(Exchange(account="news", method="POST", path="/campaigns", status=201, ms=30))
    tally.add(Wait(account="cold", vendor="coldsend", seconds=30, reason="rate limit reached"))
    tally.add(
        Wait(account="cold", vendor="coldsend", seconds=1.5, reason="503", attempt=2, request="x")
    )
    assert tally.lines() == [
        "HTTP: 4 calls, 1 retried; waited 32 s (rate limits 30 s, retry back-off 1.5 s)",
        "        2 ×     10 ms  cold  GET /campaigns/{id}",
        "        1 ×     10 ms  cold  GET /lists",
        "        1 ×     30 ms  news  POST /campaigns",
    ]


def test_the_summary_is_printed_when_verbose_detaches() -> None:
    stream = io.StringIO()
    view = progress_view.install(stream, verbose=True, quiet=False, live=False)
    report(Exchange(account="cold", method="GET", path="/x", status=200, ms=1), level=10)
    progress_view.uninstall(view, verbose=True)
    assert stream.getvalue().splitlines()[-2].startswith("HTTP: 1 call, 0 retried;")
    assert not logging.getLogger("reconciler").handlers


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/campaigns", "/campaigns"),
        ("/campaigns/v2", "/campaigns/v2"),
        ("/campaigns/v2/cmx92zp5e0006yvql56e", "/campaigns/v2/{id}"),
        ("/campaigns/42/leads?page=3", "/campaigns/{id}/leads"),
        ("/campaigns/8f3a9b2c-aaaa/leads/upload/job12345", "/campaigns/{id}/leads/upload/{id}"),
    ],
)
def test_endpoints_group_ids(path: str, shown: str) -> None:
    assert endpoint(path) == shown
