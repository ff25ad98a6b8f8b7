"""easymail Markdown: what the vendor silently drops, and the exact text it stores instead.

easymail flattens tables, strikethrough, task lists, inline code and raw HTML (shared/api/
easymail.md, the **(contract)** sentence). ``lint_markdown`` warns about each occurrence;
``flatten_markdown`` predicts the stored body, so that desired and live content compare equal.

A line-based scanner that follows CommonMark/GFM where the contract is silent: code blocks
(fenced, indented, inside lists and quotes) are untouched; backslash escapes hide a construct;
``<scheme:…>``/``<a@b.c>`` are autolinks; code spans win over what starts inside them; inline
constructs never cross a blank line or a block start. Table rows keep their quote markers and
indentation, drop empty cells and unescape ``\\|``; a row without text becomes an empty line. A
code span padded on both sides loses one space each side (as CommonMark renders it).
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from reconciler.config.problems import Severity, TextIssue

_QUOTE = re.compile(r" {0,3}> ?")
_FENCE = re.compile(r"(`{3,}|~{3,})([^\n]*)")
_LIST = re.compile(r"([-*+]|\d{1,9}[.)])([ \t]+|$)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_HR = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*>"
)
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_HTML = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)
_INLINE_SPECIAL = re.compile(r"[\\`<]")
_TILDES = re.compile(r"~+")
_PUNCTUATION = frozenset(string.punctuation)
_WARN = Severity.WARNING


@dataclass
class _Line:
    """One line and what the block scan learned about it (offsets are within the line)."""

    start: int
    text: str  # without "\n"; a trailing "\r" is kept and ignored by the scan
    code: bool = False
    boundary: bool = True  # inline constructs do not continue from the previous line
    table: str = ""  # "row" (header or body), "delimiter" or ""
    prefix: int = 0  # container prefix: quote markers
    item: int = -1  # where a list item's content starts, -1 when the line starts no item


class _Edit(NamedTuple):
    """One dropped construct: the span it covers in a chunk and what the vendor keeps of it."""

    start: int
    end: int
    keep: str
    issue: str
    hint: str


def lint_markdown(text: str) -> list[TextIssue]:
    """One warning per construct easymail drops, positioned 0-based within ``text``."""
    lines = _Scanner(text).scan()
    starts = [line.start for line in lines]
    issues = [_table_issue(i, line) for i, line in enumerate(lines) if line.table == "header"]
    for chunk in _chunks(lines):
        if chunk[0].code or chunk[0].table == "delimiter":
            continue
        for edit in (e for e in _edits(chunk) if e.issue):
            offset = chunk[0].start + edit.start
            index = bisect_right(starts, offset) - 1
            issues.append(TextIssue(index, offset - starts[index], edit.issue, edit.hint, _WARN))
    return sorted(issues, key=lambda issue: (issue.line, issue.col))


def flatten_markdown(text: str) -> str:
    """The body easymail stores for ``text`` (code blocks untouched)."""
    lines = _Scanner(text).scan()
    out: list[str] = []
    for chunk in _chunks(lines):
        if chunk[0].code:
            out.append(chunk[0].text)
        elif chunk[0].table:
            out += [_flat_row(chunk[0])] if chunk[0].table != "delimiter" else []
        else:
            out.append(_apply("\n".join(line.text for line in chunk), _edits(chunk)))
    return "\n".join(out)


def _strip_quotes(text: str, limit: int = 99) -> tuple[int, int]:
    """(quote depth, length of the quote markers) at the start of ``text``."""
    depth = pos = 0
    while depth < limit and (match := _QUOTE.match(text, pos)):
        depth, pos = depth + 1, match.end()
    return depth, pos


def _indent(body: str) -> tuple[int, int]:
    """(indentation width with tabs at 4-column stops, offset of the first other character)."""
    width = offset = 0
    while offset < len(body) and body[offset] in " \t":
        width = width + 4 - width % 4 if body[offset] == "\t" else width + 1
        offset += 1
    return width, offset


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in _CELL_SPLIT.split(row)]


def _fence(rest: str) -> re.Match[str] | None:
    """A fence opener (a backtick fence's info string may not contain backticks)."""
    match = _FENCE.match(rest)
    return None if match and match.group(1)[0] == "`" and "`" in match.group(2) else match


def _starts_block(rest: str) -> bool:
    """Whether a line (without indentation) starts a block that may interrupt a paragraph."""
    blocks = (_fence(rest), _HEADING.match(rest), _HR.fullmatch(rest), _LIST.match(rest))
    return any(blocks) or rest.startswith(("<!--", ">"))


class _Scanner:
    """Classifies lines into code and text, tracking fences, lists, quotes, tables, comments."""

    def __init__(self, text: str) -> None:
        self.raw = text.split("\n")
        self.fence: tuple[str, int, int, int] | None = None  # char, length, depth, list indent
        self.comment = self.paragraph = self.table = False
        self.lists: list[int] = []  # content indents of the open list items
        self.depth = 0
        self.delimiter_at = -1

    def scan(self) -> list[_Line]:
        lines, start = [], 0
        for index, text in enumerate(self.raw):
            lines.append(self._line(index, _Line(start, text)))
            start += len(text) + 1
        return lines

    def _line(self, index: int, line: _Line) -> _Line:
        text = line.text.removesuffix("\r")
        if self.fence is not None and self._in_fence(line, text):
            return line
        if self.comment:
            self.comment, line.boundary = "-->" not in text, False
            return line
        depth, line.prefix = _strip_quotes(text)
        body = text[line.prefix :]
        if depth < self.depth and self._lazy(body):
            line.boundary = False  # a lazy continuation line of a quoted paragraph
            return line
        if depth != self.depth:
            self.depth, self.paragraph, self.table = depth, False, False
            self.lists.clear()
        if index == self.delimiter_at:
            line.table = "delimiter"
        elif not body.strip():
            self.paragraph = self.table = False
        else:
            self._content(index, line, body)
        return line

    def _in_fence(self, line: _Line, text: str) -> bool:
        char, length, depth, list_indent = self.fence or ("", 0, 0, 0)
        quotes, prefix = _strip_quotes(text, depth)
        width, offset = _indent(text[prefix:])
        if quotes < depth or (list_indent and text[prefix:].strip() and width < list_indent):
            self.fence = None  # the container ended, and the code block with it
            return False
        line.code = True
        rest = text[prefix + offset :]
        if width - list_indent <= 3 and rest.rstrip(" \t") == char * len(rest.rstrip(" \t")):
            self.fence = None if len(rest.rstrip(" \t")) >= length else self.fence
        return True

    def _lazy(self, body: str) -> bool:
        rest = body[_indent(body)[1] :]
        return self.paragraph and not self.table and bool(rest) and not _starts_block(rest)

    def _content(self, index: int, line: _Line, body: str) -> None:
        width, offset = _indent(body)
        rest = body[offset:]
        marker = _LIST.match(rest) if not _HR.fullmatch(rest) else None
        kept = [indent for indent in self.lists if indent <= width]
        interrupts = width - (kept[-1] if kept else 0) <= 3 and _starts_block(rest)
        if not self.paragraph or interrupts:
            self.lists = kept  # this line is not inside the deeper items
        base = self.lists[-1] if self.lists else 0
        if width - base >= 4:  # indented code, unless it continues a paragraph (ends a table)
            self.table, self.paragraph = False, self.paragraph and not self.table
            line.code, line.boundary = not self.paragraph, not self.paragraph
        elif marker is not None:
            self._list_item(line, width, line.prefix + offset, marker)
        else:
            self._block(index, line, rest)

    def _list_item(self, line: _Line, width: int, offset: int, marker: re.Match[str]) -> None:
        """Open a list item; its content indent decides what later lines belong to it."""
        spaces = len(marker.group(2))
        content = marker.string[marker.end() :]
        blank_or_code = not content.strip(" \t\r") or spaces > 4
        self.lists.append(width + len(marker.group(1)) + (1 if blank_or_code else spaces))
        line.item = offset + marker.end()
        self.paragraph, self.table = True, False
        line.code = self._open_fence(content, self.lists[-1])

    def _block(self, index: int, line: _Line, rest: str) -> None:
        if self._open_fence(rest, self.lists[-1] if self.lists else 0):
            line.code, self.paragraph, self.table = True, False, False
        elif _HEADING.match(rest) or _HR.fullmatch(rest) or rest.startswith("<!--"):
            self.paragraph = self.table = False
            self.comment = rest.startswith("<!--") and "-->" not in rest[4:]
        elif self.table or self._table_header(index, rest):
            line.table = "header" if index + 1 == self.delimiter_at else "row"
            self.paragraph = self.table = True
        else:
            line.boundary, self.paragraph = not self.paragraph, True

    def _open_fence(self, rest: str, list_indent: int) -> bool:
        if (match := _fence(rest)) is not None:
            self.fence = (match.group(1)[0], len(match.group(1)), self.depth, list_indent)
        return match is not None

    def _table_header(self, index: int, rest: str) -> bool:
        if "|" not in rest or index + 1 >= len(self.raw):
            return False
        following = self.raw[index + 1].removesuffix("\r")
        depth, prefix = _strip_quotes(following)
        delimiter = following[prefix:]
        if depth != self.depth or "|" not in delimiter:
            return False
        cells = _cells(delimiter)
        if len(cells) != len(_cells(rest)) or not all(_DELIMITER_CELL.fullmatch(c) for c in cells):
            return False
        self.delimiter_at = index + 1
        return True


def _chunks(lines: list[_Line]) -> Iterator[list[_Line]]:
    """Code and table lines one by one; text lines grouped into paragraphs (inline scope)."""
    chunk: list[_Line] = []
    for line in lines:
        single = line.code or bool(line.table)
        if chunk and (line.boundary or single or chunk[0].code or bool(chunk[0].table)):
            yield chunk
            chunk = []
        chunk.append(line)
    if chunk:
        yield chunk


def _apply(text: str, edits: list[_Edit]) -> str:
    out, pos = [], 0
    for edit in edits:
        out += [text[pos : edit.start], edit.keep]
        pos = edit.end
    return "".join([*out, text[pos:]])


def _shown(text: str) -> str:
    text = text.replace("\n", "⏎")
    return f'"{text}"' if len(text) <= 40 else f'"{text[:39]}…"'


def _edits(chunk: list[_Line]) -> list[_Edit]:
    """Every dropped construct in a chunk, in text order, non-overlapping."""
    text = "\n".join(line.text for line in chunk)
    edits, opaque = _inline_tokens(text)
    edits += _strikethrough(text, opaque)
    edits += _task_markers(chunk)
    return sorted(edits, key=lambda edit: edit.start)


def _inline_tokens(text: str) -> tuple[list[_Edit], list[tuple[int, int]]]:
    """Code spans and HTML (dropped), escapes and autolinks (kept): left to right, first wins."""
    edits: list[_Edit] = []
    opaque: list[tuple[int, int]] = []  # spans in which `~~` is not a delimiter
    pos = 0
    while (match := _INLINE_SPECIAL.search(text, pos)) is not None:
        start = match.start()
        edit, end = _inline_at(text, start)
        edits += [edit] if edit is not None else []
        if end > start + 1 or edit is not None:
            opaque.append((start, end))
        pos = max(end, start + 1)
    return edits, opaque


def _inline_at(text: str, start: int) -> tuple[_Edit | None, int]:
    char = text[start]
    if char == "\\":
        escaped = start + 1 < len(text) and text[start + 1] in _PUNCTUATION
        return None, start + 2 if escaped else start + 1
    if char == "`":
        return _code_span(text, start)
    if link := _AUTOLINK.match(text, start):
        return None, link.end()
    if html := _HTML.match(text, start):
        return _html_edit(html.group(), start), html.end()
    return None, start + 1


def _code_span(text: str, start: int) -> tuple[_Edit | None, int]:
    ticks = len(text) - len(text[start:].lstrip("`"))
    run = ticks - start
    closer = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, start + run)
    if closer is None:
        return None, start + run  # no closing run: the backticks are literal text
    content = text[start + run : closer.start()]
    if len(content) > 1 and content[0] == content[-1] == " " and content.strip(" "):
        content = content[1:-1]
    raw = text[start : closer.end()]
    issue = f"inline code {_shown(raw)} is stored as plain text {_shown(content)}"
    hint = "use a fenced code block (```) for code, or remove the backticks"
    return _Edit(start, closer.end(), content, issue, hint), closer.end()


