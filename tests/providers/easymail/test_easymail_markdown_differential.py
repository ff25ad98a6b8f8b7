"""The client's prediction held against an independent one built on markdown-it-py.

``flatten_markdown`` reads Markdown with its own scanner; ``easymail_markdown_reference`` asks
markdown-it-py which text is which construct and applies the same contract rules. They must
store the same body, exactly, on (a) every CommonMark 0.31.2 spec example, (b) every GFM spec
example and (c) generated newsletter bodies; and ``lint_markdown`` must be silent exactly when
the reference stores the body unchanged. The spec examples are vendored once, with their
licence, under ``tests/sandbox/easymail/spec/`` (CommonMark 0.31.2, GFM 0.29).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from easymail_markdown_reference import reference_flatten, spec_examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reconciler.providers.easymail.markdown import flatten_markdown, lint_markdown

SPEC = Path(__file__).parents[2] / "sandbox" / "easymail" / "spec"
SPECS = {"commonmark": "commonmark-0.31.2.json", "gfm": "gfm-0.29.json"}

# Every example must agree: where the GFM spec (on CommonMark 0.29) and CommonMark 0.31.2
# disagree (`<!-->`, `<!-- a--->`), both readings follow 0.31.2, as the client documents.
EXAMPLES = [
    pytest.param(markdown, id=f"{name}-{number}")
    for name, file in SPECS.items()
    for number, _, markdown in spec_examples(SPEC / file)
]


def test_the_vendored_specs_are_whole() -> None:
    assert len(spec_examples(SPEC / SPECS["commonmark"])) == 652
    assert len(spec_examples(SPEC / SPECS["gfm"])) == 673


@pytest.mark.parametrize("markdown", EXAMPLES)
def test_spec_example_is_stored_as_the_reference_stores_it(markdown: str) -> None:
    stored = reference_flatten(markdown)
    assert flatten_markdown(markdown) == stored
    assert (lint_markdown(markdown) == []) == (stored == markdown)


# -- generated newsletters --------------------------------------------------------------------

WORD = st.sampled_from(
    ["Hello", "team", "sale", "price", "new", "x", "a_b", "2024", "€9", "(soon)", "it's", "ok!"]
)
WORDS = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ATOM = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"_{w}_"),
    WORDS.map(lambda w: f"[{w}](https://example.com/{len(w)} 'Title')"),
    WORDS.map(lambda w: f"[{w}][terms]"),
    st.sampled_from(["[terms]", "[Terms][]", "[nowhere]", "[a](<b c>)", "![logo](/i.png)"]),
    WORDS.map(lambda w: f"`{w}`"),
    WORDS.map(lambda w: f"`` a `{w}` ``"),
    WORDS.map(lambda w: f"~~{w}~~"),
    WORDS.map(lambda w: f"<b>{w}</b>"),
    WORDS.map(lambda w: f'<span class="x">{w}</span>'),
    WORDS.map(lambda w: f"<!-- {w} -->"),
    st.sampled_from(["<br>", "<br/>", "<https://example.com/a~~b~~>", "<ann@example.com>"]),
    st.sampled_from(["\\*", "\\~~", "\\<b>", "&amp;", "~one~", "~~~three~~~", "a ~ b", "*"]),
    # strikethrough and emphasis across each other's boundaries, or a link's
    st.sampled_from(["*a ~~b* c~~", "~~a *b~~ c*", "_a ~~b_ c~~", "~~a [b~~](u) c", "~~[a](u)~~"]),
    st.sampled_from(["**a ~~b** c~~ d~~", "[~~a](u)~~", "![~~a~~](u)", "~~a `b~~` c~~"]),
)
LINE = st.lists(ATOM, min_size=1, max_size=4).map(" ".join)
HTML_BLOCK = st.one_of(
    LINE.map(lambda line: f"<div>\n{line}\n</div>"),
    LINE.map(lambda line: f'<div class="box"\n  data-x="1">\n{line}\n</div>'),
    LINE.map(lambda line: f"<div>\n\n{line}\n\n</div>"),
    LINE.map(lambda line: f"<!--\n{line}\n\n{line}\n-->"),
    LINE.map(lambda line: f"<!-- note --> {line}"),
    LINE.map(lambda line: f"<details>\n<summary>{line}</summary>\n{line}\n</details>"),
    LINE.map(lambda line: f"<table><tr><td>{line}</td></tr></table>"),
    LINE.map(lambda line: f"<script>\n{line}\n\n{line}\n</script> {line}"),
    LINE.map(lambda line: f"<?php\n{line}\n?> {line}"),
    LINE.map(lambda line: f"<![CDATA[{line}\n]]> {line}"),
    LINE.map(lambda line: f"<!DOCTYPE html\n{line}> {line}"),
    LINE.map(lambda line: f"<b>\n{line}"),
    LINE.map(lambda line: f'<a href="{line}">\n{line}'),
    LINE.map(lambda line: f"<center\n{line}"),
    LINE.map(lambda line: f"<!-- unclosed {line}"),
)
DEFINITION = st.sampled_from(
    [
        "[terms]: <https://example.com/terms and conditions.html>",
        '[terms]: https://example.com/t~~x~~ "The `terms`"',
        "[Terms]:\n  <t.html>\n  'Title <b>'",
        "[terms]: /t 'unclosed\nnext `line`",
        "[a b]: /x (paren)",
    ]
)


def _table(rows: list[list[str]]) -> str:
    width = len(rows[0])
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


LEAF = st.one_of(
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
    st.lists(LINE, min_size=2, max_size=3).map("  \n".join),
    st.tuples(st.integers(1, 6), LINE).map(lambda t: "#" * t[0] + " " + t[1]),
    LINE.map(lambda line: f"{line}\n---"),
    st.lists(LINE, max_size=2).map(lambda ls: "\n".join(["```html", *ls, "```"])),
    st.lists(LINE, min_size=1, max_size=2).map(
        lambda ls: "# Code\n\n" + "\n".join("    " + x for x in ls)
    ),
    # A blank line after a table and after a definition: there markdown-it-py reads a line
    # that cmark-gfm does not (a row where cmark-gfm opens an HTML block of condition 7; a new
    # block where CommonMark continues the paragraph the definition is extracted from).
    st.lists(st.lists(LINE, min_size=1, max_size=3), min_size=1, max_size=3).map(
        lambda rows: _table(rows) + "\n"
    ),
    HTML_BLOCK,
    DEFINITION.map(lambda definition: definition + "\n"),
    st.just("***"),
)


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> str:
    """A leaf, or (up to three deep) a quote or list item holding blocks."""
    kind = draw(st.sampled_from(["leaf", "leaf", "quote", "item"] if depth < 3 else ["leaf"]))
    if kind == "leaf":
        return draw(LEAF)
    children = draw(st.lists(_block(depth + 1), min_size=kind == "quote", max_size=2))
    if kind == "quote":
        body = "\n\n".join(children).split("\n")
        return "\n".join("> " + line if line else ">" for line in body)
    # An item opens with a line: a task marker before a table or a setext heading is read
    # differently by the task list plugin and by cmark-gfm (see the reference's docstring).
    body = "\n\n".join([draw(LINE), *children]).split("\n")
    marker = draw(st.sampled_from(["-", "*", "1.", "2)"])) + " "
    task = draw(st.sampled_from(["", "", "[ ] ", "[x] "]))
    pad = " " * len(marker)
    rest = [pad + line if line else "" for line in body[1:]]
    return "\n".join([marker + task + body[0], *rest])


NEWSLETTER = st.tuples(
    st.lists(_block(), min_size=1, max_size=5), st.lists(st.sampled_from(["\n\n", "\n"]))
).map(
    lambda t: "".join(
        block + (t[1][i] if i < len(t[1]) else "\n\n") for i, block in enumerate(t[0])
    ).rstrip("\n")
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSLETTER)
# markdown-it-py raised IndexError on this one (reconciler.markdown_it_guard)
@example("> > - Hello\n> >\n> >   <!-- unclosed [terms]\n> >\n> >   | Hello |\n> >   |---|\n> >")
def test_generated_newsletters_are_stored_as_the_reference_stores_them(text: str) -> None:
    stored = reference_flatten(text)
    assert flatten_markdown(text) == stored
    assert (lint_markdown(text) == []) == (stored == text)
