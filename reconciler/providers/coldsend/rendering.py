"""How ColdSend renders one message for one lead (shared/api/coldsend.md, "How a message is
rendered for one lead", the contract):

- a variable is looked up in the standard fields, then in the lead's CSV columns by exact
  header; a missing or empty value (whitespace only counts as empty) renders as the empty
  string, or as its ``| default: "x"`` fallback;
- spintax picks one option per email, uniformly at random; options are literal text;
- conditions are Liquid's (``template_liquid``), computed ``dn_*`` fields are taken at the
  moment of sending in the campaign's timezone;
- the template's whitespace and line breaks are kept; the email is plain text.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from reconciler.providers.coldsend.leads_csv import LeadsFile
from reconciler.providers.coldsend.template_syntax import Spin, Variable
from reconciler.providers.coldsend.templates import STANDARD_FIELDS

if TYPE_CHECKING:  # python-liquid takes a quarter of a second to import: only when rendering
    from reconciler.providers.coldsend.template_liquid import CompiledTemplate

DEFAULT_TIMEZONE = "America/New_York"  # the vendor's default
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Values = Mapping[str, object]  # field name → value; None when missing or empty


class Lead(NamedTuple):
    """One lead of the CSV: its email, the CSV line its row starts on, and its fields (None
    when missing or empty). A tuple: a CSV makes one per row."""

    email: str
    row: int
    values: Mapping[str, str | None]


def lead_from_row(row: Mapping[str, str], line: int, columns: Sequence[str]) -> Lead:
    """The lead's fields: standard fields (their header matched case-insensitively, as the
    vendor reads ``email``), then every column by its exact header."""
    return _lead(row, line, _field_columns(columns))


def leads_of(leads: LeadsFile) -> list[Lead]:
    """Every lead the vendor would accept from the file, in CSV order."""
    fields = _field_columns(leads.columns)
    return [_lead(row, line, fields) for row, line in zip(leads.rows, leads.lines, strict=True)]


def _field_columns(columns: Sequence[str]) -> list[tuple[str, str]]:
    """(field name, CSV header) pairs: the standard fields first, then every column."""
    pairs: dict[str, str] = {}
    for column in columns:
        if column.lower() in STANDARD_FIELDS:
            pairs.setdefault(column.lower(), column)
    for column in columns:
        pairs.setdefault(column, column)
    return list(pairs.items())


def _lead(row: Mapping[str, str], line: int, fields: list[tuple[str, str]]) -> Lead:
    values = {name: _value(row.get(column)) for name, column in fields}
    return Lead(values.get("email") or "", line, values)


def _value(raw: str | None) -> str | None:
    return None if raw is None or not raw.strip() else raw


def computed_fields(at: datetime, timezone: str | None) -> dict[str, object]:
    """``dn_day_name``, ``dn_day_of_week`` (1 = Monday … 7 = Sunday) and ``dn_time_of_day``
    (morning 05:00–11:59, afternoon 12:00–16:59, evening otherwise) at ``at``."""
    local = at.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE))
    hour = local.hour
    time_of_day = "morning" if 5 <= hour < 12 else "afternoon" if 12 <= hour < 17 else "evening"
    return {
        "dn_day_name": DAY_NAMES[local.weekday()],
        "dn_day_of_week": local.isoweekday(),
        "dn_time_of_day": time_of_day,
    }


class SpinPicker:
    """Spintax choices for one email: seeded by (seed, lead, template), so a preview is
    reproducible; with ``every`` each spintax shows all its options instead."""

    def __init__(self, seed: int, email: str, where: str, *, every: bool = False) -> None:
        self._random = random.Random(f"{seed}|{email.lower()}|{where}")
        self._every = every

    def __call__(self, node: Spin) -> str:
        if self._every:
            return "[" + " | ".join(node.options) + "]"
        return self._random.choice(node.options)


def variable_text(node: Variable, values: Values) -> str:
    """A variable's text: its value, else its fallback, else the empty string."""
    value = values.get(node.name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return node.fallback or ""
    return str(value)


def render_message(compiled: CompiledTemplate, values: Values, pick: SpinPicker) -> str:
    """One template rendered for one lead (``values``: its fields and the computed ones)."""
    from reconciler.providers.coldsend.template_liquid import render

    slots = [
        variable_text(node, values) if isinstance(node, Variable) else pick(node)
        for node in compiled.slots
    ]
    return render(compiled, values, slots)
