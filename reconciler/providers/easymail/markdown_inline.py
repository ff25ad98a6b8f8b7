"""Inline half of the easymail prediction: code spans, raw HTML and ``~~`` within one block.

Reads a block's inline content (container prefixes already removed) the way CommonMark does,
left to right, the first construct to start winning: ``\\`` escapes the next ASCII punctuation
character; a backtick run opens a code span only when a run of the same length closes it; ``<``
is an autolink (kept) or raw HTML (dropped); a link's ``](destination "title")`` is opaque.
``~~`` runs left outside all of those are paired afterwards with GFM's flanking rules, a
closer taking the nearest opener. Only written constructs count: what removing one leaves
behind is not read again (the vendor flattens in one pass).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\`<~\[\]]")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_TAG = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<![A-Za-z][^>]*>"
)
# (opening, closing) of the HTML constructs that run to a fixed terminator
_TERMINATED = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"))
_ANGLED_DESTINATION = re.compile(r"<(?:[^<>\n\\]|\\.)*>")
_TITLE = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)", re.DOTALL)


class Construct(NamedTuple):
    """One dropped construct at ``start``: the spans removed from the text, and its kind."""

    kind: str  # "code", "html", "comment" or "strike"
    start: int
    end: int
    cuts: tuple[tuple[int, int], ...]  # removed (start, end) spans, in order

    def kept(self, text: str) -> str:
        """What the vendor stores of ``text[start:end]``."""
        out, pos = [], self.start
        for start, end in self.cuts:
            out.append(text[pos:start])
            pos = end
        return "".join([*out, text[pos : self.end]])


def inline_constructs(text: str) -> list[Construct]:
    """Every construct the vendor drops from one block's inline content, in text order."""
    if _SPECIAL.search(text) is None:
        return []
    scan = _Scan(text)
    scan.run()
    return sorted(scan.found + _strikethrough(text, scan.tildes), key=lambda c: c.start)


def flatten_inline(text: str, constructs: list[Construct] | None = None) -> str:
    """``text`` as stored: the cuts of its constructs (found when not given) removed."""
    found = inline_constructs(text) if constructs is None else constructs
    if not found:
        return text
    cuts = sorted(cut for construct in found for cut in construct.cuts)
    out, pos = [], 0
    for start, end in cuts:
        out.append(text[pos:start])
        pos = end
    return "".join([*out, text[pos:]])


class _Scan:
    """One left-to-right pass over the content, jumping from one special character to the next."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Construct] = []
        self.tildes: list[int] = []  # starts of the ``~~`` runs outside opaque spans
        self.brackets = 0  # ``[`` that a ``](…)`` may still close
        self.unclosed: set[int] = set()  # backtick run lengths that no later run closes
        self.terminators: dict[str, int] = {}  # the last terminator found for each kind

    def run(self) -> None:
        text, pos = self.text, 0
        while (match := _SPECIAL.search(text, pos)) is not None:
            pos = match.start()
            char = text[pos]
            if char == "\\":
                pos += 2 if text[pos + 1 : pos + 2] in _PUNCTUATION else 1
            elif char == "`":
                pos = self._code_span(pos)
            elif char == "<":
                pos = self._angle(pos)
            elif char == "~":
                run = _run(text, pos, "~")
                self.tildes += [pos] if run == 2 else []
                pos += run
            else:
                pos = self._bracket(pos)

    def _bracket(self, pos: int) -> int:
        if self.text[pos] == "[":
            self.brackets += 1
        elif self.brackets and self.text.startswith("(", pos + 1):
            end = _link_tail(self.text, pos + 2)
            if end is not None:
                self.brackets -= 1
                return end
        return pos + 1

    def _code_span(self, pos: int) -> int:
        length = _run(self.text, pos, "`")
        close = self._closer(length, pos + length)
        if close < 0:
            return pos + length  # no closing run: the backticks are literal text
        content = self.text[pos + length : close]
        pad = int(content[:1] == content[-1:] == " " and bool(content.strip(" ")))  # CommonMark
        cuts = ((pos, pos + length + pad), (close - pad, close + length))
        self.found.append(Construct("code", pos, close + length, cuts))
        return close + length

    def _closer(self, length: int, search: int) -> int:
        """The next backtick run of exactly ``length`` (the scan only moves on: O(n) misses)."""
        if length in self.unclosed:
            return -1
        text = self.text
        while (found := text.find("`", search)) >= 0:
            run = _run(text, found, "`")
            if run == length:
                return found
            search = found + run
        self.unclosed.add(length)
        return -1

    def _angle(self, pos: int) -> int:
        text = self.text
        if link := _AUTOLINK.match(text, pos):
            return link.end()
        end = -1
        if text.startswith(("<!-->", "<!--->"), pos):
            end = text.index(">", pos) + 1
        else:
            for opening, closing in _TERMINATED:
                if text.startswith(opening, pos):
                    end = self._terminator(closing, pos + len(opening))
                    break
            else:
                end = tag.end() if (tag := _TAG.match(text, pos)) else -1
        if end < 0:
            return pos + 1
        kind = "comment" if text.startswith("<!--", pos) else "html"
        self.found.append(Construct(kind, pos, end, ((pos, end),)))
        return end

    def _terminator(self, closing: str, search: int) -> int:
        """End of the first ``closing`` at or after ``search``, -1 if none (cached: O(n))."""
        last = self.terminators.get(closing)
        if last is None or 0 <= last - len(closing) < search:
            found = self.text.find(closing, search)
            last = self.terminators[closing] = found + len(closing) if found >= 0 else -1
        return last


def _run(text: str, pos: int, char: str) -> int:
    end = pos
    while end < len(text) and text[end] == char:
        end += 1
    return end - pos


def _link_tail(text: str, pos: int) -> int | None:
    """End of ``destination "title")`` from ``pos``, or None when the brackets are no link."""
    end = _destination(text, _blanks(text, pos))
    if end is None:
        return None
    after = _blanks(text, end)
    if after > end and (title := _TITLE.match(text, after)):
        after = _blanks(text, title.end())
    return after + 1 if text.startswith(")", after) else None


def _blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _destination(text: str, pos: int) -> int | None:
    """A ``<…>`` destination, or a bare one: no blanks or controls, balanced parentheses."""
    if text.startswith("<", pos):
        match = _ANGLED_DESTINATION.match(text, pos)
        return match.end() if match else None
    depth = 0
    while pos < len(text) and not text[pos].isspace() and text[pos] >= " ":
        char = text[pos]
        if char == "\\" and text[pos + 1 : pos + 2] in _PUNCTUATION:
            pos += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                break
            depth -= 1
        pos += 1
    return pos if not depth else None


def _strikethrough(text: str, tildes: list[int]) -> list[Construct]:
    found: list[Construct] = []
    openers: list[int] = []
    for pos in tildes:
        before = text[pos - 1] if pos else "\n"
        after = text[pos + 2] if pos + 2 < len(text) else "\n"
        if openers and _flanking(after, before):
            opener = openers.pop()
            cuts = ((opener, opener + 2), (pos, pos + 2))
            found.append(Construct("strike", opener, pos + 2, cuts))
        elif _flanking(before, after):
            openers.append(pos)
    return found


def _flanking(outside: str, inside: str) -> bool:
    """CommonMark's flanking rule, seen from the side the delimited text is on."""
    if inside.isspace():
        return False
    return not _punctuation(inside) or outside.isspace() or _punctuation(outside)


def _punctuation(char: str) -> bool:
    return char in _PUNCTUATION or unicodedata.category(char)[0] in "PS"
