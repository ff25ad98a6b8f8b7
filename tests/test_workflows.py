"""The GitHub workflows and the action we ship (ours, the users' examples, action.yml) stay safe."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/github/*.yml")])
EXAMPLES = sorted(ROOT.glob("examples/github/*.yml"))
ACTION = ROOT / "action.yml"  # camp's own composite action (README, "Install")
# The examples install camp with that action, but cannot know the user's copy of camp's
# repository nor the commit they reviewed: they carry this placeholder, which README ("Install")
# says to replace. GitHub refuses to run it as it is.
CAMP_ACTION = "your-org/camp@" + "0" * 40
CAMP_ACTION_PLACEHOLDER = f"- uses: {CAMP_ACTION} # main"
# Every write permission any job holds, and why: everything else reads at most.
WRITE_PERMISSIONS = {
    ("camp-plan.yml", "plan"): {"pull-requests"},  # the plan comment
    ("release.yml", "pypi"): {"id-token"},  # trusted publishing
    ("release.yml", "github-release"): {"contents"},  # the release and its files
}


def test_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "release.yml", "camp-plan.yml", "camp-apply.yml", "camp-drift.yml"} <= names


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_actions_pinned_to_full_sha_with_version_comment(path: Path) -> None:
    for line in path.read_text().splitlines():
        if "uses:" not in line or line.lstrip().startswith("#"):  # comments are not run
            continue
        if not (path in EXAMPLES and line.strip() == CAMP_ACTION_PLACEHOLDER):
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


@pytest.mark.parametrize("persona", ["pedantic", "auditor"])
def test_zizmor_finds_nothing(persona: str) -> None:
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    result = subprocess.run(
        [zizmor, "--offline", "--persona", persona, *map(str, [*WORKFLOWS, ACTION])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_write_permissions_only_where_a_step_needs_them(path: Path) -> None:
    for name, job in yaml.safe_load(path.read_text())["jobs"].items():
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes == WRITE_PERMISSIONS.get((path.name, name), set()), (path.name, name)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_only_in_jobs_behind_an_environment(path: Path) -> None:
    for name, job in yaml.safe_load(path.read_text())["jobs"].items():
        if "secrets." in yaml.safe_dump(job["steps"]):
            assert job.get("environment"), f"{path.name}: job {name} reads secrets"


def _pins(paths: list[Path]) -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for path in paths:
        for action, sha in re.findall(r"uses: ([\w./-]+)@([0-9a-f]{40})", path.read_text()):
            pins.setdefault(action, set()).add(sha)
    return pins


def test_examples_pin_the_same_action_shas_as_our_own_workflows() -> None:
    """Dependabot moves the SHAs in .github/workflows and action.yml only; the examples follow."""
    ours = _pins(sorted(ROOT.glob(".github/workflows/*.yml")))
    for followers in (EXAMPLES, [ACTION]):
        for action, shas in _pins(followers).items():
            assert len(shas) == 1, (action, shas)
            if action in ours:
                assert shas == ours[action], f"{action}: {shas} here, workflows {ours[action]}"


def test_dependabot_keeps_the_lock_and_the_action_pins_moving() -> None:
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"uv", "github-actions"}
    assert (ROOT / "uv.lock").is_file()


def test_examples_install_camp_with_its_action_from_the_documented_placeholder() -> None:
    readme = (ROOT / "README.md").read_text()
    assert CAMP_ACTION_PLACEHOLDER.removeprefix("- ") in readme  # and what to put there
    for path in EXAMPLES:
        text = path.read_text()
        assert text.count(CAMP_ACTION_PLACEHOLDER) == 1, path.name
        assert "pip install" not in text, path.name
        for job in yaml.safe_load(text)["jobs"].values():
            uses = [str(step.get("uses", "")) for step in job["steps"]]
            assert uses.index(CAMP_ACTION) == 1, path.name  # right after the checkout


def test_the_action_runs_only_what_the_distribution_test_ran() -> None:
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["outputs"]) == {"version"}
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), "inputs reach the script through env: only"


def test_release_publishes_what_the_distribution_test_built() -> None:
    from tests.test_distribution import BUILD

    jobs = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())["jobs"]
    assert f".venv/bin/uv {' '.join(BUILD)} dist" in [s.get("run") for s in jobs["build"]["steps"]]
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    assert jobs["pypi"]["needs"] == "build"
    (publish,) = [s for s in jobs["pypi"]["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert "with" not in publish, "trusted publishing: no password, no token"


# --- camp-apply.yml: finding the reviewed plan ---------------------------------------------------

FAKE_GH = """\
import json, os, subprocess, sys
args = sys.argv[1:]
jq = args[args.index("--jq") + 1] if "--jq" in args else None
if args[:2] == ["run", "download"]:
    if os.environ["FAKE_DOWNLOAD"] != "ok":
        sys.exit("no valid artifacts found to download")
    open(os.path.join(args[args.index("--dir") + 1], "plan.bin"), "w").write("{}")
    sys.exit(0)
