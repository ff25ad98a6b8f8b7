"""The first hour of a real team, end to end: progress on stderr (a live line on a terminal,
timestamped lines in CI), ``-q`` and ``-v``, errors that name the account, host and camp.yaml
line, Ctrl-C exiting 130 with nothing half-written, ``import --write-schemas``, and one email
rule shared with the vendor."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

from tests.e2e.conftest import ENV_KEYS, KEY, Repo
from tests.support.terminal import camp_on_a_terminal

STAMPED = re.compile(r"^\d\d:\d\d:\d\d ", re.MULTILINE)

CAMPAIGN = """\
kind: coldsend/campaign
account: {account}
name: "[camp] {name}"
timezone: Europe/Berlin
inboxes: [alex@outbound.example]
leads: {leads}
variants:
  - variant_name: A
    subject_template: Hello
    email_content: "Hi {{{{first_name | default: 'there'}}}}, quick question."
    distribution_percent: 100
"""


def _campaign(repo: Repo, name: str, *, account: str = "cold", leads: str = "leads.csv") -> None:
    slug = name.lower().replace(" ", "-")
    repo.write(f"campaigns/{slug}.yaml", CAMPAIGN.format(account=account, name=name, leads=leads))
    repo.write("campaigns/leads.csv", "email,first_name\nada@example.com,Ada\n")


def _faults(repo: Repo, **faults: object) -> None:
    repo.admin("POST", "/faults", {"latency_ms": 0, "error_rate": 0, **faults})


def test_progress_goes_to_stderr_as_timestamped_lines_without_a_tty(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    plan = repo.camp("plan")
    assert plan.returncode == 0, plan.stderr
    lines = plan.stderr.splitlines()
    assert lines and all(STAMPED.match(line) for line in lines), plan.stderr
    assert re.search(r"^\d\d:\d\d:\d\d cold: listing campaigns$", plan.stderr, re.MULTILINE)
    assert re.search(r"cold: 0 live campaigns, none matched in [\d.]+ s$", plan.stderr, re.M)
    assert "\x1b" not in plan.stderr and "listing" not in plan.stdout  # the plan stays clean


def test_quiet_prints_no_progress(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    for args in (["-q", "plan"], ["plan", "--quiet"]):
        quiet = repo.camp(*args)
        assert quiet.returncode == 0 and quiet.stderr == ""
        assert '+ coldsend/campaign "[camp] Alpha"' in quiet.stdout


def test_verbose_logs_every_exchange_and_sums_up_even_through_faults(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    _faults(repo, error_rate=0.5, seed=36)  # the first request fails, few others
    run = repo.camp("plan", "-v", env={"CAMP_MAX_ATTEMPTS": "20"})
    assert run.returncode == 0, run.stderr
    exchanges = re.findall(r"cold: GET (/\S+) → (\d{3}) in [\d,]+ ms( \(retry \d+\))?", run.stderr)
    assert {"/campaigns", "/sender-accounts"} <= {path for path, _, _ in exchanges}
    assert any(status.startswith("5") for _, status, _ in exchanges)  # the injected faults
    assert any(retry for _, _, retry in exchanges)
    assert re.search(
        r"cold \(coldsend\): GET /\S+ → 50\d [A-Za-z ]+; retrying in [\d.]+ s", run.stderr
    )
    summary = run.stderr[run.stderr.index("HTTP: ") :].splitlines()
    assert re.match(r"HTTP: \d+ calls, \d+ retried; waited [\d.]+ s", summary[0])
    assert any(line.endswith("cold  GET /campaigns") for line in summary[1:])
    assert KEY not in run.stderr and "X-API-Key" not in run.stderr
    _faults(repo)
    quiet = repo.camp("plan")
    assert "GET /campaigns →" not in quiet.stderr and "HTTP:" not in quiet.stderr


def test_apply_prints_each_outcome_as_its_campaign_finishes(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    _campaign(repo, "Beta")
    merged = subprocess.run(
        [sys.executable, "-m", "reconciler", "apply", "--auto-approve", "--parallelism", "1"],
        cwd=repo.root,
        env={**os.environ, **ENV_KEYS, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    out = merged.stdout
    assert merged.returncode == 0, out
    alpha_done = out.index('✓ coldsend/campaign "[camp] Alpha"')
    beta_starts = out.index("cold: '[camp] Beta': create…")
    assert alpha_done < beta_starts < out.index('✓ coldsend/campaign "[camp] Beta"')
    assert out.rstrip().endswith("Apply complete: 2 campaigns changed.")


def _on_a_terminal(repo: Repo, *args: str, interrupt_when: str = "") -> tuple[int, str]:
    env = {**os.environ, **ENV_KEYS, "NO_COLOR": "1"}
    return camp_on_a_terminal(repo.root, env, *args, interrupt_when=interrupt_when)


def test_a_terminal_gets_a_live_status_line_without_timestamps(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    code, output = _on_a_terminal(repo, "plan")
    assert code == 0, output
    assert "\r\x1b[Kcold: listing campaigns" in output
    assert "\r\x1b[Kcold: 0 live campaigns, none matched in" in output
    assert not STAMPED.search(output.replace("\r", "\n"))


def test_ctrl_c_exits_130_and_leaves_no_half_written_plan(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    _faults(repo, latency_ms=3000)
    code, output = _on_a_terminal(
        repo, "plan", "--out", "plan.json", interrupt_when="cold: listing campaigns"
    )
    assert code == 130, output
    assert "Interrupted." in output and "Traceback" not in output
    assert "was never awaited" not in output
    assert sorted(p.name for p in repo.root.iterdir()) == ["camp.yaml", "campaigns"]


TWO_COLDSEND_ACCOUNTS = """\
accounts:
  cold:
    provider: coldsend
    base_url: {base}/coldsend/api/public/v1
    api_key_env: COLDSEND_API_KEY
  cold_eu:
    provider: coldsend
    base_url: {eu_base}/coldsend/api/public/v1
    api_key_env: COLDSEND_EU_API_KEY
