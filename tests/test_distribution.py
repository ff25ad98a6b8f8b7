"""camp installs and runs outside this checkout: the sdist, the wheel, and the GitHub action.

``uv build`` here is the command the release workflow (.github/workflows/release.yml) publishes
the output of, and the action's install step (action.yml) is run as it is: so what a user
installs is what these tests ran. The installs use the index for camp's dependencies (at the
versions uv.lock pins) and nothing from this checkout; every command runs in a copy of the
repository's ``campaigns/`` and ``camp.yaml`` under tmp_path, with the sandbox on loopback.
Each test takes a few seconds (deselect with ``-k 'not test_distribution'`` in an inner loop).
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import yaml
from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
# The release workflow's build step runs this same command, in the repository root.
BUILD = ("build", "--out-dir")
LISTENING = re.compile(rb"camp sandbox listening on (http://127\.0\.0\.1:\d+)\n")
KEYS = {"COLDSEND_API_KEY": "sandbox-key", "EASYMAIL_API_KEY": "sandbox-key"}
KEYS = {**KEYS, "INBOX_API_KEY": "sandbox-key"}


def test_the_sdist_holds_what_a_build_needs_and_the_wheel_the_whole_package(
    tmp_path: Path,
) -> None:
    sdist, wheel = build(tmp_path / "dist")  # uv builds the wheel from the sdist, not the tree
    prefix = sdist.name.removesuffix(".tar.gz") + "/"
    with tarfile.open(sdist) as archive:
        in_sdist = {name.removeprefix(prefix) for name in archive.getnames()}
    assert {"pyproject.toml", "README.md", "uv.lock"} <= in_sdist
    assert not [n for n in in_sdist if n.startswith((".venv", ".git/")) or "__pycache__" in n]
    package = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("reconciler/**/*.py")}
    assert package <= in_sdist
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {n for n in archive.namelist() if not n.startswith(dist_info(wheel))}
        entry_points = archive.read(dist_info(wheel) + "entry_points.txt").decode()
    assert in_wheel == package
    assert "camp = reconciler.cli.main:main" in entry_points


def test_the_wheel_runs_outside_the_checkout_with_the_locked_dependencies(tmp_path: Path) -> None:
    _, wheel = build(tmp_path / "dist")
    venv = install(wheel, tmp_path / "venv", constraints=locked_requirements(tmp_path))
    camp = venv / "bin" / "camp"
    repo = user_repository(tmp_path / "repo")
    version = wheel.name.split("-")[1]

    assert run([camp, "--version"], cwd=repo).stdout == f"camp, version {version}\n"
    assert json.loads(run([camp, "schema"], cwd=repo).stdout) == committed_schemas()
    # No system time-zone database: zoneinfo must find Europe/London (agency-partners.yaml) in
    # the tzdata package, which the wheel has to require.
    assert run([camp, "validate"], cwd=repo, env=no_tz_database(tmp_path)).stdout.startswith("OK:")
    with sandbox(camp, repo, env=no_tz_database(tmp_path)) as base_url:
        point_accounts_at(repo / "camp.yaml", base_url)
        assert run([camp, "plan", "--detailed-exitcode"], cwd=repo, expect=2).returncode == 2
        run([camp, "apply", "--auto-approve"], cwd=repo)
        run([camp, "plan", "--detailed-exitcode"], cwd=repo)  # 0: nothing left to do


def test_the_action_installs_camp_from_its_checkout_with_the_locked_dependencies(
    tmp_path: Path,
) -> None:
    step = action_install_step()
    home, github_path, github_output = tmp_path / "camp", tmp_path / "path", tmp_path / "output"
    given = {"CAMP_SOURCE": str(ROOT), "CAMP_HOME": str(home), "CAMP_PYTHON": sys.executable}
    assert set(step["env"]) == set(given), "the test must give the step every input it takes"
    env = {**given, "GITHUB_PATH": str(github_path), "GITHUB_OUTPUT": str(github_output)}
    run(["bash", "-c", step["run"]], cwd=tmp_path, env=env)

    (bin_dir,) = github_path.read_text().splitlines()
    assert sorted(p.name for p in Path(bin_dir).iterdir()) == ["camp"]  # no python shadowed
    version = run([Path(bin_dir) / "camp", "--version"], cwd=tmp_path).stdout.split()[-1]
    assert github_output.read_text() == f"version={version}\n"
    venv = home / "venv"
    assert installed(venv) == {**locked(tmp_path), "camp-reconciler": version}
    where = "import reconciler; print(reconciler.__file__)"
    source = run([venv / "bin" / "python", "-c", where], cwd=tmp_path)
    assert Path(source.stdout.strip()).is_relative_to(venv), "camp must not run from the checkout"


# --- building and installing -----------------------------------------------------------------


def uv() -> str:
    """The uv uv.lock pins (scripts/_venv.sh puts it in .venv), else the one on PATH."""
    locked_uv = ROOT / ".venv" / "bin" / "uv"
    found = str(locked_uv) if locked_uv.is_file() else shutil.which("uv")
    assert found, "uv not found: run ./scripts/test, which installs the locked uv into .venv"
    return found


def build(out: Path) -> tuple[Path, Path]:
    run([uv(), *BUILD, out], cwd=ROOT)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def dist_info(wheel: Path) -> str:
    name, version = wheel.name.split("-")[:2]
    return f"{name}-{version}.dist-info/"


def locked_requirements(tmp_path: Path) -> Path:
    """uv.lock's runtime packages as a requirements file (no dev extra, not camp itself)."""
    out = tmp_path / "locked.txt"
    if not out.exists():
        export = ["export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes"]
        run([uv(), *export, "--quiet", "--output-file", out], cwd=ROOT)
    return out


