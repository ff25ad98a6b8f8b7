from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reconciler.config.problems import Severity
from reconciler.markdown_it_guard import guard_text_end
from reconciler.providers.easymail.markdown import flatten_markdown, lint_markdown

TABLE = "table is not kept: each row is stored as its cells joined by spaces"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("a ~~old~~ b", "a old b"),
        ("~~two words~~ and ~~more~~", "two words and more"),
        ("- [ ] todo\n- [x] done\n* [X] also", "- todo\n- done\n* also"),
        ("1. [ ] first\n  - [x] nested", "1. first\n  - nested"),
        ("> - [ ] quoted", "> - quoted"),
        ("run `npm install` now", "run npm install now"),
        ("``a ` b``", "a ` b"),
        ("a `multi\nline` b", "a multi\nline b"),
        ("<b>bold</b> and <span class='x'>y</span>", "bold and y"),
        ("a<br>b<br/>c", "abc"),
        ("x <!-- note --> y", "x  y"),
        ("<!--\nwhole\n\nblock\n-->\nafter", "\nafter"),
        ("<div>\ntext\n</div>", "\ntext\n"),
        (
            "| Plan | Price |\n|---|--:|\n| Basic | $5 |\n| Pro | $9 |",
            "Plan Price\nBasic $5\nPro $9",
        ),
        ("Plan | Price\n:-- | --\nBasic | `$5`", "Plan Price\nBasic $5"),
        ("| a |  |\n|---|---|\n|  |  |\n| x | y |", "a\n\nx y"),
        ("| a \\| b | c |\n|---|---|", "a | b c"),
        ("- [ ]   spaced", "- spaced"),
        ("> | a | b |\n> |---|---|\n> | c | d |", "> a b\n> c d"),
        ("| a | b |\n|---|---|\n| c | d |\n\nafter", "a b\nc d\n\nafter"),
        ("text\r\n~~x~~\r\n", "text\r\nx\r\n"),
    ],
)
def test_flatten(text: str, stored: str) -> None:
    assert flatten_markdown(text) == stored
    assert flatten_markdown(stored) == stored  # already what the vendor keeps
    assert lint_markdown(stored) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a ~~old~~ b", [(0, 2, 'strikethrough "~~old~~" is stored as "old"')]),
        (
            "x\n- [ ] todo",
            [(1, 2, 'task list checkbox "[ ]" is dropped: the item is stored as "- todo"')],
        ),
        ("use `x`", [(0, 4, 'inline code "`x`" is stored as plain text "x"')]),
        (
            "<b>hi</b>",
            [
                (0, 0, 'raw HTML "<b>" is removed (the text around it is kept)'),
                (0, 5, 'raw HTML "</b>" is removed (the text around it is kept)'),
            ],
        ),
        ("a <!-- n -->", [(0, 2, 'HTML comment "<!-- n -->" is removed')]),
        (
            "intro\n\n| a | b |\n|---|---|\n| c | d |",
            [
                (
                    2,
                    0,
                    TABLE + ', e.g. "a b"',
                )
            ],
        ),
        (
            "| a | `b` |\n|---|---|",
            [
                (
                    0,
                    0,
                    TABLE + ', e.g. "a b"',
                ),
                (0, 6, 'inline code "`b`" is stored as plain text "b"'),
            ],
        ),
    ],
)
def test_lint_messages(text: str, expected: list[tuple[int, int, str]]) -> None:
    issues = lint_markdown(text)
    assert [(i.line, i.col, i.message) for i in issues] == expected
    assert all(i.severity is Severity.WARNING and i.hint for i in issues)


def test_one_issue_per_occurrence() -> None:
    text = "`a` `b`\n~~c~~ ~~d~~\n<i>e</i>"
    assert len(lint_markdown(text)) == 6


