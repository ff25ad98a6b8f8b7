"""The command line as a public interface: exit codes, global options, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reconciler.cli.main import COMMANDS, cli, hoist_globals, main, use_color
from reconciler.cli.sandbox_cmd import example_accounts

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


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["plan", "--no-color"], ["--no-color", "plan"]),
        (["plan", "--config", "F", "x"], ["--config", "F", "plan", "x"]),
        (["plan", "--config=F", "-v", "-q"], ["--config=F", "-v", "-q", "plan"]),
        (["-v", "apply", "p.json", "--verbose"], ["-v", "--verbose", "apply", "p.json"]),
        (["--config", "F", "plan", "--out", "o"], ["--config", "F", "plan", "--out", "o"]),
        (["plan", "--", "--no-color"], ["plan", "--", "--no-color"]),
        (["--help"], ["--help"]),
        ([], []),
    ],
)
def test_global_options_after_the_command_move_in_front(
    args: list[str], hoisted: list[str]
) -> None:
    assert hoist_globals(args) == hoisted


def test_global_options_work_after_the_command(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    result = _run("plan", "--no-color", "--config", "elsewhere.yaml", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "elsewhere.yaml: error: config file not found" in result.stderr
    assert "no such option" not in result.stderr.lower()


def test_a_misspelled_command_suggests_the_right_one() -> None:
    result = _run("paln")
    assert result.returncode == 1
    assert "No such command 'paln'. Did you mean 'plan'?" in result.stderr


def test_help_lists_whole_summaries_and_option_forms() -> None:
    top = _run("--help").stdout
    for name, (_, _, summary) in COMMANDS.items():
        assert f"  {name}" in top and summary in top  # never cut mid-sentence
    assert "-q, --quiet" in top and "130 interrupted" in top
    plan_help = _run("plan", "--help").stdout
    assert "--account KEY" in plan_help and "TEXT" not in plan_help
    assert re.search(r"--format \[text\|markdown\|json\]\s+text for a terminal", plan_help)
    assert "Global options, before or after the command" in plan_help


def test_schema_check_checks_schemas_by_default_and_fails_when_stale(tmp_path: Path) -> None:
    missing = _run("schema", "--check", cwd=tmp_path)
    assert missing.returncode == 1 and "schemas/camp.schema.json: missing" in missing.stderr
    assert _run("schema", "--out", "schemas", cwd=tmp_path).returncode == 0
    current = _run("schema", "--check", cwd=tmp_path)
    assert current.returncode == 0, current.stderr
    stale = tmp_path / "schemas" / "camp.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("api_key_env", "key_env"))
    result = _run("schema", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert "schemas/camp.schema.json: out of date (run `camp schema --out schemas`)" in (
        result.stderr
    )
    assert _run("schema", "--check", "--out", "schemas", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("environ", "tty", "expected"),
    [
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({"FORCE_COLOR": ""}, False, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
    ],
)
def test_force_color(environ: dict[str, str], tty: bool, expected: bool) -> None:
    assert use_color(no_color=False, environ=environ, tty=tty) is expected
    assert use_color(no_color=True, environ=environ, tty=tty) is False


def test_force_color_colours_a_ci_log() -> None:
    bad = str(ROOT / "tests/config/fixtures/bad/yaml-tab-indentation.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}

    def validate(**extra: str) -> str:
        command = [sys.executable, "-m", "reconciler", "validate", bad]
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=60, env={**env, **extra}
        )
        return done.stdout

    assert "\x1b[" in validate(FORCE_COLOR="1")
    assert "\x1b[" not in validate()


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("reconciler.cli.validate_cmd.load_workspace", interrupted)
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 130


def test_sandbox_snippet_uses_the_examples_account_keys() -> None:
    block = (
        "accounts:\n"
        "  coldsend:\n    provider: coldsend\n    base_url: http://h/c\n"
        "    api_key_env: COLDSEND_API_KEY\n"
        "  easymail:\n    provider: easymail\n    base_url: http://h/e\n"
        "    api_key_env: EASYMAIL_API_KEY\n"
        "  inbox:\n    provider: inbox\n    base_url: http://h/i\n    api_key_env: INBOX_API_KEY"
    )
    rewritten = yaml.safe_load(example_accounts(block))["accounts"]
    repo = yaml.safe_load((ROOT / "camp.yaml").read_text(encoding="utf-8"))["accounts"]
    assert list(rewritten) == list(repo) == ["cold", "news", "dm"]
    for key, account in rewritten.items():
        assert account["provider"] == repo[key]["provider"]
        assert account["api_key_env"] == repo[key]["api_key_env"]
        assert account["prune_prefix"] == repo[key]["prune_prefix"]
