"""A second, independent prediction of the body easymail stores, built on markdown-it-py.

``reconciler.providers.easymail.markdown`` reads Markdown with its own scanner (it needs
character offsets for located lint messages). This module asks markdown-it-py (CommonMark
0.31.2, GFM tables and strikethrough, mdit-py-plugins' task lists) which text is which
construct, then applies the contract's flattening rules (shared/api/easymail.md, "Campaign
body") to the written text; the differential tests compare the two.

markdown-it-py's tokens carry line numbers, not offsets, so the reference records where a
dropped construct starts and ends: its rules for code spans, raw HTML, images and ``~~`` are
wrapped to note ``state.pos`` before and after, and the table rule notes where each row starts
after its container markers. An inline token's content (container prefixes removed) is mapped
back to the written text line by line: each content line, less its leading blanks, is a suffix
of its written line (or of that line less trailing blanks on the last line; an ATX heading's is
found after its ``#`` run).

The flattening rules, exactly as the client documents them (markdown.py):

- a code span keeps its content, less one padding space each side when CommonMark strips one
  and both are written spaces (a padding line ending stays, so lines stay lines);
- raw HTML (tags, comments, processing instructions, declarations, CDATA) is removed whole,
  the text between tags kept; in an HTML block nothing else is a construct, so its content is
  read for tags alone (a markdown-it-py reading with only ``html_inline`` enabled);
- ``~~x~~`` → ``x``: GFM strikes between two runs of exactly two tildes (the GFM spec's
  "wrapped in two tildes"); markdown-it-py would split a run of three into ``~`` + ``~~``, so
  other runs are read as text here;
- a task item loses its ``[ ]``/``[x]`` and the blanks after it (task items as cmark-gfm reads
  them, see ``_task``);
- a table's delimiter row goes with its line break (the one before it on the last line); every
  other row becomes its non-empty cells, each flattened, joined by one space, from the row's
  first character to its line's end (an empty row leaves its container markers only).

Bodies given to it must not hold ``\\r`` or NUL: markdown-it-py normalises both, which would
shift offsets; the client's CRLF handling has its own tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from reconciler.markdown_it_guard import guard_text_end

Rule = Callable[..., bool]

_WHITESPACE = " \t\n\v\f\r"
_TASK = re.compile(r"\[[ xX]\][ \t]")


def _located(rule: Rule, types: tuple[str, ...]) -> Rule:
    """``rule``, noting on each token of ``types`` it pushes the span of text it consumed."""

    def located(state: Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type in types:
                    token.meta["at"] = (start, state.pos)
                if token.type == "code_inline":
                    run = len(token.markup)
                    token.meta["raw"] = state.src[start + run : state.pos - run]
        return True

    return located


def _comments_as_in_0_31(rule: Rule) -> Rule:
    """Raw HTML, with CommonMark 0.31.2's comments: ``<!--`` to the first ``-->``.

    markdown-it-py's pattern still refuses a comment whose text ends in ``-`` (``<!-- a--->``),
    as CommonMark 0.30 did; 0.31 takes ``<!-->``, ``<!--->`` and any text without ``-->``.
    """

    def html_inline(state: Any, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith("<!--", start) or src.startswith(("<!-->", "<!--->"), start):
            return bool(rule(state, silent))
        end = src.find("-->", start + 4)
        if end < 0 or end + 3 > state.posMax:
            return False
        if not silent:
            token = state.push("html_inline", "", 0)
            token.content = src[start : end + 3]
        state.pos = end + 3
        return True

    return html_inline


def _double_tildes(rule: Rule) -> Rule:
    """GFM's strikethrough delimiters: runs of exactly two tildes; other runs are text."""

    def strikethrough(state: Any, silent: bool) -> bool:
        src, start = state.src, state.pos
        if silent or src[start] != "~":
            return False
        end = start
        while end < len(src) and src[end] == "~":
            end += 1
        if end - start != 2:
            state.pending += src[start:end]
            state.pos = end
            return True
        count = len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if token.content == "~~":
                token.meta["at"] = (start, end)
        return True

    return strikethrough


def _row_starts(rule: Rule) -> Rule:
    """The table rule, noting where each row starts (after container markers) and ends."""

    def table(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type in ("tr_open", "table_open"):
                    line = token.map[0]
                    start = state.bMarks[line] + state.tShift[line]
                    token.meta["row"] = (start, state.eMarks[line])
        return True

    return table


def _keep_written_content(state: Any) -> None:
    """Before the task list plugin rewrites them: each inline token's content as parsed."""
    for token in state.tokens:
        if token.type == "inline":
            token.meta["written"] = token.content


def _markdown_it() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(tasklists_plugin)
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    md.inline.ruler.at("backticks", _located(rules["backticks"], ("code_inline",)))
    html = _located(_comments_as_in_0_31(rules["html_inline"]), ("html_inline",))
    md.inline.ruler.at("html_inline", html)
    md.inline.ruler.at("image", _located(rules["image"], ("image",)))
    md.inline.ruler.at("strikethrough", _double_tildes(rules["strikethrough"]))
    table = next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == "table")
    md.block.ruler.at("table", _row_starts(table), {"alt": ["paragraph", "reference"]})
    md.core.ruler.before("github-tasklists", "keep_written_content", _keep_written_content)
    return guard_text_end(md)


def _tags_only() -> MarkdownIt:
    """An HTML block's content holds tags and text only: nothing else is read."""
    md = MarkdownIt("zero", {"html": True}).enable("html_inline")
    html = next(rule.fn for rule in md.inline.ruler.__rules__ if rule.name == "html_inline")
    md.inline.ruler.at("html_inline", _located(_comments_as_in_0_31(html), ("html_inline",)))
    return md


