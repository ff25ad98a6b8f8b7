"""easymail's lossy Markdown storage: what the vendor keeps of a ``content`` write.

easymail accepts a Markdown subset and silently flattens the rest (shared/api/easymail.md,
"Campaign body"). The emulator reproduces that on write so that a client which compares what it
wrote with what it reads back meets the same drift it would meet against the real vendor:

- GFM tables: the delimiter row is removed, every other row becomes its cell text joined by
  single spaces (empty cells dropped, ``\\|`` unescaped);
- ``~~x~~`` → ``x``; task items ``- [ ] x`` / ``- [x] x`` → ``- x`` (any bullet or ordered marker);
- inline code ``\\`x\\``` → ``x`` (the span's content is kept verbatim, not flattened further);
- HTML tags and comments are removed, the text between them kept (autolinks ``<https://…>`` are
  Markdown, not HTML, and stay).

Fenced code blocks (backticks or tildes, any indent, unclosed fences run to the end) and
indented code blocks (4 spaces or a tab after a blank line, outside a list) are left untouched.
The block detection is a pragmatic subset of CommonMark, not a full parser: inline rules apply
per paragraph (a run of non-blank lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TASK_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[[ xX]\][ \t]+")
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_HTML = re.compile(
    r"<!--.*?-->"  # comments vanish entirely
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?\s*/?>",  # open, close and void tags
    re.DOTALL,
)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)


def flatten_markdown(text: str) -> str:
    """The content easymail stores for ``text``: unsupported constructs flattened to plain text."""
    out: list[str] = []
    for is_code, lines in _blocks(text.split("\n")):
        out.extend(lines if is_code else _flatten_prose(lines))
    return "\n".join(out)


def _indent_width(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _blocks(lines: list[str]) -> Iterator[tuple[bool, list[str]]]:
    """Split lines into (is_code, lines) runs: code blocks verbatim, prose to flatten."""
    prose: list[str] = []
    prev_blank, in_list, i = True, False, 0
    while i < len(lines):
        line = lines[i]
        end = _code_block_end(lines, i, prev_blank=prev_blank, in_list=in_list)
        if end > i:
            if prose:
                yield False, prose
                prose = []
            yield True, lines[i:end]
            i, prev_blank = end, False
            continue
        if line.strip():
            if _LIST_ITEM.match(line):
                in_list = True
            elif _indent_width(line) == 0:
                in_list = False
        prose.append(line)
        prev_blank, i = not line.strip(), i + 1
    if prose:
        yield False, prose


def _code_block_end(lines: list[str], i: int, *, prev_blank: bool, in_list: bool) -> int:
    """Index after the code block starting at ``lines[i]``, or ``i`` when none starts there."""
    fence = _FENCE_OPEN.match(lines[i])
    if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
        closing = re.compile(
            rf"^[ \t]*{re.escape(fence.group(1)[0])}{{{len(fence.group(1))},}}\s*$"
        )
        for j in range(i + 1, len(lines)):
            if closing.match(lines[j]):
                return j + 1
        return len(lines)
    if prev_blank and not in_list and lines[i].strip() and _indent_width(lines[i]) >= 4:
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or _indent_width(lines[j]) >= 4):
            j += 1
        return j
    return i


def _flatten_prose(lines: list[str]) -> list[str]:
    """Flatten tables and task items line by line, then inline constructs per paragraph."""
    flat = [_TASK_ITEM.sub(r"\1", line) for line in _flatten_tables(lines)]
    out: list[str] = []
    paragraph: list[str] = []
    for line in [*flat, ""]:
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph:
            out.extend(_flatten_inline("\n".join(paragraph)).split("\n"))
            paragraph = []
        out.append(line)
    return out[:-1]


def _split_row(line: str) -> list[str]:
    """The cells of a table row (outer pipes optional, ``\\|`` is a literal pipe)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def _is_delimiter_row(line: str, columns: int) -> bool:
    if "|" not in line:
        return False
    cells = _split_row(line)
    return len(cells) == columns and all(_DELIMITER_CELL.match(cell) for cell in cells)


def _flatten_tables(lines: list[str]) -> list[str]:
    """Rows of GFM tables → their cell text; a table needs a header row plus a delimiter row."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        header = _split_row(line) if "|" in line else []
        if not header or i + 1 >= len(lines) or not _is_delimiter_row(lines[i + 1], len(header)):
            out.append(line)
            i += 1
            continue
        out.append(_row_text(line))
        i += 2
        while i < len(lines) and lines[i].strip() and "|" in lines[i]:
            out.append(_row_text(lines[i]))
            i += 1
    return out


def _row_text(line: str) -> str:
    return " ".join(cell for cell in _split_row(line) if cell)


def _flatten_inline(paragraph: str) -> str:
    """Inline code → its content (verbatim); elsewhere HTML tags, then ``~~``, are removed."""
    out: list[str] = []
    pos = 0
    for span in _CODE_SPAN.finditer(paragraph):
        out.append(_flatten_text(paragraph[pos : span.start()]))
        out.append(_code_content(span.group(2)))
        pos = span.end()
    out.append(_flatten_text(paragraph[pos:]))
    return "".join(out)


def _code_content(content: str) -> str:
    """CommonMark strips one space from each side of a code span padded on both sides."""
    if len(content) > 2 and content[0] == content[-1] == " " and content.strip():
        return content[1:-1]
    return content


def _flatten_text(text: str) -> str:
    """Repeat until stable: removing ``<a<b>>``'s inner tag leaves a new tag behind."""
    while (flat := _STRIKE.sub(r"\1", _HTML.sub("", text))) != text:
        text = flat
    return text
