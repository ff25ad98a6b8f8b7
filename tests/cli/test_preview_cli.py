"""``camp preview`` on the command line: the examples in every format, and bad input as one
clear message with exit 1, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AT = "2026-03-02T14:00:00Z"  # a Monday: 09:00 in New York


def camp(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_the_examples_render_for_all_three_kinds() -> None:
    result = camp("preview", "campaigns/", "--at", AT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "━━ [camp] Q1 founders outreach",
        "── maria.lopez@northwind.example (row 2)",
        "│ Subject: Quick question about Northwind",
        "│ Open to a short call on Monday?",
        "━━ [camp] December product newsletter",
        "│ From: Brand News <news@brand.example>",
        "│ # What shipped in December",
        "━━ [camp] SaaS founders DM",
        "     3. like their latest tweet",
        "│ Hey there, saw your post on pricing pages. Curious how you test changes?",
        "sending windows: Mon–Thu 09:00–17:00, Fri 09:00–12:00 (America/Los_Angeles)",
        "{% if company %}: 5 of 5 leads reach it",
    ):
        assert expected in out, expected
    assert result.stderr == ""


def test_lead_var_seed_and_spin_select_what_is_shown() -> None:
    result = camp(
        "preview",
        "campaigns/coldsend/q1-founders.yaml",
        "campaigns/inbox",
        "--at",
        AT,
        "--lead",
        "DEV.PATEL@contoso.example",
        "--var",
        "first-name=Ada",
        "--spin",
        "all",
    )
    assert result.returncode == 0, result.stderr
    assert "dev.patel@contoso.example (row 3)" in result.stdout
    assert "maria.lopez" not in result.stdout
    assert "[I noticed | I saw] Contoso is hiring VP Engineerings in Boston." in result.stdout
    assert "│ [Hey | Hi] Ada, saw your post" in result.stdout
    assert "first-name: Ada (--var)" in result.stdout


def test_json_and_markdown_and_html_formats(tmp_path: Path) -> None:
    as_json = json.loads(camp("preview", "--at", AT, "--format", "json").stdout)
    assert as_json["version"] == 1
    kinds = {c["kind"] for c in as_json["campaigns"]}
    assert kinds == {"coldsend/campaign", "easymail/campaign", "inbox/campaign"}
    email = next(c for c in as_json["campaigns"] if c["name"] == "[camp] Trial onboarding tips")
    (message,) = email["recipients"][0]["messages"]
    assert message["html"].startswith("<h2>Welcome aboard</h2>")
    markdown = camp("preview", "--at", AT, "--format", "markdown").stdout
    assert markdown.startswith("### camp preview")
    out = tmp_path / "preview.html"
    result = camp("preview", "--at", AT, "--format", "html", "--out", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert f"Wrote the preview to {out}" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


CONFIG = """\
accounts:
  cold: {provider: coldsend, api_key_env: COLDSEND_API_KEY}
  dm: {provider: inbox, api_key_env: INBOX_API_KEY}
"""
CAMPAIGN = """\
kind: coldsend/campaign
name: "[camp] Bad input"
leads: leads.csv
variants:
  - variant_name: A
    subject_template: "Hi {{first_name}}"
    email_content: "{content}"
    distribution_percent: 100
"""


def repo(
    tmp_path: Path, content: str = "Hello {{company}}, how are you?", csv: bytes = b""
) -> Path:
    (tmp_path / "camp.yaml").write_text(CONFIG, encoding="utf-8")
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "bad.yaml").write_text(CAMPAIGN.replace("{content}", content), encoding="utf-8")
    rows = csv or b"email,first_name,company\nada@example.com,Ada,Acme\nbo@example.com,Bo,\n"
    (folder / "leads.csv").write_bytes(rows)
    return tmp_path


def test_unbalanced_liquid_is_refused_with_validates_located_message(tmp_path: Path) -> None:
    root = repo(tmp_path, content="{% if company %}Hello {{company}}, how are you?")
    result = camp("preview", cwd=root)
    validate = camp("validate", cwd=root)
    assert result.returncode == 1 and validate.returncode == 1
    message = (
        "campaigns/bad.yaml:7:21: error: variants[0].email_content: `{% if %}` is never closed"
    )
    assert message in result.stderr and message in validate.stdout
    assert "Traceback" not in result.stderr


def test_a_condition_liquid_cannot_read_is_a_located_error(tmp_path: Path) -> None:
    root = repo(tmp_path, content="{% if company == %}x{% endif %} and more text")
    result = camp("preview", cwd=root)
    assert result.returncode == 1
    assert "campaigns/bad.yaml:7:27: error: variants[0].email_content: Liquid:" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lead", "nobody@example.com"], "--lead nobody@example.com: no campaign in scope has"),
        (["--var", "first_name=Ada"], "--var first_name: no message in scope reads this variable"),
        (["--var", "nonsense"], "--var 'nonsense': write NAME=VALUE"),
        (["--at", "2026-03-02T09:00"], "--at '2026-03-02T09:00' is not an instant"),
        (["--at", "tomorrow"], "--at 'tomorrow' is not an instant"),
        (["--sample", "0"], "Invalid value for '--sample'"),
        (["--spin", "some"], "Invalid value for '--spin'"),
    ],
)
def test_bad_options_exit_1_with_a_clear_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = camp("preview", *args, cwd=repo(tmp_path))
    assert result.returncode == 1, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_csv_in_another_encoding_is_the_located_validate_error(tmp_path: Path) -> None:
    csv = "email,first_name,company\nada@example.com,Zoë,Acme\n".encode("cp1252")
    result = camp("preview", cwd=repo(tmp_path, csv=csv))
    assert result.returncode == 1
    assert (
        "campaigns/leads.csv:2:19: error: leads file is not valid UTF-8 (byte 0xEB)"
        in result.stderr
    )


def test_very_long_values_render_but_are_cut_for_the_terminal(tmp_path: Path) -> None:
    long = "A" * 20_000
    csv = f"email,first_name,company\nada@example.com,Ada,{long}\n".encode()
    result = camp("preview", cwd=repo(tmp_path, csv=csv))
    assert result.returncode == 0, result.stderr
    assert "more characters)" in result.stdout
    assert len(result.stdout) < 12_000


def test_a_value_over_the_csv_field_limit_is_a_located_error(tmp_path: Path) -> None:
    csv = f"email,first_name,company\nada@example.com,Ada,{'A' * 200_000}\n".encode()
    result = camp("preview", cwd=repo(tmp_path, csv=csv))
    assert result.returncode == 1
    assert "campaigns/leads.csv:2:0: error: malformed CSV" in result.stderr


def test_escape_sequences_in_lead_data_are_shown_not_obeyed(tmp_path: Path) -> None:
    csv = b"email,first_name,company\nada@example.com,\x1b[31mAda,Acme\n"
    result = camp("preview", cwd=repo(tmp_path, csv=csv))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Hi \\x1b[31mAda" in result.stdout


def test_whole_csv_warnings_are_shown(tmp_path: Path) -> None:
    result = camp("preview", cwd=repo(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (
        "campaigns/bad.yaml:7:27: warning: variants[0].email_content: `{{company}}` is empty "
        "for 1 of 2 leads (row 3): they get an empty string"
    ) in result.stdout
