"""Block half of easymail's flattening: which parts of a body are prose, table or code.

A small CommonMark/GFM block scanner. Each line first continues the open containers (``>``
quotes, list items by indentation), may be a lazy continuation of a quoted or listed paragraph,
then opens new containers, and what remains is a leaf: fenced or indented code (left alone, at
any container depth), an HTML comment block (removed, even across blank lines), a GFM table, an
ATX heading, a thematic break, or paragraph text. Positions are absolute offsets into the body,
so that the flattening edits the written text in place and keeps every container prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_FENCE = re.compile(r"(`{3,}|~{3,})([^\n]*)")
_MARKER = re.compile(r"[-*+]|(\d{1,9})[.)]")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_DELIMITER = re.compile(r"[-:|][-:| \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")


@dataclass(frozen=True)
class Prose:
    """Inline content (paragraph, heading): ``(start, end)`` of its text on each line."""

    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Row:
    """A table row from its first character to its end; ``prefix_end`` ends its containers."""

    start: int
    end: int
    prefix_end: int


@dataclass(frozen=True)
class Drop:
    """Text removed outright: a delimiter row, a whole comment, a task checkbox."""

    start: int
    end: int


Block = Prose | Row | Drop


@dataclass
class _Container:
    quote: bool
    width: int = 0  # a list item's content indent, relative to its parent's content
    blank_start: bool = False
    has_content: bool = False


@dataclass
class _Line:
    """One line (``\\r\\n`` endings tolerated) and a column-aware cursor over it."""

    text: str
    start: int  # absolute offset of the line
    pos: int = 0
    col: int = 0
    ends: list[int] = field(default_factory=list)  # end column of each character

    def __post_init__(self) -> None:
        col = 0
        for char in self.text:
            col = col + 4 - col % 4 if char == "\t" else col + 1
            self.ends.append(col)

    def column(self, index: int) -> int:
        return self.ends[index - 1] if index else 0

    def indent(self) -> tuple[int, int]:
        """(indentation width from the cursor, index of the first non-blank character)."""
        index = self.pos
        while index < len(self.text) and self.text[index] in " \t":
            index += 1
        return max(self.column(index) - self.col, 0), index

    def advance(self, columns: int) -> None:
        """Consume ``columns`` columns (a tab may be consumed only partly)."""
        self.col += columns
        while self.pos < len(self.text) and self.ends[self.pos] <= self.col:
            self.pos += 1

    def jump(self, index: int) -> None:
        self.pos, self.col = index, max(self.col, self.column(index))


@dataclass
class _Leaf:
    kind: str  # "para", "table", "fence", "indented", "comment"
    depth: int  # number of containers it lives in
    spans: list[tuple[int, int]] = field(default_factory=list)
    header: tuple[int, int, int, int] | None = None  # last para line: start, end, prefix, cells
    fence: tuple[str, int] = ("", 0)
    start: int = 0  # where a comment starts


def scan_blocks(text: str) -> Iterator[Block]:
    """The prose, table rows and removals of ``text``; code blocks yield nothing."""
    scanner = _Scanner()
    start = 0
    for raw in text.split("\n"):
        yield from scanner.line(_Line(raw.removesuffix("\r"), start), start + len(raw) + 1)
        start += len(raw) + 1
    yield from scanner.finish()


class _Scanner:
    """The open containers and leaf; each line yields the blocks it completes."""

    def __init__(self) -> None:
        self.containers: list[_Container] = []
        self.leaf: _Leaf | None = None
        self.task_at = -1  # where a list item opened on this line starts its content

    def line(self, line: _Line, next_start: int) -> Iterator[Block]:
        matched = self._continue(line)
        leaf, whole = self.leaf, matched == len(self.containers)
        if whole and leaf is not None and leaf.kind == "fence":
            self._fence_line(line, leaf)
        elif whole and leaf is not None and leaf.kind == "comment":
            yield from self._comment_end(line, line.pos)
        elif not whole and leaf is not None and leaf.kind == "para" and self._lazy(line):
            leaf.spans.append((line.start + line.pos, line.start + len(line.text)))
            leaf.header = None
        else:
            if not whole:
                yield from self._finish()  # the leaf lived in a container that ends here
                del self.containers[matched:]
            yield from self._open(line)
            yield from self._leaf(line, next_start)

    def finish(self) -> Iterator[Block]:
        yield from self._finish()

    def _finish(self) -> Iterator[Block]:
        """Close the open leaf; a paragraph (or unclosed comment) has text left to flatten."""
        leaf, self.leaf = self.leaf, None
        if leaf is not None and leaf.kind in ("para", "comment") and leaf.spans:
            yield Prose(tuple(leaf.spans))

    def _continue(self, line: _Line) -> int:
        """How many open containers ``line`` continues (the cursor ends after their prefix)."""
        for depth, container in enumerate(self.containers):
            width, index = line.indent()
            if container.quote:
                if width > 3 or not line.text.startswith(">", index):
                    return depth
                _consume_quote(line, index)
            elif index == len(line.text):
                if container.blank_start and not container.has_content:
                    return depth  # an item may start with at most one blank line
            elif width >= container.width:
                line.advance(container.width)
            else:
                return depth
        return len(self.containers)

    def _lazy(self, line: _Line) -> bool:
        """A paragraph continues on a line that starts no block, whatever its containers."""
        width, index = line.indent()
        if index == len(line.text):
            return False
        return width >= 4 or not _interrupts(line.text[index:], lazy=True)

    def _open(self, line: _Line) -> Iterator[Block]:
        """Open the quotes and list items that start on ``line``."""
        self.task_at = -1
        while True:
            width, index = line.indent()
            rest = line.text[index:]
            if width >= 4 or not rest:
                return
            marker = _marker(rest)
            para = self.leaf is not None and self.leaf.kind == "para"
            if not rest.startswith(">") and (marker is None or (para and not _interrupts(rest))):
                return
            yield from self._finish()
            if marker is None:
                _consume_quote(line, index)
                self.containers.append(_Container(quote=True))
            else:
                self._item(line, index, marker)

    def _item(self, line: _Line, index: int, marker: re.Match[str]) -> None:
        """A list item: later lines belong to it when indented to its content."""
        base = line.col
        line.jump(index)
        line.advance(len(marker.group()))
        spaces, content = line.indent()
        blank = content == len(line.text)
        line.advance(1 if blank or spaces >= 5 else spaces)
        self.containers.append(_Container(quote=False, width=line.col - base, blank_start=blank))
        self.task_at = content if not blank and spaces < 5 else -1

    def _leaf(self, line: _Line, next_start: int) -> Iterator[Block]:
        width, index = line.indent()
        if index == len(line.text):
            if self.leaf is not None and self.leaf.kind in ("para", "table"):
                yield from self._finish()
            return
        for container in self.containers:
            container.has_content = True
        if width >= 4:
            yield from self._indented(line, index)
        else:
            yield from self._unindented(line, index, next_start)

    def _indented(self, line: _Line, index: int) -> Iterator[Block]:
        """Paragraph continuation text, else indented code (after a heading, list, fence…)."""
        if self.leaf is not None and self.leaf.kind == "para":
            self.leaf.spans.append((line.start + line.pos, line.start + len(line.text)))
            self.leaf.header = None
        elif self.leaf is None or self.leaf.kind != "indented":
            yield from self._finish()
            self.leaf = _Leaf("indented", len(self.containers))

    def _unindented(self, line: _Line, index: int, next_start: int) -> Iterator[Block]:
        rest, end = line.text[index:], line.start + len(line.text)
        leaf = self.leaf
        if leaf is not None and leaf.kind == "table" and not _ends_table(rest):
            yield Row(line.start + index, end, _prefix_end(line, index))
            return
        if leaf is not None and leaf.kind == "para":
            if leaf.header and _delimiter_cells(rest) == leaf.header[3]:
                yield from self._table(leaf, line, next_start)
                return
            if _SETEXT.fullmatch(rest):
                yield from self._finish()
                return
        yield from self._block(line, index, rest)

    def _block(self, line: _Line, index: int, rest: str) -> Iterator[Block]:
        end, depth = line.start + len(line.text), len(self.containers)
        if (fence := _fence(rest)) is not None:
            yield from self._finish()
            self.leaf = _Leaf("fence", depth, fence=(fence.group(1)[0], len(fence.group(1))))
        elif _HEADING.match(rest):
            yield from self._finish()
            yield Prose(((line.start + index, end),))
        elif _RULE.fullmatch(rest):
            yield from self._finish()
        elif rest.startswith("<!--"):
            yield from self._finish()
            self.leaf = _Leaf("comment", depth, start=line.start + index)
            yield from self._comment_end(line, index + 2)
        else:
            yield from self._text(line, index, rest)

    def _text(self, line: _Line, index: int, rest: str) -> Iterator[Block]:
        """Paragraph text; a task checkbox opening a list item's paragraph is dropped.

        A continuation line's inline content keeps its own indentation (beyond the container
        prefix), so a code span's padding is judged on the written spaces.
        """
        leaf, span_start = self.leaf, line.start + line.pos
        if leaf is None or leaf.kind != "para":
            yield from self._finish()
            leaf = self.leaf = _Leaf("para", len(self.containers))
            if index == self.task_at and (task := _TASK.match(rest)):
                yield Drop(line.start + index, line.start + index + task.end())
                index, rest = index + task.end(), rest[task.end() :]
            span_start = line.start + index
        start, end = line.start + index, line.start + len(line.text)
        leaf.spans.append((span_start, end))
        cells = len(row_cells(rest)) if "|" in rest else 0
        leaf.header = (start, end, _prefix_end(line, index), cells) if cells else None

    def _table(self, leaf: _Leaf, line: _Line, next_start: int) -> Iterator[Block]:
        """The paragraph's last line is a table header: the rest of it stays a paragraph."""
        assert leaf.header is not None
        start, end, prefix_end, _ = leaf.header
        leaf.spans.pop()
        yield from self._finish()
        yield Row(start, end, prefix_end)
        yield Drop(line.start, next_start)
        self.leaf = _Leaf("table", len(self.containers))

    def _fence_line(self, line: _Line, leaf: _Leaf) -> None:
        width, index = line.indent()
        char, length = leaf.fence
        rest = line.text[index:].rstrip(" \t")
        if width < 4 and len(rest) >= length and rest == char * len(rest):
            self.leaf = None

    def _comment_end(self, line: _Line, search: int) -> Iterator[Block]:
        """A comment block ends at the first ``-->``; text after it on that line is prose.

        Until then its lines are kept as prose too: a comment never closed (by the end of the
        body or of its container) is no comment, and only the tags in it are removed.
        """
        if self.leaf is None:
            return
        found = line.text.find("-->", search)
        if found < 0:
            start = self.leaf.start if not self.leaf.spans else line.start + line.pos
            self.leaf.spans.append((start, line.start + len(line.text)))
            return
        end = line.start + found + 3
        yield Drop(self.leaf.start, end)
        self.leaf = None
        if end < line.start + len(line.text):
            yield Prose(((end, line.start + len(line.text)),))