def _html_edit(raw: str, start: int) -> _Edit:
    if raw.startswith("<!--"):
        issue, hint = f"HTML comment {_shown(raw)} is removed", "keep notes outside the content"
    else:
        issue = f"raw HTML {_shown(raw)} is removed (the text around it is kept)"
        hint = "use Markdown instead, e.g. **bold** or [text](https://…)"
    return _Edit(start, start + len(raw), "", issue, hint)


def _strikethrough(text: str, opaque: list[tuple[int, int]]) -> list[_Edit]:
    """``~~x~~`` pairs: runs of exactly two tildes, opener before a non-space, closer after one."""
    edits: list[_Edit] = []
    opener = -1
    starts, ends = [0, *(end for _, end in opaque)], [*(start for start, _ in opaque), len(text)]
    for start, end in zip(starts, ends, strict=True):  # the text between opaque spans
        for run in _TILDES.finditer(text, start, end):
            if len(run.group()) != 2:
                continue
            at = run.start()
            if opener >= 0 and not text[at - 1].isspace():
                edits += _strike_edits(text, opener, at)
                opener = -1
            elif at + 2 < len(text) and not text[at + 2].isspace():
                opener = at
    return edits


def _strike_edits(text: str, opener: int, closer: int) -> list[_Edit]:
    raw, inner = text[opener : closer + 2], text[opener + 2 : closer]
    issue = f"strikethrough {_shown(raw)} is stored as {_shown(inner)}"
    hint = "remove the ~~ or the struck text: easymail does not keep strikethrough"
    return [_Edit(opener, opener + 2, "", issue, hint), _Edit(closer, closer + 2, "", "", "")]


