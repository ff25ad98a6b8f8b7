"""What the core keeps for every vendor: the SQLite connection, the clock, the request log and
the outbox; and how a vendor creates its tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict


def open_db(db_path: str | Path | None) -> sqlite3.Connection:
    """One connection shared by all vendors: autocommit, usable from any thread."""
    target = ":memory:" if db_path is None else str(db_path)
    db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    return db


def create_tables_with_due(
    db: sqlite3.Connection,
    schema: str,
    *,
    table: str,
    backfill: Callable[[sqlite3.Connection], None],
) -> None:
    """Run a vendor's ``schema``, in which campaign ``table`` has a ``due`` column, and index it.

    ``due`` is when the vendor's ``progress.advance`` next has to look at a row. A database
    written before due times existed gets the column first, and ``backfill`` fills it in for the
    rows that already have something pending.
    """
    db.executescript(schema)
    columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    if "due" not in columns:
        db.execute(f"ALTER TABLE {table} ADD COLUMN due REAL")
        backfill(db)
    db.execute(f"CREATE INDEX IF NOT EXISTS {table}_due ON {table} (due)")


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` and whole seconds, the form the vendors answer with."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: How far the clock may be advanced: far enough for any test, and leaving every vendor room to
#: add its own delays to a sandbox instant without overflowing ``datetime``.
LAST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)


@dataclass
class SandboxClock:
    """Real UTC time plus whatever ``/_sandbox/clock`` advanced it by.

    It never moves backwards, not even on ``/_sandbox/reset`` (shared/api/sandbox.md): instants
    a client saw before a reset stay in the past after it.
    """

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        """Move forward; ``ValueError`` (and no move) past :data:`LAST_INSTANT`."""
        try:
            offset = self.offset + timedelta(seconds=seconds)
            beyond = datetime.now(UTC) + offset > LAST_INSTANT
        except OverflowError:
            beyond = True
        if beyond:
            raise ValueError(f"the sandbox clock cannot pass {iso_z(LAST_INSTANT)}")
        self.offset = offset
        return self.now()


class LogEntry(TypedDict):
    """One line of ``GET /_sandbox/requests``."""

    vendor: str
    method: str
    path: str
    status: int
    at: str


@dataclass
class RequestLog:
    """The log of vendor requests, newest last; admin calls never enter it."""

    entries: list[LogEntry] = field(default_factory=list)

    def record(self, *, vendor: str, method: str, path: str, at: datetime) -> LogEntry:
        """Add an entry now (so a dropped or failing request is logged too); status comes later."""
        entry = LogEntry(vendor=vendor, method=method, path=path, status=0, at=iso_z(at))
        self.entries.append(entry)
        return entry

    def clear(self) -> None:
        self.entries.clear()


class OutboxEntry(TypedDict):
    """One email a vendor's test endpoint sent: a line of ``GET /_sandbox/outbox``."""

    vendor: str
    campaign_id: str
    to: str
    from_name: str | None
    from_email: str | None
    subject: str | None
    preheader: str | None
    markdown: str | None  # the stored (flattened) body
    html: str | None  # its CommonMark rendering
    at: str  # the sandbox clock's instant


@dataclass
class Outbox:
    """The emails sent by test endpoints, oldest first; nothing here ever reaches anyone."""

    entries: list[OutboxEntry] = field(default_factory=list)

    def record(self, entry: OutboxEntry) -> None:
        self.entries.append(entry)

    def clear(self) -> None:
        self.entries.clear()
