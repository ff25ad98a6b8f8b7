"""An API key never appears in anything a run produces: output, -v output, JSON, Markdown,
saved plans, or error messages (401, 5xx after retries, unreachable host)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Repo, camp_yaml
from tests.support.sandbox import SandboxProcess, start_sandbox

SECRET = "sk-live-5ecr3t-0f-the-t3st-do-not-print"
KEYS = {"COLDSEND_API_KEY": SECRET, "EASYMAIL_API_KEY": SECRET, "INBOX_API_KEY": SECRET}
EXAMPLES = Path(__file__).resolve().parents[2] / "campaigns"


@pytest.fixture(scope="module")
def secret_sandbox() -> Iterator[SandboxProcess]:
    with start_sandbox("--api-key", SECRET) as process:
        yield process


@pytest.fixture
def repo(secret_sandbox: SandboxProcess, tmp_path: Path) -> Repo:
    (tmp_path / "camp.yaml").write_text(camp_yaml(secret_sandbox.base_url))
    shutil.copytree(EXAMPLES, tmp_path / "campaigns")
    return Repo(tmp_path, secret_sandbox)


def _everything(repo: Repo, *runs: tuple[str, ...], env: dict[str, str] | None = None) -> str:
    produced = []
    for args in runs:
        result = repo.camp(*args, env={**KEYS, **(env or {})})
        produced += [result.stdout, result.stderr]
    for path in repo.root.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".bin", ".md", ".log", ".txt"):
            produced.append(path.read_text(errors="replace"))
    return "\n".join(produced)


def test_full_run_never_prints_the_key(repo: Repo) -> None:
    text = _everything(
        repo,
        ("-v", "validate"),
        ("-v", "plan", "--out", "plan.bin"),
        ("-v", "plan", "--format", "json"),
        ("-v", "plan", "--format", "markdown"),
        ("-v", "apply", "plan.bin"),
        ("-v", "apply", "--auto-approve", "--verify"),
        ("-v", "import", "--account", "cold", "--out", "imported"),
    )
    assert "Apply complete" in text
    assert SECRET not in text


def test_error_paths_never_print_the_key(repo: Repo) -> None:
    wrong = _everything(repo, ("-v", "plan"), env={"COLDSEND_API_KEY": SECRET + "-wrong"})
    assert "API key was rejected" in wrong
    assert SECRET not in wrong
    repo.admin("POST", "/faults", {"error_rate": 1.0})
    try:
        failing = _everything(
            repo, ("-v", "plan", "--account", "dm"), env={"CAMP_MAX_ATTEMPTS": "2"}
        )
    finally:
        repo.admin("POST", "/faults", {"error_rate": 0})
    assert "gave up after" in failing
    assert SECRET not in failing
    (repo.root / "camp.yaml").write_text(camp_yaml("http://127.0.0.1:9"))
    unreachable = _everything(repo, ("-v", "plan"), env={"CAMP_MAX_ATTEMPTS": "1"})
    assert "could not connect" in unreachable
    assert SECRET not in unreachable
