"""Background progressions run only for campaigns with something due, with unchanged results.

Each vendor stores ``due``, the sandbox time of a campaign's next background change, and its
``advance`` reads only the campaigns whose time has come. These tests hold the result to the
model as it was before due times existed (every progressing campaign re-run on every request),
check that idle campaigns are not read, and that a database from before the column still works.
"""

from __future__ import annotations

import copy
import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox.app import build_app
from reconciler.sandbox.coldsend import progress as coldsend_progress
from reconciler.sandbox.coldsend import store as coldsend_store
from reconciler.sandbox.easymail import progress as easymail_progress
from reconciler.sandbox.easymail import store as easymail_store
from reconciler.sandbox.easymail.model import Campaign
from reconciler.sandbox.inbox import progress as inbox_progress
from reconciler.sandbox.inbox import store as inbox_store
from reconciler.sandbox.inbox.model import iso, new_campaign
from reconciler.sandbox.inbox.steps import build_sequence
from reconciler.sandbox.inbox.store import Row, Sim
from reconciler.sandbox.store import iso_z, open_db

MONDAY = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # a Monday in summer time, before office hours
LINK1, LINK2 = "acct0000000000000000000001", "acct0000000000000000000002"
MESSAGE = {"type": "message", "data": {"segments": [{"type": "static", "text": "Hi"}]}}
STEPS = (0.4, 3.0, 7.0, 100.0, 900.0, 3600.0, 3 * 3600.0, 86400.0)


def _steps(seed: int, count: int) -> Iterator[float]:
    """Gaps between requests: every 100 s for the first two hours (so that some requests find
    campaigns with nothing due), then irregular; with microsecond noise, as real clocks have."""
    rng = random.Random(seed)
    for step in range(count):
        gap = 100.0 if step < 72 else rng.choice(STEPS) * rng.uniform(0.5, 1.5)
        yield gap + rng.random() / 1000


# --- Inbox -----------------------------------------------------------------------------------


# Rates and windows whose products are seldom whole numbers: where the exact count or instant
# is a whole number of leads or milliseconds, summing the same time in other slices may round
# either way (as it always did between two request patterns), which is not what this checks.
RATE = 7
WEEKDAYS = {str(day): {"start": 540, "end": 1013} for day in range(1, 6)}


def _inbox_row(number: int, **changes: Any) -> Row:
    doc = new_campaign(f"c{number:023d}", MONDAY)
    doc.update(
        status="active",
        enabled=True,
        targetsCount=120,
        scopeAssessedCount=120,
        messagesPerHour=RATE,
        schedule=WEEKDAYS,
        accountLinkIds=[LINK1],
        sequence=build_sequence(
            [MESSAGE, {"type": "delay", "data": {"delaySeconds": 86400, "unit": "days"}}],
            1,
            MONDAY,
        ),
    )
    sim = Sim(progress_at=inbox_progress.instant(MONDAY))
    for key, value in changes.items():
        if key in sim.__dict__:
            setattr(sim, key, value)
        else:
            doc[key] = value
    return Row(doc, sim)


def _inbox_mix() -> list[Row]:
    soon = iso(MONDAY + timedelta(seconds=inbox_progress.SETTLE_SECONDS))
    synced = iso(MONDAY + timedelta(hours=1.5))  # a long sync, well into the first window
    office = {day: {"start": 547, "end": 1013} for day in ("1", "3")}
    return [
        _inbox_row(1),  # completes within days
        _inbox_row(
            2,
            targetsCount=650,
            scopeAssessedCount=650,
            messagesPerHour=23,
            accountLinkIds=[LINK1, LINK2],
            timezone="America/Los_Angeles",
            schedule=office,
        ),
        # Syncing: nothing in scope until the sync settles, then sending resumes.
        _inbox_row(3, targetsCount=300, scopeAssessedCount=0, syncingLeads=True, sync_until=synced),
        _inbox_row(
            4,
            status="paused",
            enabled=False,
            rebalancing=True,
            rebalance_until=soon,
            progress_at=None,
        ),
        _inbox_row(5, schedule={}),  # no window ever
        _inbox_row(6, messagesPerHour=1, schedule={"2": {"start": 600, "end": 601}}),
        _inbox_row(7, targetsCount=0, scopeAssessedCount=0),  # waits for leads forever
        _inbox_row(8, status="draft", enabled=False, progress_at=None),
    ]


def _every_request(rows: list[Row], now: datetime) -> None:
    """The model before due times: every busy campaign re-run on every request."""
    for row in rows:
        if row.busy:
            inbox_progress.progress(row, now)


def _speed_up(row: Row, now: datetime) -> None:
    """A PATCH that changes the rate, the links and (so) starts a rebalance."""
    row.doc.update(messagesPerHour=40, accountLinkIds=[LINK2])
    row.doc["rebalancing"], row.sim.rebalance_until = True, inbox_progress.settle_at(now)


