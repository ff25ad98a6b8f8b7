"""Show what a long run is doing, on stderr: the CLI's handler for camp's ``progress`` events.

- On a terminal: one live status line (accounts being read with their counts, uploads with the
  rows done, the seconds left of a rate-limit wait), redrawn in place every second, with the
  lasting news (retries, waits, a phase finished) printed above it. A new count alone redraws
  it at most every ``LIVE_EVERY`` seconds (a phase that starts or ends, at once).
- Elsewhere (CI logs, a pipe): the same news as plain lines stamped with the time, and a
  phase's count at most every ``PLAIN_EVERY`` seconds, so a log shows a long run is alive
  without a line per campaign.
- ``-q``: nothing. ``-v``: also every HTTP exchange, and at the end the calls per endpoint and
  the time spent waiting (``Tally``).

Plain lines rather than a library such as rich: one status line and timestamped lines are a
few ANSI sequences, and camp keeps its dependencies to what it cannot do without.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from reconciler.providers.progress import EVENT_ATTR, Exchange, Progress, Wait, endpoint, seconds

PLAIN_EVERY = 5.0  # seconds between two lines of one phase's count in plain mode
PLAIN_WAIT_EVERY = 15.0  # seconds between two "still waiting" lines in plain mode
TICK = 1.0  # seconds between two redraws of the live status line
LIVE_EVERY = 0.1  # seconds between two redraws of the status line for a new count alone
_CLEAR = "\r\x1b[K"
CAMP_LOGGER = logging.getLogger("reconciler")


@dataclass
class Tally:
    """What ``-v`` sums up at the end: calls per (account, method, endpoint), time waited."""

    calls: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    millis: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    retries: int = 0
    waited_rate_limit: float = 0.0
    waited_retry: float = 0.0

    def add(self, event: Exchange | Wait) -> None:
        if isinstance(event, Exchange):
            key = (event.account, event.method, endpoint(event.path))
            self.calls[key] += 1
            self.millis[key] += round(event.ms)
            return
        self.retries += event.attempt is not None
        if event.attempt is None or event.rate_limit:
            self.waited_rate_limit += event.seconds
        else:
            self.waited_retry += event.seconds

    def lines(self) -> list[str]:
        if not self.calls:
            return []
        total = sum(self.calls.values())
        waited = self.waited_rate_limit + self.waited_retry
        head = (
            f"HTTP: {total:,} call{'s' if total != 1 else ''}, {self.retries:,} retried; "
            f"waited {seconds(waited)} (rate limits {seconds(self.waited_rate_limit)}, "
            f"retry back-off {seconds(self.waited_retry)})"
        )
        width = max(len(account) for account, _, _ in self.calls)
        rows = [
            f"  {n:>7,} × {self.millis[(a, m, p)] / n:>6,.0f} ms  {a:<{width}}  {m} {p}"
            for (a, m, p), n in sorted(self.calls.items())
        ]
        return [head, *rows]


class ProgressView(logging.Handler):
    """Writes camp's progress records to ``stream``, live on a terminal, plain otherwise."""

    def __init__(
        self,
        stream: TextIO,
        *,
        live: bool,
        clock: Callable[[], float] = time.monotonic,
        width: Callable[[], int] = lambda: shutil.get_terminal_size().columns,
    ) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.live = live
        self.tally = Tally()
        self._clock = clock
        self._width = width
        self._tasks: dict[str, Progress] = {}
        self._waits: dict[str, tuple[float, Wait]] = {}  # account → (deadline, wait)
        self._printed: dict[str, float] = {}  # plain mode: when a task's count was last shown
        self._status = ""
        self._drawn = float("-inf")  # when the status line was last drawn
        self._mutex = threading.RLock()  # the ticker thread redraws too
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    # -- logging.Handler -------------------------------------------------------------------

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with self._mutex:
                self._emit(record)
        except Exception:  # a display problem must never end the run
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, EVENT_ATTR, None)
        if isinstance(event, Exchange | Wait):
            self.tally.add(event)
        if isinstance(event, Progress):
            self._progress(event)
            return
        if isinstance(event, Wait):
            self._waits[event.account] = (self._clock() + event.seconds, event)
            self._printed[f"wait {event.account}"] = self._clock()
            self._start_ticker()
        self._news(record.getMessage())

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=2)
        with self._mutex:
            self._draw("")
        super().close()

    # -- what the CLI prints itself ---------------------------------------------------------

    def echo(self, text: str, *, stream: TextIO) -> None:
        """Print a lasting line to ``stream`` without tearing the status line."""
        with self._mutex:
            status = self._status
            self._draw("")
            stream.write(text + "\n")
            stream.flush()
            self._draw(status)

    # -- internals -------------------------------------------------------------------------

    def _progress(self, event: Progress) -> None:
        if event.finished:
            self._tasks.pop(event.task, None)
            self._printed.pop(event.task, None)
            if event.text:
                self._news(event.text)
            elif self.live:
                self._draw(self._status_text())
            return
        first = event.task not in self._tasks
        self._tasks[event.task] = event
        if self.live:
            self._start_ticker()
            if first or self._clock() - self._drawn >= LIVE_EVERY:
                self._draw(self._status_text())
        elif first or self._clock() - self._printed.get(event.task, 0.0) >= PLAIN_EVERY:
            self._printed[event.task] = self._clock()
            self._write(self._stamped(str(event)))

    def _news(self, text: str) -> None:
        if self.live:
            self._draw("")
            self._write(text)
            self._draw(self._status_text())
        else:
            self._write(self._stamped(text))

    def _stamped(self, text: str) -> str:
        return f"{datetime.now():%H:%M:%S} {text}"

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def _status_text(self) -> str:
        now = self._clock()
        self._waits = {a: w for a, w in self._waits.items() if w[0] > now}
        parts = [str(task) for task in self._tasks.values()]
        parts += [
            f"{wait.account} ({wait.vendor}): waiting, {seconds(deadline - now)} left"
            for deadline, wait in self._waits.values()
        ]
        return " · ".join(parts)

    def _draw(self, status: str) -> None:
        """Replace the status line (live mode only); an empty status clears it."""
        if not self.live or (status == self._status == ""):
            return
        limit = max(self._width() - 1, 10)
        shown = status if len(status) <= limit else status[: limit - 1] + "…"
        self.stream.write(_CLEAR + shown)
        self.stream.flush()
        self._status = status
        self._drawn = self._clock()

    def _start_ticker(self) -> None:
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="camp-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        """Once a second: a wait counts down on the status line (or, in plain mode, says it
        is still waiting every ``PLAIN_WAIT_EVERY`` seconds) while nothing else happens."""
        while not self._stop.wait(TICK):
            with self._mutex:
                if self.live and (self._status or self._waits):
                    self._draw(self._status_text())
                elif not self.live:
                    self._still_waiting()

    def _still_waiting(self) -> None:
        now = self._clock()
        for deadline, wait in list(self._waits.values()):
            key = f"wait {wait.account}"
            if deadline - now >= 1 and now - self._printed.get(key, now) >= PLAIN_WAIT_EVERY:
                self._printed[key] = now
                left = seconds(deadline - now)
                self._write(self._stamped(f"{wait.account} ({wait.vendor}): waiting, {left} left"))


def install(stream: TextIO, *, verbose: bool, quiet: bool, live: bool) -> ProgressView:
    """Route camp's loggers to a new view: DEBUG with ``-v``, nothing below WARNING with -q."""
    view = ProgressView(stream, live=live)
    CAMP_LOGGER.addHandler(view)
    CAMP_LOGGER.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    CAMP_LOGGER.propagate = False
    return view


def uninstall(view: ProgressView, *, verbose: bool) -> None:
    """Detach the view; with ``-v``, end with the HTTP summary."""
    CAMP_LOGGER.removeHandler(view)
    CAMP_LOGGER.setLevel(logging.NOTSET)
    CAMP_LOGGER.propagate = True
    view.close()
    if verbose:
        for line in view.tally.lines():
            view.stream.write(line + "\n")
        view.stream.flush()
