"""Raw HTML as CommonMark 0.31.2 reads it: what a tag is, where an HTML block starts and ends.

easymail removes HTML tags and keeps the text between them (shared/api/easymail.md, "Campaign
body"), so which text is a tag decides what is stored. Inline, a tag is an open or closing tag,
a comment, a processing instruction, a declaration or a CDATA section (spec §6.6). A line can
also open an HTML block (§4.6), under one of seven start conditions; the block then runs to its
condition's end: for conditions 1–5 the first line (the opening one included) holding its end
string, for 6 and 7 the line before a blank line. Inside an HTML block nothing but tags is a
construct: backticks, ``~~`` and ``[ ]`` there are text.
"""

from __future__ import annotations

import re

_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_OPEN_OR_CLOSING = rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
_TAG = re.compile(rf"{_OPEN_OR_CLOSING}|<![A-Za-z][^>]*>")
# (opening, closing) of the HTML constructs that run to a fixed terminator
_TERMINATED = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"))

_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|"
    "title|tr|track|ul"
)
# CommonMark's HTML block start conditions 1-6, each with the line content that ends it
# (None: a blank line); 7 needs a whole tag on the line, below.
_CONDITIONS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?=[ \t>]|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(rf"</?(?:{_BLOCK_NAMES})(?=[ \t>]|/>|$)", re.I), None),
)
_START_7 = re.compile(rf"(?:{_OPEN_OR_CLOSING})[ \t]*")


def tag_end(text: str, pos: int, terminators: dict[str, int] | None = None) -> int:
    """End of the raw HTML construct starting at ``text[pos]`` (a ``<``), -1 if there is none.

    ``terminators`` caches, per terminator, the end of the last one found, so that a scan that
    only moves forward finds each in O(n) overall (pass the same dict on each call).
    """
    if text.startswith(("<!-->", "<!--->"), pos):  # CommonMark 0.31: whole, empty comments
        return text.index(">", pos) + 1
    for opening, closing in _TERMINATED:
        if text.startswith(opening, pos):
            return _terminator(text, closing, pos + len(opening), terminators)
    tag = _TAG.match(text, pos)
    return tag.end() if tag else -1


def _terminator(text: str, closing: str, search: int, cache: dict[str, int] | None) -> int:
    last = cache.get(closing) if cache is not None else None
    if last is None or 0 <= last - len(closing) < search:
        found = text.find(closing, search)
        last = found + len(closing) if found >= 0 else -1
        if cache is not None:
            cache[closing] = last
    return last


def block_start(rest: str, *, in_paragraph: bool) -> int:
    """The start condition (1-7) of an HTML block opening ``rest``, 0 if none.

    ``rest`` is a line from its first non-blank character (indented at most three columns).
    Condition 7 cannot interrupt a paragraph.
    """
    if not rest.startswith("<"):
        return 0
    for number, (start, _) in enumerate(_CONDITIONS, 1):
        if start.match(rest):
            return number
    if not in_paragraph and _START_7.fullmatch(rest):
        return 7
    return 0


def block_ends(condition: int, line: str) -> bool:
    """Whether ``line`` ends an HTML block of ``condition`` 1-5 (6 and 7 end at a blank line)."""
    end = _CONDITIONS[condition - 1][1] if condition <= len(_CONDITIONS) else None
    return end is not None and end.search(line) is not None
