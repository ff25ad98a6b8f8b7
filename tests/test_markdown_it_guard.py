"""``reconciler.markdown_it_guard``: markdown-it-py's read past the end of the text, guarded.

The inputs end on a bare block-quote marker with something open inside the quote; the
expected HTML is markdown-it (JS)'s, which reads ``NaN`` there instead of raising.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reconciler.markdown_it_guard import guard_text_end
from tests.providers.easymail.easymail_markdown_reference import spec_examples

SPECS = Path(__file__).parent / "sandbox" / "easymail" / "spec"

UNCLOSED_COMMENT_IN_A_QUOTED_LIST = "> - <!--\n>"
TABLE_AT_THE_END_OF_A_QUOTE = "> | a | b |\n> |---|---|\n>"
NESTED = "> > - Hello\n> >\n> >   <!-- unclosed [terms]\n> >\n> >   | Hello |\n> >   |---|\n> >"
CRASHING = [UNCLOSED_COMMENT_IN_A_QUOTED_LIST, NESTED, "> * x\n>   <?php\n>"]


def gfm() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.mark.parametrize("text", CRASHING)
def test_markdown_it_py_still_needs_the_guard(text: str) -> None:
    """When this fails, a markdown-it-py release reads these inputs: delete the guard module
    (and its calls), after checking the expected HTML below still holds unguarded."""
    with pytest.raises(IndexError):
        gfm().parse(text)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            UNCLOSED_COMMENT_IN_A_QUOTED_LIST,
            "<blockquote>\n<ul>\n<li>\n<!--\n</li>\n</ul>\n</blockquote>\n",
        ),
        (
            TABLE_AT_THE_END_OF_A_QUOTE,
            "<blockquote>\n<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
            "</table>\n</blockquote>\n",
        ),
        (
            NESTED,
            "<blockquote>\n<blockquote>\n<ul>\n<li>\n<p>Hello</p>\n<!-- unclosed [terms]\n\n"
            "| Hello |\n|---|\n</li>\n</ul>\n</blockquote>\n</blockquote>\n",
        ),
        ("> x\n>", "<blockquote>\n<p>x</p>\n</blockquote>\n"),
        ("# Title\n>", "<h1>Title</h1>\n<blockquote></blockquote>\n"),
    ],
)
def test_the_guarded_parser_reads_the_end_as_markdown_it_js_does(text: str, html: str) -> None:
    assert guard_text_end(gfm()).render(text) == html


def test_without_html_the_comment_is_text() -> None:
    md = guard_text_end(MarkdownIt("commonmark", {"html": False}).enable("table"))
    assert md.render(UNCLOSED_COMMENT_IN_A_QUOTED_LIST) == (
        "<blockquote>\n<ul>\n<li>&lt;!--</li>\n</ul>\n</blockquote>\n"
    )


def spec_texts() -> list[str]:
    texts = [text for spec in sorted(SPECS.glob("*.json")) for *_, text in spec_examples(spec)]
    return texts + [text.rstrip("\n") for text in texts]  # also as the last line of a body


def test_the_guard_changes_nothing_markdown_it_py_reads_without_it() -> None:
    plain, guarded = gfm(), guard_text_end(gfm())
    texts = spec_texts()
    assert len(texts) > 2000
    for text in texts:
        assert guarded.render(text) == plain.render(text), text
