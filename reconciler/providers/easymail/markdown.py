"""easymail Markdown: what the vendor silently drops, and the exact text it stores instead.

easymail flattens tables, strikethrough, task lists, inline code and raw HTML (shared/api/
easymail.md, the **(contract)** sentence): a table row becomes its non-empty cells joined by
spaces (the delimiter row goes, ``\\|`` is unescaped, container markers stay), ``~~x~~`` → ``x``,
a task item's ``[ ]``/``[x]`` goes, a code span keeps its content (less one padding space each
side), HTML tags and comments go and their text stays. ``flatten_markdown`` predicts the stored
body, so that desired and live content compare equal; ``lint_markdown`` reports each construct
that flattening changes, where it starts.

Which text is a construct follows CommonMark 0.31.2 and GFM, as the vendor reads it: code
blocks (fenced or indented, at any quote or list depth) are never touched, an HTML block is
read for tags only, link reference definitions are no inline content, escapes hide a
construct, ``~~`` pairs with emphasis as cmark-gfm pairs it, and inline constructs never cross
a block. ``markdown_blocks`` finds the blocks, ``markdown_inline`` the inline constructs of
each (with ``markdown_html``, ``markdown_links`` and ``markdown_delimiters``); this module
turns both into edits and messages. The sandbox emulates the vendor with its own, separate
implementation: the two are compared in its tests. markdown-it-py is a third reading, in
tests only (tests/providers/easymail/easymail_markdown_reference.py): the two must agree on
every CommonMark and GFM spec example and on generated newsletters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from reconciler.config.problems import Severity, TextIssue
from reconciler.providers.easymail.markdown_blocks import (
    Cut,
    Html,
    Prose,
    Row,
    row_cells,
    scan_blocks,
)
from reconciler.providers.easymail.markdown_inline import (
    Construct,
    flatten_inline,
    html_constructs,
    inline_constructs,
)

_NEWLINE = re.compile("\n")
_HINTS = {
    "code": "use a fenced code block (```) for code, or remove the backticks",
    "html": "use Markdown instead, e.g. **bold** or [text](https://…)",
    "comment": "keep notes outside the content",
    "strike": "remove the ~~ or the struck text: easymail does not keep strikethrough",
    "task": "write a plain list item; easymail does not keep checkboxes",
    "table": "use a list or short paragraphs instead; easymail flattens tables",
}


class _Edit(NamedTuple):
    start: int
    end: int
    keep: str


class _Issue(NamedTuple):
    at: int  # offset in the body
    kind: str
    message: str


def flatten_markdown(text: str) -> str:
    """The body easymail stores for ``text`` (code blocks untouched)."""
    edits, _ = _read(text, messages=False)
    out, pos = [], 0
    for edit in sorted(edits):
        out += [text[pos : edit.start], edit.keep]
        pos = edit.end
    return "".join([*out, text[pos:]])


def lint_markdown(text: str) -> list[TextIssue]:
    """One warning per construct easymail drops, positioned 0-based within ``text``."""
    _, issues = _read(text, messages=True)
    starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
    found = []
    for issue in sorted(issues):
        line = bisect_right(starts, issue.at) - 1
        col = issue.at - starts[line]
        found.append(TextIssue(line, col, issue.message, _HINTS[issue.kind], Severity.WARNING))
    return found


def _read(text: str, *, messages: bool) -> tuple[list[_Edit], list[_Issue]]:
    """The edits flattening makes to ``text`` and (with ``messages``) one issue per construct."""
    edits: list[_Edit] = []
    issues: list[_Issue] = []
    blocks, labels = scan_blocks(text)
    for block in blocks:
        if isinstance(block, Prose):
            found = partial(inline_constructs, labels=labels)
            _prose(text, block, found, edits, issues if messages else None)
        elif isinstance(block, Html):
            _prose(text, block, html_constructs, edits, issues if messages else None)
        elif isinstance(block, Row):
            _row(text, block, labels, edits, issues if messages else None)
        else:
            edits.append(_cut_edit(text, block))
            if messages and block.kind != "delimiter":
                issues.append(_cut_issue(text, block))
    return edits, issues


def _prose(
    text: str,
    prose: Prose | Html,
    constructs: Callable[[str], list[Construct]],
    edits: list[_Edit],
    issues: list[_Issue] | None,
) -> None:
    """Constructs of the block's lines joined without their container prefixes."""
    if len(prose.spans) == 1:
        start, end = prose.spans[0]
        content, offsets = text[start:end], [0]
    else:
        content = "\n".join(text[start:end] for start, end in prose.spans)
        offsets, at = [], 0
        for start, end in prose.spans:
            offsets.append(at)
            at += end - start + 1

    def absolute(at: int) -> int:
        line = bisect_right(offsets, at) - 1 if len(offsets) > 1 else 0
        return prose.spans[line][0] + at - offsets[line]

    for construct in constructs(content):
        edits += (_Edit(absolute(start), absolute(end), "") for start, end in construct.cuts)
        if issues is not None:
            said = _said(construct, content)
            issues.append(_Issue(absolute(construct.start), construct.kind, said))


