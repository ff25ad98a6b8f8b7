"""``--changed-since REF`` end to end: plans (and applies) what a change touches, read-scoped.

Each test applies three campaigns (ColdSend with a leads CSV, easymail with a Markdown body
file, Inbox), commits them to a git repository, changes something, and plans with
``--changed-since HEAD``: only the documents touched are read and planned, the plan says it
is scoped, and the other vendors receive no request at all.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from typing import Any

import pytest

from tests.e2e.conftest import Repo

COLD = """\
kind: coldsend/campaign
account: cold
name: "[camp] Founders Q1"
inboxes: [alex@outbound.example]
leads: leads.csv
variants:
  - {variant_name: A, subject_template: Hello, email_content: "Hi there, a short note.",
     distribution_percent: 100}
"""
NEWS = """\
kind: easymail/campaign
account: news
name: "[camp] December"
subject: "{subject}"
from_identity: news@brand.example
audience: {{list: Customers}}
content_file: december.md
"""
DM = """\
kind: inbox/campaign
account: dm
name: "[camp] Founders DM"
account_links: [founder_x]
rules: {include_lists: [SaaS founders]}
sequence:
  - message: Hello there
"""
SCOPED = "Scoped plan: only the"
SAM = "11111111-1111-4111-8111-000000000002"  # a sender account the YAML does not name
_ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-z]{20,})(?=/|$)")


def _git(repo: Repo, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=repo.root, check=True, capture_output=True)


@pytest.fixture
def applied(repo: Repo) -> Repo:
    """Three live campaigns matching the YAML, committed; the request log cleared."""
    repo.write("campaigns/cold.yaml", COLD)
    repo.write("campaigns/leads.csv", "email,first_name\nada@example.com,Ada\n")
    repo.write("campaigns/news.yaml", NEWS.format(subject="What shipped"))
    repo.write("campaigns/december.md", "# December\n\nWhat shipped.\n")
    repo.write("campaigns/dm.yaml", DM)
    done = repo.camp("apply", "--auto-approve")
    assert done.returncode == 0, done.stdout + done.stderr
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "live")
    repo.admin("DELETE", "/requests")
    return repo


def _requests(repo: Repo) -> Counter[str]:
    """Requests since the log was cleared: vendor, method, path below the mount (ids as {id})."""
    return Counter(
        f"{e['vendor']} {e['method']} {_ID.sub('/{id}', e['path'].split('/v1', 1)[1])}"
        for e in repo.admin("GET", "/requests")
    )


def _json_plan(repo: Repo, *args: str) -> dict[str, Any]:
    done = repo.camp("plan", "--changed-since", "HEAD", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    plan: dict[str, Any] = json.loads(done.stdout)
    return plan


def test_nothing_changed_reads_nothing_and_says_so(applied: Repo) -> None:
    done = applied.camp("plan", "--changed-since", "HEAD", "--detailed-exitcode")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{SCOPED} 0 campaign documents changed since HEAD (")
    assert "this is no drift check" in done.stdout
    assert _requests(applied) == Counter()


def test_an_edited_yaml_reads_and_plans_that_campaign_only(applied: Repo) -> None:
    applied.write("campaigns/news.yaml", NEWS.format(subject="What we shipped"))
    done = applied.camp("plan", "--changed-since", "HEAD", "--detailed-exitcode")
    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith(f"{SCOPED} 1 campaign document changed since HEAD (")
    assert '~ easymail/campaign "[camp] December"' in done.stdout
    assert "Founders" not in done.stdout
    # The list to find it, its look-ups, the campaign: no other vendor, no other campaign.
    assert _requests(applied) == Counter(
        [
            "easymail GET /campaigns",
            "easymail GET /sender-identities",
            "easymail GET /lists",
            "easymail GET /segments",
            "easymail GET /campaigns/{id}",
        ]
    )


def test_an_edited_leads_csv_alone_plans_its_campaign(applied: Repo) -> None:
    applied.write(
        "campaigns/leads.csv", "email,first_name\nada@example.com,Ada\nbo@example.com,Bo\n"
    )
    plan = _json_plan(applied)
    [entry] = plan["campaigns"]
    assert (entry["name"], entry["actions"]) == ("[camp] Founders Q1", ["upload-leads"])
    assert {e["vendor"] for e in applied.admin("GET", "/requests")} == {"coldsend"}


def test_an_edited_content_file_alone_plans_its_campaign(applied: Repo) -> None:
    applied.write("campaigns/december.md", "# December\n\nWhat shipped, and more.\n")
    plan = _json_plan(applied)
    [entry] = plan["campaigns"]
    assert (entry["name"], entry["actions"]) == ("[camp] December", ["update"])
    assert plan["scope"] == {
        "changed_since": "HEAD",
        "commit": plan["scope"]["commit"],
        "everything": False,
        "documents": [{"account": "news", "kind": "easymail/campaign", "name": "[camp] December"}],
        "deleted": [],
        "pruned": False,
    }


def test_a_deleted_file_is_left_alone_without_prune_and_deleted_with_it(applied: Repo) -> None:
    # Live but named by no YAML and inside the prefix: a full --prune would delete it too.
    extra = {"name": "[camp] Someone else's", "accountLinkIds": ["acct0000000000000000000001"]}
    assert applied.api("inbox", "POST", "/campaigns/v2", json=extra).status_code == 201
    (applied.root / "campaigns" / "dm.yaml").unlink()
    applied.admin("DELETE", "/requests")

    alone = applied.camp("plan", "--changed-since", "HEAD", "--detailed-exitcode")
    assert alone.returncode == 0, alone.stderr
    assert "1 document deleted since then left alone (--prune would delete its campaign)" in (
        alone.stdout
    )
    assert _requests(applied) == Counter()

    pruned = _json_plan(applied, "--prune")
    assert [(c["name"], c["actions"]) for c in pruned["campaigns"]] == [
        ("[camp] Founders DM", ["delete"])
    ]
    assert pruned["scope"]["deleted"] == [
        {"account": "dm", "kind": "inbox/campaign", "name": "[camp] Founders DM"}
    ]
    full = applied.camp("plan", "--prune", "--account", "dm", "--format", "json")
    deletes = [
        c["name"] for c in json.loads(full.stdout)["campaigns"] if c["actions"] == ["delete"]
    ]
    assert sorted(deletes) == ["[camp] Founders DM", "[camp] Someone else's"]


def test_a_saved_scoped_plan_applies_and_verifies_within_its_scope(applied: Repo) -> None:
    applied.write("campaigns/news.yaml", NEWS.format(subject="What we shipped"))
    # Drift outside the change: a full --verify would report it, the scoped one must not.
    [cold] = applied.api("coldsend", "GET", "/campaigns").json()["campaigns"]
    moved = applied.api(
        "coldsend", "PUT", f"/campaigns/{cold['campaign_id']}", json={"inbox_ids": [SAM]}
    )
    assert moved.status_code == 200
    saved = applied.camp("plan", "--changed-since", "HEAD", "--out", "plan.json")
    assert saved.returncode == 0, saved.stderr
    options = json.loads((applied.root / "plan.json").read_text())["options"]
    assert options["scope"]["documents"] == [
        {"account": "news", "kind": "easymail/campaign", "name": "[camp] December"}
    ]
    done = applied.camp("apply", "plan.json", "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Verified: a fresh plan shows no changes." in done.stdout
    assert applied.camp("plan", "--detailed-exitcode").returncode == 2  # the drift is still there


def test_markdown_says_it_is_scoped_first(applied: Repo) -> None:
    done = applied.camp("plan", "--changed-since", "HEAD", "--format", "markdown")
    heading, provenance, scope, *_ = done.stdout.split("\n\n")
    assert heading == "### camp plan" and provenance.startswith("<sub>Planned from commit ")
    assert scope.startswith("> Scoped plan: only the 0 campaign documents"), done.stdout


def test_an_unknown_revision_is_an_error(applied: Repo) -> None:
    done = applied.camp("plan", "--changed-since", "no-such-branch")
    assert done.returncode == 1
    assert "--changed-since: 'no-such-branch' names no commit of this repository" in done.stderr
    assert "Traceback" not in done.stderr
    assert _requests(applied) == Counter()


def test_outside_a_git_repository_is_an_error(repo: Repo) -> None:
    repo.write("campaigns/dm.yaml", DM)
    for command in (["plan"], ["apply", "--auto-approve"]):
        done = repo.camp(*command, "--changed-since", "HEAD")
        assert done.returncode == 1, done.stdout
        assert "--changed-since needs a git repository" in done.stderr