def _task_markers(chunk: list[_Line]) -> list[_Edit]:
    edits: list[_Edit] = []
    for line in chunk:
        if line.item >= 0 and (match := _TASK.match(line.text, line.item)):
            start = line.start - chunk[0].start + line.item
            stored = line.text[: line.item] + line.text[match.end() :]
            issue = f"task list checkbox {_shown(match.group().strip())} is dropped: "
            issue += f"the item is stored as {_shown(stored.strip())}"
            hint = "write a plain list item; easymail does not keep checkboxes"
            edits.append(_Edit(start, start + len(match.group()), "", issue, hint))
    return edits


def _flat_row(line: _Line) -> str:
    """A table row as stored: its non-empty cells (``\\|`` unescaped) joined by spaces."""
    text = line.text.removesuffix("\r")
    body = text[line.prefix :]
    indent = body[: len(body) - len(body.lstrip(" \t"))]
    joined = " ".join(cell.replace("\\|", "|") for cell in _cells(body) if cell)
    row = text[: line.prefix] + indent + joined if joined else text[: line.prefix].rstrip()
    row += line.text[len(text) :]
    return _apply(row, _edits([_Line(0, row)]))


def _table_issue(index: int, line: _Line) -> TextIssue:
    example = _flat_row(line).strip()
    stored = f", e.g. {_shown(example)}" if example else ""
    message = f"table is not kept: each row is stored as its cells joined by spaces{stored}"
    hint = "use a list or short paragraphs instead; easymail flattens tables"
    return TextIssue(index, line.prefix, message, hint, Severity.WARNING)
