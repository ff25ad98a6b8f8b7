"""easymail end to end: the real CLI against the sandbox over loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Repo, camp_yaml

NAME = "[camp] December newsletter"
CAMPAIGN = """\
kind: easymail/campaign
account: news
name: "{name}"
{extra}subject: "{subject}"
from_name: Brand News
from_identity: news@brand.example
audience:
  list: {list}
content_file: body.md
"""
BODY = "# What shipped\n\nHi there,\n\n- **Imports** are faster.\n"


def _campaign(
    repo: Repo,
    *,
    extra: str = "",
    subject: str = "What shipped in December",
    audience: str = "Customers",
    name: str = NAME,
) -> None:
    repo.write(
        "campaigns/news.yaml",
        CAMPAIGN.format(name=name, extra=extra, subject=subject, list=audience),
    )
    repo.write("campaigns/body.md", BODY)


def _live(repo: Repo) -> list[dict[str, Any]]:
    items = repo.api("easymail", "GET", "/campaigns").json()["data"]
    return [repo.api("easymail", "GET", f"/campaigns/{c['uuid']}").json()["data"] for c in items]


def _apply(repo: Repo, *args: str) -> str:
    applied = repo.camp("apply", "--auto-approve", *args)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    return applied.stdout


def _plan_json(repo: Repo) -> tuple[int, dict[str, Any]]:
    plan = repo.camp("plan", "--detailed-exitcode", "--format", "json")
    return plan.returncode, json.loads(plan.stdout)["campaigns"][0]


def _assert_empty(repo: Repo) -> None:
    plan = repo.camp("plan", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def _in(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_then_plan_is_empty(repo: Repo) -> None:
    _campaign(repo)
    first = repo.camp("plan", "--detailed-exitcode")
    assert first.returncode == 2, first.stderr
    assert f'+ easymail/campaign "{NAME}"' in first.stdout
    assert "Apply complete: 1 campaign changed." in _apply(repo)
    _assert_empty(repo)
    [live] = _live(repo)
    assert live["status"] == "draft" and live["readiness"]["can_send"] is True
    assert live["from_email"] == "news@brand.example" and live["content"] == BODY
    assert live["audience"]["list_uuid"] == "22222222-2222-4222-8222-000000000011"


def test_one_field_edit_is_exactly_that_change(repo: Repo) -> None:
    _campaign(repo)
    _apply(repo)
    _campaign(repo, subject="What shipped, really")
    code, entry = _plan_json(repo)
    assert code == 2
    assert entry["actions"] == ["update"]
    assert entry["changes"] == [
        {
            "action": "update",
            "field": "subject",
            "old": "What shipped in December",
            "new": "What shipped, really",
        }
    ]
    repo.admin("DELETE", "/requests")
    _apply(repo)
    assert [(w["method"], w["path"].rsplit("/", 1)[0]) for w in repo.writes()] == [
        ("PATCH", "/easymail/api/v1/campaigns")
    ]
    assert _live(repo)[0]["subject"] == "What shipped, really"
    _assert_empty(repo)


def test_null_clears_and_omitted_is_unmanaged(repo: Repo) -> None:
    _campaign(repo, extra='preheader: "Read me"\n')
    _apply(repo)
    [live] = _live(repo)
    repo.api(
        "easymail", "PATCH", f"/campaigns/{live['uuid']}", json={"reply_to": "x@brand.example"}
    )
    _campaign(repo, extra="preheader: null\n")
    code, entry = _plan_json(repo)
    assert code == 2
    assert entry["changes"] == [
        {"action": "update", "field": "preheader", "old": "Read me", "new": None}
    ]
    _apply(repo)
    [live] = _live(repo)
    assert live["preheader"] is None and live["reply_to"] == "x@brand.example"
    _assert_empty(repo)


@pytest.mark.parametrize(
    ("layout", "lost"),
    [("styled", "loses its styling"), ("multi-column", "multi-column layout")],
)
def test_dashboard_edit_needs_overwrite(repo: Repo, layout: str, lost: str) -> None:
    _campaign(repo)
    _apply(repo)
    [live] = _live(repo)
    repo.admin("POST", f"/easymail/campaigns/{live['uuid']}/dashboard-edit", {"layout": layout})
    blocked = repo.camp("plan")
    assert blocked.returncode == 3, blocked.stdout + blocked.stderr
    assert "overwrite-content (irreversible)" in blocked.stdout
    assert lost in blocked.stdout and "set `overwrite: true`" in blocked.stdout
    if layout == "multi-column":
        assert "content_editable_via_api: false" in blocked.stdout
    repo.admin("DELETE", "/requests")
    assert repo.camp("apply", "--auto-approve").returncode == 3
    assert repo.writes() == []
    _campaign(repo, extra="overwrite: true\n")
    code, entry = _plan_json(repo)
    assert code == 2 and entry["actions"] == ["overwrite-content"] and entry["irreversible"]
    _apply(repo)
    [live] = _live(repo)
    assert live["content_overwrite_required"] is False
    assert live["content_editable_via_api"] is True and live["content"] == BODY
    _assert_empty(repo)


def test_schedule_reschedule_then_sent_is_done(repo: Repo) -> None:
    at = _in(1)
    _campaign(repo, extra=f"state: scheduled\nscheduled_at: {at}\n")
    plan = repo.camp("plan")
    assert plan.returncode == 0 and "audience size: 1,200" in plan.stdout
    _apply(repo)
    assert [(c["status"], c["scheduled_at"]) for c in _live(repo)] == [("scheduled", at)]
    _assert_empty(repo)
    later = _in(2)
    _campaign(repo, extra=f"state: scheduled\nscheduled_at: {later}\n")
    assert f"reschedule: {at} → {later}" in repo.camp("plan").stdout
    _apply(repo)
    assert _live(repo)[0]["scheduled_at"] == later
    repo.admin("POST", "/clock", {"advance_seconds": 3 * 3600})
    assert _live(repo)[0]["status"] == "sent"
    _assert_empty(repo)  # it went out as scheduled: nothing left to do
    _campaign(repo, extra=f"state: scheduled\nscheduled_at: {later}\n", subject="Too late")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert "edits only draft, scheduled or failed campaigns (live: sent)" in blocked.stdout


def test_schedule_in_the_past_is_blocked(repo: Repo) -> None:
    _campaign(repo, extra=f"state: scheduled\nscheduled_at: {_in(-1)}\n")
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "is in the past" in plan.stdout


def test_unschedule_back_to_draft(repo: Repo) -> None:
    _campaign(repo, extra=f"state: scheduled\nscheduled_at: {_in(1)}\n")
    _apply(repo)
    _campaign(repo, extra="state: draft\n")
    code, entry = _plan_json(repo)
    assert code == 2 and entry["actions"] == ["unschedule"]
    _apply(repo)
    [live] = _live(repo)
    assert live["status"] == "draft" and live["scheduled_at"] is None
    _assert_empty(repo)


def test_send_is_guarded_by_recipients_then_forced(repo: Repo) -> None:
    guards = "guards:\n  max_recipients_per_launch: 5000\n"
    (repo.root / "camp.yaml").write_text(camp_yaml(repo.sandbox.base_url, guards))
    _campaign(repo, extra="state: sent\n", audience="Trial users")
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "send (irreversible)" in plan.stdout and "audience size: 5,400" in plan.stdout
    blocked = "BLOCKED (guard max_recipients_per_launch): send would reach 5,400 recipients"
    assert blocked in plan.stdout
    repo.admin("DELETE", "/requests")
    assert repo.camp("apply", "--auto-approve").returncode == 3
    assert repo.writes() == []
    _apply(repo, "--force")
    [live] = _live(repo)
    assert live["status"] == "queued"
    _assert_empty(repo)  # a sent campaign is done


def test_send_not_ready_names_what_is_missing(repo: Repo) -> None:
    repo.write(
        "campaigns/news.yaml",
        f'kind: easymail/campaign\nname: "{NAME}"\nstate: sent\nsubject: Hi\n',
    )
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "missing from_name, from_identity, content, audience" in plan.stdout


def test_cancel_then_delete(repo: Repo) -> None:
    _campaign(repo, extra="state: sent\n")
    _apply(repo)
    _campaign(repo, extra="state: absent\n")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3 and "set `state: canceled` first" in blocked.stdout
    _campaign(repo, extra="state: canceled\n")
    code, entry = _plan_json(repo)
    assert code == 2 and entry["actions"] == ["cancel"]
    _apply(repo)
    assert _live(repo)[0]["status"] == "canceled"
    _assert_empty(repo)
    _campaign(repo, extra="state: absent\n")
    assert "delete (irreversible)" in _apply(repo)
    assert _live(repo) == []
    _assert_empty(repo)


def test_unreachable_state_is_blocked(repo: Repo) -> None:
    _campaign(repo)
    _apply(repo)
    _campaign(repo, extra="state: canceled\n")
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "only a queued or sending campaign can be canceled (live: draft)" in plan.stdout


def test_markdown_round_trip(repo: Repo) -> None:
    body = (
        "# Title\n\n## Sub\n\nSome **bold**, *italic* and a [link](https://brand.example).\n\n"
        "- one\n- two\n  - nested\n\n1. first\n2. second\n\n"
        "> a quote\n> on two lines\n\n```python\nprint('hi')  # <b>not html</b>\n```\n\n"
        "    indented code\n\n---\n\n![logo](https://brand.example/logo.png)\nLine  \nbreak\n"
    )
    _campaign(repo)
    repo.write("campaigns/body.md", body)
    _apply(repo)
    assert _live(repo)[0]["content"] == body
    _assert_empty(repo)


def test_unknown_list_is_a_located_plan_error(repo: Repo) -> None:
    _campaign(repo, audience="Custmers")
    plan = repo.camp("plan")
    assert plan.returncode == 1
    assert "campaigns/news.yaml:8:9" in plan.stderr
    assert "no list 'Custmers' in easymail" in plan.stderr
    assert "did you mean 'Customers'?" in plan.stderr


def test_id_pin_renames_in_place(repo: Repo) -> None:
    _campaign(repo)
    _apply(repo)
    [live] = _live(repo)
    _campaign(repo, extra=f"id: {live['uuid']}\n", name="[camp] January newsletter")
    code, entry = _plan_json(repo)
    assert code == 2 and entry["actions"] == ["update"]
    assert [c["field"] for c in entry["changes"]] == ["name"]
    _apply(repo)
    assert [c["name"] for c in _live(repo)] == ["[camp] January newsletter"]
    _assert_empty(repo)


def test_live_duplicates_are_blocked(repo: Repo) -> None:
    for _ in range(2):
        repo.api("easymail", "POST", "/campaigns", json={"name": NAME})
    _campaign(repo)
    plan = repo.camp("plan")
    assert plan.returncode == 3 and f"2 live campaigns are named '{NAME}'" in plan.stdout


def test_dropped_create_response_is_adopted_not_duplicated(repo: Repo) -> None:
    _campaign(repo)
    # Seed 6 at drop_rate 0.2: the first four requests (campaigns, identities, lists,
    # segments) pass, the 5th (POST /campaigns) is processed but dropped, the next 9 pass.
    repo.admin("POST", "/faults", {"drop_rate": 0.2, "seed": 6})
    applied = repo.camp("apply", "--auto-approve")
    repo.admin("POST", "/faults", {"drop_rate": 0})
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "create response lost: adopted campaign" in applied.stdout
    posts = [r for r in repo.writes() if r["method"] == "POST"]
    assert len(posts) == 1  # never blindly re-sent
    assert len(_live(repo)) == 1
    _assert_empty(repo)
