"""Offsets for flattening: from a token's content back to the written body, and edits on it.

markdown-it reads a normalised body (CommonMark: ``\\r\\n`` and ``\\r`` are line endings, NUL is
U+FFFD) and gives each block its content without container prefixes. Flattening edits the
body as written, so every edit found in a token's content is moved twice: into the normalised
body (:class:`SourceMap`, from the lines the block's rule saw) and into the written one
(:func:`newlines`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import NamedTuple

from markdown_it.token import Token

from reconciler.sandbox.easymail.markdown_reader import Line

_LINE_ENDING = re.compile(r"\r\n?")


class Edit(NamedTuple):
    """Replace ``[start, end)`` with ``keep``; ``kind`` names the construct it flattens."""

    start: int
    end: int
    keep: str
    kind: str = ""

    def moved(self, where: Callable[[int], int]) -> Edit:
        return self._replace(start=where(self.start), end=where(self.end))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` (in any order) made."""
    out, pos = [], 0
    for edit in sorted(edits):
        out += [text[pos : edit.start], edit.keep]
        pos = edit.end
    return "".join([*out, text[pos:]])


def newlines(text: str) -> tuple[str, Callable[[int], int]]:
    """The body as markdown-it reads it, and the way back to offsets in ``text``.

    Only a ``\\r\\n`` changes length; the offset of its ``\\n`` maps to its ``\\r``, so an edit
    ending after a line break ends after both characters.
    """
    collapsed, shift = [], 0
    for match in _LINE_ENDING.finditer(text):
        if match.end() - match.start() == 2:
            collapsed.append(match.start() - shift)
            shift += 1
    source = _LINE_ENDING.sub("\n", text).replace("\0", "\ufffd")
    return source, lambda offset: offset + bisect_left(collapsed, offset)


class SourceMap:
    """Offsets in a block's content → offsets in the (normalised) body.

    The content is the block's lines as its rule read them (``Line.text``) joined, less the
    blanks the rule trimmed around it. A line's text is its source tail, after as many spaces
    as a partly consumed tab left (none otherwise): matching it to the source from the end
    finds where it starts.
    """

    def __init__(self, lines: Sequence[tuple[str, int, int]], lead: int) -> None:
        self.starts: list[int] = []  # where each line starts in the joined text
        self.lines = lines  # (text, source offset of its first own character, padding)
        self.lead = lead  # characters trimmed off the start of the joined text
        offset = 0
        for text, _, _ in lines:
            self.starts.append(offset)
            offset += len(text)

    @classmethod
    def of(cls, source: str, token: Token, *, atx: bool = False) -> SourceMap:
        """The map of an ``inline`` or ``html_block`` token read by a wrapped leaf rule."""
        lines: list[Line] = token.meta["lines"]
        if atx:  # an ATX heading: the content sits between the ``#`` run and any closing run
            end = lines[0].end - source.endswith("\n", 0, lines[0].end)
            text = source[lines[0].first : end]
            level = len(text) - len(text.lstrip("#"))
            return cls([(text, lines[0].first, 0)], text.find(token.meta["source"], level))
        placed = [_place(source, line) for line in lines]
        joined = "".join(text for text, _, _ in placed)
        if token.type == "inline":  # a paragraph's last line break is not part of it
            last, first, pad = placed[-1]
            placed[-1] = (last.removesuffix("\n"), first, pad)
            joined = joined.removesuffix("\n")
        lead = joined.find(token.meta["source"]) if token.meta["source"] else 0
        if lead < 0:
            raise RuntimeError("markdown-it's content is not where its lines are")
        return cls(placed, lead)

    def offset(self, at: int) -> int:
        """The body offset of content offset ``at`` (``at`` may be the content's end)."""
        joined = at + self.lead
        index = max(bisect_right(self.starts, joined) - 1, 0)
        _, first, pad = self.lines[index]
        return first + max(joined - self.starts[index] - pad, 0)

    def edit(self, edit: Edit) -> Edit:
        return edit.moved(self.offset)


def _place(source: str, line: Line) -> tuple[str, int, int]:
    """(text, source offset where its own characters start, padding spaces before them)."""
    written = source[line.begin : line.end]
    same = 0
    limit = min(len(line.text), len(written))
    while same < limit and line.text[-1 - same] == written[-1 - same]:
        same += 1
    return line.text, line.end - same, len(line.text) - same
