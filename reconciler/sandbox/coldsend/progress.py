"""ColdSend's background progressions on the sandbox clock: upload jobs and sending.

An upload job answers PENDING at once, then VALIDATING, IN_PROGRESS and COMPLETED within half a
second of sandbox time; its leads land in the campaign when it completes (the core runs
``advance`` before every request, so polling completes it).

Sending is modelled from the sandbox clock: step 1 goes out at launch, each follow-up
``wait_days`` later, and the campaign is COMPLETED one day after the last step of its newest
lead (adding leads to a launched campaign restarts that count).
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from reconciler.sandbox.coldsend import leads, store
from reconciler.sandbox.store import iso_z

DAY = 86_400.0
# ``advance`` stores the next step's time this much early, so that rounding is never late.
EARLY = 0.001
# Sandbox seconds after creation at which a job enters each status (and its progress then).
TIMELINE = ((0.5, "COMPLETED", 100), (0.2, "IN_PROGRESS", 50), (0.1, "VALIDATING", 10))


def start_run(campaign: dict[str, Any], now: datetime) -> None:
    """The campaign starts (or resumes) sending at ``now``."""
    campaign["_run_started"] = iso_z(now)


def stop_run(campaign: dict[str, Any], now: datetime) -> None:
    """Bank the time sent so far; a paused campaign's leads do not progress."""
    campaign["_run_elapsed"] = _elapsed(campaign, now)
    campaign["_run_started"] = None


def restart_run(campaign: dict[str, Any], now: datetime) -> None:
    """New leads on a launched campaign: every step must now reach them too."""
    running = campaign["_run_started"] is not None
    campaign["_run_elapsed"] = 0.0
    campaign["_run_started"] = iso_z(now) if running else None


def _elapsed(campaign: dict[str, Any], now: datetime) -> float:
    started = campaign["_run_started"]
    if started is None:
        return float(campaign["_run_elapsed"])
    since = now - datetime.fromisoformat(started)
    return float(campaign["_run_elapsed"]) + max(since, timedelta()).total_seconds()


def step_offsets(campaign: dict[str, Any]) -> list[float]:
    """Seconds after the run starts at which each step goes out (step 1 at once)."""
    offsets, total = [0.0], 0.0
    for step in campaign["sequences"]:
        total += step["wait_days"] * DAY
        offsets.append(total)
    return offsets


def advance(db: sqlite3.Connection, now: datetime) -> None:
    """Upload jobs first (their leads count at once), then the campaigns; see the module doc."""
    advance_jobs(db, now)
    advance_campaigns(db, now)


def advance_campaigns(db: sqlite3.Connection, now: datetime) -> None:
    """Progress ACTIVE campaigns to ``now``: counts grow, and finished ones complete.

    Between two steps nothing changes, so only campaigns whose ``due`` time has come are read
    (an indexed range), and each is stored with the time of its next step.
    """
    moment = now.timestamp()
    query = "SELECT data FROM cs_campaigns WHERE due <= ? AND status = 'ACTIVE' ORDER BY seq DESC"
    for row in db.execute(query, (moment,)).fetchall():
        campaign = json.loads(row["data"])
        progress(campaign, now)
        store.save(db, campaign, due=_next_step(campaign, now))


def _next_step(campaign: dict[str, Any], now: datetime) -> float | None:
    """Epoch seconds of the next step or of completion, for a campaign progressed to ``now``."""
    if campaign["status"] != "ACTIVE" or campaign["_run_started"] is None:
        return None  # its elapsed sending time stands still
    offsets = step_offsets(campaign)
    elapsed = _elapsed(campaign, now)
    ahead = [step for step in [*offsets, offsets[-1] + DAY] if step > elapsed]
    return now.timestamp() + (min(ahead) - elapsed) - EARLY if ahead else None


def progress(campaign: dict[str, Any], now: datetime) -> bool:
    """Update counts and status from the elapsed sending time; True when anything changed."""
    before = json.dumps(campaign, sort_keys=True)
    offsets = step_offsets(campaign)
    elapsed = _elapsed(campaign, now)
    steps_sent = sum(1 for offset in offsets if offset <= elapsed)
    done = elapsed >= offsets[-1] + DAY
    _set_counts(campaign, campaign["total_leads"] * (len(offsets) if done else steps_sent))
    if done:
        stop_run(campaign, now)
        campaign["status"] = "COMPLETED"
        campaign["updated_at"] = iso_z(now)
    return json.dumps(campaign, sort_keys=True) != before


def _set_counts(campaign: dict[str, Any], sent: int) -> None:
    """Plausible, deterministic engagement: 40 % opens (if tracked), 5 % replies, 2 % bounces."""
    sent = max(sent, campaign["sent_count"])
    campaign["sent_count"] = sent
    campaign["open_count"] = math.floor(sent * 0.4) if campaign["enable_tracking"] else 0
    campaign["reply_count"] = sent // 20
    campaign["bounce_count"] = sent // 50
    campaign["unsubscribe_count"] = sent // 100 if campaign["enable_unsubscribe"] else 0


def advance_jobs(db: sqlite3.Connection, now: datetime) -> None:
    """Move every unfinished job along its timeline; completing one adds its leads."""
    for row in db.execute("SELECT data FROM cs_jobs WHERE done = 0").fetchall():
        job = json.loads(row["data"])
        age = (now - datetime.fromisoformat(job["created"])).total_seconds()
        status = next((s for after, s, _ in TIMELINE if age >= after), "PENDING")
        if status != "PENDING" and job["started_at"] is None:
            job["started_at"] = iso_z(now)
        job["status"] = status
        if status == "COMPLETED":
            _complete(db, job, now)
        leads.save_job(db, job, done=status == "COMPLETED")


def _complete(db: sqlite3.Connection, job: dict[str, Any], now: datetime) -> None:
    campaign = store.load(db, job["campaign_id"])
    rows = job.pop("rows")
    job["total_count"] = len(rows)
    job["completed_at"] = iso_z(now)
    if campaign is None:
        job["status"] = "FAILED"
        return
    leads.import_rows(db, job, campaign, rows, now)
    if job["success_count"] and campaign["launched_at"] is not None:
        restart_run(campaign, now)
    store.save(db, campaign)
