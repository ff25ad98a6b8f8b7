"""ColdSend end to end: the real CLI against the sandbox over loopback."""

from __future__ import annotations

import json
import os

from tests.e2e.conftest import ENV_KEYS, Repo
from tests.support.terminal import camp_on_a_terminal

CAMPAIGN = """\
kind: coldsend/campaign
account: cold
name: "[camp] Founders Q1"
{state}
timezone: Europe/Berlin
sending_window_start: 8
inboxes: [alex@outbound.example]
leads: leads.csv
variants:
  - variant_name: A
    subject_template: "{subject}"
    email_content: "Hi {{{{first_name | default: 'there'}}}}, quick question."
    distribution_percent: 100
"""

LEADS = "email,first_name\nada@example.com,Ada\nbob@example.com,Bob\n"


def _campaign(repo: Repo, *, state: str = "", subject: str = "Hello") -> None:
    repo.write("campaigns/q1.yaml", CAMPAIGN.format(state=state, subject=subject))
    repo.write("campaigns/leads.csv", LEADS)


def _live(repo: Repo) -> list[dict[str, object]]:
    body = repo.api("coldsend", "GET", "/campaigns").json()
    return [
        repo.api("coldsend", "GET", f"/campaigns/{c['campaign_id']}").json()
        for c in body["campaigns"]
    ]


