"""JSON Schemas generated from the pydantic models: one source of truth.

``camp schema --out schemas/`` writes these files; a test checks that the committed files equal
what this module generates, so editors (``# yaml-language-server: $schema=...``) and ``camp
validate`` always agree.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
from pydantic import BaseModel

from reconciler.config.kinds import KindTable
from reconciler.config.models import CampConfig

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file_name(kind: str) -> str:
    """``coldsend/campaign`` → ``coldsend-campaign.schema.json``."""
    return kind.replace("/", "-") + ".schema.json"


def _schema_for(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["title"] = title
    return {"$schema": SCHEMA_DIALECT, **schema}


def _camp_config(kinds: KindTable) -> dict[str, Any]:
    """camp.yaml's schema; ``provider:`` lists the registered vendors."""
    schema = _schema_for(CampConfig, "camp.yaml")
    accounts = schema["$defs"]["Account"]["properties"]
    names = [spec.provider for spec in kinds]
    accounts["provider"] = {"enum": names, "title": "Provider", "type": "string"}
    return schema


def _any_campaign(kinds: KindTable) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    branches = []
    for kind, model in ((spec.kind, spec.model) for spec in kinds):
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{model.__name__}"},
            }
        )
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "camp campaign (any kind)",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": [spec.kind for spec in kinds]}},
        "allOf": branches,
        "$defs": defs,
    }


@cache
def all_schemas(kinds: KindTable) -> dict[str, dict[str, Any]]:
    """File name → schema, for every file in ``schemas/`` (``kinds`` from the registry)."""
    out = {"camp.schema.json": _camp_config(kinds)}
    for spec in kinds:
        out[schema_file_name(spec.kind)] = _schema_for(spec.model, spec.kind)
    out["campaign.schema.json"] = _any_campaign(kinds)
    return out


def render(schema: dict[str, Any]) -> str:
    """The exact text written to disk (stable key order, trailing newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path, kinds: KindTable) -> list[Path]:
    """Write every schema file into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas(kinds).items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


@cache
def validator_for(file_name: str, kinds: KindTable) -> Draft202012Validator:
    """A compiled validator for one schema file (compiled once per process)."""
    from jsonschema import Draft202012Validator  # ~60 ms to import: only when needed

    return Draft202012Validator(all_schemas(kinds)[file_name])
