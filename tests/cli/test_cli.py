"""The command line as a public interface: exit codes, global options, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli.main import cli, main, use_color

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_examples_validate_cleanly() -> None:
    result = _run("validate", "campaigns/")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().startswith("OK: 5 campaigns in 5 files valid")


def test_committed_schemas_are_current() -> None:
    assert _run("schema", "--out", "schemas", "--check").returncode == 0


@pytest.mark.parametrize(
    "args",
    [["--bogus"], ["validate", "--bogus"], ["plan", "--detailed-exitcodes"], ["nonsense"]],
)
def test_unknown_options_and_commands_exit_1_not_2(args: list[str]) -> None:
    result = _run(*args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error:" in result.stderr or "No such" in result.stderr


def test_missing_config_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    result = _run("plan", cwd=tmp_path)
    assert result.returncode == 1
    assert "camp.yaml: error: config file not found" in result.stderr


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    result = _run("validate", "no-such-dir", cwd=ROOT)
    assert result.returncode == 1
    assert "no-such-dir: error: no such file or directory" in result.stdout


def test_version_and_module_entry_point() -> None:
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.startswith("camp, version ")


def test_internal_errors_never_show_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("reconciler.cli.validate_cmd.load_workspace", boom)
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 1


@pytest.mark.parametrize(
    ("no_color", "environ", "tty", "expected"),
    [
        (False, {}, True, True),
        (True, {}, True, False),
        (False, {"NO_COLOR": ""}, True, False),
        (False, {}, False, False),
    ],
)
def test_colour_only_on_a_terminal_without_opt_out(
    no_color: bool, environ: dict[str, str], tty: bool, expected: bool
) -> None:
    assert use_color(no_color=no_color, environ=environ, tty=tty) is expected


def test_plain_output_when_not_a_terminal() -> None:
    result = CliRunner().invoke(
        cli, ["validate", str(ROOT / "tests/config/fixtures/bad/yaml-tab-indentation.yaml")]
    )
    assert result.exit_code == 1
    assert "\x1b[" not in result.output
