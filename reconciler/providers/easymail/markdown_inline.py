"""Inline half of the easymail prediction: code spans, raw HTML and ``~~`` within one block.

Reads a block's inline content (container prefixes already removed) the way CommonMark does,
left to right, the first construct to start winning: ``\\`` escapes the next ASCII punctuation
character; a backtick run opens a code span only when a run of the same length closes it; ``<``
is an autolink (kept) or raw HTML (dropped, ``markdown_html``); a link's ``](destination
"title")`` and a reference link's ``][label]`` are opaque (``markdown_links``). ``*``, ``_`` and
``~~`` runs left outside all of those, and the brackets, go on a delimiter stack that pairs them
as cmark-gfm does (``markdown_delimiters``): that decides which ``~~`` strike. Only written
constructs count: what removing one leaves behind is not read again (the vendor flattens in
one pass). An HTML block's content is read for tags alone (``html_constructs``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from reconciler.providers.easymail.markdown_delimiters import Delimiters
from reconciler.providers.easymail.markdown_html import tag_end
from reconciler.providers.easymail.markdown_links import label_end, link_tail, normalized

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\`<~\[\]*_]|!\[")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)


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


def inline_constructs(text: str, labels: frozenset[str] = frozenset()) -> list[Construct]:
    """Every construct the vendor drops from one block's inline content, in text order.

    ``labels`` are the (normalized) labels of the body's link reference definitions.
    """
    if _SPECIAL.search(text) is None:
        return []
    scan = _Scan(text, labels)
    scan.run()
    strikes = [
        Construct("strike", opener, closer + 2, ((opener, opener + 2), (closer, closer + 2)))
        for opener, closer in scan.delimiters.finish()
    ]
    return sorted(scan.found + strikes, key=lambda c: c.start)


def html_constructs(text: str) -> list[Construct]:
    """The tags in an HTML block's content: there nothing else is a construct."""
    found: list[Construct] = []
    terminators: dict[str, int] = {}
    pos = 0
    while (pos := text.find("<", pos)) >= 0:
        end = tag_end(text, pos, terminators)
        if end < 0:
            pos += 1
            continue
        found.append(_html(text, pos, end))
        pos = end
    return found


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


def _html(text: str, start: int, end: int) -> Construct:
    kind = "comment" if text.startswith("<!--", start) else "html"
    return Construct(kind, start, end, ((start, end),))


class _Scan:
    """One left-to-right pass over the content, jumping from one special character to the next."""

    def __init__(self, text: str, labels: frozenset[str]) -> None:
        self.text, self.labels = text, labels
        self.found: list[Construct] = []
        self.delimiters = Delimiters(text)
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
            elif char in "*_~":
                run = _run(text, pos, char)
                if char != "~" or run == 2:
                    self.delimiters.run(char, pos, run)
                pos += run
            elif char == "!":
                self.delimiters.open_bracket(pos + 2, image=True)
                pos += 2
            elif char == "[":
                self.delimiters.open_bracket(pos + 1, image=False)
                pos += 1
            else:
                pos = self._close_bracket(pos)

    def _close_bracket(self, pos: int) -> int:
        """A ``]``: the end of a link (past its destination or label), or literal text."""
        brackets = self.delimiters.brackets
        if not brackets:
            return pos + 1
        end = None
        if brackets[-1].active:
            if self.text.startswith("(", pos + 1):
                end = link_tail(self.text, pos + 2)
            if end is None:
                end = self._reference(brackets[-1].text_start, pos)
        if end is None:
            brackets.pop()
            return pos + 1
        self.delimiters.link()
        return end

    def _reference(self, text_start: int, pos: int) -> int | None:
        """End of a full, collapsed or shortcut reference link whose text ends at ``pos``."""
        text, after = self.text, pos + 1
        label = label_end(text, after) if text.startswith("[", after) else -1
        if label > after + 2:  # a full reference names its label: only that one counts
            return label if normalized(text[after + 1 : label - 1]) in self.labels else None
        own = label_end(text, text_start - 1) == pos + 1  # the link text is a label itself
        if not own or normalized(text[text_start:pos]) not in self.labels:
            return None
        return after + 2 if text.startswith("[]", after) else after

    def _code_span(self, pos: int) -> int:
        length = _run(self.text, pos, "`")
        close = self._closer(length, pos + length)
        if close < 0:
            return pos + length  # no closing run: the backticks are literal text
        content = self.text[pos + length : close]
        pad = int(content[:1] == content[-1:] == " " and bool(content.strip(" \n")))
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
        if link := _AUTOLINK.match(self.text, pos):
            return link.end()
        end = tag_end(self.text, pos, self.terminators)
        if end < 0:
            return pos + 1
        self.found.append(_html(self.text, pos, end))
        return end


def _run(text: str, pos: int, char: str) -> int:
    end = pos
    while end < len(text) and text[end] == char:
        end += 1
    return end - pos