def locked(tmp_path: Path) -> dict[str, str]:
    """Package → version pinned by uv.lock, for the packages this interpreter installs."""
    pins = {}
    for line in locked_requirements(tmp_path).read_text().splitlines():
        if match := re.match(r"([\w.-]+)==([^\s;]+)\s*(?:;(.*))?$", line):
            name, version, marker = match.groups()
            if marker is None or Marker(marker).evaluate():
                pins[normalise(name)] = version
    return pins


def install(wheel: Path, venv: Path, *, constraints: Path) -> Path:
    run([uv(), "venv", "--quiet", "--python", sys.executable, venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    install = ["pip", "install", "--quiet", "--python", python, "--constraints", constraints]
    run([uv(), *install, wheel], cwd=venv.parent)
    expected = {**locked(constraints.parent), "camp-reconciler": wheel.name.split("-")[1]}
    assert installed(venv) == expected
    return venv


def installed(venv: Path) -> dict[str, str]:
    python = venv / "bin" / "python"
    listing = run([uv(), "pip", "list", "--format", "json", "--python", python], cwd=venv.parent)
    return {normalise(p["name"]): p["version"] for p in json.loads(listing.stdout)}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def action_install_step() -> dict[str, object]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "install"]
    assert isinstance(step, dict)
    return step


# --- a user's repository ---------------------------------------------------------------------


def user_repository(repo: Path) -> Path:
    shutil.copytree(ROOT / "campaigns", repo / "campaigns")
    shutil.copy(ROOT / "camp.yaml", repo / "camp.yaml")
    return repo


def committed_schemas() -> dict[str, object]:
    return {p.name: json.loads(p.read_text()) for p in sorted((ROOT / "schemas").glob("*.json"))}


def no_tz_database(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "no-tz-database"
    empty.mkdir(exist_ok=True)
    return {"PYTHONTZPATH": str(empty)}


def point_accounts_at(config: Path, base_url: str) -> None:
    """camp.yaml points at the demo's port 8700; the sandbox here took a free one."""
    config.write_text(config.read_text().replace("http://127.0.0.1:8700", base_url))


@contextmanager
def sandbox(camp: Path, repo: Path, *, env: Mapping[str, str]) -> Iterator[str]:
    """``camp sandbox --seed`` on a free loopback port: yields its URL, stops it with SIGTERM."""
    command = [camp, "sandbox", "--seed", "--host", "127.0.0.1", "--port", "0"]
    log = (repo.parent / "sandbox.log").open("wb")
    process = subprocess.Popen(
        command, cwd=repo, env=clean_env(env), stdout=subprocess.PIPE, stderr=log
    )
    try:
        yield listening_url(process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, (repo.parent / "sandbox.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def listening_url(process: subprocess.Popen[bytes], timeout: float = 20) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "the sandbox printed nothing"
    match = LISTENING.match(process.stdout.readline())
    assert match, "the sandbox's first line is not 'camp sandbox listening on URL'"
    return match.group(1).decode()


# --- running ---------------------------------------------------------------------------------


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment, minus what would let a command see this checkout's packages."""
    hidden = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    return {**env, **KEYS, "NO_COLOR": "1", **(extra or {})}


def run(
    command: list[str | Path],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    expect: int = 0,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    shown = " ".join(str(part) for part in command)
    assert result.returncode == expect, (
        f"{shown}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result
