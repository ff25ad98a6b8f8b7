"""Inbox end to end: the real CLI against the sandbox over loopback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Repo, camp_yaml

ROOT = Path(__file__).resolve().parents[2]
MOUNT = "/inbox/api/v1/campaigns/v2"
DNC_ID = "list0000000000000000000003"

CAMPAIGN = """\
kind: inbox/campaign
account: dm
name: "[camp] Founders DM"
{state}
timezone: Europe/Berlin
account_links: [founder_x]
messages_per_hour: {mph}
schedule:
  mon: "09:00-17:00"
  {day}: "10:00-16:00"
rules:
  include_lists: [{lists}]
  exclude_contacted: true
sequence:
  - message: "{text}"
  - delay: 2d
  - like_tweet: true
"""
DEFAULTS = {
    "state": "",
    "mph": "6",
    "day": "tue",
    "lists": "SaaS founders",
    "text": "{Hey|Hi} {{first-name|there}}, quick question",
}


def _write(repo: Repo, **values: str) -> None:
    repo.write("campaigns/dm.yaml", CAMPAIGN.format(**{**DEFAULTS, **values}))


def _live(repo: Repo) -> list[dict[str, Any]]:
    body = repo.api("inbox", "GET", "/campaigns/v2").json()
    return [repo.api("inbox", "GET", f"/campaigns/v2/{c['id']}").json() for c in body["data"]]


def _plan_json(repo: Repo, *args: str) -> tuple[int, dict[str, Any]]:
    result = repo.camp("plan", "--format", "json", *args)
    return result.returncode, json.loads(result.stdout)


def _applied(repo: Repo, *args: str) -> str:
    result = repo.camp("apply", "--auto-approve", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_create_then_plan_is_empty(repo: Repo) -> None:
    _write(repo)
    first = repo.camp("plan", "--detailed-exitcode")
    assert first.returncode == 2, first.stderr
    assert '+ inbox/campaign "[camp] Founders DM"' in first.stdout
    assert re.search(r'\+ schedule\.tue += "10:00-16:00"', first.stdout)
    assert re.search(r'\+ sequence\[1\] += \{ delay = "2d" \}', first.stdout)
    _applied(repo)
    again = repo.camp("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout
    [live] = _live(repo)
    assert live["status"] == "draft" and live["timezone"] == "Europe/Berlin"
    assert live["schedule"] == {"1": {"start": 540, "end": 1020}, "2": {"start": 600, "end": 960}}
    assert live["rules"]["syncedLists"][0]["listId"] == "list0000000000000000000001"
    assert [s["type"] for s in live["sequence"]["steps"]] == ["message", "delay", "like-tweet"]
    assert live["messagesPerHour"] == 6 and live["targetsCount"] == 1200


EDITS = [
    ({"text": "Hello {{first-name}}"}, "sequence[0].message", "PUT", "/sequence"),
    ({"day": "wed"}, "schedule.tue", "PATCH", ""),
    ({"mph": "9"}, "messages_per_hour", "PATCH", ""),
    ({"lists": "Existing customers"}, "rules.include_lists", "PATCH", "/rules"),
]


@pytest.mark.parametrize(("edit", "field", "method", "suffix"), EDITS)
def test_one_edit_is_exactly_that_change(
    repo: Repo, edit: dict[str, str], field: str, method: str, suffix: str
) -> None:
    _write(repo)
    _applied(repo)
    _write(repo, **edit)
    code, plan = _plan_json(repo, "--detailed-exitcode")
    assert code == 2
    [entry] = plan["campaigns"]
    assert entry["actions"] == ["update"]
    changed = {c["field"] for c in entry["changes"]}
    assert field in changed and changed <= {field, "schedule.wed"}
    repo.admin("DELETE", "/requests")
    _applied(repo)
    writes = [(w["method"], w["path"].split(entry["live_id"])[-1]) for w in repo.writes()]
    assert writes == [(method, suffix)]
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_enable_is_irreversible_and_guarded_by_audience(repo: Repo) -> None:
    guards = "guards:\n  max_recipients_per_launch: 1000\n"
    (repo.root / "camp.yaml").write_text(camp_yaml(repo.sandbox.base_url, guards))
    _write(repo, state="state: active")
    plan = repo.camp("plan")
    assert plan.returncode == 3, plan.stdout
    assert "launch (irreversible): enable: DMs start going out" in plan.stdout
    assert "audience size: 1,200" in plan.stdout
    assert "guard max_recipients_per_launch" in plan.stdout
    repo.admin("DELETE", "/requests")
    assert repo.camp("apply", "--auto-approve").returncode == 3
    assert repo.writes() == []
    _applied(repo, "--force")
    [live] = _live(repo)
    assert live["status"] == "active" and live["enabled"] is True
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_enable_with_an_empty_sequence_is_blocked(repo: Repo) -> None:
    _write(repo)
    _applied(repo)
    text = (repo.root / "campaigns/dm.yaml").read_text()
    head = text.split("sequence:")[0]
    repo.write(
        "campaigns/dm.yaml", head.replace('name: "', 'state: active\nname: "') + "sequence: []\n"
    )
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "enable would fail: the sequence is empty" in plan.stdout


def test_disable_then_resume(repo: Repo) -> None:
    _write(repo, state="state: active")
    _applied(repo)
    _write(repo, state="state: paused")
    code, plan = _plan_json(repo, "--detailed-exitcode")
    assert code == 2 and plan["campaigns"][0]["actions"] == ["pause"]
    _applied(repo)
    assert _live(repo)[0]["status"] == "paused"
    _write(repo, state="state: active")
    assert "resume" in _applied(repo)
    assert _live(repo)[0]["status"] == "active"
    _write(repo, state="state: draft")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert "cannot move a campaign from active to draft" in blocked.stdout


def test_delete_rules(repo: Repo) -> None:
    _write(repo, state="state: active")
    _applied(repo)
    _write(repo, state="state: absent")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert (
        "Inbox deletes only a draft, paused or completed campaign (live: active)" in blocked.stdout
    )
    assert "set `state: paused` first" in blocked.stdout
    _write(repo, state="state: paused")
    _applied(repo)
    _write(repo, state="state: absent")
    assert "delete (irreversible)" in _applied(repo)
    assert _live(repo) == []
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_completed_campaign_edits_are_blocked(repo: Repo) -> None:
    small = {"lists": "Do not contact", "mph": "25"}  # 50 leads, sent within a day
    _write(repo, state="state: active", **small)
    _applied(repo)
    for _ in range(3):
        repo.admin("POST", "/clock", {"advance_seconds": 3 * 86_400})
    assert _live(repo)[0]["status"] == "completed"
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0  # active is satisfied
    _write(repo, state="state: active", text="Too late", **small)
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "a completed campaign accepts no change" in plan.stdout
    _write(repo, state="state: absent", **small)
    _applied(repo)
    assert _live(repo) == []


def test_unknown_username_is_a_located_plan_error(repo: Repo) -> None:
    _write(repo)
    path = repo.root / "campaigns/dm.yaml"
    path.write_text(path.read_text().replace("[founder_x]", "[founder_xx]"))
    plan = repo.camp("plan")
    assert plan.returncode == 1
    assert "campaigns/dm.yaml:6:17" in plan.stderr
    assert "did you mean 'founder_x'?" in plan.stderr


def test_unknown_list_is_a_located_plan_error(repo: Repo) -> None:
    _write(repo, lists="Saas founder")
    plan = repo.camp("plan")
    assert plan.returncode == 1
    assert "campaigns/dm.yaml:12:19" in plan.stderr
    assert "did you mean 'SaaS founders'?" in plan.stderr


def test_the_example_applies_and_replans_empty(repo: Repo) -> None:
    shutil.copytree(ROOT / "campaigns/inbox", repo.root / "campaigns/inbox")
    _applied(repo, "campaigns/inbox")
    assert repo.camp("plan", "--detailed-exitcode", "campaigns/inbox").returncode == 0


def test_dropped_create_response_is_adopted_not_duplicated(repo: Repo) -> None:
    _write(repo)
    # Seed 109 at drop_rate 0.2: the list, account-links and lists reads pass; the 4th request
    # (POST /campaigns/v2) is processed but its connection dropped; the next eight pass.
    repo.admin("POST", "/faults", {"drop_rate": 0.2, "seed": 109})
    out = _applied(repo)
    repo.admin("POST", "/faults", {"drop_rate": 0})
    assert "create response lost: adopted campaign" in out
    posts = [w for w in repo.writes() if w["method"] == "POST" and w["path"] == MOUNT]
    assert len(posts) == 1
    assert len(_live(repo)) == 1
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_saved_plan_ignores_counters_but_not_edits(repo: Repo) -> None:
    _write(repo, state="state: active")
    _applied(repo)
    _write(repo, state="state: active", mph="7")
    assert repo.camp("plan", "--out", "plan.json").returncode == 0
    repo.admin("POST", "/clock", {"advance_seconds": 86_400})  # counters move, rules sync ends
    assert repo.camp("apply", "plan.json").returncode == 0
    _write(repo, state="state: active", mph="8")
    assert repo.camp("plan", "--out", "plan.json").returncode == 0
    live_id = _live(repo)[0]["id"]
    repo.api("inbox", "PATCH", f"/campaigns/v2/{live_id}", json={"timezone": "UTC"})
    refused = repo.camp("apply", "plan.json")
    assert refused.returncode == 3 and "live state moved" in refused.stderr


def test_import_round_trips_short_and_raw_steps(repo: Repo) -> None:
    body = {"name": "Dashboard DM", "accountLinkIds": ["acct0000000000000000000002"]}
    made = repo.api("inbox", "POST", "/campaigns/v2", json=body).json()
    path = f"/campaigns/v2/{made['id']}"
    settings = {
        "schedule": {"0": {"start": 0, "end": 1440}, "3": {"start": 600, "end": 690}},
        "messagesPerHour": 12,
        "automations": [
            {"trigger": "replied", "action": "set-status", "actionData": {"statusId": "st1"}}
        ],
    }
    repo.api("inbox", "PATCH", path, json=settings).raise_for_status()
    repo.api("inbox", "PATCH", f"{path}/rules", json={"excludedListIds": [DNC_ID]})
    split = [{"type": "static", "text": "Hi "}, {"type": "static", "text": "there"}]
    steps = [
        {"type": "message", "data": {"segments": split}},  # two statics: no short form
        {"type": "delay", "data": {"delaySeconds": 7200, "unit": "minutes"}},
    ]
    repo.api("inbox", "PUT", f"{path}/sequence", json={"steps": steps}).raise_for_status()
    repo.api("inbox", "POST", "/campaigns/v2", json={**body, "name": "Plain DM"})

    imported = repo.camp("import", "--account", "dm", "--out", "campaigns/dm")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    text = (repo.root / "campaigns/dm/dashboard-dm.yaml").read_text()
    assert "sun: 00:00-24:00" in text and "delay: 120m" in text and "type: message" in text
    plain = (repo.root / "campaigns/dm/plain-dm.yaml").read_text()
    assert "schedule" not in plain and "sequence" not in plain
    assert repo.camp("validate", "campaigns/dm").returncode == 0
    plan = repo.camp("plan", "--detailed-exitcode", "campaigns/dm")
    assert plan.returncode == 0, plan.stdout + plan.stderr
