"""easymail's lossy Markdown storage: each flattening rule, and what it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.sandbox.easymail.markdown import flatten_markdown, flattened


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
        ("x <p>~~both~~ `x`</p>", "x both x"),  # inline HTML in a paragraph
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


_PROSE = st.text(alphabet=st.sampled_from(list("ab |-~[]x/*#\n ")), max_size=60)


@given(_PROSE)
def test_flattening_is_idempotent_without_code(text: str) -> None:
    once = flatten_markdown(text)
    assert flatten_markdown(once) == once


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("<a<b>>", "<a>"),  # `<a<` is no tag; only `<b>` is
        ("`` `x` ``", "`x`"),
        ("~~~~x~~~~", "~~~~x~~~~"),  # runs of four tildes are no strikethrough
    ],
)
def test_flattening_is_one_pass_over_the_written_constructs(written: str, stored: str) -> None:
    # The contract flattens the constructs that were written; text that only looks like one
    # once another is removed is stored as it is (the client predicts the same single pass).
    assert flatten_markdown(written) == stored


@given(st.text(alphabet=st.sampled_from(list("ab|-~<>`[] ")), max_size=40))
def test_fenced_code_survives_any_body(body: str) -> None:
    fenced = "```\n" + body.replace("`", "'") + "\n```"
    assert flatten_markdown("~~x~~\n\n" + fenced) == "x\n\n" + fenced


# -- CommonMark block structure and escapes (regressions) -------------------------------------


@pytest.mark.parametrize(
    "escaped",
    [
        "\\`not code\\`",
        "a \\`b\\` c",
        "\\<b>not html",
        "\\<!-- not a comment -->",
        "\\~~not struck\\~~",
        "\\~\\~not struck~~",
        "- \\[ ] not a task",
        "\\```\n`",
    ],
)
def test_backslash_escapes_are_literal_text(escaped: str) -> None:
    assert flatten_markdown(escaped) == escaped


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("\\\\`code`", "\\\\code"),  # an escaped backslash escapes nothing after it
        ("\\` `code`", "\\` code"),
        ("`a\\`", "a\\"),  # no escapes inside a code span
        ("\\~~~a~~", "\\~a"),  # the escaped tilde leaves a run of two
        ("\\*<b>x</b>", "\\*x"),
    ],
)
def test_escapes_next_to_constructs(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    "code",
    [
        "> ```\n> `x` <b>y</b> ~~z~~\n> ```",
        "> ~~~\n> | a | b |\n> |---|---|\n> ~~~",
        "> > ```\n> > `deep`\n> > ```",
        "- item\n\n  ```\n  `c` <i>x</i>\n  ```",
        "- > ```\n  > `quoted in item`\n  > ```",
        "1. one\n   ```\n   - [ ] `t`\n   ```",
        "> ```\n> unclosed `x`",
    ],
)
def test_fenced_code_in_containers_is_untouched(code: str) -> None:
    assert flatten_markdown(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "- item\n\n      `indented code in item`",
        "1. item\n\n       <b>code</b> ~~x~~",
        "- a\n  - b\n\n        `code in nested item`",
        "> para\n>\n>     `indented code in a quote`",
        "# Heading\n    `code right after a heading`",
        "Title\n=====\n    `code after a setext heading`",
        "- a\n```\nx\n```\n    `code after the list ended at a fence`",
        "***\n    `code after a rule`",
        "```\nx\n```\n    `code after a fence`",
        "-     `code as the item's first block`",
    ],
)
def test_indented_code_at_any_depth_is_untouched(code: str) -> None:
    assert flatten_markdown(code) == code


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("> ```\n> code\nnot <b>quoted</b>", "> ```\n> code\nnot quoted"),
        (
            "- a\n  ```\n  `x`\n`lazy?` no: the item ended",
            "- a\n  ```\n  `x`\nlazy? no: the item ended",
        ),
        ("> para\n    `lazy continuation`", "> para\n    lazy continuation"),
        ("- item\n\n    ~~list content~~", "- item\n\n    list content"),
        ("# Heading `x`\n\npara `y`", "# Heading x\n\npara y"),
        ("> a\n`b`\n> c", "> a\nb\n> c"),
    ],
)
def test_prose_next_to_code_is_flattened(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("<!--\n\nx\n-->", ""),
        ("<!--\nwhole\n\nblock\n-->\nafter", "\nafter"),
        ("para\n<!--\n\n`x`\n-->\n~~y~~", "para\n\ny"),
        ("<!--\n\n```\n-->\n`code`", "\ncode"),  # no fence inside a comment
        ("> <!--\n>\n> x\n> -->\n> after", "> \n> after"),
        ("- a\n\n  <!--\n\n  x\n  --> tail <b>y</b>", "- a\n\n   tail y"),
        ("<!-- a --> b <!-- c -->", " b "),
    ],
)
def test_comment_blocks_span_blank_lines(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("> | a | b |\n> |---|---|\n> | c | d |", "> a b\n> c d"),
        ("- item\n\n  | a | b |\n  |---|---|\n  | c | d |", "- item\n\n  a b\n  c d"),
        ("| a | b |\n|---|---|\n| c | d |\nno pipe", "a b\nc d\nno pipe"),  # GFM row
        ("| a | b |\n|---|---|\n# h", "a b\n# h"),
        ("| a | `b | c` |\n|---|---|---|", "a `b c`"),  # cells split before code spans
        ("| a | <br> | b |\n|---|---|---|", "a b"),  # a cell left empty is dropped
        ("| `a` | ~~b~~ |\n|---|---|", "a b"),
        ("> |  |\n> |--|", ">"),
        ("\\| a | b |\n|---|---|", "| a b"),  # an escaped pipe splits no cell
        ("| a |\r\n|---|\r\n| b |\r\n", "a\r\nb\r\n"),
    ],
)
def test_tables_follow_gfm_block_structure(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("[a](https://x.y/~~z~~) ~~w~~", "[a](https://x.y/~~z~~) w"),  # a URL is no Markdown
        ('[a](<https://x.y/`b`> "~~t~~")', '[a](<https://x.y/`b`> "~~t~~")'),
        ("[`a`](https://x.y)", "[a](https://x.y)"),
        ("[a] (`b`)", "[a] (b)"),  # no link: a space before the parenthesis
        ("~~a ~~b~~ c~~", "a b c"),  # a closer takes the nearest opener
        ("a~~.b~~", "a~~.b~~"),  # an opener before punctuation needs space or punctuation before
        ("~~a~~b", "ab"),
        ("x ~~~not~~~ y", "x ~~~not~~~ y"),  # GFM: only runs of two; markdown-it differs here
        ("x ~~a~~~", "x ~~a~~~"),
    ],
)
def test_inline_follows_commonmark(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


# -- places where the hand-written readings were wrong (CommonMark/GFM as the specs read) -----


@pytest.mark.parametrize(
    "kept",
    [
        "[terms]: <terms and conditions.html>",  # a link destination, not raw HTML
        "[terms]: <terms and conditions.html>\n\nSee [terms].",
        '[a]: <b c> "title"\n\n[a]',
        "*a ~~b* c~~",  # the tildes would pair across the emphasis: no strikethrough
        "- [ ]",  # a checkbox needs whitespace after it, and text after that
        "- [ ] ",
        "1. [x] ",
    ],
)
def test_commonmark_keeps_what_only_looks_flattened(kept: str) -> None:
    assert flatten_markdown(kept) == kept


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        # the seven HTML block starts: tags go, the rest is literal text (no code, no ~~, no [ ])
        ("<script>\n`x` ~~y~~ - [ ] z\n</script>", "\n`x` ~~y~~ - [ ] z\n"),
        ("<!-- c -->\n`x`", "\nx"),  # the block ends with its line
        ("<!--\n`x` ~~y~~\n-->\n`z`", "\nz"),
        ("<?php\n~~x~~ ?> ~~y~~", " ~~y~~"),
        ("<!DOCTYPE\n`x` > ~~y~~", " ~~y~~"),
        ("<![CDATA[\n`x`\n]]> ~~y~~", " ~~y~~"),
        ("<div>\n`x` [ ] ~~y~~\n</div>", "\n`x` [ ] ~~y~~\n"),
        ("<p>~~both~~ `x`</p>", "~~both~~ `x`"),
        ("<custom-tag>\n`x` ~~y~~", "\n`x` ~~y~~"),
        ("<div\n`x` ~~y~~", "<div\n`x` ~~y~~"),  # `<div` without `>` starts a block, no tag
        ("<!--`a`", "<!--`a`"),  # an unclosed comment runs to the end: nothing is a construct
        ("<!--\n`a` ~~b~~\n\n[ ] c", "<!--\n`a` ~~b~~\n\n[ ] c"),
        ("- <div>\n  `x` ~~y~~", "- \n  `x` ~~y~~"),  # in a list item
        ("> <pre>\n> - [ ] `x`\n> </pre>", "> \n> - [ ] `x`\n> "),  # in a quote
        ("para\n<div>\n`x`", "para\n\n`x`"),  # a type 6 block interrupts a paragraph
        ("para\n<custom-tag>\n`x`", "para\n\nx"),  # type 7 cannot: all inline
    ],
)
def test_html_blocks_are_raw_html_through_and_through(written: str, stored: str) -> None:
    assert flatten_markdown(written) == stored


def test_flattened_names_each_construct_where_it_was_written() -> None:
    text = "a `b` ~~c~~ <i>d</i>\n\n- [ ] e\n\n| f |\n|---|"
    assert [(f.kind, text[f.start : f.end]) for f in flattened(text)] == [
        ("code", "`"),
        ("code", "`"),
        ("strikethrough", "~~"),
        ("strikethrough", "~~"),
        ("html", "<i>"),
        ("html", "</i>"),
        ("task", "[ ] "),
        ("table row", "| f |"),
        ("table", "\n|---|"),
    ]
