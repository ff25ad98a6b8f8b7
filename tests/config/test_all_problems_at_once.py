"""`camp validate` reports every problem in one run: a document with schema errors still gets
the later checks (vendor rules, content lint, leads CSV) on its well-formed part, so fixing the
schema errors never reveals problems that were there all along."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli.main import cli
from reconciler.engine.workspace import load_workspace

HERE = Path(__file__).parent / "fixtures" / "all-at-once"
DOC = "campaigns/schema-and-later-checks.yaml"


def test_schema_errors_do_not_hide_the_later_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    result = CliRunner().invoke(cli, ["validate", "--no-color"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [
        "campaigns/leads.csv:3:1: error: invalid email 'not-an-email': the vendor rejects "
        "this lead",
        f"{DOC}:4:1: error: unknown key 'sending_day'",
        f"{DOC}:5:24: error: daily_limit_per_inbox: must be a whole number, got '40'",
        f"{DOC}:6:11: error: timezone: 'America/New_Yrok' is not an IANA timezone",
        f"{DOC}:10:3: error: variants: Variant distributions must sum to 100% (they sum to 90%)",
        f"{DOC}:11:32: error: variants[0].subject_template: `frist_name` is neither a lead field "
        "nor a column of the leads CSV: it would send an empty string",
        f"{DOC}:15:1: error: missing required key 'name'",
    ]
    assert "0 campaigns in 1 file valid" in result.output


def test_a_document_with_schema_errors_is_never_planned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks run on its well-formed part, but the document stays invalid."""
    monkeypatch.chdir(HERE)
    ws = load_workspace(Path("camp.yaml"), [Path("campaigns")])
    assert ws.campaigns == [] and ws.errors
