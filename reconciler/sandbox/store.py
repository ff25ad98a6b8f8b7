"""What the core keeps for every vendor: the SQLite connection, the clock, the request log."""

from __future__ import annotations

import sqlite3
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


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` and whole seconds, the form the vendors answer with."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SandboxClock:
    """Real UTC time plus whatever ``/_sandbox/clock`` advanced it by (never moves backwards)."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        self.offset += timedelta(seconds=seconds)
        return self.now()

    def reset(self) -> None:
        self.offset = timedelta()


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
