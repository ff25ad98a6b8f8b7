"""Block half of the easymail prediction: which text is prose, HTML, a table row or code.

CommonMark's line-by-line block parse, reduced to what flattening needs. Each line first
continues the open containers (a ``>`` quote, a list item indented to its content), may be a
lazy continuation of a paragraph, then opens new containers; what remains is a leaf: fenced or
indented code (never touched, at any depth), an HTML block (``markdown_html``: seven start
conditions, each with its end; read for tags only), a GFM table (a paragraph's last line with
as many cells as the delimiter row after it; rows run to a blank line or another block, an HTML
block of any condition included as in cmark-gfm, and keep the header's cell count), an ATX
heading, a rule, or paragraph text. A paragraph's leading link reference definitions are no
inline content (``markdown_links``); their labels are collected for reference links.
Tabs count to the next multiple of four columns and may be consumed partly. All positions are
offsets into the body, so that flattening edits the written text in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from reconciler.providers.easymail.markdown_html import block_ends, block_start
from reconciler.providers.easymail.markdown_links import definitions

_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_MARKER = re.compile(r"[-*+]|(\d{1,9})[.)]")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*")
_TASK = re.compile(r"\[[ xX]\](?:[ \t]+|$)")
_DELIMITER_ROW = re.compile(r"[-:|][-:| \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_OPENS_CONTAINER = frozenset(">-*+0123456789")  # first characters of quotes and list items
_OPENS_LEAF = frozenset("`~#-*_<")  # of fences, headings, rules and HTML blocks


class Prose(NamedTuple):
    """Inline content (a paragraph, a heading): the ``(start, end)`` of its text on each line."""

    spans: tuple[tuple[int, int], ...]


class Html(NamedTuple):
    """An HTML block: the ``(start, end)`` of its text on each line (tags only are read)."""

    spans: tuple[tuple[int, int], ...]


class Row(NamedTuple):
    """A table row from its first character to its line's end (a trailing ``\\r`` excluded)."""

    start: int
    end: int
    prefix_end: int  # end of the container markers before it, blanks after them excluded
    header: bool
    width: int  # the header's cell count: a row's cells past it are no part of the table


class Cut(NamedTuple):
    """Text dropped whole: a table's ``delimiter`` row with its line break (``end`` may pass
    the end of the body on the last line), a ``task`` checkbox."""

    kind: str
    start: int
    end: int


Block = Prose | Html | Row | Cut


class Blocks(NamedTuple):
    blocks: list[Block]  # in text order (code has none)
    labels: frozenset[str]  # normalized labels of the link reference definitions


def scan_blocks(text: str) -> Blocks:
    """The prose, HTML, table rows and cuts of ``text``, and its definitions' labels."""
    scanner = _Scanner(text)
    start = 0
    for raw in text.split("\n"):
        scanner.line(_Cursor(raw.removesuffix("\r"), start), start + len(raw) + 1)
        start += len(raw) + 1
    scanner.close()
    return Blocks(scanner.out, frozenset(scanner.labels))


def row_cells(row: str) -> list[tuple[int, int]]:
    """A row's GFM cells as spans of ``row``: outer pipes optional, ``\\|`` splitting nothing."""
    start = len(row) - len(row.lstrip())
    end = len(row.rstrip())
    if start >= end:
        return []
    pipes = [pipe.start() for pipe in _CELL_PIPE.finditer(row, start, end)]
    cells = list(zip([start, *(p + 1 for p in pipes)], [*pipes, end], strict=True))
    cells = cells[1:] if cells[0][0] == cells[0][1] else cells
    return cells[:-1] if cells and cells[-1][0] == cells[-1][1] else cells


