"""The bad-input corpus: every broken file gets exit 1 and a located, actionable message.

Each fixture in ``fixtures/bad/`` is named after its failure. The table gives the location
(``file:line:col``) and a part of the message the user must see; no traceback, ever.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli.main import cli

BAD = Path(__file__).parent / "fixtures" / "bad"

CASES = [
    ("account-unknown", "account-unknown.yaml:2:10", "no account 'cols' in camp.yaml"),
    (
        "account-wrong-provider",
        "account-wrong-provider.yaml:2:10",
        "account 'news' is for easymail, not coldsend",
    ),
    (
        "coldsend-bad-inbox-email",
        "coldsend-bad-inbox-email.yaml:7:11",
        "'alex-at-outbound.example' has the wrong form",
    ),
    (
        "coldsend-bad-start-date",
        "coldsend-bad-start-date.yaml:7:13",
        "'next monday' is not an ISO 8601 date",
    ),
    (
        "coldsend-bad-timezone",
        "coldsend-bad-timezone.yaml:4:11",
        "'America/New_Yrok' is not an IANA timezone",
    ),
    (
        "coldsend-bad-trigger-type",
        "coldsend-bad-trigger-type.yaml:15:19",
        "'NOT_REPLYED' is not allowed here",
    ),
    (
        "coldsend-content-too-short",
        "coldsend-content-too-short.yaml:11:20",
        "must be at least 10 characters long (got 2)",
    ),
    (
        "coldsend-daily-limit-over-100",
        "coldsend-daily-limit-over-100.yaml:7:24",
        "must be at most 100 (got 150)",
    ),
    (
        "coldsend-duplicate-variant-name",
        "coldsend-duplicate-variant-name.yaml:13:19",
        "variant 'A' is already defined (item 0)",
    ),
    (
        "coldsend-name-too-long",
        "coldsend-name-too-long.yaml:3:7",
        "must be at most 255 characters long (got 256)",
    ),
    (
        "coldsend-name-too-short",
        "coldsend-name-too-short.yaml:3:7",
        "must be at least 8 characters long (got 2)",
    ),
    ("coldsend-sending-day-8", "coldsend-sending-day-8.yaml:5:22", "must be at most 7 (got 8)"),
    ("coldsend-sending-day-twice", "coldsend-sending-day-twice.yaml:5:15", "a day is listed twice"),
    (
        "coldsend-spintax-one-option",
        "coldsend-spintax-one-option.yaml:11:21",
        "spintax `{{Hi|}}` needs at least 2 non-empty options",
    ),
    (
        "coldsend-step-number-out-of-range",
        "coldsend-step-number-out-of-range.yaml:14:18",
        "must be at most 4 (got 5)",
    ),
    (
        "coldsend-step-numbers-not-consecutive",
        "coldsend-step-numbers-not-consecutive.yaml:14:3",
        "step numbers [2, 4] must be consecutive from 2",
    ),
    (
        "coldsend-subject-too-long",
        "coldsend-subject-too-long.yaml:10:23",
        "must be at most 500 characters long (got 501)",
    ),
    (
        "coldsend-too-many-follow-ups",
        "coldsend-too-many-follow-ups.yaml:14:3",
        "must have at most 3 items (got 4)",
    ),
    (
        "coldsend-too-many-variants",
        "coldsend-too-many-variants.yaml:9:3",
        "must have at most 4 items (got 5)",
    ),
    (
        "coldsend-unclosed-braces",
        "coldsend-unclosed-braces.yaml:10:30",
        "unclosed `{{`: the variable is never closed",
    ),
    (
        "coldsend-unclosed-liquid-if",
        "coldsend-unclosed-liquid-if.yaml:13:7",
        "`{% if %}` is never closed",
    ),
    (
        "coldsend-unknown-template-variable",
        "coldsend-unknown-template-variable.yaml:11:32",
        "`frist_name` is neither a lead field nor a column of the leads CSV: it",
    ),
    (
        "coldsend-variant-name-not-letters",
        "coldsend-variant-name-not-letters.yaml:9:19",
        "'A1' has the wrong form",
    ),
    (
        "coldsend-variants-not-100",
        "coldsend-variants-not-100.yaml:9:3",
        "Variant distributions must sum to 100% (they sum to 90%)",
    ),
    (
        "coldsend-wait-days-over-30",
        "coldsend-wait-days-over-30.yaml:16:16",
        "must be at most 30 (got 31)",
    ),
    (
        "coldsend-wait-days-total-over-45",
        "coldsend-wait-days-total-over-45.yaml:14:3",
        "wait_days add up to 46 days; ColdSend allows at most 45",
    ),
    (
        "coldsend-window-end-before-start",
        "coldsend-window-end-before-start.yaml:6:21",
        "sending_window_end must be after sending_window_start (08:00 is not af",
    ),
    (
        "coldsend-window-end-minute-at-24",
        "coldsend-window-end-minute-at-24.yaml:7:28",
        "must be 0 when sending_window_end is 24",
    ),
    (
        "coldsend-window-start-hour-24",
        "coldsend-window-start-hour-24.yaml:5:23",
        "must be at most 23 (got 24)",
    ),
    (
        "easymail-bad-reply-to",
        "easymail-bad-reply-to.yaml:4:11",
        "'not-an-email' has the wrong form",
    ),
    (
        "easymail-bad-scheduled-at",
        "easymail-bad-scheduled-at.yaml:5:15",
        "'tomorrow morning' is not an ISO 8601 instant with a timezone",
    ),
    ("easymail-bad-state", "easymail-bad-state.yaml:4:8", "'launched' is not allowed here"),
    (
        "easymail-content-and-file",
        "easymail-content-and-file.yaml:4:15",
        "content and content_file are both set",
    ),
    (
        "easymail-content-file-html",
        "body-with-html.md:3:6",
        'raw HTML "<span>" is removed (the text around it is kept)',
    ),
    (
        "easymail-content-too-long",
        "easymail-content-too-long.yaml:9:10",
        "must be at most 65000 characters long (got 65001)",
    ),
    (
        "easymail-inline-code",
        "easymail-inline-code.yaml:13:7",
        'inline code "`camp plan`" is stored as plain text "camp plan"',
    ),
    (
        "easymail-markdown-table",
        "easymail-markdown-table.yaml:14:3",
        "table is not kept: each row is stored as its cells joined by spaces, e",
    ),
    (
        "easymail-raw-html",
        "easymail-raw-html.yaml:13:3",
        'raw HTML "<b>" is removed (the text around it is kept)',
    ),
    (
        "easymail-scheduled-without-time",
        "easymail-scheduled-without-time.yaml:4:8",
        "`scheduled` needs a scheduled_at time",
    ),
    (
        "easymail-strikethrough",
        "easymail-strikethrough.yaml:13:10",
        'strikethrough "~~were~~" is stored as "were"',
    ),
    (
        "easymail-task-list",
        "easymail-task-list.yaml:14:5",
        'task list checkbox "[ ]" is dropped: the item is stored as "- sign up"',
    ),
    ("inbox-bad-delay-unit", "inbox-bad-delay-unit.yaml:11:12", "'2w' has the wrong form"),
    (
        "inbox-first-step-delay",
        "inbox-first-step-delay.yaml:10:5",
        "the first step must be a message",
    ),
    (
        "inbox-messages-per-hour-26",
        "inbox-messages-per-hour-26.yaml:6:20",
        "must be at most 25 (got 26)",
    ),
    ("inbox-schedule-bad-day", "inbox-schedule-bad-day.yaml:8:3", "'monday' is not allowed here"),
    (
        "inbox-schedule-end-before-start",
        "inbox-schedule-end-before-start.yaml:8:8",
        "window '17:00-09:00' must start before it ends, within the day",
    ),
    (
        "inbox-schedule-minutes-out-of-range",
        "inbox-schedule-minutes-out-of-range.yaml:8:26",
        "must be at most 1440 (got 1500)",
    ),
    (
        "inbox-unknown-step",
        "inbox-unknown-step.yaml:11:5",
        "a mapping with keys 'wait' is not a valid form here",
    ),
    (
        "inbox-variation-one-option",
        "inbox-variation-one-option.yaml:12:15",
        "a variation needs at least 2 options",
    ),
    (
        "leads-absolute-path",
        "leads-absolute-path.yaml:7:8",
        "absolute path '/etc/passwd' is not allowed",
    ),
    (
        "leads-bad-emails",
        "leads-bad-emails.csv:3:1",
        "invalid email 'not-an-email': the vendor rejects this lead",
    ),
    ("leads-bom", "leads-bom.csv:1:1", "leads file starts with a UTF-8 byte order mark (BOM)"),
    ("leads-empty", "leads-empty.csv:1:1", "leads file is empty"),
    ("leads-file-missing", "leads-file-missing.yaml:7:8", "file 'no-such-leads.csv' not found"),
    ("leads-no-email-column", "leads-no-email-column.csv:1:1", "leads file has no `email` column"),
    (
        "leads-path-escape",
        "leads-path-escape.yaml:7:8",
        "'../../../etc/passwd' points outside the repository",
    ),
    ("leads-ragged-rows", "leads-ragged-rows.csv:2:21", "row has 3 cells, the header has 2"),
    (
        "leads-semicolons",
        "leads-semicolons.csv:1:1",
        "leads file is separated by semicolon (;), not by commas",
    ),
    ("missing-kind", "missing-kind.yaml:1:1", "missing required key 'kind'"),
    ("missing-name", "missing-name.yaml:1:1", "missing required key 'name'"),
    ("null-where-not-allowed", "null-where-not-allowed.yaml:4:11", "must be a string, got null"),
    ("unknown-key-typo", "unknown-key-typo.yaml:4:1", "unknown key 'timezon'"),
    ("unknown-kind", "unknown-kind.yaml:1:7", "'coldsend/campaing' is not allowed here"),
    ("wrong-type-bool", "wrong-type-bool.yaml:7:18", "must be true or false, got 'yes'"),
    (
        "wrong-type-int-as-string",
        "wrong-type-int-as-string.yaml:7:24",
        "must be a whole number, got '40'",
    ),
    (
        "yaml-alias-bomb",
        "yaml-alias-bomb.yaml:1:16",
        "document holds more than 200,000 values (too large, or anchors/aliases",
    ),
    (
        "yaml-duplicate-key",
        "yaml-duplicate-key.yaml:5:1",
        "duplicate key 'timezone' (first defined at line 4)",
    ),
    (
        "yaml-not-a-mapping",
        "yaml-not-a-mapping.yaml:1:1",
        "a campaign document must be a mapping of keys to values",
    ),
    (
        "yaml-python-tag",
        "yaml-python-tag.yaml:3:7",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    ("yaml-tab-indentation", "yaml-tab-indentation.yaml:3:1", "tab character used for indentation"),
    (
        "yaml-unclosed-bracket",
        "yaml-unclosed-bracket.yaml:3:8",
        "invalid YAML: while parsing a flow sequence (started at line 2), did n",
    ),
]


def _validate(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(BAD)
    result = CliRunner().invoke(cli, ["--config", "camp.yaml", "validate", *args])
    return result.exit_code, result.output


def test_corpus_is_big_and_covers_every_fixture() -> None:
    files = {p.stem for p in BAD.glob("*.yaml")} - {"camp"}
    assert len(CASES) >= 40
    assert files == {name for name, _, _ in CASES}


@pytest.mark.parametrize(("name", "where", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_located(
    monkeypatch: pytest.MonkeyPatch, name: str, where: str, message: str
) -> None:
    code, output = _validate(monkeypatch, f"{name}.yaml")
    assert code == 1, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.startswith(f"{where}: error: ")]
    assert any(message in line for line in lines), output


def test_all_problems_are_reported_together(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"{name}.yaml" for name, _, _ in CASES]
    code, output = _validate(monkeypatch, *names)
    assert code == 1
    for _, where, message in CASES:
        assert any(
            line.startswith(f"{where}: error: ") and message in line for line in output.splitlines()
        )


def test_ten_megabyte_yaml_is_refused_quickly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "camp.yaml").write_text((BAD / "camp.yaml").read_text())
    big = tmp_path / "big.yaml"
    big.write_text("kind: coldsend/campaign\nname: " + "x" * (10 * 1024 * 1024) + "\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "big.yaml"])
    assert result.exit_code == 1
    assert "big.yaml: error: file is larger than 8 MB" in result.output


def test_json_format_lists_problems_with_locations(monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _validate(monkeypatch, "--format", "json", "coldsend-bad-timezone.yaml")
    assert code == 1
    body = json.loads(output)
    assert body["version"] == 1 and body["valid"] is False and body["errors"] == 1
    [problem] = body["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == (
        "coldsend-bad-timezone.yaml",
        4,
        11,
    )
    assert problem["hint"] == "did you mean 'America/New_York'?"


def test_same_account_and_name_in_two_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD.parent / "duplicates")
    result = CliRunner().invoke(cli, ["validate", "same-name-a.yaml", "same-name-b.yaml"])
    assert result.exit_code == 1
    assert (
        "same-name-b.yaml:3:7: error: name: campaign 'Weekly digest' of account 'news' is "
        "already defined at same-name-a.yaml:3:1"
    ) in result.output


def test_live_twins_pinned_by_distinct_ids_are_allowed_once_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(BAD.parent / "duplicates")
    result = CliRunner().invoke(cli, ["validate", "pinned-twins.yaml"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [
        "pinned-twins.yaml:14:5: error: id: live campaign '11111111-aaaa-4aaa-8aaa-000000000002' "
        "is already managed by pinned-twins.yaml:8:1"
    ]
