from __future__ import annotations

import pytest

from reconciler.config.problems import Location
from reconciler.config.yamlload import YamlError, load_documents


def _one(text: str):
    return load_documents(text, "f.yaml")[0].data


def test_every_mapping_and_item_knows_its_location() -> None:
    data = _one("a: 1\nb:\n  - x\n  - y: 2\n")
    assert data.location == Location("f.yaml", 1, 1)
    assert data.key_location("b") == Location("f.yaml", 2, 1)
    assert data["b"].item_locations == [Location("f.yaml", 3, 5), Location("f.yaml", 4, 5)]
    assert data["b"][1].value_location("y") == Location("f.yaml", 4, 8)


def test_block_scalar_text_is_anchored_for_issues_inside_it() -> None:
    data = _one("body: |\n  line one\n  line {{two\n")
    anchor = data.text_anchors["body"]
    assert anchor.locate(1, 5) == Location("f.yaml", 3, 8)


def test_flow_scalar_anchor_counts_the_quote() -> None:
    data = _one('s: "ab {{x"\n')
    assert data.text_anchors["s"].locate(0, 3) == Location("f.yaml", 1, 8)


def test_merge_keys_follow_safe_load_semantics() -> None:
    data = _one("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert data["thing"] == {"x": 1, "y": 3}


def test_timestamps_stay_strings() -> None:
    assert _one("at: 2026-12-01T09:00:00Z\n")["at"] == "2026-12-01T09:00:00Z"


def test_several_documents_in_one_file() -> None:
    docs = load_documents("a: 1\n---\nb: 2\n", "f.yaml")
    assert [d.location.line for d in docs] == [1, 3]


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first defined at line 1)", "f.yaml:2:1"),
        ("a:\n\tb: 1\n", "tab character used for indentation", "f.yaml:2:1"),
        ("a: !!python/object:os.system {}\n", "unsupported YAML tag", "f.yaml:1:4"),
        ("a: [1,\n", "invalid YAML", "f.yaml:2:1"),
    ],
)
def test_refusals_are_located(text: str, message: str, where: str) -> None:
    with pytest.raises(YamlError) as info:
        load_documents(text, "f.yaml")
    assert message in info.value.problem.message
    assert str(info.value.problem.location) == where


def test_alias_bomb_is_refused_not_expanded() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(YamlError) as info:
        load_documents("\n".join(levels) + "\n", "bomb.yaml")
    assert "anchors/aliases expansion refused" in info.value.problem.message
