"""easymail's lossy Markdown storage: what the vendor keeps of a ``content`` write.

easymail accepts a Markdown subset and silently flattens the rest (shared/api/easymail.md,
"Campaign body", the **(contract)** sentence). The emulator reproduces that on write so that a
client which compares what it wrote with what it reads back meets the same drift it would meet
against the real vendor:

- GFM tables: the delimiter row is removed, every other row becomes its cell text joined by
  single spaces (empty cells dropped, ``\\|`` unescaped, container markers such as ``>`` kept);
- ``~~x~~`` → ``x``; task items ``- [ ] x`` / ``- [x] x`` → ``- x`` (any bullet or ordered marker);
- inline code ``\\`x\\``` → ``x`` (the span's content is kept verbatim, not flattened further);
- HTML tags and comments are removed, the text between them kept (autolinks ``<https://…>`` are
  Markdown, not HTML, and stay); a comment block at a block start is removed even across blank
  lines.

Everything else is stored unchanged. Which text is a construct follows CommonMark/GFM, because
that is how the vendor reads it: code blocks (fenced or indented, at any quote or list depth)
are never touched, backslash-escaped characters are literal text, and inline constructs never
cross a block boundary. Blocks are found by ``easymail_markdown_blocks``, inline constructs by
``easymail_markdown_inline``; both edit the written text in place.
"""

from __future__ import annotations

from bisect import bisect_right

from reconciler.sandbox.easymail_markdown_blocks import Drop, Prose, Row, row_cells, scan_blocks
from reconciler.sandbox.easymail_markdown_inline import (
    Edit,
    apply_edits,
    flatten_inline,
    inline_edits,
)


def flatten_markdown(text: str) -> str:
    """The content easymail stores for ``text``: unsupported constructs flattened to plain text."""
    edits: list[Edit] = []
    for block in scan_blocks(text):
        if isinstance(block, Prose):
            edits += _prose_edits(text, block)
        elif isinstance(block, Row):
            edits.append(_row_edit(text, block))
        else:
            edits.append(_drop_edit(text, block))
    return apply_edits(text, edits)


def _prose_edits(text: str, prose: Prose) -> list[Edit]:
    """Inline edits of a block whose lines are joined without their container prefixes.

    Scanning the joined content (not the raw lines) keeps ``>`` markers and list indentation
    out of the inline constructs; each edit is then mapped back to the written text.
    """
    starts, offset = [], 0
    for start, end in prose.spans:
        starts.append(offset)
        offset += end - start + 1

    def absolute(at: int) -> int:
        line = bisect_right(starts, at) - 1
        return prose.spans[line][0] + at - starts[line]

    content = "\n".join(text[start:end] for start, end in prose.spans)
    return [
        Edit(absolute(edit.start), absolute(edit.end), edit.keep) for edit in inline_edits(content)
    ]


def _row_edit(text: str, row: Row) -> Edit:
    """A row → its non-empty cells, each flattened on its own (GFM splits cells first)."""
    cells = (flatten_inline(cell.strip().replace("\\|", "|")).strip() for cell in _cells(text, row))
    joined = " ".join(cell for cell in cells if cell)
    return Edit(row.start if joined else row.prefix_end, row.end, joined)


def _cells(text: str, row: Row) -> list[str]:
    return row_cells(text[row.start : row.end])


def _drop_edit(text: str, drop: Drop) -> Edit:
    """A dropped line takes its line break with it (the one before it when it is the last)."""
    if drop.end <= len(text):
        return Edit(drop.start, drop.end, "")
    before = drop.start - 2 if text.endswith("\r\n", 0, drop.start) else drop.start - 1
    return Edit(before, len(text), "")
