"""easymail's lossy Markdown storage: what the vendor keeps of a ``content`` write.

easymail accepts a Markdown subset and silently flattens the rest (shared/api/easymail.md,
"Campaign body", the **(contract)** sentence). The emulator reproduces that on write, so that a
client comparing what it wrote with what it reads back meets the same drift it would meet at
the real vendor. The stored form is the written text with exactly these edits:

- a GFM table row becomes its non-empty cells' text joined by single spaces (container
  prefixes such as ``>`` kept); the delimiter row goes, with its line break;
- ``~~x~~`` → ``x``; a task item's ``[ ]`` / ``[x]`` (and the blanks after it) goes;
- a code span ``\\`x\\``` → ``x`` (only the backticks, and CommonMark's one padding space on
  each side, go: the content stays as written);
- raw HTML goes, the text around it stays: inline tags and comments, and inside an HTML block
  every tag, comment, processing instruction, declaration and CDATA section. The rest of an
  HTML block is literal text: the vendor never read Markdown there.

Which text is a construct is markdown-it-py's reading (``markdown_reader``), CommonMark and GFM
as their specs define them: code blocks are never touched, escapes are literal, link
destinations and reference definitions are no Markdown. The vendor makes one pass: what an edit
leaves behind is not read again. ``render_html`` is the CommonMark rendering of a stored body.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown_it.common import html_re
from markdown_it.token import Token

from reconciler.sandbox.easymail.markdown_reader import commonmark_renderer, gfm_reader
from reconciler.sandbox.easymail.markdown_source import Edit, SourceMap, apply_edits, newlines

_BLANKS = re.compile(r"[ \t]*")
# markdown-it's own raw-HTML pattern (the one its inline rule uses), matched at any offset:
# versions before 4.3 anchor it with ``^``.
_RAW_HTML = re.compile(html_re.HTML_TAG_RE.pattern.removeprefix("^"))


class Flattened(NamedTuple):
    """One construct the vendor flattens: its kind and where it was written."""

    kind: str  # "code" | "html" | "strikethrough" | "task" | "table row" | "table" (its delimiter)
    start: int
    end: int


def flatten_markdown(text: str) -> str:
    """The content easymail stores for ``text``."""
    return apply_edits(text, _edits(text))


def flattened(text: str) -> list[Flattened]:
    """What flattening ``text`` changes, construct by construct, in the order written.

    A code span or ``~~`` pair is two entries (its delimiters); a table is one ``table`` entry
    (its delimiter row) and one ``table row`` entry for each other row; cells are not itemised.
    """
    found = {Flattened(e.kind, e.start, e.end) for e in _edits(text) if e.kind}
    return sorted(found, key=lambda each: (each.start, each.end))


def render_html(text: str) -> str:
    """``text`` rendered by CommonMark (a test email's HTML part)."""
    html: str = commonmark_renderer().render(text)
    return html


def _edits(text: str) -> list[Edit]:
    source, to_written = newlines(text)
    tokens = gfm_reader().parse(source)
    edits: list[Edit] = []
    for index, token in enumerate(tokens):
        parent = tokens[index - 1] if index else token
        if token.type == "inline" and parent.type in ("paragraph_open", "heading_open"):
            atx = parent.markup.startswith("#")
            edits += _inline_edits(source, token, atx=atx, task=_is_task(tokens, index))
        elif token.type == "html_block":
            edits += _html_block_edits(source, token)
        elif token.type == "table_open":
            edits.append(_delimiter_row(source, token))
        elif token.type == "tr_open":
            edits.append(_row(source, token, tokens[index:]))
    return [edit.moved(to_written) for edit in edits]


def _is_task(tokens: list[Token], index: int) -> bool:
    """The GFM task-list plugin marks the item whose first paragraph opens with a checkbox."""
    item = tokens[index - 2] if index >= 2 else None
    return item is not None and "task-list-item" in str(item.attrGet("class") or "")


# -- inline content ---------------------------------------------------------------------------


def _inline_edits(source: str, token: Token, *, atx: bool, task: bool) -> list[Edit]:
    where = SourceMap.of(source, token, atx=atx)
    found = _constructs(token.meta["source"], token.children or [], 0)
    if task:
        blanks = _BLANKS.match(token.meta["source"], 3)
        found.append(Edit(0, blanks.end() if blanks else 3, "", "task"))
    return [where.edit(edit) for edit in found]


def _constructs(content: str, children: list[Token], offset: int) -> list[Edit]:
    """Edits, in ``content`` offsets, of the code spans, raw HTML and ``~~`` among ``children``."""
    edits: list[Edit] = []
    for child in children:
        span = child.meta.get("span")
        if span is None:
            continue  # text, emphasis, links: kept as written
        start, end = span[0] + offset, span[1] + offset
        if child.type == "code_inline":
            edits += _code_span(content, start, end)
        elif child.type == "html_inline":
            edits.append(Edit(start, end, "", "html"))
        elif child.type in ("s_open", "s_close"):
            edits.append(Edit(start, end, "", "strikethrough"))
        elif child.type == "image":  # its alt text is read from just after ``![``
            edits += _constructs(content, child.children or [], start + 2)
    return edits


def _code_span(content: str, start: int, end: int) -> list[Edit]:
    """The backticks go, with one padding space each side when both sides have one.

    Only literal spaces count as padding, so that a span across lines keeps its line breaks
    (and the container prefixes on them).
    """
    written = content[start:end]
    run = len(written) - len(written.lstrip("`"))
    inner = written[run : len(written) - run]
    pad = int(inner[:1] == inner[-1:] == " " and bool(inner.strip(" ")))
    return [
        Edit(start, start + run + pad, "", "code"),
        Edit(end - run - pad, end, "", "code"),
    ]


# -- HTML blocks ------------------------------------------------------------------------------


def _html_block_edits(source: str, token: Token) -> list[Edit]:
    """Every complete tag, comment, PI, declaration or CDATA section in the block goes."""
    where, content = SourceMap.of(source, token), token.content
    edits, pos = [], content.find("<")
    while pos >= 0:
        tag = _RAW_HTML.match(content, pos)
        if tag is not None:
            edits.append(where.edit(Edit(pos, tag.end(), "", "html")))
        pos = content.find("<", tag.end() if tag is not None else pos + 1)
    return edits


# -- tables -----------------------------------------------------------------------------------


def _row(source: str, row: Token, rest: list[Token]) -> Edit:
    """A row → its non-empty cells, each flattened on its own (GFM splits cells first)."""
    cells: list[str] = []
    for token in rest[1:]:
        if token.type == "tr_close":
            break
        if token.type == "inline":
            content = token.meta["source"]
            cells.append(apply_edits(content, _constructs(content, token.children or [], 0)))
    joined = " ".join(cell.strip() for cell in cells if cell.strip())
    line = row.meta["lines"][0]
    start = line.first if joined else len(source[: line.first].rstrip(" \t"))
    end = line.end - 1 if source.endswith("\n", 0, line.end) else line.end
    return Edit(start, end, joined, "table row")


def _delimiter_row(source: str, table: Token) -> Edit:
    """The line under the header goes whole; as the body's last line, with the break before."""
    line = table.meta["lines"][1]
    begin = source.rfind("\n", 0, line.first) + 1
    if source.endswith("\n", 0, line.end):
        return Edit(begin, line.end, "", "table")
    return Edit(begin - 1, line.end, "", "table")
