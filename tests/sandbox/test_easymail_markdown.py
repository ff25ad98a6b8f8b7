"""easymail's lossy Markdown storage: each flattening rule, and what it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.sandbox.easymail_markdown import flatten_markdown


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a b\n1 2"),
        ("a | b\n--- | :-:\n1 | 2", "a b\n1 2"),
        ("| Name | Price |\n|:-----|------:|\n| Tea | 3 |\n\nafter", "Name Price\nTea 3\n\nafter"),
        ("| a | |\n|---|---|\n| | b |", "a\nb"),
        ("| a \\| b | c |\n|---|---|", "a | b c"),
        ("| one |\n|---|\n| two |", "one\ntwo"),
        ("intro\n| a | b |\n|---|---|\n| 1 | 2 |", "intro\na b\n1 2"),
    ],
)
def test_tables_become_rows_of_cell_text(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    "untouched",
    [
        "a | b",  # pipes without a delimiter row are not a table
        "| a | b |\n|---|",  # column counts differ
        "Title\n---",  # a setext heading
        "a | b\n\n---",  # a horizontal rule after a blank line
    ],
)
def test_pipes_that_are_not_tables_stay(untouched: str) -> None:
    assert flatten_markdown(untouched) == untouched


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("~~gone~~ text", "gone text"),
        ("a ~~two words~~ b ~~c~~", "a two words b c"),
        ("~~ spaced ~~", "~~ spaced ~~"),
        ("~single~", "~single~"),
        ("- [ ] todo", "- todo"),
        ("- [x] done\n- [X] done too", "- done\n- done too"),
        ("* [ ] star\n+ [x] plus\n1. [ ] one\n2) [x] two", "* star\n+ plus\n1. one\n2) two"),
        ("  - [ ] nested", "  - nested"),
        ("- [link](x) stays", "- [link](x) stays"),
        ("[ ] not a list item", "[ ] not a list item"),
        ("use `code` here", "use code here"),
        ("``a ` b``", "a ` b"),
        ("`` `ticks` ``", "`ticks`"),
        ("`<b>kept</b>` and `~~kept~~`", "<b>kept</b> and ~~kept~~"),
        ("an `unclosed span", "an `unclosed span"),
        ("<b>bold</b> and <span class='x'>span</span>", "bold and span"),
        ("line<br>break<br/>again<br />", "linebreakagain"),
        ("<!-- note -->text", "text"),
        ('<div\nclass="wide">\ninside\n</div>', "\ninside\n"),
        (
            "<https://example.com> and <me@example.com>",
            "<https://example.com> and <me@example.com>",
        ),
        ("a < b > c", "a < b > c"),
        ("<p>~~both~~ `x`</p>", "both x"),
    ],
)
def test_inline_constructs_are_flattened(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    "code",
    [
        "```\n| a | b |\n|---|---|\n~~x~~ <b>y</b> `z`\n- [ ] t\n```",
        "~~~python\n~~x~~\n~~~",
        "````\n```\n~~x~~\n```\n````",
        "```\nnever closed ~~x~~\n<b>",
        "    ~~indented~~ <b>code</b>\n    | a | b |\n    |---|---|",
        "para\n\n\t`tab indented`",
    ],
)
def test_code_blocks_are_left_untouched(code: str) -> None:
    assert flatten_markdown(code) == code


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("```\n~~in~~\n```\n~~out~~", "```\n~~in~~\n```\nout"),
        ("para\n    ~~continuation~~", "para\n    continuation"),
        ("- item\n\n    ~~list content~~", "- item\n\n    list content"),
        ("~~a\n\nb~~", "~~a\n\nb~~"),  # inline constructs never span paragraphs
    ],
)
def test_code_and_prose_are_told_apart(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    "kept",
    [
        "# Heading\n\n###### Six",
        "**bold** and *italic* and _also_",
        "[link](https://example.com) ![img](https://example.com/a.png)",
        "- one\n- two\n\n1. first\n2. second",
        "> quoted\n> more",
        "---",
        "hard  \nbreak",
        "",
    ],
)
def test_supported_markdown_is_kept(kept: str) -> None:
    assert flatten_markdown(kept) == kept


_PROSE = st.text(alphabet=st.sampled_from(list("ab |-~[]x<>/*#\n ")), max_size=60)


@given(_PROSE)
def test_flattening_is_idempotent_without_code(text: str) -> None:
    once = flatten_markdown(text)
    assert flatten_markdown(once) == once


@given(st.text(alphabet=st.sampled_from(list("ab|-~<>`[] ")), max_size=40))
def test_fenced_code_survives_any_body(body: str) -> None:
    fenced = "```\n" + body.replace("`", "'") + "\n```"
    assert flatten_markdown("~~x~~\n\n" + fenced) == "x\n\n" + fenced
