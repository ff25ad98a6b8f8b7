"""The sandbox's Markdown reading, differentially, against the CommonMark and GFM spec examples.

The specs' own examples (``spec/``, CC BY-SA 4.0) are the independent answer: for each one
the spec gives the HTML of its reading. Two things are held to it:

- the reading: ``render_html`` (plain CommonMark) renders every CommonMark 0.31.2 example as
  the spec does, and the reader flattening walks (with the GFM extensions) renders every GFM
  0.29 example as that spec does, but for ``GFM_DEVIATIONS``;
- the flattening: the constructs it finds are the ones the spec's HTML shows. Where an example
  holds no ``<`` (so every tag in the spec's HTML is one the reading made), it flattens exactly
  the spec's code spans, ``~~`` pairs, tables and task checkboxes, and leaves an example with
  none of them unchanged; where it removes raw HTML, that HTML stands verbatim in the spec's
  output (raw HTML is passed through, anything else would be escaped or rendered).

They run over every example, every time: markdown-it-py is a dependency of the sandbox.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox.easymail.markdown import flatten_markdown, flattened, render_html
from reconciler.sandbox.easymail.markdown_reader import gfm_reader

SPEC = Path(__file__).parent / "spec"
AUTOLINKS = "GFM's extended autolinks (bare www., URLs, emails) are links either way: kept"
COMMENTS = "HTML comments as CommonMark 0.31.2 reads them (the GFM spec predates the change)"
TAGFILTER = "GFM's tagfilter changes rendered HTML, not what was written: the vendor drops tags"
GFM_DEVIATIONS = {
    **dict.fromkeys(range(621, 632), AUTOLINKS),
    645: COMMENTS,
    646: COMMENTS,
    653: TAGFILTER,
}


def _examples(name: str) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = json.loads((SPEC / name).read_text(encoding="utf-8"))
    return examples


COMMONMARK = _examples("commonmark-0.31.2.json")
GFM = _examples("gfm-0.29.json")


def _params(spec: str, examples: list[dict[str, Any]], deviations: dict[int, str]) -> list[Any]:
    return [
        pytest.param(
            example,
            id=f"{spec}-{example['example']}",
            marks=[pytest.mark.xfail(strict=True, reason=deviations[example["example"]])]
            if example["example"] in deviations
            else [],
        )
        for example in examples
    ]


def _same_html(html: str) -> str:
    """The spec runner's normalisation, as far as it matters here: an empty blockquote."""
    return html.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")


def _gfm_html(html: str) -> str:
    """markdown-it's spelling of the GFM extensions' HTML, in the GFM spec's spelling."""
    html = html.replace("<s>", "<del>").replace("</s>", "</del>")
    html = re.sub(r' style="text-align:(\w+)"', r' align="\1"', html)
    html = re.sub(r' class="(?:task-list-item|contains-task-list)"', "", html)
    html = html.replace(' class="task-list-item-checkbox"', "")
    html = html.replace(' checked="checked"', ' checked=""')
    return html.replace(' disabled="disabled" type="checkbox">', ' disabled="" type="checkbox">')


@pytest.mark.parametrize("example", _params("commonmark", COMMONMARK, {}))
def test_commonmark_examples_render_as_the_spec_says(example: dict[str, Any]) -> None:
    assert _same_html(render_html(example["markdown"])) == _same_html(example["html"])


@pytest.mark.parametrize("example", _params("gfm", GFM, GFM_DEVIATIONS))
def test_gfm_examples_read_as_the_spec_says(example: dict[str, Any]) -> None:
    rendered = _gfm_html(gfm_reader().render(example["markdown"]))
    assert _same_html(rendered) == _same_html(example["html"])


def _spec_constructs(html: str, *, strikethrough: bool) -> Counter[str]:
    """What the spec's HTML shows of the constructs the vendor flattens (cells aside)."""
    tables = html.count("<table>")
    outside = re.sub(r"<table>.*?</table>", "", html, flags=re.DOTALL)
    return Counter(
        code=len(re.findall(r"(?<!<pre>)<code>", outside)),
        strikethrough=outside.count("<del>") if strikethrough else 0,
        table=tables,
        task=html.count("<input "),
    )


def _found_constructs(markdown: str, *, strikethrough: bool) -> Counter[str]:
    kinds = Counter(each.kind for each in flattened(markdown))
    return Counter(
        code=kinds["code"] // 2,  # a span's two backtick runs
        strikethrough=kinds["strikethrough"] // 2 if strikethrough else 0,
        table=kinds["table"],  # one delimiter row a table
        task=kinds["task"],
    )


def _both(keep: Any) -> list[Any]:
    """The examples of both specs for which ``keep(markdown)`` holds, with their spec's name."""
    return [
        pytest.param(example, spec, id=f"{spec}-{example['example']}")
        for spec, examples in (("commonmark", COMMONMARK), ("gfm", GFM))
        for example in examples
        if keep(example["markdown"])
    ]


@pytest.mark.parametrize(("example", "spec"), _both(lambda markdown: "<" not in markdown))
def test_flattening_finds_the_constructs_the_spec_reads(example: dict[str, Any], spec: str) -> None:
    markdown, gfm = example["markdown"], spec == "gfm"
    expected = _spec_constructs(example["html"], strikethrough=gfm)
    assert _found_constructs(markdown, strikethrough=gfm) == expected
    if not +expected:
        assert flatten_markdown(markdown) == markdown


@pytest.mark.parametrize(("example", "spec"), _both(lambda markdown: "<" in markdown))
def test_with_raw_html_nothing_is_flattened_that_the_spec_does_not_read(
    example: dict[str, Any], spec: str
) -> None:
    """Raw HTML may spell the reading's own tags, so the spec's counts are upper bounds here."""
    markdown, gfm = example["markdown"], spec == "gfm"
    if gfm and example["example"] in GFM_DEVIATIONS:
        return  # read differently on purpose, see GFM_DEVIATIONS
    bound = _spec_constructs(example["html"], strikethrough=gfm)
    found = _found_constructs(markdown, strikethrough=gfm)
    assert {kind: n for kind, n in found.items() if n > bound[kind]} == {}
    removed = [markdown[f.start : f.end] for f in flattened(markdown) if f.kind == "html"]
    assert [tag for tag in removed if tag not in example["html"]] == []
