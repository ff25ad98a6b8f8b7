"""The desired state every vendor shares: camp.yaml and the base of a campaign document.

Each vendor's campaign model lives in its own folder (``providers/<vendor>/model.py``) on the
``Strict`` base below. These models are the one source of truth for the JSON Schemas in
``schemas/`` (see ``reconciler.config.schema``). Field names are the vendors' own in
snake_case; values the vendor keys by id are written by human name (emails, list names,
usernames) and resolved at plan time. A field left out of the YAML is not managed:
``model_fields_set`` tells what the user wrote, so ``subject: null`` (clear it) differs from
no ``subject`` (leave it alone).
"""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
# The one email rule, on both sides of the wire: what the vendors (the sandbox standing in
# for them) accept. One ``@``, no whitespace, a dot after the ``@`` with text on both sides,
# nothing more: ``a@b.c`` and ``a..b@example.com`` are accepted, as the vendor accepts them,
# so a plan never refuses what apply would send. ``fullmatch`` it (the leads CSV does).
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s]+"
Email = Annotated[str, Field(pattern=f"^{EMAIL_PATTERN}$", max_length=320)]
RelativePath = Annotated[str, Field(min_length=1, description="Path relative to this YAML file")]
# ``X | Unset`` is an optional key that may not be null (the vendor has no "cleared" form);
# plain ``X | None`` means null is a value the user may write, to clear the field.
Unset = SkipJsonSchema[None]


_SKIP: type = SkipJsonSchema  # the marker's class (a generic alias can't be isinstance'd)


def _skips_schema(arg: Any) -> bool:
    return get_origin(arg) is Annotated and any(
        isinstance(m, _SKIP) for m in getattr(arg, "__metadata__", ())
    )


@cache
def _not_nullable(model: type[BaseModel]) -> frozenset[str]:
    """Keys typed ``X | Unset``: optional, but an explicit null is an error (as in the schema)."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if any(_skips_schema(arg) for arg in get_args(info.annotation))
    )


def _plain(annotation: Any) -> Any:
    """``Annotated[int, Field(...)]`` → ``int``."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _alternatives(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold: ``int | None`` → ``(int, None)``, each one plain."""
    plain = _plain(annotation)
    args = get_args(plain) if isinstance(plain, UnionType) or get_origin(plain) is Union else ()
    return tuple(_plain(arg) for arg in args) or (plain,)


@cache
def _whole_number_fields(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """Fields typed ``int``, and fields typed a list of ``int`` (Optional and Unset aside)."""
    ints, lists = set(), set()
    for name, info in model.model_fields.items():
        for alternative in _alternatives(info.annotation):
            if alternative is int:
                ints.add(name)
            elif get_origin(alternative) is list and _plain(get_args(alternative)[0]) is int:
                lists.add(name)
    return frozenset(ints), frozenset(lists)


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Strict(BaseModel):
    """Unknown keys are errors; values are never coerced between types; ``Unset`` keys may be
    left out but not written as null. The model is exactly as strict as the generated schema,
    so validation can try the (fast) model first and explain failures with the schema."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_null_for_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _not_nullable(cls):
                if key in data and data[key] is None:
                    raise ValueError(f"{key} may not be null: leave it out instead")
        return data

    @model_validator(mode="before")
    @classmethod
    def _read_whole_floats_as_integers(cls, data: Any) -> Any:
        """``1.0`` where an integer goes is 1: JSON Schema calls it an integer, so the model
        must too (strict ``int`` would refuse what the schema accepts); ``1.5`` and ``true``
        stay errors on both sides."""
        if not isinstance(data, dict):
            return data
        ints, lists = _whole_number_fields(cls)
        wholes = {k: _whole(data[k]) for k in ints & data.keys() if isinstance(data[k], float)}
        wholes |= {
            k: [_whole(item) for item in data[k]]
            for k in lists & data.keys()
            if isinstance(data[k], list) and any(isinstance(i, float) for i in data[k])
        }
        return {**data, **wholes} if wholes else data


class Account(Strict):
    """One vendor account; the secret stays in the environment variable it names."""

    provider: str  # a registered vendor: the loader checks it, the schema lists them
    base_url: str | Unset = Field(None, description="API root; the vendor's public URL by default")
    api_key_env: EnvName = Field(description="Environment variable holding the API key")
    prune_prefix: Annotated[str, Field(min_length=1)] | Unset = Field(
        None, description="Live campaigns named with this prefix are in --prune scope"
    )


class Guards(Strict):
    """Safety thresholds; an exceeded guard blocks the plan (exit 3) unless --force."""

    max_change_percent: float | None = Field(default=None, ge=0, le=100)
    min_existing: int | None = Field(default=None, ge=0)
    max_recipients_per_launch: int | None = Field(default=None, ge=0)
    max_lead_overlap_percent: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="A launch sharing more than this share of its recipients with running "
        "campaigns is blocked",
    )
    max_days_to_complete: int | None = Field(
        default=None, ge=1, description="A launch whose capacity forecast exceeds this is blocked"
    )
    require_unsubscribe: bool = Field(
        default=False, description="A launch without an unsubscribe link is blocked"
    )


class CampConfig(Strict):
    """camp.yaml: the accounts campaigns refer to, and the guards."""

    accounts: dict[str, Account] = Field(min_length=1)
    guards: Guards = Field(default_factory=lambda: Guards())


class CampaignBase(Strict):
    """Keys shared by every campaign kind."""

    account: str | Unset = Field(None, description="Account key from camp.yaml")
    name: str
    id: Annotated[str, Field(min_length=1)] | Unset = Field(
        None, description="Pin to a live campaign id"
    )
