"""What long-running work reports while it runs, through the standard ``logging`` module.

Reading live state, uploading leads, applying, waiting for a rate-limit window, retrying: each
is a log record on a ``reconciler.*`` logger whose ``camp_event`` attribute holds one of the
events below, and whose message is that event as a sentence. Library code only reports; the
CLI decides how to show it (a live status line on a terminal, timestamped lines in CI logs,
nothing with ``-q``), and a program embedding camp gets ordinary log records.

Levels: progress and waits are INFO; each HTTP exchange is DEBUG (``camp -v``). No event ever
holds a header, a key, a query string or a body: paths, statuses, counts and durations only.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

EVENT_ATTR = "camp_event"
HTTP_LOG = logging.getLogger("reconciler.http")
PROGRESS_LOG = logging.getLogger("reconciler.progress")

# An id segment (``/campaigns/8f3a…/leads``, ``/lists/42``): all digits, or 8+ characters
# holding a digit (a version such as ``v2`` is not an id). One endpoint for all its ids.
_ID_SEGMENT = re.compile(r"(?<=/)(?:\d+|(?=[^/]*\d)[^/]{8,})(?=/|$)")


def endpoint(path: str) -> str:
    """``/campaigns/123/leads?page=2`` → ``/campaigns/{id}/leads``: what ``-v`` counts calls by."""
    return _ID_SEGMENT.sub("{id}", path.split("?", 1)[0])


def seconds(value: float) -> str:
    """``0.4 s``, ``12 s``, ``2 min 5 s``: a duration as a person reads it."""
    if value < 10:
        return f"{value:.1f} s"
    whole = round(value)
    return f"{whole} s" if whole < 120 else f"{whole // 60} min {whole % 60} s"


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """One HTTP attempt and its outcome (``camp -v``); ``status`` None means no answer."""

    account: str
    method: str
    path: str
    status: int | None
    failure: str = ""
    ms: float
    attempt: int = 1

    def __str__(self) -> str:
        outcome = str(self.status) if self.status is not None else f"no answer ({self.failure})"
        retry = f" (retry {self.attempt - 1})" if self.attempt > 1 else ""
        return f"{self.account}: {self.method} {self.path} → {outcome} in {self.ms:,.0f} ms{retry}"


@dataclass(frozen=True, kw_only=True)
class Wait:
    """A pause before the next request: the vendor's rate-limit window, or a retry's back-off.

    ``attempt`` is the attempt the wait leads to (None for pacing, which retries nothing);
    ``reason`` says why in the user's terms (the status, the connection failure).
    """

    account: str
    vendor: str
    seconds: float
    reason: str
    request: str = ""
    attempt: int | None = None
    max_attempts: int | None = None
    rate_limit: bool = False

    def __str__(self) -> str:
        wait = seconds(self.seconds)
        who = f"{self.account} ({self.vendor})"
        if self.attempt is None:
            return f"{who}: {self.reason}: waiting {wait} for a new rate-limit window"
        limit = f" of {self.max_attempts}" if self.max_attempts else ""
        attempt = f"attempt {self.attempt}{limit}"
        return f"{who}: {self.request} → {self.reason}; retrying in {wait} ({attempt})"


@dataclass(frozen=True, kw_only=True)
class Progress:
    """A phase with a count (reading an account, uploading leads, applying campaigns).

    ``task`` keys the phase (the CLI keeps one status per task); ``finished`` ends it, with a
    ``text`` that says what was done.
    """

    task: str
    text: str
    done: int = 0
    total: int | None = None
    unit: str = ""
    finished: bool = False

    def __str__(self) -> str:
        if self.finished or (self.total is None and not self.done):
            return self.text
        total = f"/{self.total:,}" if self.total is not None else ""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.text} {self.done:,}{total}{unit}"


Event = Exchange | Wait | Progress


def report(event: Event, *, level: int = logging.INFO) -> None:
    """Log ``event`` on its logger (HTTP or progress), as a sentence with the event attached."""
    logger = PROGRESS_LOG if isinstance(event, Progress) else HTTP_LOG
    if logger.isEnabledFor(level):
        logger.log(level, "%s", event, extra={EVENT_ATTR: event})


class Phase:
    """Reports one counted phase: started, a step at a time, finished with a closing sentence."""

    def __init__(self, task: str, text: str, *, total: int | None = None, unit: str = "") -> None:
        self.task, self.text, self.total, self.unit = task, text, total, unit
        self.done = 0
        self.started = time.monotonic()
        self._report()

    @property
    def elapsed(self) -> str:
        return seconds(time.monotonic() - self.started)

    def count(self, total: int, *, text: str | None = None) -> None:
        """Now the total is known (e.g. after listing); optionally a new description."""
        self.total, self.text = total, text or self.text
        self._report()

    def step(self, n: int = 1) -> None:
        self.done += n
        self._report()

    def finish(self, text: str) -> None:
        report(Progress(task=self.task, text=text, done=self.done, total=self.total, finished=True))

    def _report(self) -> None:
        report(
            Progress(
                task=self.task, text=self.text, done=self.done, total=self.total, unit=self.unit
            )
        )


def plural(n: int, word: str) -> str:
    """``1 lead``, ``30,000 leads``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