@pytest.mark.parametrize(
    "text",
    [
        "```\n<b>x</b> ~~s~~ `c`\n| a | b |\n|---|---|\n- [ ] t\n```",
        "~~~ html\n<b>x</b>\n~~~",
        "````\n```\n<b>still code</b>\n````",
        "para\n\n    <b>indented</b> `code`\n\n    ~~more~~",
        "> ```\n> <b>quoted code</b>\n> ```",
        "- item\n\n  ```\n  <b>code in item</b>\n  ```",
        "- item\n\n      <b>indented code in item</b>",
        "```\n<b>unclosed fence runs to the end</b>",
        "<!--\n```\n-->\n\n",
    ],
)
def test_code_blocks_are_immune(text: str) -> None:
    assert flatten_markdown(text) == text.replace("<!--\n```\n-->", "")
    assert [i.message for i in lint_markdown(text) if "comment" not in i.message] == []


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("- item\n\n    <b>continuation, not code</b>", "- item\n\n    continuation, not code"),
        ("para\n    <b>lazy line, not code</b>", "para\n    lazy line, not code"),
        ("```\ncode\n```\n<b>after</b>", "```\ncode\n```\nafter"),
        ("> ```\n> code\nnot <b>quoted</b>", "> ```\n> code\nnot quoted"),
        ("``` not `a fence`", "``` not a fence"),
    ],
)
def test_code_block_boundaries(text: str, stored: str) -> None:
    assert flatten_markdown(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "\\`not code\\`",
        "\\~~not struck\\~~",
        "\\~\\~not struck~~",
        "\\<b>not html",
        "<https://example.com/a?b=c>",
        "<mailto:ann@example.com> and <ann@example.com>",
        "a < b > c",
        "1 ~~ 2 ~~ 3",
        "~~~not~~~",
        "a ` lone backtick",
        "``unmatched`",
        "- [ ]",
        "[ ] not a list item",
        "a | b\nno delimiter row",
        "| a | b |\n|---|",
        "**bold** *it* _it_ [link](https://x.y) ![img](https://x.y/i.png)",
    ],
)
def test_not_flagged(text: str) -> None:
    assert lint_markdown(text) == []
    assert flatten_markdown(text) == text


def test_code_span_content_is_kept_as_commonmark_reads_it() -> None:
    # Backticks shown inside a code span become literal text: the stored form may then read as
    # a new code span. That is the vendor's doing; flattening is idempotent only without nesting.
    assert flatten_markdown("`` `x` ``") == "`x`"
    assert flatten_markdown("`` a ``") == "a"
    assert flatten_markdown("` `") == " "


def test_backtick_in_code_span_wins_over_html() -> None:
    assert flatten_markdown("see `<div>` here") == "see <div> here"
    assert [i.message for i in lint_markdown("see `<div>` here")] == [
        'inline code "`<div>`" is stored as plain text "<div>"'
    ]


def test_inline_constructs_do_not_cross_blank_lines() -> None:
    text = "a `b\n\nc` d ~~e\n\nf~~"
    assert lint_markdown(text) == []
    assert flatten_markdown(text) == text


# -- properties ------------------------------------------------------------------------------

WORD = st.text(alphabet="abcxyzABC0189.,!?'", min_size=1, max_size=6)
WORDS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"[{w}](https://example.com/{len(w)})"),
    WORDS.map(lambda w: f"![{w}](https://example.com/i.png)"),
)
LINE = st.lists(INLINE, min_size=1, max_size=3).map(" ".join)
CODE_LINE = st.lists(
    st.sampled_from(["<b>x</b>", "~~s~~", "`c`", "| a | b |", "- [ ] t", "<!-- c -->", "w"]),
    min_size=1,
    max_size=3,
).map(" ".join)
SUPPORTED_BLOCK = st.one_of(
    st.tuples(st.integers(1, 6), LINE).map(lambda t: "#" * t[0] + " " + t[1]),
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
    st.lists(LINE, min_size=1, max_size=3).map("  \n".join),  # hard line breaks
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
    st.lists(LINE, min_size=1, max_size=3).map(
        lambda ls: "\n".join(f"{i}. {x}" for i, x in enumerate(ls, 1))
    ),
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(f"> {x}" for x in ls)),
    st.lists(CODE_LINE, max_size=3).map(lambda ls: "\n".join(["```py", *ls, "```"])),
    st.lists(CODE_LINE, min_size=1, max_size=3).map(
        lambda ls: "para\n\n" + "\n".join(f"    {x}" for x in ls)
    ),
    st.just("***"),
)
SUPPORTED_DOC = st.lists(SUPPORTED_BLOCK, min_size=1, max_size=6).map("\n\n".join)
UNSUPPORTED_BLOCK = st.one_of(
    WORDS.map(lambda w: f"a ~~{w}~~ b"),
    WORDS.map(lambda w: f"- [ ] {w}\n- [x] {w}"),
    WORDS.map(lambda w: f"run `{w}` now"),
    WORDS.map(lambda w: f"<p>{w}</p> <!-- {w} -->"),
    st.lists(WORDS, min_size=2, max_size=3).map(
        lambda cells: "\n".join(
            [
                "| " + " | ".join(cells) + " |",
                "|" + "---|" * len(cells),
                "| " + " | ".join(cells) + " |",
            ]
        )
    ),
)
MIXED_DOC = st.lists(st.one_of(SUPPORTED_BLOCK, UNSUPPORTED_BLOCK), min_size=1, max_size=6).map(
    "\n\n".join
)