_MD = _markdown_it()
_TAGS = _tags_only()


def reference_flatten(text: str) -> str:
    """The body easymail stores for ``text``, as markdown-it-py reads ``text``."""
    assert "\r" not in text and "\0" not in text, "markdown-it-py would normalise these"
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    tokens = _MD.parse(text)
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            delimiter = token.map[0] + 1
            if delimiter + 1 < len(lines):
                edits.append((starts[delimiter], starts[delimiter + 1], ""))
            else:  # the last line: the line break before it goes instead
                edits.append((starts[delimiter] - 1, len(text), ""))
        elif token.type == "tr_open":
            row = []
            row_line, row_at = token.map[0], token.meta["row"]
        elif token.type == "tr_close":
            assert row is not None
            start, end = row_at
            joined = " ".join(cell for cell in row if cell)
            prefix_end = _prefix_end(text, starts[row_line], start)
            edits.append((start if joined else prefix_end, end, joined))
            row = None
        elif token.type == "inline" and row is not None:
            content = token.content
            cuts = _inline_cuts(token.children or [], 0)
            row.append(_apply(content, [(s, e, "") for s, e in cuts]).strip())
        elif token.type == "inline":
            written = token.meta.get("written", token.content)
            where = _Where(text, lines, starts, token.map[0], written, tokens[index - 1].type)
            edits += ((where(s), where(e), "") for s, e in _inline_cuts(token.children or [], 0))
            if index >= 2 and _task(tokens[index - 2], tokens[index - 1], text, where(0)):
                checkbox = where(0)
                end = checkbox + 3
                while end < len(text) and text[end] in " \t":
                    end += 1
                edits.append((checkbox, end, ""))
        elif token.type == "html_block":
            where = _Where(text, lines, starts, token.map[0], token.content, "html_block")
            children = _TAGS.parseInline(token.content)[0].children or []
            edits += ((where(s), where(e), "") for s, e in _inline_cuts(children, 0))
    return _apply(text, edits)


def _task(item: Any, block: Any, text: str, at: int) -> bool:
    """Whether an inline token at ``at`` in ``text`` opens a task item, as cmark-gfm reads one.

    The plugin marks an item whose first block is a paragraph starting with the marker and
    whitespace then text. cmark-gfm reads the marker on the item's first line whatever follows
    it there: also ``- [ ] `` with nothing after the blank, and before a setext heading.
    """
    if item.attrGet("class") == "task-list-item":
        return True
    setext = block.type == "heading_open" and block.markup in ("=", "-")
    first = block.type == "paragraph_open" or setext
    return item.type == "list_item_open" and first and _TASK.match(text, at) is not None


def _inline_cuts(children: list[Any], offset: int) -> list[tuple[int, int]]:
    """The spans an inline token's children lose, as offsets into its content."""
    cuts: list[tuple[int, int]] = []
    for token in children:
        at = token.meta.get("at")
        if token.type in ("html_inline", "s_open", "s_close") and at is not None:
            cuts.append((offset + at[0], offset + at[1]))  # a checkbox the plugin adds has none
        elif token.type == "code_inline":
            start, end = at
            run = len(token.markup)
            inside = token.meta["raw"]
            pad = int(inside[:1] == inside[-1:] == " " and inside.strip(" \n") != "")
            cuts += [(offset + start, offset + start + run + pad)]
            cuts += [(offset + end - run - pad, offset + end)]
        elif token.type == "image":
            cuts += _inline_cuts(token.children or [], offset + at[0] + 2)
    return cuts


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, keep in sorted(edits):
        assert start >= pos, f"overlapping edits at {start}"
        out += [text[pos:start], keep]
        pos = end
    return "".join([*out, text[pos:]])


def _prefix_end(text: str, line_start: int, start: int) -> int:
    return line_start + len(text[line_start:start].rstrip(" \t"))


class _Where:
    """Maps an offset in a token's content to the written text, line by line."""

    def __init__(
        self, text: str, lines: list[str], starts: list[int], first: int, content: str, kind: str
    ) -> None:
        self.content_starts: list[int] = []
        self.written: list[tuple[int, int]] = []  # (leading blanks, text offset) of each line
        at_line = 0
        for number, line in enumerate(content.split("\n")):
            self.content_starts.append(at_line)
            at_line += len(line) + 1
            stripped = line.lstrip(" \t")
            lead = len(line) - len(stripped)
            source = lines[first + number] if first + number < len(lines) else ""
            at = _find(source, stripped, kind)
            self.written.append((lead, starts[first + number] + at))

    def __call__(self, offset: int) -> int:
        line = 0
        while line + 1 < len(self.content_starts) and self.content_starts[line + 1] <= offset:
            line += 1
        lead, at = self.written[line]
        return at + offset - self.content_starts[line] - lead


def _find(source: str, stripped: str, kind: str) -> int:
    """Where a content line (less its leading blanks) sits in its written line."""
    if source.endswith(stripped):
        return len(source) - len(stripped)
    trimmed = source.rstrip(_WHITESPACE)
    if trimmed.endswith(stripped):
        return len(trimmed) - len(stripped)
    if kind == "heading_open":
        hashes = source.index("#")
        while source.startswith("#", hashes):
            hashes += 1
        at = source.find(stripped, hashes)
        if at >= 0:
            return at
    raise AssertionError(f"content line {stripped!r} is not in {source!r}")


def spec_examples(path: Path) -> list[tuple[int, str, str]]:
    """``(number, section, markdown)`` of each example of a spec, from the JSON the sandbox's
    tests vendor (``tests/sandbox/easymail/spec/``: one copy of the specs for both sides)."""
    examples = json.loads(path.read_text(encoding="utf-8"))
    return [(e["example"], e["section"], e["markdown"]) for e in examples]
