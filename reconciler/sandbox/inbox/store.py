"""SQLite storage of the Inbox emulator: ``ib_`` tables, seed data and campaign rows.

Campaigns are one JSON document each (the stored form of ``model.new_campaign``) plus a
``sim`` document for the background model, which the API never shows. ``created_at`` is a
column of its own because the list endpoint pages on it; ``due`` (epoch seconds, null for never)
is when the background model next changes the campaign, so that ``progress.advance``
reads only the campaigns with something due. ``ib_clock`` keeps the sandbox time of the last
``advance``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.inbox.model import JSON
from reconciler.sandbox.inbox.validate import InboxError
from reconciler.sandbox.store import create_tables_with_due

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ib_account_links (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ib_lists (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ib_campaigns (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    busy INTEGER NOT NULL,
    doc TEXT NOT NULL,
    sim TEXT NOT NULL,
    due REAL
);
CREATE INDEX IF NOT EXISTS ib_campaigns_order ON ib_campaigns (created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS ib_clock (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    last_advance TEXT NOT NULL
);
"""
#: ``due`` of a campaign a request has just written: ``advance`` looks at it on the next request
#: (as it did at every request before due times existed), then stores its real next due time.
DUE_AT_ONCE = 0.0

#: Seed timestamps are fixed so that examples and tests can rely on them like on the ids.
SEED_TIME = "2025-01-01T00:00:00.000Z"

SEED_ACCOUNT_LINKS: tuple[JSON, ...] = tuple(
    {
        "id": link_id,
        "platform": "twitter",
        "platformId": platform_id,
        "name": name,
        "username": username,
        "image": f"https://pbs.twimg.com/profile_images/{platform_id}/{username}_normal.jpg",
        "createdAt": SEED_TIME,
        "status": "active",
        "syncedAt": SEED_TIME,
    }
    for link_id, platform_id, name, username in (
        ("acct0000000000000000000001", "1500000000000000001", "Founder X", "founder_x"),
        ("acct0000000000000000000002", "1500000000000000002", "Growth X", "growth_x"),
    )
)

SEED_LISTS: tuple[JSON, ...] = tuple(
    {"id": list_id, "name": name, "leadsCount": count, "createdAt": SEED_TIME}
    for list_id, name, count in (
        ("list0000000000000000000001", "SaaS founders", 1200),
        ("list0000000000000000000002", "Existing customers", 300),
        ("list0000000000000000000003", "Do not contact", 50),
    )
)


