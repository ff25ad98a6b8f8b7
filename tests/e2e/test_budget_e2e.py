"""The request budget end to end: a sandbox with ``--rate-limit`` and runs that would wait.

With a budget of 10 requests a minute per vendor, a plan that must read a dozen campaigns
needs a second window. Past ``--max-wait`` camp says so before reading any campaign (list
page and look-ups only), with the estimate and the ways out; an apply whose writes would
wait stops before the first write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import KEY, Repo, camp_yaml
from tests.support.sandbox import SandboxProcess, start_sandbox

BUDGET = 10
COLD = """\
kind: coldsend/campaign
account: cold
name: "[camp] Budget {i:02d}"
inboxes: [alex@outbound.example]
"""


@pytest.fixture(scope="module")
def limited() -> Iterator[SandboxProcess]:
    with start_sandbox("--rate-limit", str(BUDGET)) as process:
        yield process


def _faults(sandbox: SandboxProcess, rate_limit: int | None) -> None:
    """A new budget also starts fresh windows (shared/api/sandbox.md)."""
    body = {"latency_ms": 0, "error_rate": 0, "drop_rate": 0, "rate_limit_per_minute": rate_limit}
    httpx.post(sandbox.url("/_sandbox/faults"), json=body).raise_for_status()


@pytest.fixture
def repo(limited: SandboxProcess, tmp_path: Path) -> Repo:
    httpx.post(limited.url("/_sandbox/reset")).raise_for_status()
    (tmp_path / "camp.yaml").write_text(camp_yaml(limited.base_url), encoding="utf-8")
    return Repo(tmp_path, limited)


def _documents(repo: Repo, count: int) -> None:
    for i in range(count):
        repo.write(f"campaigns/c{i:02d}.yaml", COLD.format(i=i))


def _log(repo: Repo) -> list[tuple[str, str, int]]:
    entries = repo.admin("GET", "/requests")
    return [(e["method"], e["path"].split("/v1", 1)[1], e["status"]) for e in entries]


def test_a_plan_past_max_wait_stops_before_reading_any_campaign(repo: Repo) -> None:
    _documents(repo, 12)
    _faults(repo.sandbox, None)  # create them outside the budget, then start fresh windows
    for i in range(12):
        body = {"name": f"[camp] Budget {i:02d}"}
        assert repo.api("coldsend", "POST", "/campaigns", json=body).status_code == 201
    _faults(repo.sandbox, BUDGET)
    repo.admin("DELETE", "/requests")

    done = repo.camp("plan", "--max-wait", "30s")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "camp.yaml: error: account 'cold' (coldsend): this plan needs 14 requests (2 made, " in (
        done.stderr
    )
    assert "12 campaign reads to go); coldsend allows 10/minute and 1,000/hour, so about " in (
        done.stderr
    )
    for way_out in ("--changed-since REF", "--account KEY", "camp plan campaigns/", "--max-wait"):
        assert way_out in done.stderr
    assert "this plan would wait longer than --max-wait (30 s)" in done.stderr
    assert sorted(_log(repo)) == [("GET", "/campaigns", 200), ("GET", "/sender-accounts", 200)]


def test_an_apply_past_max_wait_stops_before_the_first_write(repo: Repo) -> None:
    _documents(repo, 8)  # 8 creates: a POST and a PUT each, 16 writes
    _faults(repo.sandbox, BUDGET)
    repo.admin("DELETE", "/requests")
    done = repo.camp("apply", "--auto-approve", "--max-wait", "10s")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "this apply needs 18 requests (2 made, 16 writes to go)" in done.stderr
    assert "this apply would wait longer than --max-wait (10 s)" in done.stderr
    assert [method for method, _, _ in _log(repo)] == ["GET", "GET"]


def test_max_wait_must_be_a_duration(repo: Repo) -> None:
    done = repo.camp("plan", "--max-wait", "soon")
    assert done.returncode == 1
    assert "'soon' is not a duration such as 90s, 5m or 1h30m" in done.stderr


def test_the_key_never_shows_in_budget_messages(repo: Repo) -> None:
    _documents(repo, 8)
    _faults(repo.sandbox, BUDGET)
    done = repo.camp("apply", "--auto-approve", "--max-wait", "0")
    assert done.returncode == 1
    assert KEY not in done.stdout + done.stderr
