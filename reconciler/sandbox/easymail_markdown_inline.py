"""Inline half of easymail's flattening: code spans, raw HTML and ``~~`` inside one block.

CommonMark reads inline content left to right and whatever starts first wins: a backslash
escape makes the next punctuation character literal, a backtick run opens a code span only if
a run of the same length closes it, ``<`` is an autolink (kept) or raw HTML (removed), and a
link destination ``](…)`` is a URL, never Markdown. ``~~`` pairs are matched afterwards, only
between those opaque spans, with GFM's flanking rules. Constructs are taken from the written
text only: what removing one leaves behind is not flattened again (the vendor does one pass).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_RAW_HTML = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>"  # open and void tags
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"  # closing tags
    r"|<!---?>|<!--[\s\S]*?-->"  # comments (``<!-->`` is a whole, empty one)
    r"|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)
_TITLE = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)", re.DOTALL)


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``keep`` (inline edits only ever remove text)."""

    start: int
    end: int
    keep: str


def flatten_inline(text: str) -> str:
    """``text`` with its inline code, raw HTML and strikethrough flattened."""
    return apply_edits(text, inline_edits(text))


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (in any order) to ``text``."""
    out, pos = [], 0
    for edit in sorted(edits):
        out += [text[pos : edit.start], edit.keep]
        pos = edit.end
    return "".join([*out, text[pos:]])


def inline_edits(text: str) -> list[Edit]:
    """Every edit the vendor makes to one block's inline content."""
    scan = _InlineScan(text)
    scan.run()
    return scan.edits + _strike_edits(text, scan.tildes)


class _InlineScan:
    """One left-to-right pass: records drops and the ``~~`` runs that stay candidates."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[Edit] = []
        self.tildes: list[int] = []  # starts of unescaped runs of exactly two tildes
        self.brackets = 0  # open ``[`` that a ``](…)`` may close

    def run(self) -> None:
        pos = 0
        while pos < len(self.text):
            pos = self._step(pos)

    def _step(self, pos: int) -> int:
        char = self.text[pos]
        if char == "\\":
            escaped = self.text[pos + 1 : pos + 2] in _ASCII_PUNCTUATION
            return pos + 2 if escaped and pos + 1 < len(self.text) else pos + 1
        if char == "`":
            return self._code_span(pos)
        if char == "<":
            return self._angle(pos)
        if char == "~":
            return self._tilde_run(pos)
        if char == "[":
            self.brackets += 1
        elif char == "]" and self.brackets and self.text.startswith("(", pos + 1):
            end = _link_tail_end(self.text, pos + 2)
            if end is not None:
                self.brackets -= 1
                return end
        return pos + 1

    def _code_span(self, pos: int) -> int:
        run = _run_length(self.text, pos, "`")
        search = pos + run
        while (found := self.text.find("`", search)) >= 0:
            closing = _run_length(self.text, found, "`")
            if closing == run:
                pad = _padding(self.text[pos + run : found])
                self.edits.append(Edit(pos, pos + run + pad, ""))
                self.edits.append(Edit(found - pad, found + run, ""))
                return found + run
            search = found + closing
        return pos + run  # unmatched: the backticks are literal text

    def _angle(self, pos: int) -> int:
        if link := _AUTOLINK.match(self.text, pos):
            return link.end()
        if html := _RAW_HTML.match(self.text, pos):
            self.edits.append(Edit(pos, html.end(), ""))
            return html.end()
        return pos + 1

    def _tilde_run(self, pos: int) -> int:
        run = _run_length(self.text, pos, "~")
        if run == 2:
            self.tildes.append(pos)
        return pos + run


def _run_length(text: str, pos: int, char: str) -> int:
    end = pos
    while end < len(text) and text[end] == char:
        end += 1
    return end - pos


def _padding(content: str) -> int:
    """CommonMark strips one space from each side of a span padded on both (not all spaces).

    A code span is stored as its content, so only its delimiters (and that padding) are
    removed: the lines it spans keep their container prefixes.
    """
    return int(len(content) > 2 and content[0] == content[-1] == " " and bool(content.strip(" ")))


def _link_tail_end(text: str, pos: int) -> int | None:
    """End of ``destination "title")`` starting at ``pos``, or None when it is no link."""
    end = _destination_end(text, _skip_space(text, pos))
    if end is None:
        return None
    after = _skip_space(text, end)
    if after > end and (title := _TITLE.match(text, after)):
        after = _skip_space(text, title.end())
    return after + 1 if text.startswith(")", after) else None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _destination_end(text: str, pos: int) -> int | None:
    """A ``<…>`` destination, or a raw one (no spaces, balanced parentheses, escapes)."""
    if text.startswith("<", pos):
        match = re.compile(r"<(?:[^<>\n\\]|\\.)*>").match(text, pos)
        return match.end() if match else None
    depth = 0
    while pos < len(text) and not text[pos].isspace() and ord(text[pos]) >= 0x20:
        char = text[pos]
        if char == "\\" and text[pos + 1 : pos + 2] in _ASCII_PUNCTUATION:
            pos += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        pos += 1
    return pos if depth == 0 else None


def _strike_edits(text: str, tildes: list[int]) -> list[Edit]:
    """Pair ``~~`` runs like GFM: a closer takes the nearest opener before it."""
    edits: list[Edit] = []
    openers: list[int] = []
    for pos in tildes:
        before = text[pos - 1] if pos else "\n"
        after = text[pos + 2] if pos + 2 < len(text) else "\n"
        if openers and _flanks(after, before):
            opener = openers.pop()
            edits += [Edit(opener, opener + 2, ""), Edit(pos, pos + 2, "")]
        elif _flanks(before, after):
            openers.append(pos)
    return edits


def _flanks(outside: str, inside: str) -> bool:
    """CommonMark's flanking rule, seen from the side the delimited text is on."""
    if inside.isspace():
        return False
    return not _is_punctuation(inside) or outside.isspace() or _is_punctuation(outside)


def _is_punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or unicodedata.category(char)[0] in "PS"