class _Cursor:
    """One line (without its line break) and a column-aware position in it."""

    __slots__ = ("col", "pos", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text, self.start, self.pos, self.col = text, start, 0, 0

    def blanks(self) -> tuple[int, int]:
        """(columns of the blanks at the cursor, index of the first other character)."""
        text, col, index = self.text, self.col, self.pos
        while index < len(text) and text[index] in " \t":
            col = col + 4 - col % 4 if text[index] == "\t" else col + 1
            index += 1
        return col - self.col, index

    def skip_blanks(self) -> None:
        width, self.pos = self.blanks()
        self.col += width

    def advance(self, columns: int) -> None:
        """Consume ``columns`` columns; a tab wider than what is left is consumed partly."""
        target = self.col + columns
        while self.pos < len(self.text) and self.col < target:
            stop = self.col + 4 - self.col % 4 if self.text[self.pos] == "\t" else self.col + 1
            if stop > target:
                break
            self.col, self.pos = stop, self.pos + 1
        self.col = target

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Box:
    """An open container: a quote, or a list item whose content starts ``width`` columns in."""

    quote: bool
    width: int = 0
    opened_blank: bool = False
    has_content: bool = False


@dataclass
class _Leaf:
    kind: str  # "para", "table", "fence", "code" (indented) or "html"
    spans: list[tuple[int, int]] = field(default_factory=list)
    header: tuple[int, int, int, int] | None = None  # last line: start, end, prefix end, cells
    fence: str = ""  # the opening fence's character run
    condition: int = 0  # an HTML block's start condition
    task: Cut | None = None  # a checkbox alone on its line: a task's if the paragraph goes on
    width: int = 0  # a table's cell count


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[Block] = []
        self.labels: set[str] = set()
        self.boxes: list[_Box] = []
        self.leaf: _Leaf | None = None
        self.task_at = -1  # content index of a list item opened on this line

    def line(self, cur: _Cursor, next_start: int) -> None:
        matched = self._continue(cur)
        leaf, inside = self.leaf, matched == len(self.boxes)
        kind = leaf.kind if leaf is not None else ""
        if inside and kind == "fence":
            self._fence_line(cur)
        elif inside and kind == "html":
            self._html_line(cur, cur.pos)
        elif not inside and kind == "para" and self._lazy(cur):
            self._continue_para(cur)
        else:
            if not inside:
                self.close()  # the leaf's container ends on this line
                del self.boxes[matched:]
            self._open(cur)
            self._leaf(cur, next_start)

    def close(self) -> None:
        """End the open leaf: a paragraph is prose after its reference definitions."""
        leaf, self.leaf = self.leaf, None
        if leaf is None or not leaf.spans:
            return
        if leaf.kind == "html":
            self.out.append(Html(tuple(leaf.spans)))
        elif leaf.kind == "para":
            spans = leaf.spans
            if leaf.task is not None and any(self.text[s:e].strip() for s, e in spans):
                self.out.append(leaf.task)  # ``- [ ]`` over ``  text``: GFM reads a task
            if self.text.startswith("[", spans[0][0]):
                lines, labels = definitions("\n".join(self.text[s:e] for s, e in spans))
                self.labels.update(labels)
                spans = spans[lines:]
            if spans:
                self.out.append(Prose(tuple(spans)))

    def _continue(self, cur: _Cursor) -> int:
        """How many open containers the line continues; the cursor ends after their markers."""
        for depth, box in enumerate(self.boxes):
            width, index = cur.blanks()
            if box.quote:
                if width > 3 or not cur.text.startswith(">", index):
                    return depth
                _quote_marker(cur)
            elif index == len(cur.text):
                if box.opened_blank and not box.has_content:
                    return depth  # an item may open with one blank line, not two
            elif width >= box.width:
                cur.advance(box.width)
            else:
                return depth
        return len(self.boxes)

    def _lazy(self, cur: _Cursor) -> bool:
        width, index = cur.blanks()
        if index == len(cur.text):
            return False
        return width >= 4 or not _interrupts(cur.text[index:], lazy=True)

    def _continue_para(self, cur: _Cursor) -> None:
        assert self.leaf is not None
        self.leaf.spans.append((cur.start + cur.pos, cur.end))
        self.leaf.header = None

    def _open(self, cur: _Cursor) -> None:
        """Open the quotes and list items that start on this line."""
        self.task_at = -1
        while True:
            width, index = cur.blanks()
            rest = cur.text[index:]
            if width >= 4 or not rest or rest[0] not in _OPENS_CONTAINER:
                return
            marker = _marker(rest)
            in_para = self.leaf is not None and self.leaf.kind == "para"
            quote = rest.startswith(">")
            if not quote and (marker is None or (in_para and not _interrupts(rest))):
                return
            self.close()
            cur.skip_blanks()
            if quote:
                _quote_marker(cur)
                self.boxes.append(_Box(quote=True))
            else:
                assert marker is not None
                self._item(cur, width, len(marker.group()))

    def _item(self, cur: _Cursor, indent: int, marker: int) -> None:
        start_col = cur.col - indent
        cur.advance(marker)
        spaces, content = cur.blanks()
        blank = content == len(cur.text)
        cur.advance(1 if blank or spaces > 4 else spaces)
        self.boxes.append(_Box(quote=False, width=cur.col - start_col, opened_blank=blank))
        self.task_at = content if not blank and spaces <= 4 else -1

    def _leaf(self, cur: _Cursor, next_start: int) -> None:
        width, index = cur.blanks()
        kind = self.leaf.kind if self.leaf is not None else ""
        if index == len(cur.text):
            if kind in ("para", "table"):
                self.close()
            return
        for box in self.boxes:
            box.has_content = True
        if width >= 4:
            if kind == "para":
                self._continue_para(cur)
            elif kind != "code":
                self.close()
                self.leaf = _Leaf("code")
            return
        rest = cur.text[index:]
        if kind == "table" and not _ends_table(rest):
            assert self.leaf is not None
            prefix_end = _prefix_end(cur, index)
            row = Row(cur.start + index, cur.end, prefix_end, header=False, width=self.leaf.width)
            self.out.append(row)
        elif kind == "para" and self._header_cells() and self._header_cells() == _columns(rest):
            self._table(cur, next_start)
        elif kind == "para" and _SETEXT.fullmatch(rest):
            self.close()
        else:
            self._block(cur, index, rest)

    def _header_cells(self) -> int:
        header = self.leaf.header if self.leaf is not None else None
        return header[3] if header is not None else 0

    def _table(self, cur: _Cursor, next_start: int) -> None:
        """The paragraph's last line is the header; the lines before it stay a paragraph."""
        assert self.leaf is not None and self.leaf.header is not None
        start, end, prefix_end, cells = self.leaf.header
        if self.leaf.task is not None:  # the header is the task item's first line
            self.out.append(self.leaf.task)
            self.leaf.task = None
        self.leaf.spans.pop()
        self.close()
        self.out.append(Row(start, end, prefix_end, header=True, width=cells))
        self.out.append(Cut("delimiter", cur.start, next_start))
        self.leaf = _Leaf("table", width=cells)

    def _block(self, cur: _Cursor, index: int, rest: str) -> None:
        if rest[0] not in _OPENS_LEAF:
            self._text(cur, index, rest)
        elif (fence := _fence(rest)) is not None:
            self.close()
            self.leaf = _Leaf("fence", fence=fence.group(1))
        elif _HEADING.match(rest):
            self.close()
            self.out.append(Prose(((cur.start + index, cur.end),)))
        elif _RULE.fullmatch(rest):
            self.close()
        elif condition := block_start(rest, in_paragraph=self._in_paragraph()):
            self.close()
            self.leaf = _Leaf("html", condition=condition)
            self._html_line(cur, index)
        else:
            self._text(cur, index, rest)

    def _in_paragraph(self) -> bool:
        return self.leaf is not None and self.leaf.kind == "para"

    def _text(self, cur: _Cursor, index: int, rest: str) -> None:
        """A paragraph line; a continuation keeps its indentation beyond the containers."""
        span_start = cur.start + cur.pos
        if self.leaf is None or self.leaf.kind != "para":
            self.close()
            self.leaf = _Leaf("para")
            if index == self.task_at and (task := _TASK.match(rest)):
                cut = Cut("task", cur.start + index, cur.start + index + task.end())
                if task.end() > 3:  # blanks follow: the marker holds the line
                    self.out.append(cut)
                else:
                    self.leaf.task = cut
                index, rest = index + task.end(), rest[task.end() :]
            span_start = cur.start + index
        self.leaf.spans.append((span_start, cur.end))
        cells = len(row_cells(rest)) if "|" in rest else 0
        start = cur.start + index
        self.leaf.header = (start, cur.end, _prefix_end(cur, index), cells) if cells else None

    def _fence_line(self, cur: _Cursor) -> None:
        assert self.leaf is not None
        width, index = cur.blanks()
        rest = cur.text[index:].rstrip(" \t")
        fence = self.leaf.fence
        if width < 4 and len(rest) >= len(fence) and rest == fence[0] * len(rest):
            self.leaf = None

    def _html_line(self, cur: _Cursor, index: int) -> None:
        """A line of an HTML block from ``index``: 1-5 end on their end string (this line
        included), 6 and 7 at a blank line (not included)."""
        leaf = self.leaf
        assert leaf is not None
        line = cur.text[index:]
        if leaf.condition >= 6 and not line.strip(" \t"):
            self.close()
            return
        leaf.spans.append((cur.start + index, cur.end))
        if block_ends(leaf.condition, line):
            self.close()


def _quote_marker(cur: _Cursor) -> None:
    """Consume blanks, ``>`` and the one optional blank column after it."""
    cur.skip_blanks()
    cur.advance(1)
    if cur.text[cur.pos : cur.pos + 1] in (" ", "\t"):
        cur.advance(1)


def _prefix_end(cur: _Cursor, index: int) -> int:
    return cur.start + len(cur.text[:index].rstrip(" \t"))


def _fence(rest: str) -> re.Match[str] | None:
    """A fence opener (a backtick fence's info string may not hold a backtick)."""
    match = _FENCE.match(rest)
    return None if match and match.group(1)[0] == "`" and "`" in match.group(2) else match


def _marker(rest: str) -> re.Match[str] | None:
    """A list marker followed by a blank or the line's end, unless the line is a rule."""
    match = _MARKER.match(rest)
    if match is None or rest[match.end() : match.end() + 1] not in ("", " ", "\t"):
        return None
    return None if _RULE.fullmatch(rest) else match


def _interrupts(rest: str, *, lazy: bool = False) -> bool:
    """Whether a line (indented < 4) starts a block that ends a paragraph.

    An empty item, or a numbered one not starting at 1, cannot interrupt a paragraph in its
    own container; a lazy line starting any item ends the paragraph (its containers close).
    """
    if rest.startswith(">") or _fence(rest) or _HEADING.match(rest):
        return True
    if block_start(rest, in_paragraph=True):
        return True
    if _RULE.fullmatch(rest):
        return True
    marker = _marker(rest)
    if marker is None or lazy:
        return marker is not None
    number = marker.group(1)
    return bool(rest[marker.end() :].strip()) and (number is None or int(number) == 1)


def _ends_table(rest: str) -> bool:
    """Leaf blocks that end a table (new containers have already ended it)."""
    if _fence(rest) or _HEADING.match(rest) or _RULE.fullmatch(rest):
        return True
    return bool(block_start(rest, in_paragraph=False))


def _columns(rest: str) -> int:
    """The column count of a delimiter row, 0 when ``rest`` is none."""
    rest = rest.rstrip(" \t")
    if len(rest) < 2 or not _DELIMITER_ROW.fullmatch(rest) or rest[0] + rest[1] in ("- ", "-\t"):
        return 0
    cells = rest.split("|")
    cells = cells[1:] if not cells[0].strip() else cells
    cells = cells[:-1] if len(cells) > 1 and not cells[-1].strip() else cells
    return len(cells) if all(_DELIMITER_CELL.fullmatch(c.strip()) for c in cells) else 0
