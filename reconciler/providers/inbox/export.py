"""Inbox campaigns written back as YAML (``camp import``), in the forms the YAML uses.

The schedule is written friendly (``mon: "09:00-17:00"``) and the sequence in the short syntax
wherever a step compiles back to the identical wire step (``decompile_steps`` guarantees it;
other steps stay ``{type, data}``). Only what differs from the vendor's create defaults is
written. The round trip (import, then plan) is empty by construction: every value written is
the live view's own value in its YAML spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.providers.exporting import document_head
from reconciler.providers.inbox.syntax import decompile_steps, friendly_schedule
from reconciler.providers.inbox.views import SEQUENCE

# The vendor's create defaults (shared/api/inbox.md): equal values are left out.
DEFAULT_SCHEDULE = {str(day): {"start": 540, "end": 1020} for day in range(1, 6)}
DEFAULTS: dict[str, Any] = {"description": None, "timezone": "UTC", "messages_per_hour": 8}
STATE_OF_STATUS = {"draft": "draft", "active": "active", "paused": "paused"}
RULES = ("include_lists", "exclude_lists", "exclude_contacted", "exclude_mutuals")


def document(view: Mapping[str, Any], status: str, account: str) -> dict[str, Any]:
    """The YAML mapping for a live campaign's view (see ``views.live_view``)."""
    state = STATE_OF_STATUS.get(status)  # completed has none: the lifecycle is left unmanaged
    doc = document_head("inbox/campaign", view, account, state=state, defaults=DEFAULTS)
    if view.get("account_links"):
        doc["account_links"] = list(view["account_links"])
    if view.get("schedule") != DEFAULT_SCHEDULE:
        doc["schedule"] = _schedule(view.get("schedule") or {})
    rules = {k: view[f"rules.{k}"] for k in RULES if view.get(f"rules.{k}")}
    if rules:
        doc["rules"] = rules
    if view.get(SEQUENCE):
        doc["sequence"] = decompile_steps(list(view[SEQUENCE]))
    if view.get("automations"):
        doc["automations"] = list(view["automations"])
    return doc


def _schedule(wire: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    try:
        return dict(friendly_schedule(wire))
    except (ValueError, KeyError, TypeError):
        return {day: dict(window) for day, window in wire.items()}