def _widen_rules(row: Row, now: datetime) -> None:
    """A rules change: more targets, and a lead sync that has to settle first."""
    row.doc["targetsCount"] += 40
    row.doc["syncingLeads"], row.sim.sync_until = True, inbox_progress.settle_at(now)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_inbox_due_times_give_the_every_request_model(seed: int) -> None:
    db = open_db(None)
    inbox_store.create_tables(db)
    reference = _inbox_mix()
    for row in copy.deepcopy(reference):
        inbox_store.insert(db, row)
    # Requests changing campaigns 1 and 2 mid-window (as the handlers do), once each.
    edits: list[tuple[datetime, int, Callable[[Row, datetime], None]]] = [
        (MONDAY + timedelta(hours=1, minutes=16), 0, _speed_up),  # 400 s after its last lead
        (MONDAY + timedelta(days=2, hours=3), 1, _widen_rules),
    ]
    now = MONDAY
    for step, gap in enumerate(_steps(seed, 250)):
        now += timedelta(seconds=gap)
        inbox_progress.advance(db, now)
        _every_request(reference, now)
        while edits and edits[0][0] <= now:
            _, index, edit = edits.pop(0)
            stored = inbox_store.get(db, reference[index].doc["id"])
            inbox_progress.refresh(db, stored)
            edit(stored, now)
            inbox_store.save(db, stored)
            edit(reference[index], now)
        for expected in reference:
            assert inbox_store.get(db, expected.doc["id"]).doc == expected.doc, (step, now)
    statuses = {row.doc["status"] for row in reference}
    assert statuses == {"active", "completed", "paused", "draft"}  # the mix did get somewhere


def test_inbox_advance_reads_only_campaigns_with_something_due() -> None:
    db = open_db(None)
    inbox_store.create_tables(db)
    for row in _inbox_mix():
        inbox_store.insert(db, row)
    now = MONDAY + timedelta(seconds=1)
    inbox_progress.advance(db, now)  # every new campaign is looked at once
    due = dict(db.execute("SELECT id, due FROM ib_campaigns").fetchall())
    assert due["c00000000000000000000007"] is None  # no targets: only a request can change it
    assert due["c00000000000000000000008"] is None  # a draft
    assert due["c00000000000000000000004"] == (MONDAY + timedelta(seconds=5)).timestamp()
    assert due["c00000000000000000000003"] == (MONDAY + timedelta(hours=1.5)).timestamp()
    # Campaign 1 contacts its first lead at 09:00 + 3600 / 7 s (7 per hour inside the window).
    first_lead = MONDAY + timedelta(hours=1, seconds=3600 / RATE)
    assert due["c00000000000000000000001"] == pytest.approx(
        first_lead.timestamp() - inbox_progress.EARLY
    )
    later = now + timedelta(seconds=2)
    assert list(inbox_store.due_rows(db, later.timestamp())) == []


def test_an_old_inbox_database_keeps_its_busy_campaigns_progressing(tmp_path: Path) -> None:
    """A database from before ``due`` existed: its busy campaigns are due at once."""
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE ib_campaigns (id TEXT PRIMARY KEY, created_at TEXT NOT NULL,"
        " busy INTEGER NOT NULL, doc TEXT NOT NULL, sim TEXT NOT NULL);"
    )
    row = _inbox_row(1, rebalancing=True, rebalance_until=iso(MONDAY))
    old.execute(
        "INSERT INTO ib_campaigns VALUES (?, ?, 1, ?, ?)",
        (row.doc["id"], row.doc["createdAt"], json.dumps(row.doc), row.sim.dump()),
    )
    old.commit()
    old.close()
    app = build_app(db_path=path, seed=False)
    sandbox = app.state.sandbox
    sandbox.advance_clock(0)
    stored = inbox_store.get(sandbox.ctx.db, row.doc["id"])
    assert stored.doc["rebalancing"] is False
    assert stored.doc["contactedCount"] > 0  # years of office hours since 2025
    sandbox.ctx.db.close()


# --- easymail --------------------------------------------------------------------------------


def _easymail(db: sqlite3.Connection, number: int, **fields: Any) -> Campaign:
    campaign = Campaign(
        uuid=f"00000000-0000-4000-8000-{number:012d}",
        name=f"Issue {number}",
        created_at=1.0,
        updated_at=1.0,
        last_updated_at=1.0,
        **fields,
    )
    easymail_store.save(db, campaign)
    return campaign


def _easymail_due(db: sqlite3.Connection) -> dict[str, float | None]:
    return {
        uuid[-2:]: due for uuid, due in db.execute("SELECT uuid, due FROM em_campaigns").fetchall()
    }