@dataclass
class Sim:
    """Hidden state of the background model (times are ISO strings, as on the wire)."""

    rebalance_until: str | None = None  # rebalancing turns false at this time
    sync_until: str | None = None  # syncingLeads turns false (and scope is assessed) at this time
    progress_at: str | None = None  # sending has been simulated up to this time (to the µs)
    credit: float = 0.0  # fraction of a message carried over between progress steps
    all_contacted_at: str | None = None  # when the last target got its first message

    def dump(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def load(cls, text: str) -> Sim:
        return cls(**json.loads(text))


@dataclass
class Row:
    """One campaign: its stored document and its hidden simulation state."""

    doc: JSON
    sim: Sim = field(default_factory=Sim)

    @property
    def busy(self) -> bool:
        """Active, rebalancing or syncing (a column; ``due`` says when ``advance`` looks)."""
        doc = self.doc
        return bool(doc["status"] == "active" or doc["rebalancing"] or doc["syncingLeads"])


def create_tables(db: sqlite3.Connection) -> None:
    create_tables_with_due(db, _SCHEMA, table="ib_campaigns", backfill=_due_before_due_times)


def _due_before_due_times(db: sqlite3.Connection) -> None:
    """A table from before due times: its busy campaigns are due at once."""
    db.execute("UPDATE ib_campaigns SET due = ? WHERE busy = 1", (DUE_AT_ONCE,))


def reset(db: sqlite3.Connection) -> None:
    """Wipe every ``ib_`` row and insert the seed account links and lists."""
    create_tables(db)
    for table in ("ib_account_links", "ib_lists", "ib_campaigns", "ib_clock"):
        db.execute(f"DELETE FROM {table}")
    for link in SEED_ACCOUNT_LINKS:
        db.execute("INSERT INTO ib_account_links VALUES (?, ?)", (link["id"], json.dumps(link)))
    for lead_list in SEED_LISTS:
        db.execute("INSERT INTO ib_lists VALUES (?, ?)", (lead_list["id"], json.dumps(lead_list)))


def _docs(db: sqlite3.Connection, table: str) -> list[JSON]:
    rows = db.execute(f"SELECT doc FROM {table} ORDER BY id").fetchall()
    return [json.loads(doc) for (doc,) in rows]


def account_links(db: sqlite3.Connection) -> list[JSON]:
    return _docs(db, "ib_account_links")


def lead_lists(db: sqlite3.Connection) -> list[JSON]:
    return _docs(db, "ib_lists")


def account_link_ids(db: sqlite3.Connection) -> set[str]:
    return {link["id"] for link in account_links(db)}


def list_names(db: sqlite3.Connection) -> dict[str, str]:
    return {item["id"]: item["name"] for item in lead_lists(db)}


def list_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {item["id"]: item["leadsCount"] for item in lead_lists(db)}


def insert(db: sqlite3.Connection, row: Row) -> None:
    """A new campaign, due at once (see ``DUE_AT_ONCE``)."""
    doc = row.doc
    db.execute(
        "INSERT INTO ib_campaigns (id, created_at, busy, doc, sim, due) VALUES (?, ?, ?, ?, ?, ?)",
        (doc["id"], doc["createdAt"], row.busy, json.dumps(doc), row.sim.dump(), DUE_AT_ONCE),
    )


def save(db: sqlite3.Connection, row: Row, *, due: float | None = DUE_AT_ONCE) -> None:
    """Store the campaign; ``due`` is when ``advance`` next has to look at it (None: never)."""
    db.execute(
        "UPDATE ib_campaigns SET busy = ?, doc = ?, sim = ?, due = ? WHERE id = ?",
        (row.busy, json.dumps(row.doc), row.sim.dump(), due, row.doc["id"]),
    )


def get(db: sqlite3.Connection, campaign_id: str) -> Row:
    """The campaign with this id, or a 404 ``NOT_FOUND``."""
    found = db.execute("SELECT doc, sim FROM ib_campaigns WHERE id = ?", (campaign_id,)).fetchone()
    if found is None:
        raise InboxError(404, f"Campaign {campaign_id} not found")
    return Row(json.loads(found[0]), Sim.load(found[1]))


def delete(db: sqlite3.Connection, campaign_id: str) -> None:
    db.execute("DELETE FROM ib_campaigns WHERE id = ?", (campaign_id,))


def due_rows(db: sqlite3.Connection, now: float) -> Iterator[Row]:
    """Campaigns the background model has something to do for by ``now`` (epoch seconds)."""
    rows = db.execute("SELECT doc, sim FROM ib_campaigns WHERE due <= ?", (now,)).fetchall()
    for doc, sim in rows:
        yield Row(json.loads(doc), Sim.load(sim))


def last_advance(db: sqlite3.Connection) -> str | None:
    """The sandbox time (``Sim`` form) of the previous ``advance``, None before the first one."""
    found = db.execute("SELECT last_advance FROM ib_clock WHERE id = 0").fetchone()
    return None if found is None else str(found[0])


def set_last_advance(db: sqlite3.Connection, moment: str) -> None:
    db.execute(
        "INSERT INTO ib_clock (id, last_advance) VALUES (0, ?)"
        " ON CONFLICT(id) DO UPDATE SET last_advance = excluded.last_advance",
        (moment,),
    )


def page(db: sqlite3.Connection, limit: int, after: tuple[str, str] | None) -> list[JSON]:
    """Up to ``limit`` docs in list order (createdAt desc, then id desc), after a cursor.

    ``after`` is ``(timestamp, id)`` of the last campaign of the previous page. Timestamps
    are all stored in one fixed-width UTC form, so string comparison is time comparison.
    """
    query = "SELECT doc FROM ib_campaigns"
    params: list[Any] = []
    if after is not None:
        query += " WHERE created_at < ? OR (created_at = ? AND id < ?)"
        params = [after[0], after[0], after[1]]
    query += " ORDER BY created_at DESC, id DESC LIMIT ?"
    rows = db.execute(query, [*params, limit]).fetchall()
    return [json.loads(doc) for (doc,) in rows]