"""


def _two_accounts(repo: Repo, eu_base: str = "") -> None:
    base = repo.sandbox.base_url
    text = TWO_COLDSEND_ACCOUNTS.format(base=base, eu_base=eu_base or base)
    repo.write("camp.yaml", text)
    _campaign(repo, "Alpha")
    _campaign(repo, "Beta", account="cold_eu")


def test_a_rejected_key_names_the_account_its_host_and_its_variable(repo: Repo) -> None:
    _two_accounts(repo)
    run = repo.camp("plan", "-q", env={"COLDSEND_EU_API_KEY": "not-the-key"})
    assert run.returncode == 1
    host = repo.sandbox.base_url
    assert (
        f"camp: account 'cold_eu' (coldsend at {host}): GET /campaigns → 401 Unauthorized"
    ) in run.stderr
    assert (
        "hint: the key in COLDSEND_EU_API_KEY was rejected: set COLDSEND_EU_API_KEY to a valid "
        "key (api_key_env of account 'cold_eu', camp.yaml:9:18)"
    ) in run.stderr
    assert "not-the-key" not in run.stderr and "COLDSEND_API_KEY /" not in run.stderr


def test_a_missing_key_points_at_its_api_key_env_line(repo: Repo) -> None:
    _two_accounts(repo)
    env = {k: v for k, v in os.environ.items() if k != "COLDSEND_EU_API_KEY"}
    run = subprocess.run(
        [sys.executable, "-m", "reconciler", "plan"],
        cwd=repo.root,
        env={**env, **ENV_KEYS, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 1
    assert run.stderr.startswith(
        "camp.yaml:9:18: error: accounts.cold_eu.api_key_env: environment variable "
        "COLDSEND_EU_API_KEY is not set (the API key of account 'cold_eu')\n"
    )
    assert run.stderr.rstrip().endswith("camp: an API key is not set: nothing was sent")
    assert "cannot reach" not in run.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_host_is_named_with_its_base_url_line(repo: Repo) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    _two_accounts(repo, eu_base=dead)
    env = {"COLDSEND_EU_API_KEY": KEY, "CAMP_MAX_ATTEMPTS": "2"}
    run = repo.camp("plan", env=env)
    assert run.returncode == 1
    assert re.search(
        r"cold_eu \(coldsend\): GET /\S+ → could not connect: .*; retrying in [\d.]+ s "
        r"\(attempt 2 of 2\)",
        run.stderr,
    )
    assert f"camp: account 'cold_eu' (coldsend at {dead}): GET /" in run.stderr
    assert f"hint: check base_url of account 'cold_eu' (camp.yaml:8:15) and that {dead}" in (
        run.stderr
    )


def test_import_lists_every_file_and_writes_schemas_on_request(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    assert repo.camp("apply", "--auto-approve", "-q").returncode == 0
    first = repo.camp("import", "--account", "cold", "--out", "imported")
    assert first.returncode == 0, first.stderr
    assert "wrote imported/camp-alpha.yaml\nwrote imported/camp-alpha.leads.csv\n" in first.stdout
    assert "the $schema modelines point at schemas/, which this repository does not" in (
        first.stderr
    )
    again = repo.camp("import", "--account", "cold", "--out", "again", "--write-schemas")
    assert again.returncode == 0, again.stderr
    assert "wrote schemas/coldsend-campaign.schema.json" in again.stdout
    assert "modelines" not in again.stderr
    yaml_text = (repo.root / "again" / "camp-alpha.yaml").read_text(encoding="utf-8")
    modeline = yaml_text.splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=../schemas/coldsend-campaign.schema.json"
    assert (repo.root / "again" / modeline.split("=", 1)[1]).resolve().is_file()
    assert repo.camp("schema", "--check").returncode == 0
    assert list(repo.root.rglob("*.tmp")) == []


def test_the_client_accepts_exactly_the_emails_the_vendor_accepts(repo: Repo) -> None:
    """One rule (README, "Leads CSV"): what validate accepts, the vendor stores."""
    repo.write("campaigns/alpha.yaml", CAMPAIGN.format(account="cold", name="A", leads="l.csv"))
    emails = ["a@b.c", "a..b@example.com", "a@example.com.", ".x@y.co", "z@-y.co"]
    repo.write("campaigns/l.csv", "email\n" + "".join(f"{e}\n" for e in emails))
    validate = repo.camp("validate")
    assert validate.returncode == 0, validate.stdout
    assert repo.camp("apply", "--auto-approve", "-q").returncode == 0
    [campaign] = repo.api("coldsend", "GET", "/campaigns").json()["campaigns"]
    leads = repo.api("coldsend", "GET", f"/campaigns/{campaign['campaign_id']}/leads").json()
    assert sorted(lead["email"] for lead in leads["leads"]) == sorted(e.lower() for e in emails)
    repo.write("campaigns/l.csv", "email\nno-at-sign.example\nx@y\n")
    rejected = repo.camp("validate")
    assert rejected.returncode == 1
    assert rejected.stdout.count("invalid email") == 2


def test_global_options_after_the_command(repo: Repo) -> None:
    _campaign(repo, "Alpha")
    run = repo.camp("plan", "--no-color", "--config", "camp.yaml", "-q")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