def test_create_then_plan_is_empty(repo: Repo) -> None:
    _campaign(repo)
    first = repo.camp("plan", "--detailed-exitcode")
    assert first.returncode == 2, first.stderr
    assert '+ coldsend/campaign "[camp] Founders Q1"' in first.stdout
    applied = repo.camp("apply", "--auto-approve")
    assert applied.returncode == 0, applied.stderr + applied.stdout
    assert "Apply complete: 1 campaign changed." in applied.stdout
    again = repo.camp("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout
    assert "No changes" in again.stdout
    [live] = _live(repo)
    assert live["status"] == "DRAFT" and live["total_leads"] == 2
    assert live["timezone"] == "Europe/Berlin" and live["sending_window_start"] == 8


def test_one_edited_subject_is_exactly_one_change(repo: Repo) -> None:
    _campaign(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    _campaign(repo, subject="Hello again")
    plan = repo.camp("plan", "--detailed-exitcode", "--format", "json")
    assert plan.returncode == 2
    [entry] = json.loads(plan.stdout)["campaigns"]
    assert entry["actions"] == ["update"]
    assert entry["changes"] == [
        {
            "action": "update",
            "field": "variants[0].subject_template",
            "old": "Hello",
            "new": "Hello again",
        }
    ]
    repo.admin("DELETE", "/requests")
    assert repo.camp("apply", "--auto-approve").returncode == 0
    writes = repo.writes()
    assert [(w["method"], w["path"].rsplit("/", 1)[0]) for w in writes] == [
        ("PUT", "/coldsend/api/public/v1/campaigns")
    ]
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_launch_pause_resume(repo: Repo) -> None:
    _campaign(repo, state="state: active")
    plan = repo.camp("plan")
    assert "launch (irreversible)" in plan.stdout
    assert repo.camp("apply", "--auto-approve").returncode == 0
    assert _live(repo)[0]["status"] == "ACTIVE"
    _campaign(repo, state="state: paused")
    assert repo.camp("apply", "--auto-approve").returncode == 0
    assert _live(repo)[0]["status"] == "PAUSED"
    _campaign(repo, state="state: active")
    resumed = repo.camp("apply", "--auto-approve")
    assert "resume" in resumed.stdout
    assert _live(repo)[0]["status"] == "ACTIVE"
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_launch_without_leads_is_blocked_and_apply_writes_nothing(repo: Repo) -> None:
    repo.write(
        "campaigns/q1.yaml",
        CAMPAIGN.format(state="state: active", subject="Hi").replace("leads: leads.csv\n", ""),
    )
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "launch would not start: missing leads" in plan.stdout
    repo.admin("DELETE", "/requests")
    applied = repo.camp("apply", "--auto-approve")
    assert applied.returncode == 3
    assert repo.writes() == []


def test_variant_change_while_active_is_blocked_with_hint(repo: Repo) -> None:
    _campaign(repo, state="state: active")
    assert repo.camp("apply", "--auto-approve").returncode == 0
    _campaign(repo, state="state: active", subject="New subject")
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "Campaign is ACTIVE: pause it to change variants or sequences" in plan.stdout
    assert "state: paused" in plan.stdout
    _campaign(repo, state="state: paused", subject="New subject")
    plan = repo.camp("plan", "--format", "json")
    assert plan.returncode == 0
    assert json.loads(plan.stdout)["campaigns"][0]["actions"] == ["pause", "update"]


def test_absent_deletes_and_active_delete_is_blocked(repo: Repo) -> None:
    _campaign(repo, state="state: active")
    assert repo.camp("apply", "--auto-approve").returncode == 0
    _campaign(repo, state="state: absent")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert "Only DRAFT or PAUSED campaigns can be deleted" in blocked.stdout
    _campaign(repo, state="state: paused")
    assert repo.camp("apply", "--auto-approve").returncode == 0
    _campaign(repo, state="state: absent")
    deleted = repo.camp("apply", "--auto-approve")
    assert deleted.returncode == 0, deleted.stdout
    assert _live(repo) == []


def test_new_leads_only_are_uploaded(repo: Repo) -> None:
    _campaign(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    repo.write("campaigns/leads.csv", LEADS + "CAROL@example.com,Carol\n")
    plan = repo.camp("plan")
    assert "+1 lead (2 already present)" in plan.stdout
    assert repo.camp("apply", "--auto-approve").returncode == 0
    assert _live(repo)[0]["total_leads"] == 3
    repo.write("campaigns/leads.csv", "email\nada@example.com\n")
    warned = repo.camp("plan", "--detailed-exitcode")
    assert warned.returncode == 0
    assert "2 leads live but not in leads.csv" in warned.stdout


def test_saved_plan_refused_when_live_moved(repo: Repo) -> None:
    _campaign(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    _campaign(repo, subject="Changed")
    assert repo.camp("plan", "--out", "plan.json").returncode == 0
    [live] = _live(repo)
    repo.api(
        "coldsend", "PUT", f"/campaigns/{live['campaign_id']}", json={"daily_limit_per_inbox": 7}
    )
    repo.admin("DELETE", "/requests")
    refused = repo.camp("apply", "plan.json")
    assert refused.returncode == 3
    assert "live state moved" in refused.stderr
    assert repo.writes() == []


def test_saved_plan_applies_and_tampering_is_refused(repo: Repo) -> None:
    _campaign(repo)
    assert repo.camp("plan", "--out", "plan.json").returncode == 0
    text = (repo.root / "plan.json").read_text()
    (repo.root / "tampered.json").write_text(text.replace("Europe/Berlin", "Europe/Paris"))
    refused = repo.camp("apply", "tampered.json")
    assert refused.returncode == 3 and "altered" in refused.stderr
    applied = repo.camp("apply", "plan.json")
    assert applied.returncode == 0, applied.stderr
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_server_errors_are_retried(repo: Repo) -> None:
    """5xx answers are retried until the apply converges (429s: tests/reliability soak)."""
    _campaign(repo, state="state: active")
    repo.admin("DELETE", "/requests")
    repo.admin("POST", "/faults", {"error_rate": 0.15, "seed": 3})
    applied = repo.camp("apply", "--auto-approve")
    repo.admin("POST", "/faults", {"error_rate": 0})
    assert applied.returncode == 0, applied.stdout + applied.stderr
    statuses = [r["status"] for r in repo.admin("GET", "/requests")]
    assert any(s >= 500 for s in statuses)  # the faults really happened
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_dropped_create_response_is_adopted_not_duplicated(repo: Repo) -> None:
    _campaign(repo)
    # Seed 51 at drop_rate 0.2: the 1st and 2nd requests (list campaigns, list inboxes) pass,
    # the 3rd (POST /campaigns) is processed but its connection dropped, the next 12 pass.
    repo.admin("POST", "/faults", {"drop_rate": 0.2, "seed": 51})
    applied = repo.camp("apply", "--auto-approve")
    repo.admin("POST", "/faults", {"drop_rate": 0})
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "create response lost: adopted campaign" in applied.stdout
    posts = [r for r in repo.writes() if r["method"] == "POST" and r["path"].endswith("/campaigns")]
    assert len(posts) == 1  # never blindly re-sent
    assert len(_live(repo)) == 1
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_unknown_inbox_is_a_located_plan_error(repo: Repo) -> None:
    _campaign(repo)
    text = (repo.root / "campaigns/q1.yaml").read_text().replace("alex@", "alexx@")
    (repo.root / "campaigns/q1.yaml").write_text(text)
    plan = repo.camp("plan")
    assert plan.returncode == 1
    assert "campaigns/q1.yaml:7:11" in plan.stderr
    assert "did you mean 'alex@outbound.example'?" in plan.stderr


def test_missing_api_key_is_a_clear_error(repo: Repo) -> None:
    _campaign(repo)
    plan = repo.camp("plan", env={"COLDSEND_API_KEY": ""})
    assert plan.returncode == 1
    assert "environment variable COLDSEND_API_KEY is not set" in plan.stderr


def test_wrong_api_key_never_leaks(repo: Repo) -> None:
    _campaign(repo)
    secret = "sk-live-very-secret-value"
    plan = repo.camp("-v", "plan", env={"COLDSEND_API_KEY": secret})
    assert plan.returncode == 1
    assert "API key was rejected" in plan.stderr
    assert secret not in plan.stdout + plan.stderr


def _post_live(repo: Repo, name: str) -> str:
    response = repo.api("coldsend", "POST", "/campaigns", json={"name": name})
    assert response.status_code == 201
    return str(response.json()["campaign_id"])


def test_live_duplicates_by_name_are_blocked_until_an_id_pins_one(repo: Repo) -> None:
    first = _post_live(repo, "[camp] Founders Q1")
    second = _post_live(repo, "[camp] Founders Q1")
    _campaign(repo)
    plan = repo.camp("plan")
    assert plan.returncode == 3
    assert "2 live campaigns are named '[camp] Founders Q1'" in plan.stdout
    assert first in plan.stdout and second in plan.stdout
    text = (repo.root / "campaigns/q1.yaml").read_text()
    (repo.root / "campaigns/q1.yaml").write_text(
        text.replace("account: cold\n", f"account: cold\nid: {first}\n")
    )
    applied = repo.camp("apply", "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert first in applied.stdout


def test_id_pin_renames_in_place(repo: Repo) -> None:
    _campaign(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    [live] = _live(repo)
    text = (repo.root / "campaigns/q1.yaml").read_text()
    text = text.replace("account: cold\n", f"account: cold\nid: {live['campaign_id']}\n")
    (repo.root / "campaigns/q1.yaml").write_text(text.replace("Founders Q1", "Founders Q2"))
    plan = repo.camp("plan", "--format", "json")
    [entry] = __import__("json").loads(plan.stdout)["campaigns"]
    assert entry["actions"] == ["update"]
    assert {
        "action": "update",
        "field": "name",
        "old": "[camp] Founders Q1",
        "new": "[camp] Founders Q2",
    } in entry["changes"]
    assert repo.camp("apply", "--auto-approve").returncode == 0
    assert [c["name"] for c in _live(repo)] == ["[camp] Founders Q2"]


def test_prune_deletes_only_unnamed_campaigns_inside_the_prefix(repo: Repo) -> None:
    _campaign(repo)
    stray = _post_live(repo, "[camp] Forgotten experiment")
    outside = _post_live(repo, "Hand-made campaign")
    assert repo.camp("apply", "--auto-approve").returncode == 0  # no --prune: stray stays
    assert {c["campaign_id"] for c in _live(repo)} >= {stray, outside}
    plan = repo.camp("plan", "--prune")
    assert "delete (irreversible)" in plan.stdout and "Forgotten experiment" in plan.stdout
    assert repo.camp("apply", "--auto-approve", "--prune").returncode == 0
    names = sorted(c["name"] for c in _live(repo))
    assert names == ["Hand-made campaign", "[camp] Founders Q1"]


def test_change_guard_blocks_and_force_lifts_it(repo: Repo) -> None:
    for i in range(4):
        repo.write(
            f"campaigns/c{i}.yaml",
            CAMPAIGN.format(state="", subject="Hi").replace("Founders Q1", f"Founders {i}"),
        )
    repo.write("campaigns/leads.csv", LEADS)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    (repo.root / "camp.yaml").write_text(
        (repo.root / "camp.yaml").read_text()
        + "guards:\n  max_change_percent: 50\n  min_existing: 4\n"
    )
    for i in range(3):
        repo.write(
            f"campaigns/c{i}.yaml",
            CAMPAIGN.format(state="", subject="Changed").replace("Founders Q1", f"Founders {i}"),
        )
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert "BLOCKED (guard max_change_percent): 3 of 4 live campaigns" in blocked.stdout
    repo.admin("DELETE", "/requests")
    assert repo.camp("apply", "--auto-approve").returncode == 3
    assert repo.writes() == []
    forced = repo.camp("apply", "--auto-approve", "--force")
    assert forced.returncode == 0, forced.stdout
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0


def test_recipient_guard_on_launch(repo: Repo) -> None:
    (repo.root / "camp.yaml").write_text(
        (repo.root / "camp.yaml").read_text() + "guards:\n  max_recipients_per_launch: 1\n"
    )
    _campaign(repo, state="state: active")
    blocked = repo.camp("plan")
    assert blocked.returncode == 3
    assert (
        "BLOCKED (guard max_recipients_per_launch): launch would reach 2 recipients (limit 1)"
        in blocked.stdout
    )
    assert repo.camp("apply", "--auto-approve", "--force").returncode == 0


def test_apply_without_tty_or_auto_approve_refuses(repo: Repo) -> None:
    _campaign(repo)
    refused = repo.camp("apply")
    assert refused.returncode == 1
    assert "--auto-approve" in refused.stderr
    assert _live(repo) == []


def test_verify_passes_after_a_clean_apply(repo: Repo) -> None:
    _campaign(repo, state="state: active")
    applied = repo.camp("apply", "--auto-approve", "--verify")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "Verified: a fresh plan shows no changes." in applied.stdout


def _camp_on_a_terminal(repo: Repo, answer: str, *args: str) -> tuple[int, str]:
    """Run camp with a pseudo-terminal as stdin/stdout/stderr and type ``answer``."""
    env = {**os.environ, **ENV_KEYS, "NO_COLOR": "1"}
    return camp_on_a_terminal(repo.root, env, *args, answer=answer)


def test_confirmation_and_progress_on_a_terminal(repo: Repo) -> None:
    _campaign(repo, state="state: active")
    code, output = _camp_on_a_terminal(repo, "no", "apply")
    assert code == 1 and "Apply these changes?" in output and "apply cancelled" in output
    assert _live(repo) == []
    code, output = _camp_on_a_terminal(repo, "yes", "apply")
    assert code == 0, output
    assert "\r\x1b[Kcold: listing campaigns" in output  # the live status line on a terminal
    assert "cold: '[camp] Founders Q1': launch…" in output
    assert '✓ coldsend/campaign "[camp] Founders Q1"' in output
    assert "Apply complete: 1 campaign changed." in output
