"""``camp plan --format markdown`` against the sandbox: a campaign about to launch gets a
rendered sample and its empty-variable warnings under the plan."""

from __future__ import annotations

from tests.e2e.conftest import Repo

CAMPAIGN = """\
kind: coldsend/campaign
account: cold
name: "[camp] Launch with samples"
state: active
inboxes: [alex@outbound.example]
leads: leads.csv
variants:
  - variant_name: A
    subject_template: "Quick question, {{first_name | default: 'there'}}"
    email_content: "Hi {{first_name | default: 'there'}}, how is {{company}} doing?"
    distribution_percent: 100
"""
LEADS = "email,first_name,company\nada@example.com,Ada,Acme\nbo@example.com,Bo,\n"


def test_a_launch_shows_a_sample_and_the_empty_variables(repo: Repo) -> None:
    repo.write("campaigns/launch.yaml", CAMPAIGN)
    repo.write("campaigns/leads.csv", LEADS)
    result = repo.camp("plan", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    md = result.stdout
    plan, previews = md.split("### Previews")
    assert "launch" in plan
    assert (
        "**\\[camp\\] Launch with samples** (cold, coldsend/campaign): content changes, launch"
        in (previews)
    )
    assert "{{company}}\\` is empty for 1 of 2 leads (row 3)" in previews  # md-escaped backtick
    assert "<details><summary>Sample: " in previews
    assert "Hi Ada, how is Acme doing?" in previews or "Hi Bo, how is  doing?" in previews
    assert repo.writes() == []
