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

``advance`` runs before every Inbox request. Rather than re-running the model for every busy
campaign each time, each campaign carries ``due``: the sandbox time of its next change (a flag
to clear, the next lead to contact, completion; see ``next_due``), and ``advance`` runs
``catch_up`` only for campaigns whose time has come. Sending is additive over time, so one step
over a long span gives what many short steps gave. One thing is not: while an active campaign
cannot send (every lead in scope contacted, or no rate), each request used to move its
``progress_at`` along without sending; ``catch_up`` moves it to the previous ``advance`` instead,
so that sending resumes exactly where it used to once a lead sync widens the scope. A request
that writes a campaign first brings it up to date (``catch_up``) and leaves it due at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reconciler.sandbox.inbox import store
from reconciler.sandbox.inbox.model import JSON, iso, parse_iso
from reconciler.sandbox.inbox.steps import total_delay

SETTLE_SECONDS = 5
REPLY_SHARE = 10  # one reply per this many contacted leads
# How far ahead ``next_due`` looks for the window time the next lead needs; a campaign whose
# schedule has too little of it within a week is simply looked at again a week on.
LOOKAHEAD = timedelta(days=7)
# ``next_due`` answers this much early for the next lead, so that rounding can never make it
# late; looking at a campaign early changes nothing.
EARLY = 0.001


def advance(db: sqlite3.Connection, now: datetime) -> None:
    """Bring every campaign with something due by ``now`` up to it, and store its next due time."""
    last = store.last_advance(db)
    for row in store.due_rows(db, now.timestamp()):
        catch_up(row, now, last)
        store.save(db, row, due=next_due(row))
    store.set_last_advance(db, instant(now))


def catch_up(row: store.Row, now: datetime, last: str | None) -> None:
    """``progress`` to ``now`` as if it had run at every ``advance`` since the row was stored.

    ``last`` is the time of the previous ``advance`` (``instant`` form), or None.
    """
    sim = row.sim
    idle = row.doc["status"] == "active" and not _can_send(row.doc)
    if idle and last is not None and _before(sim.progress_at, last):
        sim.progress_at = last
    progress(row, now)


def _before(stamp: str | None, other: str) -> bool:
    return stamp is None or parse_iso(stamp) < parse_iso(other)


def refresh(db: sqlite3.Connection, row: store.Row) -> None:
    """Bring a campaign a request is about to change to where this request's ``advance`` would
    have left it had it been due (so that a change of rate, schedule or rules does not reach
    back before the request)."""
    last = store.last_advance(db)
    if last is not None:
        catch_up(row, parse_iso(last), last)


def progress(row: store.Row, now: datetime) -> None:
    """Run one campaign's background model up to ``now`` (idempotent for a given ``now``)."""
    _settle(row, now)
    if row.doc["status"] == "active":
        _send(row, now)
        _complete(row, now)


def instant(moment: datetime) -> str:
    """How ``Sim.progress_at`` keeps a time: UTC to the microsecond, so that no sending time is
    counted twice (``iso`` truncates to the millisecond) and ``progress`` is idempotent."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def next_due(row: store.Row) -> float | None:
    """Epoch seconds at which ``progress`` next changes the row (None: only a request can).

    Right after ``progress``: the earliest of the flags' settle times, the next lead contacted
    and completion. Never late; at most ``EARLY`` seconds early for the next lead.
    """
    doc, sim = row.doc, row.sim
    times: list[float] = []
    if doc["rebalancing"]:
        times.append(_stamp_seconds(sim.rebalance_until))
    if doc["syncingLeads"]:
        times.append(_stamp_seconds(sim.sync_until))
    if doc["status"] == "active":
        if _can_send(doc):
            times.append(_next_lead(row))
        if sim.all_contacted_at is not None and not doc["syncingLeads"]:
            done = parse_iso(sim.all_contacted_at) + timedelta(seconds=total_delay(doc["sequence"]))
            times.append(done.timestamp())
    return min(times, default=None)


def _stamp_seconds(stamp: str | None) -> float:
    """A settle time as epoch seconds; a missing one settles at once (as ``_settle`` does)."""
    return float("-inf") if stamp is None else parse_iso(stamp).timestamp()


def _rate(doc: JSON) -> float:
    """Leads contacted per second inside the schedule's windows."""
    return float(doc["messagesPerHour"] * len(doc["accountLinkIds"]) / 3600)


def _can_send(doc: JSON) -> bool:
    """Whether an active campaign has leads in scope left and a rate to reach them."""
    cap = min(doc["targetsCount"], doc["scopeAssessedCount"])
    return bool(doc["contactedCount"] < cap and _rate(doc) > 0)


def _next_lead(row: store.Row) -> float:
    """When the carried-over credit reaches one more lead (``EARLY`` seconds ahead of it)."""
    doc, sim = row.doc, row.sim
    if sim.progress_at is None:  # not yet run (``progress`` sets it): look at once
        return float("-inf")
    per_second = _rate(doc)
    start = parse_iso(sim.progress_at)
    needed = (1.0 - sim.credit) / per_second  # seconds of window time
    horizon = start + LOOKAHEAD
    for opens, closes in windows(doc["schedule"], ZoneInfo(doc["timezone"]), start, horizon):
        span = (closes - opens).total_seconds()
        if span >= needed:
            return opens.timestamp() + needed - EARLY
        needed -= span
    return horizon.timestamp()


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
    sim.progress_at = instant(max(start, now))
    cap = min(doc["targetsCount"], doc["scopeAssessedCount"])
    if doc["contactedCount"] < doc["targetsCount"]:
        sim.all_contacted_at = None
    per_second = _rate(doc)
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
