"""Link syntax as CommonMark reads it: destinations, titles, labels, reference definitions.

None of it is dropped by easymail, but all of it hides what looks like a dropped construct: a
link's ``(destination "title")`` and a reference definition are no inline content, so
``[terms]: <terms and conditions.html>`` keeps its ``<…>`` (an HTML tag anywhere else), and a
``~~`` or a backtick in a URL strikes or codes nothing. Which ``[text]`` is a link also decides
which ``~~`` pair (a link's text is paired on its own), and a reference link is one only when a
definition in the body has its label, so the definitions' labels are collected too.
"""

from __future__ import annotations

import re

_ANGLED_DESTINATION = re.compile(r"<(?:[^<>\n\\]|\\.)*>")
_TITLE = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)", re.DOTALL)
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LABEL_LIMIT = 999  # characters between the brackets


def link_tail(text: str, pos: int) -> int | None:
    """End of ``destination "title")`` from ``pos`` (just after ``](``), None when it is none."""
    end = _destination(text, _blanks(text, pos), empty=True)
    if end is None:
        return None
    after = _blanks(text, end)
    if after > end and (title := _TITLE.match(text, after)):
        after = _blanks(text, title.end())
    return after + 1 if text.startswith(")", after) else None


def label_end(text: str, pos: int) -> int:
    """End of the link label ``[…]`` at ``pos`` (after its ``]``), -1 when there is none.

    A label holds no unescaped bracket, at most 999 characters and something not blank.
    """
    at = pos + 1
    while at < len(text) and at - pos <= _LABEL_LIMIT + 1:
        char = text[at]
        if char == "\\" and at + 1 < len(text):
            at += 2
            continue
        if char == "[":
            return -1
        if char == "]":
            return at + 1 if text[pos + 1 : at].strip() else -1
        at += 1
    return -1


def normalized(label: str) -> str:
    """A label as matching compares it: case-folded, inner whitespace runs one space."""
    return " ".join(label.split()).casefold()


def definitions(content: str) -> tuple[int, list[str]]:
    """How many leading lines of a paragraph's content are link reference definitions, and
    their normalized labels (a definition needs the whole of its last line)."""
    pos, lines, labels = 0, 0, []
    while pos < len(content):
        found = _definition(content, pos)
        if found is None:
            break
        end, label = found
        lines += content.count("\n", pos, end) + 1
        labels.append(label)
        pos = end + 1
    return lines, labels


def _definition(text: str, pos: int) -> tuple[int, str] | None:
    """``(end of its last line, label)`` of a definition starting at line start ``pos``."""
    while text[pos : pos + 1] in (" ", "\t"):
        pos += 1
    close = label_end(text, pos) if text.startswith("[", pos) else -1
    if close < 0 or not text.startswith(":", close):
        return None
    label = normalized(text[pos + 1 : close - 1])
    end = _destination(text, _spaces(text, close + 1), empty=False)
    if end is None:
        return None
    line_end = _line_end(text, end)
    after = _spaces(text, end)
    if after > end and (title := _TITLE.match(text, after)):
        title_end = _line_end(text, title.end())
        if not text[title.end() : title_end].strip(" \t"):
            return title_end, label
    return (line_end, label) if not text[end:line_end].strip(" \t") else None


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _spaces(text: str, pos: int) -> int:
    """Past spaces and tabs with at most one line ending among them."""
    pos = _skip(text, pos)
    if text.startswith("\n", pos):
        pos = _skip(text, pos + 1)
    return pos


def _skip(text: str, pos: int) -> int:
    while text[pos : pos + 1] in (" ", "\t"):
        pos += 1
    return pos


def _blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _destination(text: str, pos: int, *, empty: bool) -> int | None:
    """A ``<…>`` destination, or a bare one: no spaces or controls, balanced parentheses."""
    if text.startswith("<", pos):
        match = _ANGLED_DESTINATION.match(text, pos)
        return match.end() if match else None
    start, depth = pos, 0
    while pos < len(text) and text[pos] > " " and text[pos] != "\x7f":
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
    return pos if not depth and (empty or pos > start) else None