@given(SUPPORTED_DOC)
def test_supported_markdown_is_stored_unchanged(text: str) -> None:
    assert lint_markdown(text) == []
    assert flatten_markdown(text) == text


@given(MIXED_DOC)
def test_flatten_is_idempotent_and_leaves_nothing_to_lint(text: str) -> None:
    stored = flatten_markdown(text)
    assert flatten_markdown(stored) == stored
    assert lint_markdown(stored) == []


@given(MIXED_DOC)
def test_lint_is_silent_exactly_when_nothing_changes(text: str) -> None:
    assert (lint_markdown(text) == []) == (flatten_markdown(text) == text)


# -- CommonMark/GFM block structure (once wrong here; the sandbox agrees) ---------------------

COMMONMARK_CASES = [
    ("- a\n  - b\n\n    > ```\n    > `x`\n    > ```", None),  # a fence in a quote 4+ columns in
    ("x\n2. [ ] b", None),  # a numbered item not at 1 interrupts no paragraph
    ("x\n-\ny `z`", "x\n-\ny z"),  # `x⏎-` is a setext heading: `-` opens no item
    ("a ~~b\n*\nc~~", "a b\n*\nc"),  # `*` alone is an empty item: the paragraph goes on
    (">\t`1`", ">\t1"),  # the tab is partly the quote marker's space: no indented code
    ("><a\n><", None),  # quote markers are not inline text
    ("> <a\n> b>", "> "),
    ("-     <b>x</b>", None),  # an item opening with 5+ spaces opens with indented code
    ("-\n\n    <b>x</b>", None),  # an item opening blank ends at the blank line
    ("- # a `b\n`c", None),  # a heading has no lazy continuation
    ("- - [ ] x", "- - x"),  # a task item opened on another item's marker line
    ("- [ ] a\n  - [x] b\n    text [ ] c", "- a\n  - b\n    text [ ] c"),
    ("x~~(~~a", None),  # GFM flanking: after a letter, `~~` before punctuation opens nothing
    ("a |\n--", "a"),  # a delimiter row needs no pipe
    ("|\n-|", None),  # a header needs a cell
    ("| a | `b | c` |\n|---|---|---|", "a `b c`"),  # cells split before code spans
    ("| `a \\| b` |\n|---|", "a | b"),  # `\|` is a pipe inside a cell's code span
    ("| a | <br> | b |\n|---|---|---|", "a b"),  # a cell left empty is dropped
    ("| 0 |\r\n|---|", "0"),  # a dropped last line takes the whole CRLF before it
    ("a <!--> b", "a  b"),  # CommonMark 0.31: `<!-->` is a whole comment
    ("[a](https://x.y/~~z~~) ~~w~~", "[a](https://x.y/~~z~~) w"),  # a destination is opaque
    ("> a `b\n> c` d", "> a b\n> c d"),  # a code span across quoted lines keeps the markers
]


@pytest.mark.parametrize(("text", "stored"), COMMONMARK_CASES)
def test_block_structure_follows_commonmark(text: str, stored: str | None) -> None:
    expected = text if stored is None else stored
    assert flatten_markdown(text) == expected
    assert (lint_markdown(text) == []) == (expected == text)


DROPPED_TOKENS = {"code_inline", "s_open", "html_inline", "html_block", "table_open"}


def _tokens(text: str) -> list[Any]:
    """markdown-it-py's tokens for ``text``, nested ones after their parent, in text order."""
    md = guard_text_end(MarkdownIt("commonmark").enable(["table", "strikethrough"]))

    def walk(tokens: list[Any]) -> list[Any]:
        return [each for token in tokens for each in [token, *walk(token.children or [])]]

    return walk(md.parse(text))


