"""``camp import`` in the engine: the ``--match`` glob, the document and files of each live
campaign, file stems, and ``id:`` pins for duplicated names (no HTTP)."""

from __future__ import annotations

import asyncio

import pytest

from reconciler.engine.importer import Imported, import_campaigns, slug
from reconciler.providers.base import LiveSummary
from tests.support.memory_provider import KIND, MemoryProvider


def _import(live: list[tuple[str, str]], match: str = "*") -> list[Imported]:
    provider = MemoryProvider([LiveSummary(i, name, "ready") for i, name in live])
    return asyncio.run(import_campaigns(provider, match=match))


LIVE = [("c1", "[camp] Q1 founders"), ("c2", "[camp] Q2"), ("c3", "Hand made"), ("c4", "[CAMP] x")]


@pytest.mark.parametrize(
    ("match", "ids"),
    [
        ("*", ["c1", "c2", "c3", "c4"]),
        ("[[]camp] *", ["c1", "c2"]),  # a glob: `[` opens a class, so it is escaped as `[[]`
        ("*Q?", ["c2"]),
        ("Hand*", ["c3"]),
        ("hand*", []),  # case-sensitive
        ("nothing", []),
    ],
)
def test_match_is_a_case_sensitive_glob_on_the_name(match: str, ids: list[str]) -> None:
    assert sorted(i.summary.id for i in _import(LIVE, match)) == ids


def test_each_live_campaign_comes_back_with_its_document_files_and_stem() -> None:
    (imported,) = _import([("c1", "[camp] Q1 founders")])
    assert imported.summary == LiveSummary("c1", "[camp] Q1 founders", "ready")
    assert imported.stem == "camp-q1-founders"
    exported = imported.exported
    assert exported.document == {"kind": KIND, "name": "[camp] Q1 founders", "greeting": "hi"}
    assert "id" not in exported.document  # a unique name needs no pin
    assert exported.files == {"camp-q1-founders.txt": "c1\n"}  # the provider got the stem
    assert exported.notes == ("exported c1",)


def test_duplicated_names_get_the_id_in_the_stem_and_a_pin_after_the_name() -> None:
    live = [("abcdef123456", "Twin"), ("zyxwvu987654", "Twin"), ("c3", "Solo")]
    imported = {i.summary.id: i for i in _import(live)}
    first, second = imported["abcdef123456"], imported["zyxwvu987654"]
    assert first.stem == "twin-abcdef12" and second.stem == "twin-zyxwvu98"
    assert list(first.exported.document) == ["kind", "name", "id", "greeting"]
    assert first.exported.document["id"] == "abcdef123456"
    assert second.exported.document["id"] == "zyxwvu987654"
    assert first.exported.files == {"twin-abcdef12.txt": "abcdef123456\n"}
    assert imported["c3"].stem == "solo" and "id" not in imported["c3"].exported.document


def test_names_that_slug_alike_get_distinct_stems_but_no_pin() -> None:
    imported = {i.summary.id: i for i in _import([("a1", "Q1 Founders"), ("b2", "q1-founders")])}
    assert {i.stem for i in imported.values()} == {"q1-founders-a1", "q1-founders-b2"}
    assert all("id" not in i.exported.document for i in imported.values())


def test_a_stem_clash_outside_the_match_does_not_count() -> None:
    (imported,) = _import([("a1", "Q1 Founders"), ("b2", "q1-founders")], match="Q1*")
    assert (imported.summary.id, imported.stem) == ("a1", "q1-founders")


def test_results_are_sorted_by_stem_then_id() -> None:
    result = _import([("c9", "Zeta"), ("c2", "Twin"), ("c1", "Twin"), ("c5", "Alpha")])
    assert [(i.stem, i.summary.id) for i in result] == [
        ("alpha", "c5"),
        ("twin-c1", "c1"),
        ("twin-c2", "c2"),
        ("zeta", "c9"),
    ]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("[camp] Q1 founders", "camp-q1-founders"),
        ("Ünïcode & spaces!!", "n-code-spaces"),
        ("***", "campaign"),
        ("x" * 70, "x" * 60),
    ],
)
def test_slug(name: str, stem: str) -> None:
    assert slug(name) == stem
