"""easymail's state in the shared SQLite connection: seed rows, campaigns and their views.

Campaigns are stored as one JSON document per row (``em_campaigns.doc``) next to the columns the
emulator queries by: ``status``, and ``due``, the instant of the campaign's next background
transition (``model.next_due``; null when none is pending), so that ``progress.advance`` reads
only the campaigns that have one due.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from reconciler.sandbox.easymail.model import PROGRESSING, Campaign, has_body, next_due, stamp
from reconciler.sandbox.store import create_tables_with_due

_SCHEMA = """
CREATE TABLE IF NOT EXISTS em_identities (
    seq INTEGER PRIMARY KEY, uuid TEXT UNIQUE NOT NULL, email TEXT NOT NULL,
    from_name TEXT NOT NULL, reply_to TEXT, enabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS em_lists (
    seq INTEGER PRIMARY KEY, uuid TEXT UNIQUE NOT NULL, name TEXT NOT NULL, description TEXT,
    is_public INTEGER NOT NULL, contacts_count INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_segments (
    seq INTEGER PRIMARY KEY, uuid TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
    contacts_count INTEGER NOT NULL, contacts_count_calculated_at TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS em_campaigns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT UNIQUE NOT NULL,
    status TEXT NOT NULL, doc TEXT NOT NULL, due REAL);
"""

_PREFIX = "22222222-2222-4222-8222-"
_SEED_AT = "2024-01-15T09:00:00Z"  # fixed, so that seed rows read the same after every reset
_IDENTITIES = [
    (_PREFIX + "000000000001", "news@brand.example", "Brand News", None, 1),
    (_PREFIX + "000000000002", "ceo@brand.example", "Dana at Brand", None, 1),
]
_LISTS = [
    (_PREFIX + "000000000011", "Customers", "Everyone with a paid plan", 0, 1200),
    (_PREFIX + "000000000012", "Trial users", "Accounts in their trial period", 0, 5400),
    (_PREFIX + "000000000013", "Everyone", "Every subscribed contact", 1, 250000),
]
_SEGMENTS = [(_PREFIX + "000000000021", "Active last 30 days", 800)]

_CONDENSED_KEYS = (
    "uuid", "name", "status", "subject", "from_name", "language", "scheduled_at",
    "recipients_count", "created_at", "updated_at",
)  # fmt: skip
_INSTANTS = frozenset({"scheduled_at", "created_at", "updated_at"})  # epoch floats, shown stamped


def create_tables(db: sqlite3.Connection) -> None:
    create_tables_with_due(db, _SCHEMA, table="em_campaigns", backfill=_due_before_due_times)


def _due_before_due_times(db: sqlite3.Connection) -> None:
    """A table from before due times: its progressing campaigns get ``due`` from their docs."""
    for campaign in load_all(db, PROGRESSING):
        save(db, campaign)


def reset(db: sqlite3.Connection) -> None:
    """Wipe every ``em_`` row and insert the seed data of shared/api/sandbox.md."""
    for table in ("em_identities", "em_lists", "em_segments", "em_campaigns"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'em_campaigns'")
    db.executemany(
        "INSERT INTO em_identities (uuid, email, from_name, reply_to, enabled) VALUES (?,?,?,?,?)",
        _IDENTITIES,
    )
    db.executemany(
        "INSERT INTO em_lists (uuid, name, description, is_public, contacts_count, created_at,"
        " updated_at) VALUES (?,?,?,?,?,?,?)",
        [(*row, _SEED_AT, _SEED_AT) for row in _LISTS],
    )
    db.executemany(
        "INSERT INTO em_segments (uuid, name, contacts_count, contacts_count_calculated_at,"
        " created_at, updated_at) VALUES (?,?,?,?,?,?)",
        [(*row, _SEED_AT, _SEED_AT, _SEED_AT) for row in _SEGMENTS],
    )


def rows(db: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    """All rows of a seed table in seed order, as dicts without the ``seq`` column."""
    cursor = db.execute(f"SELECT * FROM {table} ORDER BY seq")
    names = [column[0] for column in cursor.description]
    return [{k: v for k, v in zip(names, row, strict=True) if k != "seq"} for row in cursor]


def exists(db: sqlite3.Connection, table: str, uuid: str) -> bool:
    query = f"SELECT 1 FROM {table} WHERE uuid = ?"
    return db.execute(query, (uuid,)).fetchone() is not None


def identity(db: sqlite3.Connection, uuid: str | None) -> tuple[str, bool] | None:
    """(email, enabled) of a sender identity, None when unset or unknown."""
    if uuid is None:
        return None
    row = db.execute("SELECT email, enabled FROM em_identities WHERE uuid = ?", (uuid,)).fetchone()
    return None if row is None else (str(row[0]), bool(row[1]))


def contacts_count(db: sqlite3.Connection, table: str, uuid: str | None) -> int:
    if uuid is None:
        return 0
    query = f"SELECT contacts_count FROM {table} WHERE uuid = ?"
    row = db.execute(query, (uuid,)).fetchone()
    return 0 if row is None else int(row[0])


def load(db: sqlite3.Connection, uuid: str) -> Campaign | None:
    row = db.execute("SELECT doc FROM em_campaigns WHERE uuid = ?", (uuid,)).fetchone()
    return None if row is None else Campaign(**json.loads(row[0]))


def load_all(db: sqlite3.Connection, statuses: tuple[str, ...] = ()) -> Iterator[Campaign]:
    """Campaigns in creation order, optionally only those in ``statuses`` (filtered in SQL)."""
    query, params = "SELECT doc FROM em_campaigns", list(statuses)
    if statuses:
        query += f" WHERE status IN ({', '.join('?' * len(statuses))})"
    for (doc,) in db.execute(query + " ORDER BY seq", params).fetchall():
        yield Campaign(**json.loads(doc))


def save(db: sqlite3.Connection, campaign: Campaign) -> None:
    db.execute(
        "INSERT INTO em_campaigns (uuid, status, doc, due) VALUES (?, ?, ?, ?) ON CONFLICT(uuid)"
        " DO UPDATE SET status = excluded.status, doc = excluded.doc, due = excluded.due",
        (campaign.uuid, campaign.status, json.dumps(asdict(campaign)), next_due(campaign)),
    )


def due(db: sqlite3.Connection, now: float) -> list[Campaign]:
    """Campaigns whose next background transition is due by ``now``, in creation order."""
    query = "SELECT doc FROM em_campaigns WHERE due <= ? ORDER BY seq"
    return [Campaign(**json.loads(doc)) for (doc,) in db.execute(query, (now,)).fetchall()]


def delete(db: sqlite3.Connection, uuid: str) -> None:
    db.execute("DELETE FROM em_campaigns WHERE uuid = ?", (uuid,))


def audience_size(db: sqlite3.Connection, campaign: Campaign) -> int:
    """Contacts of the list plus the segment: the union approximated as the sum."""
    return contacts_count(db, "em_lists", campaign.list_uuid) + contacts_count(
        db, "em_segments", campaign.segment_uuid
    )


def missing(db: sqlite3.Connection, campaign: Campaign) -> list[str]:
    """Unmet send requirements, in the documented order; empty strings count as unset."""
    sender = identity(db, campaign.from_identity)
    checks = [
        ("from_name", bool(campaign.from_name)),
        ("sender_email", sender is not None and sender[1]),
        ("subject", bool(campaign.subject)),
        ("content", has_body(campaign)),
        ("audience", campaign.list_uuid is not None or campaign.segment_uuid is not None),
    ]
    return [name for name, met in checks if not met]


def render(db: sqlite3.Connection, campaign: Campaign) -> dict[str, Any]:
    """The full campaign object, exactly the contract's keys."""
    sender = identity(db, campaign.from_identity)
    gaps = missing(db, campaign)
    return {
        "uuid": campaign.uuid,
        "name": campaign.name,
        "status": campaign.status,
        "subject": campaign.subject,
        "preheader": campaign.preheader,
        "from_name": campaign.from_name,
        "reply_to": campaign.reply_to,
        "from_identity": campaign.from_identity,
        "from_email": None if sender is None else sender[0],
        "content": campaign.content,
        "content_editable_via_api": campaign.content_editable_via_api,
        "content_overwrite_required": campaign.content_overwrite_required,
        "audience": {"list_uuid": campaign.list_uuid, "segment_uuid": campaign.segment_uuid},
        "readiness": {"can_send": not gaps, "missing": gaps},
        "scheduled_at": stamp(campaign.scheduled_at),
        "created_at": stamp(campaign.created_at),
        "updated_at": stamp(campaign.updated_at),
        "last_updated_at": stamp(campaign.last_updated_at),
    }


def condense(campaign: Campaign) -> dict[str, Any]:
    """The list item: the documented condensed keys only, in the contract's order."""
    return {key: _shown(campaign, key) for key in _CONDENSED_KEYS}


def _shown(campaign: Campaign, key: str) -> Any:
    value = getattr(campaign, key)
    return stamp(value) if key in _INSTANTS else value
