"""`camp import` for easymail: campaigns made in the vendor's dashboard, in every status,
import to YAML (and Markdown files) whose plan is empty."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from tests.e2e.conftest import Repo

IDENTITY = "22222222-2222-4222-8222-000000000001"
CUSTOMERS = "22222222-2222-4222-8222-000000000011"
ACTIVE = "22222222-2222-4222-8222-000000000021"
RICH = (
    "# Title\n\n## Sub\n\nSome **bold**, *italic* and a [link](https://brand.example).\n\n"
    "- one\n- two\n  - nested\n\n1. first\n2. second\n\n"
    "> a quote\n> on two lines\n\n```python\nprint('hi')  # <b>not html</b>\n```\n\n"
    "    indented code\n\n---\n\n![logo](https://brand.example/logo.png)\nLine  \nbreak\n"
)
READY = {
    "subject": "What shipped",
    "from_name": "Brand News",
    "from_identity": IDENTITY,
    "list_uuid": CUSTOMERS,
    "content": "# What shipped\n\nHi there.\n",
}


def _make(repo: Repo, name: str, fields: dict[str, Any]) -> str:
    created = repo.api("easymail", "POST", "/campaigns", json={"name": name, **fields})
    assert created.status_code == 201, created.text
    return str(created.json()["data"]["uuid"])


def _transition(repo: Repo, uuid: str, verb: str, body: Any = None) -> None:
    """POST a transition, waiting out the vendor's transition-in-progress window."""
    for _ in range(50):
        answer = repo.api("easymail", "POST", f"/campaigns/{uuid}/{verb}", json=body)
        if answer.status_code != 409 or "IN_PROGRESS" not in answer.text:
            assert answer.status_code == 200, answer.text
            return
        time.sleep(0.05)
    raise AssertionError(f"{verb} stayed in progress")


def _sandbox_in(repo: Repo, seconds: float) -> str:
    now = repo.admin("POST", "/clock", {"advance_seconds": 0})["now"]
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) + timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _status(repo: Repo, uuid: str) -> str:
    return str(repo.api("easymail", "GET", f"/campaigns/{uuid}").json()["data"]["status"])


def _dashboard(repo: Repo) -> dict[str, str]:
    """One campaign per status and body kind, made as a dashboard user would."""
    ids = {"minimal": _make(repo, "Draft minimal", {})}
    full = {**READY, "preheader": "Read me", "reply_to": "help@brand.example", "content": RICH}
    ids["full"] = _make(repo, "Draft full", {**full, "segment_uuid": ACTIVE})
    ids["canceled"] = _make(repo, "Canceled one", READY)
    _transition(repo, ids["canceled"], "send")
    _transition(repo, ids["canceled"], "cancel")
    ids["sent"] = _make(repo, "Sent one", READY)
    _transition(repo, ids["sent"], "send")
    ids["failed"] = _make(repo, "Failed one", READY)
    _transition(repo, ids["failed"], "schedule", {"scheduled_at": _sandbox_in(repo, 60)})
    repo.api("easymail", "PATCH", f"/campaigns/{ids['failed']}", json={"subject": None})
    repo.admin("POST", "/clock", {"advance_seconds": 120})
    ids["scheduled"] = _make(repo, "Scheduled one", {**READY, "content": "Short and sweet."})
    _transition(repo, ids["scheduled"], "schedule", {"scheduled_at": _sandbox_in(repo, 7 * 86400)})
    for layout in ("styled", "multi-column"):
        ids[layout] = _make(repo, f"Dashboard {layout}", READY)
        repo.admin("POST", f"/easymail/campaigns/{ids[layout]}/dashboard-edit", {"layout": layout})
    expected = {"canceled": "canceled", "sent": "sent", "failed": "failed"}
    assert {k: _status(repo, ids[k]) for k in expected} == expected
    return ids


def test_import_round_trips_in_every_status(repo: Repo) -> None:
    _dashboard(repo)
    imported = repo.camp("import", "--account", "news")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "Imported 8 campaigns from account 'news'" in imported.stdout
    assert "body styled in the easymail dashboard: not imported" in imported.stderr
    folder = repo.root / "campaigns/news"
    full = (folder / "draft-full.yaml").read_text()
    assert full.startswith(
        "# yaml-language-server: $schema=../../schemas/easymail-campaign.schema.json"
    )
    assert "content_file: draft-full.md" in full and "segment: Active last 30 days" in full
    assert (folder / "draft-full.md").read_bytes() == RICH.encode()
    scheduled = (folder / "scheduled-one.yaml").read_text()
    assert "state: scheduled" in scheduled and "content: Short and sweet." in scheduled
    assert "state: sent" in (folder / "sent-one.yaml").read_text()
    assert "state: canceled" in (folder / "canceled-one.yaml").read_text()
    assert "state:" not in (folder / "failed-one.yaml").read_text()
    for layout in ("styled", "multi-column"):
        assert "content" not in (folder / f"dashboard-{layout}.yaml").read_text()

    valid = repo.camp("validate", "campaigns/news")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    plan = repo.camp("plan", "--detailed-exitcode", "campaigns/news")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_imported_body_edit_plans_exactly_that_change(repo: Repo) -> None:
    _make(repo, "Draft full", {**READY, "content": RICH})
    assert repo.camp("import", "--account", "news").returncode == 0
    body = repo.root / "campaigns/news/draft-full.md"
    body.write_text(RICH.replace("# Title", "# New title"), encoding="utf-8")
    plan = repo.camp("plan", "--detailed-exitcode", "campaigns/news")
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "+# New title" in plan.stdout and "update content" in plan.stdout