def _consume_quote(line: _Line, index: int) -> None:
    """Consume a ``>`` marker and the one optional space (or tab column) after it."""
    line.jump(index)
    line.advance(1)
    if line.text[line.pos : line.pos + 1] in (" ", "\t"):
        line.advance(1)


def _prefix_end(line: _Line, index: int) -> int:
    """End of the container markers before ``index``, without the blanks that follow them."""
    return line.start + len(line.text[:index].rstrip(" \t"))


def _ends_table(rest: str) -> bool:
    """Blocks that end a GFM table (quotes and list items were opened before getting here)."""
    return bool(_fence(rest) or _HEADING.match(rest) or _RULE.fullmatch(rest)) or rest.startswith(
        "<!--"
    )


def _marker(rest: str) -> re.Match[str] | None:
    """A list marker (followed by a blank or the line end) that is not a thematic break."""
    match = _MARKER.match(rest)
    if match is None or _RULE.fullmatch(rest) or rest[match.end() : match.end() + 1] not in " \t":
        return None
    return match


def _interrupts(rest: str, *, lazy: bool = False) -> bool:
    """Whether a line (indent < 4) starts a block that ends a paragraph.

    An empty item, or a numbered one not starting at 1, cannot interrupt the paragraph its
    container holds, but ends a lazy continuation (the unmatched containers are closed first).
    """
    if rest.startswith((">", "<!--")) or _fence(rest) or _HEADING.match(rest):
        return True
    if _RULE.fullmatch(rest):
        return True
    marker = _marker(rest)
    if marker is None or lazy:
        return marker is not None
    if not rest[marker.end() :].strip():
        return False
    return marker.group(1) is None or int(marker.group(1)) == 1


def _fence(rest: str) -> re.Match[str] | None:
    """A fence opener; a backtick fence's info string may not contain a backtick."""
    match = _FENCE.match(rest)
    return None if match and match.group(1)[0] == "`" and "`" in match.group(2) else match


def row_cells(row: str) -> list[str]:
    """GFM cells of a row: outer pipes optional, ``\\|`` does not split (nor unescape)."""
    cells = re.split(r"(?<!\\)\|", row.strip())
    cells = cells[1:] if cells and not cells[0] else cells
    return cells[:-1] if cells and not cells[-1] else cells


def _delimiter_cells(rest: str) -> int:
    """Column count of a GFM delimiter row, 0 when ``rest`` is none."""
    rest = rest.rstrip(" \t")
    if not _DELIMITER.fullmatch(rest) or len(rest) < 2 or (rest[0] == "-" and rest[1] in " \t"):
        return 0
    cells = rest.split("|")
    cells = cells[1:] if not cells[0].strip() else cells
    cells = cells[:-1] if len(cells) > 1 and not cells[-1].strip() else cells
    return len(cells) if all(_DELIMITER_CELL.fullmatch(c.strip()) for c in cells) else 0
