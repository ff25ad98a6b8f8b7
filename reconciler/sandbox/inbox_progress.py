"""Background progressions of the Inbox emulator, driven by the sandbox clock.

The model, kept simple and deterministic so that tests can predict it:

- ``rebalancing`` and ``syncingLeads`` turn false ``SETTLE_SECONDS`` after the change that set
  them; when the sync settles, ``scopeAssessedCount`` catches up with ``targetsCount``.
- An ``active`` campaign sends first messages at ``messagesPerHour`` × number of linked
  accounts per hour, only inside its schedule windows (in its timezone), never to more leads
  than are assessed. ``repliedCount`` is a fixed tenth of ``contactedCount``.
- Once every target was contacted (and the sync has settled), the campaign completes after
  the sequence's total delay: ``status`` ``completed``, ``enabled`` false, ``completedAt`` set.
  A campaign with no targets waits for leads and never completes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reconciler.sandbox import inbox_store as store
from reconciler.sandbox.inbox_model import iso, parse_iso
from reconciler.sandbox.inbox_steps import total_delay

SETTLE_SECONDS = 5
REPLY_SHARE = 10  # one reply per this many contacted leads


def advance(db: sqlite3.Connection, now: datetime) -> None:
    """Bring every busy campaign up to ``now`` and store those that changed."""
    for row in store.busy_rows(db):
        before = (json.dumps(row.doc), row.sim.dump())
        progress(row, now)
        if (json.dumps(row.doc), row.sim.dump()) != before:
            store.save(db, row)


def progress(row: store.Row, now: datetime) -> None:
    """Run one campaign's background model up to ``now`` (idempotent for a given ``now``)."""
    _settle(row, now)
    if row.doc["status"] == "active":
        _send(row, now)
        _complete(row, now)


def settle_at(now: datetime) -> str:
    return iso(now + timedelta(seconds=SETTLE_SECONDS))


def _settle(row: store.Row, now: datetime) -> None:
    doc, sim = row.doc, row.sim
    stamp = iso(now)
    if doc["rebalancing"] and (sim.rebalance_until or "") <= stamp:
        doc["rebalancing"], sim.rebalance_until = False, None
    if doc["syncingLeads"] and (sim.sync_until or "") <= stamp:
        doc["syncingLeads"], sim.sync_until = False, None
        doc["scopeAssessedCount"] = doc["targetsCount"]


def _send(row: store.Row, now: datetime) -> None:
    """Contact leads over the scheduled time since the last step; note when all were reached."""
    doc, sim = row.doc, row.sim
    start = parse_iso(sim.progress_at) if sim.progress_at else now
    sim.progress_at = iso(max(start, now))
    cap = min(doc["targetsCount"], doc["scopeAssessedCount"])
    if doc["contactedCount"] < doc["targetsCount"]:
        sim.all_contacted_at = None
    per_second = doc["messagesPerHour"] * len(doc["accountLinkIds"]) / 3600
    if doc["contactedCount"] < cap and per_second > 0:
        zone = ZoneInfo(doc["timezone"])
        for window_start, window_end in windows(doc["schedule"], zone, start, now):
            if _send_in_window(row, cap, per_second, window_start, window_end):
                break
    doc["repliedCount"] = doc["contactedCount"] // REPLY_SHARE
    if doc["targetsCount"] and doc["contactedCount"] >= doc["targetsCount"]:
        sim.all_contacted_at = sim.all_contacted_at or iso(now)


def _send_in_window(
    row: store.Row, cap: int, per_second: float, start: datetime, end: datetime
) -> bool:
    """Send during one window; True (and the exact time in ``sim``) once ``cap`` is reached."""
    doc, sim = row.doc, row.sim
    needed = cap - doc["contactedCount"] - sim.credit
    seconds = (end - start).total_seconds()
    if seconds * per_second >= needed:
        doc["contactedCount"], sim.credit = cap, 0.0
        if cap >= doc["targetsCount"]:
            sim.all_contacted_at = iso(start + timedelta(seconds=needed / per_second))
        return True
    sim.credit += seconds * per_second
    whole = int(sim.credit)
    doc["contactedCount"] += whole
    sim.credit -= whole
    return False


def _complete(row: store.Row, now: datetime) -> None:
    doc, sim = row.doc, row.sim
    if sim.all_contacted_at is None or doc["syncingLeads"]:
        return
    done = parse_iso(sim.all_contacted_at) + timedelta(seconds=total_delay(doc["sequence"]))
    if done <= now:
        doc.update(status="completed", enabled=False, completedAt=iso(done))
        sim.progress_at = sim.all_contacted_at = None
        sim.credit = 0.0


def windows(
    schedule: Mapping[str, Any], zone: ZoneInfo, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The sending windows of ``schedule`` (key 0 = Sunday) clipped to ``[start, end)``, in UTC."""
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        window = schedule.get(str((day.weekday() + 1) % 7))
        if window is not None:
            midnight = datetime.combine(day, time(), tzinfo=zone)
            opens = (midnight + timedelta(minutes=window["start"])).astimezone(UTC)
            closes = (midnight + timedelta(minutes=window["end"])).astimezone(UTC)
            opens, closes = max(opens, start), min(closes, end)
            if opens < closes:
                yield opens, closes
        day += timedelta(days=1)
