"""ColdSend state in SQLite (tables ``cs_*``), seed data and the public views of a campaign.

A campaign is one JSON document per row (with its status beside it for cheap filtering, and
``due``, when ``progress.advance`` next has to look at it); fields starting with ``_`` are the
emulator's bookkeeping and never leave the sandbox.
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime
from typing import Any

from reconciler.sandbox.store import create_tables_with_due, iso_z

SCHEMA = """
CREATE TABLE IF NOT EXISTS cs_sender_accounts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, inbox_id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cs_campaigns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, campaign_id TEXT UNIQUE NOT NULL,
    status TEXT NOT NULL, data TEXT NOT NULL, due REAL);
CREATE TABLE IF NOT EXISTS cs_leads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, campaign_id TEXT NOT NULL,
    email_key TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cs_leads_by_email ON cs_leads (campaign_id, email_key);
CREATE TABLE IF NOT EXISTS cs_jobs (
    job_id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, done INTEGER NOT NULL, data TEXT NOT NULL);
"""
# ``due`` of an ACTIVE campaign a request has just written: ``progress.advance`` looks at it on
# the next request (as it did at every request before due times existed), then stores its next
# due time.
DUE_AT_ONCE = 0.0
SEED_ACCOUNTS = (
    ("11111111-1111-4111-8111-000000000001", "alex@outbound.example", "Alex"),
    ("11111111-1111-4111-8111-000000000002", "sam@outbound.example", "Sam"),
    ("11111111-1111-4111-8111-000000000003", "riley@outbound.example", "Riley"),
)
CAMPAIGN_KEYS = (
    "campaign_id", "name", "status", "timezone", "sending_days", "sending_window_start",
    "sending_window_start_minute", "sending_window_end", "sending_window_end_minute",
    "daily_limit_per_inbox", "start_date", "enable_tracking", "enable_unsubscribe", "inbox_ids",
    "variants", "sequences", "total_leads", "sent_count", "reply_count", "open_count",
    "bounce_count", "unsubscribe_count", "is_launch_ready", "missing_requirements",
    "created_at", "updated_at", "launched_at",
)  # fmt: skip
LIST_KEYS = (
    "campaign_id", "name", "status", "created_at", "launched_at", "total_leads", "sent_count",
    "reply_count", "open_count", "bounce_count", "unsubscribe_count",
)  # fmt: skip
COUNT_KEYS = ("sent_count", "reply_count", "open_count", "bounce_count", "unsubscribe_count")


def create_tables(db: sqlite3.Connection) -> None:
    create_tables_with_due(db, SCHEMA, table="cs_campaigns", backfill=_due_before_due_times)


def _due_before_due_times(db: sqlite3.Connection) -> None:
    """A table from before due times: its ACTIVE campaigns are due at once."""
    db.execute("UPDATE cs_campaigns SET due = ? WHERE status = 'ACTIVE'", (DUE_AT_ONCE,))


def reset(db: sqlite3.Connection) -> None:
    """Wipe every ColdSend row and insert the seeded sender accounts."""
    for table in ("cs_jobs", "cs_leads", "cs_campaigns", "cs_sender_accounts"):
        db.execute(f"DELETE FROM {table}")  # fixed table names
    for inbox_id, email, display in SEED_ACCOUNTS:
        account = {
            "inbox_id": inbox_id,
            "email_address": email,
            "display_name": display,
            "inbox_type": "GOOGLE",
            "daily_limit": 50,
            "overall_status": "ACTIVE",
        }
        db.execute(
            "INSERT INTO cs_sender_accounts (inbox_id, data) VALUES (?, ?)",
            (inbox_id, json.dumps(account)),
        )


def sender_accounts(db: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = db.execute("SELECT data FROM cs_sender_accounts ORDER BY seq").fetchall()
    return [json.loads(row["data"]) for row in rows]


def load(db: sqlite3.Connection, campaign_id: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT data FROM cs_campaigns WHERE campaign_id = ?", (campaign_id,)
    ).fetchone()
    return None if row is None else dict(json.loads(row["data"]))


def load_all(db: sqlite3.Connection, status: str | None = None) -> list[dict[str, Any]]:
    """Campaigns newest first (optionally of one status)."""
    where, args = ("WHERE status = ?", (status,)) if status is not None else ("", ())
    query = f"SELECT data FROM cs_campaigns {where} ORDER BY seq DESC"
    return [json.loads(row["data"]) for row in db.execute(query, args).fetchall()]


def insert(db: sqlite3.Connection, campaign: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO cs_campaigns (campaign_id, status, data) VALUES (?, ?, ?)",
        (campaign["campaign_id"], campaign["status"], json.dumps(campaign)),
    )


def save(
    db: sqlite3.Connection, campaign: dict[str, Any], *, due: float | None = DUE_AT_ONCE
) -> None:
    """Store the campaign; ``due`` (epoch seconds) is when ``advance`` next has to look at it,
    only ever for an ACTIVE one."""
    db.execute(
        "UPDATE cs_campaigns SET status = ?, data = ?, due = ? WHERE campaign_id = ?",
        (
            campaign["status"],
            json.dumps(campaign),
            due if campaign["status"] == "ACTIVE" else None,
            campaign["campaign_id"],
        ),
    )


def delete(db: sqlite3.Connection, campaign_id: str) -> None:
    """A deleted campaign takes its leads and upload jobs with it (the vendor docs say so)."""
    for table in ("cs_jobs", "cs_leads", "cs_campaigns"):
        db.execute(f"DELETE FROM {table} WHERE campaign_id = ?", (campaign_id,))


def new_campaign(campaign_id: str, settings: dict[str, Any], now: datetime) -> dict[str, Any]:
    stamp = iso_z(now)
    campaign = {"campaign_id": campaign_id, "status": "DRAFT", **settings}
    campaign.update(inbox_ids=[], variants=[], sequences=[], total_leads=0, launched_at=None)
    campaign.update(dict.fromkeys(COUNT_KEYS, 0), created_at=stamp, updated_at=stamp)
    campaign.update(_run_started=None, _run_elapsed=0.0)
    return campaign


def missing_requirements(campaign: dict[str, Any]) -> list[str]:
    """What a launch still needs, in the documented order."""
    present = {
        "leads": campaign["total_leads"] > 0,
        "inboxes": bool(campaign["inbox_ids"]),
        "variants": bool(campaign["variants"]),
    }
    return [name for name, ok in present.items() if not ok]


def campaign_view(campaign: dict[str, Any]) -> dict[str, Any]:
    """The campaign object of GET, with exactly the contract's keys."""
    missing = missing_requirements(campaign)
    full = {**campaign, "is_launch_ready": not missing, "missing_requirements": missing}
    return {key: full[key] for key in CAMPAIGN_KEYS}


def list_item(campaign: dict[str, Any]) -> dict[str, Any]:
    return {key: campaign[key] for key in LIST_KEYS}


def pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    pages = math.ceil(total / limit)
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "pages": pages,
        "has_next": page < pages,
        "has_prev": page > 1,
    }
