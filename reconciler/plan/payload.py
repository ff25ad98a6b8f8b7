"""What apply sends for one action, in the type of the vendor that planned it.

The plan knows no vendor, so an action's payload is anything with a JSON form (``Payload``);
each vendor defines its payload types in its own folder (``providers/<vendor>/payloads.py``)
and says which one each of its action kinds carries (``plan.values.PayloadTypes``). A saved
plan keeps the JSON form and reads it back through that vendor's table, so what apply runs is
the same typed value a fresh plan would have handed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, Self


class Payload(Protocol):
    """An action's payload: the vendor's own frozen dataclass, with a JSON form."""

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class WireBody:
    """A payload that is one JSON body, sent as it is (a PUT or PATCH of changed fields).

    Vendors subclass it to name the request it is for; its JSON form is the body itself, the
    shape saved plans have always had for these steps.
    """

    body: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.body)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(dict(data))
