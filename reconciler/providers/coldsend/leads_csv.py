"""Read a ColdSend leads CSV offline and report what the vendor would reject or skip.

The vendor parses uploads silently: a BOM hides the ``email`` header, a wrong delimiter yields one
column, invalid or duplicate emails are only counted in an upload job. ``read_leads`` finds all of
that before anything is sent, each finding at ``file:line:col`` (line = CSV line of the row,
col = 1-based character column of the cell). The rows it returns are exactly the leads the vendor
would accept: well-formed, valid email, first occurrence of each email (case-insensitive).
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.config.models import EMAIL_PATTERN
from reconciler.config.problems import Location, Problem, Severity

MAX_FILE_BYTES = 50_000_000  # the vendor's "50 MB", read strictly (decimal megabytes)
MAX_ROWS_PER_UPLOAD = 10_000
MAX_REPORTED = 20  # per kind of row problem; the rest is summarised in one line
UTF8_BOM = b"\xef\xbb\xbf"

if TYPE_CHECKING:
    from _csv import Reader

_EMAIL_RE = re.compile(EMAIL_PATTERN)  # the vendor's rule, shared with the YAML models
_DELIMITERS = {";": "semicolon (;)", "\t": "tab"}


@dataclass
class LeadsFile:
    """What ``read_leads`` found: the leads the vendor would accept, and the problems."""

    columns: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # CSV line where each accepted row starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def read_leads(path: Path, *, display_path: str) -> LeadsFile:
    """Parse the leads CSV at ``path``; problems are located at ``display_path``."""
    result = LeadsFile()
    data = _load_bytes(path, display_path, result.problems)
    text = None if data is None else _decode(data, display_path, result.problems)
    if text is not None:
        _Parser(text, display_path, result).run()
    return result


def iter_lead_chunks(
    rows: Sequence[dict[str, str]], size: int = MAX_ROWS_PER_UPLOAD
) -> Iterator[list[dict[str, str]]]:
    """Split rows into upload-sized chunks (the vendor takes at most 10,000 rows per file)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def to_csv_bytes(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    """One uploadable CSV file: UTF-8 without BOM, comma-separated, CRLF, missing cells empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(name, "") for name in columns] for row in rows)
    return out.getvalue().encode("utf-8")


def _error(display_path: str, message: str, hint: str, line: int = 0, col: int = 0) -> Problem:
    return Problem(Location(display_path, line, col), message, hint)


def _load_bytes(path: Path, display_path: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or None after reporting why they can't be used (size checked first)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(_too_large(display_path, size))
            return None
        return path.read_bytes()
    except FileNotFoundError:
        hint = "paths are relative to the campaign's YAML file; check the spelling"
        problems.append(_error(display_path, "leads file not found", hint))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        problems.append(_error(display_path, f"cannot read leads file: {reason}", ""))
    return None


def _too_large(display_path: str, size: int) -> Problem:
    message = f"leads file is {size / 1_000_000:.1f} MB; ColdSend accepts at most 50 MB"
    return _error(display_path, message, "split the leads into several campaigns' files")


def _decode(data: bytes, display_path: str, problems: list[Problem]) -> str | None:
    """UTF-8 text without the BOM (a BOM is reported: the vendor would not see ``email``)."""
    if data.startswith(UTF8_BOM):
        message = "leads file starts with a UTF-8 byte order mark (BOM)"
        hint = (
            "the vendor matches headers literally, so it would not find the first column; "
            "save the file as UTF-8 without BOM"
        )
        problems.append(_error(display_path, message, hint, 1, 1))
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"leads file is not valid UTF-8 (byte 0x{data[exc.start]:02X})"
        hint = "re-save it as UTF-8 (spreadsheets often export Windows-1252 or UTF-16 by default)"
        problems.append(_error(display_path, message, hint, line, col))
        return None


class _Positions:
    """Maps (row's first line, cell index) to the cell's (line, column); built only when needed."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self._text))]
        return self._starts

    def locate(self, line: int, cell: int) -> tuple[int, int]:
        starts = self._line_starts()
        pos = starts[line - 1] if line <= len(starts) else len(self._text)
        pos = self._skip_cells(pos, cell)
        cell_line = bisect_right(starts, pos)  # a quoted cell may sit on a later line
        return cell_line, pos - starts[cell_line - 1] + 1

    def _skip_cells(self, pos: int, cell: int) -> int:
        text, in_quotes = self._text, False
        while cell and pos < len(text):
            char = text[pos]
            in_quotes = not in_quotes if char == '"' else in_quotes
            cell -= char == "," and not in_quotes
            pos += 1
        return pos


class _Parser:
    """One pass over the rows; fills ``LeadsFile`` and caps repeated row problems."""

    def __init__(self, text: str, display_path: str, result: LeadsFile) -> None:
        self.text, self.path, self.result = text, display_path, result
        self.positions = _Positions(text)
        self.counts = {"row": 0, "duplicate": 0}
        self.email_index = self.data_rows = 0  # data_rows counts only rows taking a slow path
        self.seen: dict[str, int] = {}

    def run(self) -> None:
        reader = csv.reader(io.StringIO(self.text, newline=""), strict=True)
        try:
            header = next(reader, None)
            if self._check_header(header):
                self._read_rows(reader)
        except csv.Error as exc:
            hint = 'close every quoted cell; a quote inside a quoted cell is written twice ("")'
            self._add(f"malformed CSV: {exc}", hint, reader.line_num, 0)
        self._summarise()

    def _add(self, message: str, hint: str, line: int, col: int, *, warning: bool = False) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        where = Location(self.path, line, col)
        self.result.problems.append(Problem(where, message, hint, severity))

    def _add_at_cell(
        self, message: str, hint: str, row_line: int, cell: int, *, warning: bool = False
    ) -> None:
        """Locate the problem at the cell itself (in a multi-line row it may be further down)."""
        line, col = self.positions.locate(row_line, cell)
        self._add(message, hint, line, col, warning=warning)

    def _check_header(self, header: list[str] | None) -> bool:
        if not header or header == [""]:
            self._add("leads file is empty", "add a header row with an `email` column", 1, 1)
            return False
        self.result.columns = header
        if len(header) == 1 and self._wrong_delimiter(header[0]):
            return False
        self._check_duplicate_headers(header)
        index = self._email_index(header)
        self.email_index = 0 if index is None else index
        return index is not None

    def _wrong_delimiter(self, header: str) -> bool:
        seen = [name for char, name in _DELIMITERS.items() if char in header]
        if seen:
            message = f"leads file is separated by {seen[0]}, not by commas"
            self._add(
                message, "ColdSend reads comma-separated files only; export as CSV (comma)", 1, 1
            )
        return bool(seen)

    def _check_duplicate_headers(self, header: list[str]) -> None:
        first: dict[str, int] = {}
        for index, name in enumerate(header):
            previous = first.setdefault(name.lower(), index)
            if previous != index:
                columns = f"columns {previous + 1} and {index + 1}"
                message = f"column `{name}` appears twice in the header ({columns})"
                hint = "rename or remove one of them: the vendor keeps only one"
                self._add_at_cell(message, hint, 1, index)

    def _email_index(self, header: list[str]) -> int | None:
        for index, name in enumerate(header):
            if name.lower() == "email":
                return index
        found = ", ".join(f"`{name}`" for name in header)
        hint = f"add an `email` column (case does not matter); headers found: {found}"
        if any(name.strip().lower() == "email" for name in header):
            hint = "remove the spaces around the `email` header: the vendor matches it exactly"
        self._add("leads file has no `email` column", hint, 1, 1)
        return None

    def _read_rows(self, reader: Reader) -> None:
        """The hot loop: 100,000 rows must stay well under a second, hence the local names."""
        columns, index, width = self.result.columns, self.email_index, len(self.result.columns)
        rows, emails, lines = self.result.rows, self.result.emails, self.result.lines
        valid, seen = _EMAIL_RE.fullmatch, self.seen
        line_end = 1
        for cells in reader:
            start, line_end = line_end + 1, reader.line_num
            if len(cells) != width or (key := cells[index].lower()) in seen:
                self._odd_row(start, cells)
            elif not valid(cells[index]):
                self._bad_email(start, cells[index])
            else:
                seen[key] = start
                rows.append(dict(zip(columns, cells, strict=False)))  # width checked
                emails.append(cells[index])
                lines.append(start)
        if not self.data_rows and not rows:
            self._add("leads file has no leads (only a header)", "add one row per lead", 1, 1)

    def _odd_row(self, line: int, cells: list[str]) -> None:
        """A row of the wrong width (a blank line is skipped, as the vendor does) or a duplicate."""
        width = len(self.result.columns)
        if not cells or (len(cells) == 1 and width > 1 and not cells[0].strip()):
            return
        self.data_rows += 1
        if len(cells) != width:
            self._bad_width(line, len(cells), width)
        else:
            email = cells[self.email_index]
            self._duplicate(line, email, self.seen[email.lower()])

    def _counted(self, kind: str) -> bool:
        self.counts[kind] += 1
        return self.counts[kind] <= MAX_REPORTED

    def _bad_width(self, line: int, cells: int, width: int) -> None:
        if self._counted("row"):
            message = f"row has {cells} cells, the header has {width}"
            hint = 'quote cells that contain commas ("Acme, Inc."), and give every row all columns'
            self._add_at_cell(message, hint, line, width if cells > width else 0)

    def _bad_email(self, line: int, email: str) -> None:
        self.data_rows += 1
        if self._counted("row"):
            message = f"invalid email {email!r}: the vendor rejects this lead"
            hint = "fix the address (name@example.com) or remove the row"
            if email != email.strip():
                hint = "remove the spaces around the address"
            self._add_at_cell(message, hint, line, self.email_index)

    def _duplicate(self, line: int, email: str, first_line: int) -> None:
        if self._counted("duplicate"):
            message = f"duplicate email {email!r} (first on line {first_line}): the vendor skips it"
            self._add_at_cell(
                message, "remove one of the rows", line, self.email_index, warning=True
            )

    def _summarise(self) -> None:
        extra_rows = self.counts["row"] - MAX_REPORTED
        if extra_rows > 0:
            message = f"{extra_rows} more rows with errors not shown"
            self._add(message, "fix the rows above, then validate again", 0, 0)
        extra_duplicates = self.counts["duplicate"] - MAX_REPORTED
        if extra_duplicates > 0:
            message = f"{extra_duplicates} more duplicate emails not shown"
            self._add(message, "remove duplicate rows", 0, 0, warning=True)