def test_easymail_due_is_the_next_transition_and_advance_follows_it() -> None:
    db = open_db(None)
    easymail_store.create_tables(db)
    easymail_store.reset(db)
    list_uuid = "22222222-2222-4222-8222-000000000011"
    ready = {
        "subject": "Hi",
        "from_name": "News",
        "from_identity": "22222222-2222-4222-8222-000000000001",
        "content": "Hello",
        "list_uuid": list_uuid,
    }
    _easymail(db, 1)
    _easymail(db, 2, status="scheduled", scheduled_at=1000.0, **ready)
    _easymail(db, 3, status="queued", queued_at=500.0, **ready)
    _easymail(db, 4, status="sending", sending_at=400.0, **ready)
    _easymail(db, 5, status="scheduled", scheduled_at=700.0)  # no longer ready: will fail
    _easymail(db, 6, status="sent", sending_at=10.0, **ready)
    assert _easymail_due(db) == {
        "01": None,
        "02": 1000.0,
        "03": 505.0,
        "04": 430.0,
        "05": 700.0,
        "06": None,
    }
    easymail_progress.advance(db, 504.9)
    assert _easymail_due(db)["03"] == 505.0
    easymail_progress.advance(db, 1000.0)
    statuses = {c.uuid[-2:]: c.status for c in easymail_store.load_all(db)}
    assert statuses == {
        "01": "draft",
        "02": "queued",
        "03": "sent",
        "04": "sent",
        "05": "failed",
        "06": "sent",
    }
    assert _easymail_due(db) == {
        "01": None,
        "02": 1005.0,
        "03": None,
        "04": None,
        "05": None,
        "06": None,
    }
    easymail_progress.advance(db, 10_000.0)
    assert {c.uuid[-2:] for c in easymail_store.load_all(db, ("sent",))} == {"02", "03", "04", "06"}
    sent = easymail_store.load(db, "00000000-0000-4000-8000-000000000002")
    assert sent is not None and sent.updated_at == 1035.0  # stamped when it was due


def test_an_old_easymail_database_gets_due_times(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE em_campaigns (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " uuid TEXT UNIQUE NOT NULL, status TEXT NOT NULL, doc TEXT NOT NULL);"
    )
    queued = Campaign(
        uuid="u1",
        name="Old",
        created_at=1.0,
        updated_at=1.0,
        last_updated_at=1.0,
        status="queued",
        queued_at=100.0,
    )
    old.execute(
        "INSERT INTO em_campaigns (uuid, status, doc) VALUES (?, ?, ?)",
        ("u1", "queued", json.dumps(asdict(queued))),
    )
    old.commit()
    old.close()
    db = open_db(path)
    easymail_store.create_tables(db)
    assert _easymail_due(db) == {"u1": 105.0}
    easymail_progress.advance(db, 200.0)
    found = easymail_store.load(db, "u1")
    assert found is not None and found.status == "sent"
    db.close()


# --- ColdSend --------------------------------------------------------------------------------


def _coldsend(number: int, wait_days: list[int], leads: int) -> dict[str, Any]:
    settings = {"name": f"Run {number}", "enable_tracking": True, "enable_unsubscribe": True}
    campaign = coldsend_store.new_campaign(f"cs-{number}", settings, MONDAY)
    campaign.update(
        status="ACTIVE",
        total_leads=leads,
        launched_at=iso_z(MONDAY),
        sequences=[{"wait_days": days} for days in wait_days],
    )
    coldsend_progress.start_run(campaign, MONDAY)
    return campaign


@pytest.mark.parametrize("seed", [1, 2])
def test_coldsend_due_times_give_the_every_request_model(seed: int) -> None:
    db = open_db(None)
    coldsend_store.create_tables(db)
    reference = [_coldsend(1, [2, 3], 40), _coldsend(2, [], 7), _coldsend(3, [1, 1, 5], 100)]
    for campaign in reference:
        coldsend_store.insert(db, copy.deepcopy(campaign))
        coldsend_store.save(db, campaign)  # as the launch does: due at once
    now = MONDAY
    for step, gap in enumerate(_steps(seed, 300)):
        now += timedelta(seconds=gap)
        coldsend_progress.advance(db, now)
        for campaign in reference:
            if campaign["status"] == "ACTIVE":
                coldsend_progress.progress(campaign, now)
        for expected in reference:
            assert coldsend_store.load(db, expected["campaign_id"]) == expected, (step, now)
    assert {c["status"] for c in reference} == {"COMPLETED"}
    assert db.execute("SELECT count(*) FROM cs_campaigns WHERE due IS NOT NULL").fetchone()[0] == 0


def test_an_idle_coldsend_campaign_is_not_read_until_its_next_step() -> None:
    db = open_db(None)
    coldsend_store.create_tables(db)
    campaign = _coldsend(1, [2], 10)
    coldsend_store.insert(db, campaign)
    coldsend_store.save(db, campaign)
    coldsend_progress.advance(db, MONDAY + timedelta(seconds=1))
    (due,) = db.execute("SELECT due FROM cs_campaigns").fetchone()
    assert due == pytest.approx((MONDAY + timedelta(days=2)).timestamp() - coldsend_progress.EARLY)
    stored = coldsend_store.load(db, "cs-1")
    assert stored is not None and stored["sent_count"] == 10  # step 1 at launch
