"""Plan-time insight end to end: two overlapping ColdSend launches, warned, guarded, forced."""

from __future__ import annotations

import json

from tests.e2e.conftest import Repo, camp_yaml

CAMPAIGN = """\
kind: coldsend/campaign
account: cold
name: "[camp] {name}"
state: active
inboxes: [alex@outbound.example]
leads: {slug}.csv
variants:
  - variant_name: A
    subject_template: "Hi {{{{first_name}}}}"
    email_content: "Hello {{{{first_name | default: 'there'}}}}, quick question."
    distribution_percent: 100
"""
GUARD = """\
guards:
  max_lead_overlap_percent: 20
"""


def _campaigns(repo: Repo) -> None:
    # Alpha: lead0..lead9; Beta: LEAD5..LEAD14 (other case): 5 of 10 shared, 50% each way.
    alpha = "".join(f"lead{i}@example.com\n" for i in range(10))
    beta = "".join(f"LEAD{i}@Example.com\n" for i in range(5, 15))
    repo.write("campaigns/alpha.csv", "email\n" + alpha)
    repo.write("campaigns/beta.csv", "email\n" + beta)
    repo.write("campaigns/alpha.yaml", CAMPAIGN.format(name="Alpha", slug="alpha"))
    repo.write("campaigns/beta.yaml", CAMPAIGN.format(name="Beta", slug="beta"))


def _statuses(repo: Repo) -> list[str]:
    body = repo.api("coldsend", "GET", "/campaigns").json()
    return sorted(c["status"] for c in body["campaigns"])


def test_overlap_warns_then_the_guard_blocks_and_force_lifts_it(repo: Repo) -> None:
    _campaigns(repo)
    warned = repo.camp("plan")
    assert warned.returncode == 0, warned.stderr
    assert (
        "warning: audience overlap: shares 5 of its 10 recipients (50%) with coldsend/campaign "
        '"[camp] Beta" (launches in this plan): l***@example.com, l***@example.com, '
        "l***@example.com"
    ) in warned.stdout
    assert "forecast: 10 emails to 10 recipients at 25 per sending day" in warned.stdout
    doc = json.loads(repo.camp("plan", "--format", "json").stdout)
    insight = {c["name"]: c["insight"] for c in doc["campaigns"]}
    assert insight["[camp] Alpha"]["overlap"]["shared"] == 5
    assert insight["[camp] Alpha"]["forecast"]["lanes"][0]["demand"] == 100

    repo.write("camp.yaml", camp_yaml(repo.sandbox.base_url, GUARD))
    blocked = repo.camp("plan")
    assert blocked.returncode == 3, blocked.stdout
    assert (
        "BLOCKED (guard max_lead_overlap_percent): launch shares 5 of 10 recipients "
        '(50% > 20%) with running campaigns: "[camp] Beta" (5)'
    ) in blocked.stdout
    repo.admin("DELETE", "/requests")
    refused = repo.camp("apply", "--auto-approve")
    assert refused.returncode == 3 and repo.writes() == []

    assert repo.camp("plan", "--force").returncode == 0
    forced = repo.camp("apply", "--force", "--auto-approve")
    assert forced.returncode == 0, forced.stderr + forced.stdout
    assert _statuses(repo) == ["ACTIVE", "ACTIVE"]
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0  # running: no launch left


def test_live_campaigns_not_in_the_yaml_are_named_not_read(repo: Repo) -> None:
    _campaigns(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    repo.write("campaigns/gamma.csv", "email\nlead1@example.com\n")
    repo.write("only/gamma.yaml", CAMPAIGN.format(name="Gamma", slug="../campaigns/gamma"))
    repo.admin("DELETE", "/requests")
    plan = repo.camp("plan", "only")
    assert plan.returncode == 0, plan.stderr
    assert (
        "note: overlap and shared sending capacity with 2 live campaigns not in the YAML "
        '("[camp] Alpha", "[camp] Beta") needs 4 more calls: not computed'
    ) in plan.stdout
    reads = [r["path"] for r in repo.admin("GET", "/requests") if "/leads" in r["path"]]
    assert reads == []  # the plan did not read them
