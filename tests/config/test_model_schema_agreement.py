"""The models accept exactly what the generated schemas accept.

Validation tries the (fast) pydantic model first and asks the JSON Schema only to explain a
failure; that is safe only while the two agree on every document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from reconciler.config.models import CampConfig
from reconciler.config.schema import schema_file_name
from reconciler.config.yamlload import YamlError, load_documents
from reconciler.engine.workspace import validator_for
from reconciler.providers.registry import kinds

KINDS = {spec.kind: spec.model for spec in kinds()}
ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*ROOT.glob("campaigns/**/*.yaml"), *(ROOT / "tests/config/fixtures").glob("**/*.yaml")]
)


def _agree(model: Any, schema: str, data: Any) -> None:
    schema_ok = not any(True for _ in validator_for(schema).iter_errors(data))
    try:
        model.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert model_ok == schema_ok, data


def _documents(path: Path) -> list[Any]:
    try:
        return [d.data for d in load_documents(path.read_text(errors="replace"), path.name)]
    except YamlError:
        return []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_and_examples(path: Path) -> None:
    for data in _documents(path):
        if path.name == "camp.yaml":
            _agree(CampConfig, "camp.schema.json", data)
        elif isinstance(data, dict) and data.get("kind") in KINDS:
            _agree(KINDS[data["kind"]], schema_file_name(data["kind"]), data)


BASES: dict[str, dict[str, Any]] = {
    "coldsend/campaign": {
        "kind": "coldsend/campaign",
        "name": "A valid name",
        "timezone": "UTC",
        "sending_days": [1, 2],
        "daily_limit_per_inbox": 5,
        "variants": [
            {
                "variant_name": "A",
                "subject_template": "s",
                "email_content": "0123456789",
                "distribution_percent": 100,
            }
        ],
    },
    "easymail/campaign": {
        "kind": "easymail/campaign",
        "name": "n",
        "subject": "s",
        "audience": {"list": "L"},
        "reply_to": "a@b.co",
    },
    "inbox/campaign": {
        "kind": "inbox/campaign",
        "name": "n",
        "messages_per_hour": 3,
        "schedule": {"mon": "09:00-17:00"},
        "sequence": [{"message": "hi"}, {"delay": "2d"}],
        "rules": {"include_lists": ["x"]},
    },
}
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 3000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(sorted(BASES)),
    key=st.text(min_size=1, max_size=30) | st.sampled_from([k for b in BASES.values() for k in b]),
    value=VALUES,
)
def test_mutated_documents(kind: str, key: str, value: Any) -> None:
    data = {**BASES[kind], key: value}
    _agree(KINDS[kind], schema_file_name(kind), data)


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        ("coldsend/campaign", "daily_limit_per_inbox", 1.0),  # JSON Schema: 1.0 is an integer
        ("coldsend/campaign", "daily_limit_per_inbox", 1.5),
        ("coldsend/campaign", "daily_limit_per_inbox", True),
        ("coldsend/campaign", "sending_days", [1.0, 7.0]),
        ("coldsend/campaign", "sending_days", [1, 2.5]),
        ("coldsend/campaign", "sending_window_end", 24.0),
        ("coldsend/campaign", "sending_window_end", 25.0),  # whole, but out of range
        (
            "coldsend/campaign",
            "variants",
            [{**BASES["coldsend/campaign"]["variants"][0], "distribution_percent": 100.0}],
        ),
        ("inbox/campaign", "messages_per_hour", 3.0),
        ("inbox/campaign", "schedule", {"mon": {"start": 540.0, "end": 1020}}),
    ],
)
def test_whole_numbers_written_as_floats(kind: str, key: str, value: Any) -> None:
    """``1.0`` is an integer to JSON Schema, so the model reads it as 1; ``1.5`` and ``true``
    are errors to both."""
    _agree(KINDS[kind], schema_file_name(kind), {**BASES[kind], key: value})


def test_a_whole_float_is_read_as_the_integer() -> None:
    data = {**BASES["coldsend/campaign"], "daily_limit_per_inbox": 5.0, "sending_days": [1.0]}
    campaign = KINDS["coldsend/campaign"].model_validate(data)
    assert campaign.model_dump(include={"daily_limit_per_inbox", "sending_days"}) == {
        "daily_limit_per_inbox": 5,
        "sending_days": [1],
    }
    assert type(campaign.model_dump()["daily_limit_per_inbox"]) is int


def test_camp_yaml_guards_take_whole_floats_too() -> None:
    _agree(CampConfig, "camp.schema.json", {"accounts": {}, "guards": {"min_existing": 10.0}})
