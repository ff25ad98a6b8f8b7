"""The committed schemas/ are exactly what the models generate (one source of truth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from reconciler.config.schema import render
from reconciler.engine.workspace import all_schemas

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_committed_schema_is_generated(name: str) -> None:
    committed = (SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == render(all_schemas()[name]), "run: camp schema --out schemas"


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def test_no_stray_files_in_schemas_dir() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(all_schemas())
