"""How the sandbox reads a campaign body: markdown-it-py, set up as easymail reads Markdown.

CommonMark plus the GFM extensions the contract names (tables, strikethrough, task lists), so
that which text is a construct is decided by an independent, spec-tested parser rather than by
rules of our own. Flattening (``markdown``) edits the written text in place, so it also needs
to know *where* each construct was written, and markdown-it's tokens carry only line ranges.
Thin wrappers around a few of its rules record what those rules know while they run:

- leaf blocks (paragraphs, headings, HTML blocks, table rows) keep, for each of their lines,
  where the line starts once its containers (``>`` markers, list indentation) are consumed,
  in ``token.meta["lines"]``, and the inline content as their rule read it, in
  ``token.meta["source"]`` (the task-list plugin later cuts the checkbox off ``content``);
- code spans, inline HTML, images and ``~~`` keep their ``(start, end)`` offsets in the inline
  content they were read from, in ``token.meta["span"]`` (an image's children are read from
  its alt text, which starts two characters into its span).

Strikethrough is read as the contract writes it, ``~~x~~``: only a run of exactly two tildes
delimits. GFM's own reading also strikes ``~x~``; a run of three or more is text in both.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it import rules_block as block
from markdown_it import rules_inline as inline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.tasklists import tasklists_plugin

from reconciler.markdown_it_guard import guard_text_end

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]


def _table_after_quotes(rule: BlockRule) -> BlockRule:
    """GFM reads ``>`` as a block quote before it looks for a table (a table header row is
    a paragraph line); markdown-it tries its table rule first and takes ``>a|b`` + ``---``
    for a table whose header cell is ``>a``. Here a line that opens a quote starts no table."""

    def table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.src.startswith(">", state.bMarks[start] + state.tShift[start]):
            return False
        return rule(state, start, end, silent)

    return table


#: Block rules whose tokens hold text that flattening may edit, by rule name.
LEAF_RULES: dict[str, BlockRule] = {
    "table": block.table,
    "html_block": block.html_block,
    "heading": block.heading,
    "lheading": block.lheading,
    "paragraph": block.paragraph,
}
#: Inline rules whose tokens flattening removes or looks into, by rule name.
SPANNED_RULES: dict[str, InlineRule] = {
    "backticks": inline.backtick,
    "image": inline.image,
    "html_inline": inline.html_inline,
}
#: markdown-it's terminator chains: a wrapped block rule stays in the chains it was in.
_CHAINS = ("paragraph", "reference", "blockquote", "list")
#: Tokens whose lines a leaf rule records (a table's rows are ``tr_open``).
_LOCATED = ("inline", "html_block", "tr_open", "table_open")


class Line(NamedTuple):
    """One source line of a block, as the block's rule saw it.

    ``text`` is ``StateBlock.getLines`` of the line (line break included where there is one):
    the line without the container prefix, a partly consumed tab shown as spaces. ``end`` is
    the source offset just past it, ``begin`` where the containers end and ``first`` the first
    non-blank character after them.
    """

    begin: int
    first: int
    end: int
    text: str


@cache
def gfm_reader() -> MarkdownIt:
    """The parser flattening walks (shared: a markdown-it parser keeps no state between calls)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for name, rule in LEAF_RULES.items():
        chains = [chain for chain in _CHAINS if rule in md.block.ruler.getRules(chain)]
        read = _table_after_quotes(rule) if name == "table" else rule
        md.block.ruler.at(name, _located(read), {"alt": chains})
    for name, span_rule in SPANNED_RULES.items():
        md.inline.ruler.at(name, _spanned(span_rule))
    md.inline.ruler.at("strikethrough", _double_tildes)
    tasklists_plugin(md)
    return guard_text_end(md)


@cache
def commonmark_renderer() -> MarkdownIt:
    """Plain CommonMark: how the outbox renders a stored body as HTML."""
    return guard_text_end(MarkdownIt("commonmark"))


def _located(rule: BlockRule) -> BlockRule:
    def located(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.map is not None and token.type in _LOCATED:
                    token.meta["lines"] = [_line(state, n) for n in range(*token.map)]
                    token.meta["source"] = token.content
        return True

    return located


def _line(state: StateBlock, number: int) -> Line:
    begin, shift = state.bMarks[number], state.tShift[number]
    end = min(state.eMarks[number] + 1, len(state.src))
    text = state.getLines(number, number + 1, state.blkIndent, True)
    return Line(begin=begin, first=begin + shift, end=end, text=text)


def _spanned(rule: InlineRule) -> InlineRule:
    def spanned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent and len(state.tokens) > count:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return True

    return spanned


def _double_tildes(state: StateInline, silent: bool) -> bool:
    """A run of exactly two tildes is a strikethrough delimiter; any other run is text."""
    start = state.pos
    if state.src[start] != "~" or silent:
        return False  # as markdown-it's own rule: delimiters are never skipped silently
    run = 1
    while start + run < state.posMax and state.src[start + run] == "~":
        run += 1
    if run != 2:
        state.pending += "~" * run
        state.pos += run
        return True
    count = len(state.tokens)
    if not inline.strikethrough.tokenize(state, silent):
        return False
    for token in state.tokens[count:]:
        if token.content == "~~":
            token.meta["span"] = (start, start + 2)
    return True