if args[0] == "api":
    body = json.loads(os.environ["FAKE_PULLS"])
else:  # run list
    body = json.loads(os.environ["FAKE_RUNS"])
    if "--status" in args:
        body = [r for r in body if r["conclusion"] == args[args.index("--status") + 1]]
sys.stdout.write(subprocess.run(["jq", "-r", jq], input=json.dumps(body), text=True,
                                capture_output=True, check=True).stdout)
"""
PR = [{"number": 7, "head": {"sha": "abc123"}}]
URL = "https://github.com/o/r/actions/runs/42"


def _run(status: str, conclusion: str) -> dict[str, object]:
    return {"databaseId": 42, "status": status, "conclusion": conclusion, "url": URL}


@pytest.mark.parametrize(
    ("pulls", "runs", "download", "error"),
    [
        ([], [], "ok", "commit 9f9f reached main without a pull request, so no plan was reviewed"),
        (PR, [], "ok", "camp-plan.yml never ran for the last commit of pull request #7 (abc123)"),
        (
            PR,
            [_run("completed", "failure")],
            "ok",
            f"plan of pull request #7 did not succeed (failure: blocked, or an error; see {URL})",
        ),
        (PR, [_run("in_progress", "")], "ok", f"pull request #7 is still running ({URL})."),
        (PR, [_run("completed", "success")], "gone", "pull request #7 (run 42) could not be"),
    ],
    ids=["no-pull-request", "never-planned", "plan-failed", "plan-running", "artifact-expired"],
)
@pytest.mark.jq
def test_apply_says_what_happened_and_what_to_do_without_a_reviewed_plan(
    tmp_path: Path, pulls: list[object], runs: list[object], download: str, error: str
) -> None:
    result = _fetch_reviewed_plan(tmp_path, pulls, runs, download)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()  # one annotation on the run's summary, nothing else
    assert line.startswith("::error title=No reviewed plan, nothing applied::"), line
    assert error in line
    assert not (tmp_path / "plan.bin").exists()


@pytest.mark.jq
def test_apply_downloads_the_plan_of_the_last_successful_run(tmp_path: Path) -> None:
    runs = [_run("completed", "failure"), _run("completed", "success")]
    result = _fetch_reviewed_plan(tmp_path, PR, runs, "ok")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "plan.bin").is_file()


def _fetch_reviewed_plan(
    tmp_path: Path, pulls: list[object], runs: list[object], download: str
) -> subprocess.CompletedProcess[str]:
    # The workflow's filters run in real jq, as gh --jq runs them (GitHub's runners have it;
    # .ci/run installs it; scripts/test says so and leaves these tests out without it).
    assert shutil.which("jq"), "install jq (apt-get install jq); .ci/run does it in CI"
    workflow = yaml.safe_load((ROOT / "examples/github/camp-apply.yml").read_text())
    steps = workflow["jobs"]["apply"]["steps"]
    (step,) = [s for s in steps if s.get("name") == "Fetch the reviewed plan"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}")
    (bin_dir / "gh").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_TOKEN": "token",
        "REPO": "o/r",
        "SHA": "9f9f",
        "FAKE_PULLS": json.dumps(pulls),
        "FAKE_RUNS": json.dumps(runs),
        "FAKE_DOWNLOAD": download,
    }
    assert set(step["env"]) <= set(env)
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],  # as GitHub runs a step (bash -e {0})
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_pull_request_plan_covers_what_the_pull_request_changes() -> None:
    """camp-plan.yml plans --changed-since the base commit, passed through env, never inlined."""
    workflow = yaml.safe_load((ROOT / "examples/github/camp-plan.yml").read_text())
    steps = workflow["jobs"]["plan"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base commit must be in the clone
    plan = next(s for s in steps if s.get("id") == "plan")
    assert plan["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '--changed-since "$BASE_SHA"' in plan["run"]