@pytest.mark.parametrize(("text", "stored"), COMMONMARK_CASES)
def test_commonmark_cases_agree_with_markdown_it(text: str, stored: str | None) -> None:
    """markdown-it-py (tests only) as the oracle: lint reports what it reads as dropped.

    Without the tasklist plugin, a checkbox is the text opening a list item's first paragraph.
    """
    written = _tokens(text)
    dropped = {t.type for t in written} & DROPPED_TOKENS
    tasks = [
        token
        for before, token in zip(written, written[2:], strict=False)
        if before.type == "list_item_open" and token.content.startswith(("[ ] ", "[x] "))
    ]
    assert bool(lint_markdown(text)) == bool(dropped or tasks)
    code = [(t.type, t.content) for t in written if t.type in ("fence", "code_block")]
    kept = [(t.type, t.content) for t in _tokens(flatten_markdown(text))]
    assert [pair for pair in kept if pair[0] in ("fence", "code_block")] == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> a `b`", [(0, 4, "inline code")]),
        (
            "- - [ ] x",
            [(0, 4, 'task list checkbox "[ ]" is dropped: the item is stored as "- - x"')],
        ),
        ("> <a\n> b>", [(0, 2, 'raw HTML "<a⏎b>"')]),
        ("text\r\n`x`", [(1, 0, "inline code")]),
        ("<!--\nnote\n-->\nafter", [(0, 0, 'HTML comment "<!--⏎note⏎-->" is removed')]),
        (
            "  a |\n  --",
            [
                (
                    0,
                    2,
                    'table is not kept: each row is stored as its cells joined by spaces, e.g. "a"',
                )
            ],
        ),
        (
            "| a | `b \\| c` |\n|---|---|",
            [(0, 0, "table"), (0, 6, '"`b | c`" is stored as plain text "b | c"')],
        ),
        ("x\n2. [ ] b", []),
        ("- a\n\n      <b>code</b>\n  ~~s~~", [(3, 2, "strikethrough")]),
    ],
)
def test_lint_positions_in_containers(text: str, expected: list[tuple[int, int, str]]) -> None:
    issues = lint_markdown(text)
    assert [(i.line, i.col) for i in issues] == [(line, col) for line, col, _ in expected]
    assert all(part in i.message for i, (_, _, part) in zip(issues, expected, strict=True))


# what each message quotes of the written construct, and how the construct starts
QUOTED = re.compile(
    r'^(?:inline code|raw HTML|HTML comment|strikethrough|task list checkbox) "(.*?)"'
    r"(?= is (?:stored|removed|dropped))"
)
ROUGH = st.lists(
    st.sampled_from(
        [
            *["a", "b", " ", "    ", "\t", "\n", "\n\n", "\r\n", ">", "> ", "- ", "2. ", "# "],
            *["`", "``", "```", "~~", "~~~", "<b>", "</b>", "<a\n", "<!--", "-->", "<br>", "|"],
            *[" | ", "--", "|---|", "[ ] ", "[x] ", "](", ")", "\\"],
        ]
    ),
    max_size=16,
).map("".join)


@given(st.one_of(MIXED_DOC, ROUGH))
def test_each_issue_sits_where_its_construct_starts(text: str) -> None:
    lines = text.split("\n")
    stored = flatten_markdown(text)
    issues = lint_markdown(text)
    assert (issues == []) == (stored == text)
    for issue in issues:
        written = lines[issue.line][issue.col :]
        if issue.message.startswith("table"):
            assert written.strip()
            continue
        quoted = QUOTED.match(issue.message)
        assert quoted is not None, issue.message
        # the first line of the construct as written (a cell's `\|` is quoted unescaped)
        shown = quoted.group(1).removesuffix("…").split("⏎")[0].split("|")[0]
        assert written.startswith(shown), (issue, written)