def _row(
    text: str, row: Row, labels: frozenset[str], edits: list[_Edit], issues: list[_Issue] | None
) -> None:
    """A row → its non-empty cells, each flattened on its own (GFM splits cells first); cells
    past the header's count are no part of the table (GFM ignores them) and go too."""
    raw = text[row.start : row.end]
    flat = []
    for start, end in row_cells(raw)[: row.width]:
        cell = raw[start:end].strip()
        lead = row.start + start + len(raw[start:end]) - len(raw[start:end].lstrip())
        cell, at = _unescape_pipes(cell)
        constructs = inline_constructs(cell, labels)
        flat.append(flatten_inline(cell, constructs).strip() if constructs else cell)
        if issues is not None:
            issues += (
                _Issue(lead + at(found.start), found.kind, _said(found, cell))
                for found in constructs
            )
    joined = " ".join(cell for cell in flat if cell)
    edits.append(_Edit(row.start if joined else row.prefix_end, row.end, joined))
    if issues is not None and row.header:
        stored = f", e.g. {_shown(joined)}" if joined else ""
        message = f"table is not kept: each row is stored as its cells joined by spaces{stored}"
        issues.append(_Issue(row.start, "table", message))


def _unescape_pipes(cell: str) -> tuple[str, Callable[[int], int]]:
    """``cell`` with ``\\|`` read as ``|``, and where each of its characters was written."""
    if "\\|" not in cell:
        return cell, lambda at: at
    out, written, pos = [], [], 0
    while pos < len(cell):
        escaped = cell.startswith("\\|", pos)
        out.append("|" if escaped else cell[pos])
        written.append(pos + escaped)
        pos += 1 + escaped
    return "".join(out), written.__getitem__


def _cut_edit(text: str, cut: Cut) -> _Edit:
    """A cut; a delimiter row on the last line takes the line break before it instead."""
    if cut.end <= len(text):
        return _Edit(cut.start, cut.end, "")
    before = cut.start - 2 if text.endswith("\r\n", 0, cut.start) else cut.start - 1
    return _Edit(before, len(text), "")


def _cut_issue(text: str, cut: Cut) -> _Issue:
    """A task checkbox (a delimiter row has no message: the table's header has one)."""
    raw = text[cut.start : cut.end]
    line_start = text.rfind("\n", 0, cut.start) + 1
    line_end = text.find("\n", cut.end)
    stored = text[line_start : cut.start] + text[cut.end : line_end if line_end >= 0 else None]
    message = f"task list checkbox {_shown(raw.strip())} is dropped: "
    return _Issue(cut.start, "task", message + f"the item is stored as {_shown(stored.strip())}")


def _said(construct: Construct, content: str) -> str:
    raw, kept = content[construct.start : construct.end], construct.kept(content)
    if construct.kind == "code":
        return f"inline code {_shown(raw)} is stored as plain text {_shown(kept)}"
    if construct.kind == "strike":
        return f"strikethrough {_shown(raw)} is stored as {_shown(kept)}"
    if construct.kind == "comment":
        return f"HTML comment {_shown(raw)} is removed"
    return f"raw HTML {_shown(raw)} is removed (the text around it is kept)"


def _shown(text: str) -> str:
    text = text.replace("\n", "⏎")
    return f'"{text}"' if len(text) <= 40 else f'"{text[:39]}…"'
