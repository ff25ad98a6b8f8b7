"""The JSON form of a plain value: its fields by name, written once.

Saved plans hold the plan's values as JSON objects whose keys are the dataclass's field names,
so the two directions are the same walk over ``dataclasses.fields``. The field names are the
file format: renaming one changes what older saved plans must say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, fields
from typing import Any, ClassVar, Self


class JsonFields:
    """Mixed into a frozen dataclass: ``to_json`` gives each field in order, tuples as lists
    and a nested ``JsonFields`` as its JSON; ``from_json`` takes the fields it finds and leaves
    the others to their defaults, so a file written before a field with a default existed
    still reads."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def to_json(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value.to_json() if isinstance(value, JsonFields) else value
