from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from reconciler.config.problems import Severity
from reconciler.providers.coldsend.leads_csv import (
    MAX_FILE_BYTES,
    MAX_REPORTED,
    iter_lead_chunks,
    read_leads,
    to_csv_bytes,
)


def write(tmp_path: Path, content: str | bytes, name: str = "leads.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def read(tmp_path: Path, content: str | bytes) -> list[str]:
    """Problems as printed by the CLI (first line only), for compact assertions."""
    result = read_leads(write(tmp_path, content), display_path="campaigns/leads.csv")
    return [str(p).splitlines()[0] for p in result.problems]


def test_reads_a_good_file(tmp_path: Path) -> None:
    text = 'email,first_name,company\nAnn@Example.com,Ann,"Acme, Inc."\nbob@example.org,Bob,\n'
    result = read_leads(write(tmp_path, text), display_path="leads.csv")
    assert result.problems == []
    assert result.ok
    assert result.columns == ["email", "first_name", "company"]
    assert result.emails == ["Ann@Example.com", "bob@example.org"]
    assert result.rows[0] == {
        "email": "Ann@Example.com",
        "first_name": "Ann",
        "company": "Acme, Inc.",
    }
    assert result.lines == [2, 3]


def test_email_header_is_case_insensitive_and_crlf_is_fine(tmp_path: Path) -> None:
    result = read_leads(write(tmp_path, "EMAIL,name\r\na@b.co,A\r\n"), display_path="x.csv")
    assert result.problems == []
    assert result.emails == ["a@b.co"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "campaigns/leads.csv:1:1: error: leads file is empty"),
        ("email,name\n", "campaigns/leads.csv:1:1: error: leads file has no leads (only a header)"),
        (
            "email,name\n\n\n",
            "campaigns/leads.csv:1:1: error: leads file has no leads (only a header)",
        ),
        (
            "name,company\nAnn,Acme\n",
            "campaigns/leads.csv:1:1: error: leads file has no `email` column",
        ),
        (
            "email;name\na@b.co;A\n",
            "campaigns/leads.csv:1:1: error: leads file is separated by semicolon (;),"
            " not by commas",
        ),
        (
            "email\tname\na@b.co\tA\n",
            "campaigns/leads.csv:1:1: error: leads file is separated by tab, not by commas",
        ),
        (
            "email,name\na@b.co,A,extra\n",
            "campaigns/leads.csv:2:10: error: row has 3 cells, the header has 2",
        ),
        (
            "email,name\na@b.co\n",
            "campaigns/leads.csv:2:1: error: row has 1 cells, the header has 2",
        ),
        (
            "name,email\nAnn,not-an-email\n",
            "campaigns/leads.csv:2:5: error: invalid email 'not-an-email':"
            " the vendor rejects this lead",
        ),
        (
            'name,email\n"multi\nline",a@b\n',
            "campaigns/leads.csv:3:7: error: invalid email 'a@b': the vendor rejects this lead",
        ),
        (
            "email,Email\na@b.co,c@d.co\n",
            "campaigns/leads.csv:1:7: error: column `Email` appears twice in the header"
            " (columns 1 and 2)",
        ),
        (
            'email,name\n"a@b.co,A\n',
            "campaigns/leads.csv:2:0: error: malformed CSV: unexpected end of data",
        ),
    ],
)
def test_file_problems(tmp_path: Path, content: str, expected: str) -> None:
    assert read(tmp_path, content) == [expected]


def test_bom_is_an_error_but_parsing_goes_on(tmp_path: Path) -> None:
    result = read_leads(
        write(tmp_path, b"\xef\xbb\xbfemail,name\na@b.co,A\n"), display_path="l.csv"
    )
    assert [str(p).splitlines()[0] for p in result.problems] == [
        "l.csv:1:1: error: leads file starts with a UTF-8 byte order mark (BOM)"
    ]
    assert "without BOM" in result.problems[0].hint
    assert result.columns == ["email", "name"]
    assert result.emails == ["a@b.co"]


def test_not_utf8(tmp_path: Path) -> None:
    problems = read(tmp_path, "email,name\na@b.co,Zo\u00eb\n".encode("cp1252"))
    assert problems == [
        "campaigns/leads.csv:2:10: error: leads file is not valid UTF-8 (byte 0xEB)"
    ]


def test_missing_file(tmp_path: Path) -> None:
    result = read_leads(tmp_path / "nope.csv", display_path="campaigns/nope.csv")
    assert [str(p).splitlines()[0] for p in result.problems] == [
        "campaigns/nope.csv: error: leads file not found"
    ]