# -- the bugs the differential test found, each pinned by hand -------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        # a reference definition's <destination> is no HTML tag (CommonMark 0.31.2 ex. 193-196)
        ("[terms]: <terms and conditions.html>\n\nSee [terms].", None),
        ("[Foo bar]:\n<my url>\n'title'\n\n[Foo bar]", None),
        ('[t]: /u "a `b` ~~c~~"\n\n`x` [t]', '[t]: /u "a `b` ~~c~~"\n\nx [t]'),
        # definitions lead a paragraph only: then the text is inline again
        ("[t]: <a b>\ntext <b>x</b>", "[t]: <a b>\ntext x"),
        ("text\n[t]: <a b>", "text\n[t]: "),
        ("> [t]: <a b>", None),
    ],
)
def test_link_reference_definitions_are_no_inline_content(text: str, stored: str | None) -> None:
    expected = text if stored is None else stored
    assert flatten_markdown(text) == expected
    assert (lint_markdown(text) == []) == (expected == text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        # 1: script, pre, style, textarea to their closing tag, blank lines included
        ("<script>\nlet a = `b`\n\n~~c~~\n</script> `d`\n`e`", "\nlet a = `b`\n\n~~c~~\n `d`\ne"),
        ("<pre class='x'>`a`</pre> `b`", "`a` `b`"),
        ("<TEXTAREA>\n\n`a`\n</textarea>", "\n\n`a`\n"),
        # 2: a comment to the first line holding -->, that line's rest included
        ("<!-- a\n\n`b` --> `c`\n`d`", " `c`\nd"),
        ("<!-- note --> `kept` ~~too~~", " `kept` ~~too~~"),
        ("<!-- never closed `a`\n\n`b`", None),
        ("<!-->`a`", "`a`"),
        # 3: a processing instruction, 4: a declaration, 5: CDATA
        ("<?php\n\n  echo '>';\n\n?>\nokay `x`", "\nokay x"),
        ("<!DOCTYPE html\n`a`> `b`\n\n`c`", " `b`\n\nc"),
        ("<![CDATA[\n`a`\n\n]]> `b`", " `b`"),
        # 6: block-level names, `<div` without `>` too, to a blank line
        ("<div\nclass='x'>`a`\n~~b~~ [ ] c\n\n`d`", "`a`\n~~b~~ [ ] c\n\nd"),
        ("</DIV> `a`", " `a`"),
        ("para\n<div> `a`", "para\n `a`"),  # 1-6 interrupt a paragraph
        # 7: a whole open or closing tag alone on its line; it interrupts no paragraph
        ("<b>\n`a`\n\n`b`", "\n`a`\n\nb"),
        ('<a href="x">\n~~a~~', "\n~~a~~"),
        ("para\n<b>\n`a`", "para\n\na"),
        ("<b> `a`", " a"),  # more than the tag on the line: a paragraph
        # in containers: the container's end ends the block; no lazy continuation
        ("- <div>\n  `a`\n\n`b`", "- \n  `a`\n\nb"),
        ("> <!-- a --> `b`", ">  `b`"),
        ("> <div>\n> `a`\n`b`", "> \n> `a`\nb"),
        ("> <!--\n`a`", "> <!--\na"),
        # a table ends at an HTML block of any condition (cmark-gfm)
        ("| a |\n|---|\n<div>`x`", "a\n`x`"),
    ],
)
def test_html_blocks_follow_commonmark(text: str, stored: str | None) -> None:
    expected = text if stored is None else stored
    assert flatten_markdown(text) == expected
    assert (lint_markdown(text) == []) == (expected == text)


def test_html_block_tags_are_reported_where_they_stand() -> None:
    issues = lint_markdown("> <div>\n> `a`\n> </div>")
    assert [(i.line, i.col, i.message) for i in issues] == [
        (0, 2, 'raw HTML "<div>" is removed (the text around it is kept)'),
        (2, 2, 'raw HTML "</div>" is removed (the text around it is kept)'),
    ]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("*a ~~b* c~~", None),  # the emphasis pair removes the ~~ opener inside it
        ("_a ~~b_ c~~", None),
        ("~~a *b~~ c*", "a *b c*"),  # the strikethrough closes first
        ("**a ~~b** c~~ d~~", None),  # `c~~ ` opens nothing: the last ~~ finds no opener
        ("*a* ~~b~~", "*a* b"),
        ("~~a [b~~](u) c", None),  # a link's text pairs on its own
        ("~~[a](u)~~ [b~~](u)", "[a](u) [b~~](u)"),
        ("[~~a](u)~~", None),
        ("![~~a~~](u)", "![a](u)"),
        ("[t]: /u\n\n~~[a~~][t] b~~", "[t]: /u\n\n[a~~][t] b"),  # a reference link: scoped
        ("~~[a~~][nowhere] b~~", "[a][nowhere] b~~"),  # no such label: no link, no scope
        ("~one~ ~~~three~~~", None),  # GFM strikes between runs of exactly two tildes
    ],
)
def test_strikethrough_pairs_as_gfm_does(text: str, stored: str | None) -> None:
    expected = text if stored is None else stored
    assert flatten_markdown(text) == expected
    assert (lint_markdown(text) == []) == (expected == text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |", "abc def\nbar\nbar baz"),
        ("- [ ]\n  text", "- \n  text"),  # a marker alone on its line, the item going on
        ("- [ ] Hello\n  ---", "- Hello\n  ---"),  # before a setext heading
        ("x <!-- a---> y", "x  y"),  # CommonMark 0.31.2: a comment's text may end in -
    ],
)
def test_tables_tasks_and_comments_follow_gfm(text: str, stored: str) -> None:
    assert flatten_markdown(text) == stored
