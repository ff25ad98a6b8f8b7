from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.config.problems import Severity
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
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])

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