def test_too_large_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: cheap to create, never read
    result = read_leads(path, display_path="big.csv")
    assert [p.message for p in result.problems] == [
        "leads file is 50.0 MB; ColdSend accepts at most 50 MB"
    ]


def test_hint_lists_headers_found(tmp_path: Path) -> None:
    result = read_leads(write(tmp_path, "mail,name\nx@y.co,A\n"), display_path="l.csv")
    assert result.problems[0].hint.endswith("headers found: `mail`, `name`")


def test_hint_for_spaces_around_email_header(tmp_path: Path) -> None:
    result = read_leads(write(tmp_path, " email ,name\nx@y.co,A\n"), display_path="l.csv")
    assert "spaces" in result.problems[0].hint


def test_duplicates_are_warnings_naming_both_lines(tmp_path: Path) -> None:
    result = read_leads(write(tmp_path, "email\na@b.co\nc@d.co\nA@B.CO\n"), display_path="l.csv")
    assert [str(p).splitlines()[0] for p in result.problems] == [
        "l.csv:4:1: warning: duplicate email 'A@B.CO' (first on line 2): the vendor skips it"
    ]
    assert result.ok
    assert result.emails == ["a@b.co", "c@d.co"]


@pytest.mark.parametrize(
    "email",
    [
        "a@b.co",
        "first.last+tag@sub.example.org",
        "o'brien@example.ie",
        "zoë@exämple.de",
        "x@xn--p1ai.xn--p1ai",
        # The vendor's rule is loose (README "Leads CSV"): what it accepts, camp accepts.
        "a@b.c",
        "a..b@example.com",
        "a@example.com.",
        ".a@b.co",
        "a@-b.co",
    ],
)
def test_valid_emails(tmp_path: Path, email: str) -> None:
    assert read(tmp_path, f"email\n{email}\n") == []


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "a@b",
        "a@@b.co",
        "a b@c.co",
        " a@b.co",
        "a@b.co ",
        "a@b.",
        "@b.co",
        "a@.",
    ],
)
def test_invalid_emails(tmp_path: Path, email: str) -> None:
    (problem,) = read(tmp_path, f'email,n\n"{email}",1\n')
    assert "invalid email" in problem


def test_row_errors_are_capped_with_a_summary(tmp_path: Path) -> None:
    body = "".join(f"bad{i}\n" for i in range(MAX_REPORTED + 5))
    problems = read(tmp_path, "email\n" + body)
    assert len(problems) == MAX_REPORTED + 1
    assert problems[-1] == "campaigns/leads.csv: error: 5 more rows with errors not shown"


def test_duplicate_warnings_are_capped(tmp_path: Path) -> None:
    body = "a@b.co\n" * (MAX_REPORTED + 3)
    result = read_leads(write(tmp_path, "email\n" + body), display_path="l.csv")
    assert len(result.problems) == MAX_REPORTED + 1
    assert all(p.severity is Severity.WARNING for p in result.problems)
    assert result.problems[-1].message == "2 more duplicate emails not shown"


def test_chunks() -> None:
    rows = [{"email": f"{i}@x.co"} for i in range(25)]
    assert [len(c) for c in iter_lead_chunks(rows, size=10)] == [10, 10, 5]
    assert list(iter_lead_chunks([], size=10)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(iter_lead_chunks(rows, size=0))


def test_to_csv_bytes_round_trips(tmp_path: Path) -> None:
    rows = [{"email": "a@b.co", "note": 'says "hi", twice\nnewline'}, {"email": "c@d.co"}]
    data = to_csv_bytes(["email", "note"], rows)
    assert not data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert parsed == [["email", "note"], ["a@b.co", 'says "hi", twice\nnewline'], ["c@d.co", ""]]
    result = read_leads(write(tmp_path, data), display_path="l.csv")
    assert result.rows == [rows[0], {"email": "c@d.co", "note": ""}]


def test_100k_rows_are_all_read(tmp_path: Path) -> None:
    """Correctness at size; the speed target lives in benchmarks/, not in a timed test."""
    header = "email,first_name,last_name,company,job_title,city\n"
    body = "".join(
        f'u{i}@example{i % 97}.com,F{i},L{i},"Acme, {i}",Eng,Berlin\n' for i in range(100_000)
    )
    path = write(tmp_path, header + body)
    result = read_leads(path, display_path="l.csv")
    assert len(result.rows) == 100_000
    assert result.problems == []
