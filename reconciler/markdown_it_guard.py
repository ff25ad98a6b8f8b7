"""A guard for a markdown-it-py bug that camp's Markdown readers would otherwise hit.

markdown-it-py (4.3.0, the newest release) raises ``IndexError`` on text that ends on a bare
block-quote marker while a block that runs to the end is open inside the quote, such as an
unclosed ``<!--`` in a quoted list item (``> - <!--\\n>``). The last line then starts at the
end of the text, and ``StateBlock.getLines``, cutting the block, reads that line's indentation
one character too far, where markdown-it (JS), which it ports, reads ``NaN`` and takes the line
as empty (the port hazard of executablebooks/markdown-it-py#190; #415 fixed two rules but not
this). Here that line reads as empty too.

The sandbox must answer such a body with its stored form, never a 500, and ``camp preview``
must not crash on it. ``tests/test_markdown_it_guard.py`` fails once a markdown-it-py release
no longer raises: then delete this module. Shared by the sandbox and the client: it is a fix to
a dependency, not a reading of Markdown.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType


def guard_text_end(md: MarkdownIt) -> MarkdownIt:
    """``md``, reading a last line that starts at the end of the text as an empty line."""
    md.block.__class__ = _GuardedParserBlock
    return md


class _GuardedStateBlock(StateBlock):
    def getLines(self, begin: int, end: int, indent: int, keepLastLF: bool) -> str:
        last = end - 1
        if begin < end and self.bMarks[last] >= len(self.src):  # the empty line at the end
            return super().getLines(begin, last, indent, True) if begin < last else ""
        return super().getLines(begin, end, indent, keepLastLF)


class _GuardedParserBlock(ParserBlock):
    def parse(
        self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]
    ) -> list[Token] | None:
        """``ParserBlock.parse`` (markdown-it-py 4.3.0) with the guarded state."""
        if not src:
            return None
        state = _GuardedStateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens
