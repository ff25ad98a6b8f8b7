"""The GitHub workflows we ship (this repo's and the users' examples) stay hardened."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/github/*.yml")])


def test_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "camp-plan.yml", "camp-apply.yml", "camp-drift.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_to_full_sha_with_version_comment(path: Path) -> None:
    for line in path.read_text().splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d", line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_persisted_credentials(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert "permissions" in job
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{ github.event" not in str(step.get("run", ""))


def test_zizmor_finds_nothing() -> None:
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    result = subprocess.run(
        [zizmor, "--offline", "--persona", "pedantic", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _pins(paths: list[Path]) -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for path in paths:
        for action, sha in re.findall(r"uses: ([\w./-]+)@([0-9a-f]{40})", path.read_text()):
            pins.setdefault(action, set()).add(sha)
    return pins


def test_examples_pin_the_same_action_shas_as_our_own_workflows() -> None:
    """Dependabot moves the SHAs in .github/workflows only; the examples must follow them."""
    ours = _pins(sorted(ROOT.glob(".github/workflows/*.yml")))
    for action, shas in _pins(sorted(ROOT.glob("examples/github/*.yml"))).items():
        assert len(shas) == 1, (action, shas)
        if action in ours:
            assert shas == ours[action], f"{action}: examples pin {shas}, workflows {ours[action]}"


def test_dependabot_keeps_the_lock_and_the_action_pins_moving() -> None:
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"uv", "github-actions"}
    assert (ROOT / "uv.lock").is_file()
