"""What easymail's apply steps send, as the plan carries it (``Action.payload``).

Planning (``planning``, ``lifecycle``) builds these; the provider's steps read them by
attribute. ``PAYLOADS`` says which type each action kind carries, so a saved plan reads its
JSON back into them (the JSON shapes are those saved plans have always had).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.plan.jsonform import JsonFields
from reconciler.plan.payload import WireBody
from reconciler.plan.values import ActionKind, PayloadTypes


@dataclass(frozen=True)
class NewCampaign(JsonFields):
    """Create: the ``POST /campaigns`` body, every field the YAML sets (PATCHed again whole
    when a create whose answer was lost is adopted)."""

    body: Mapping[str, Any]


class CampaignPatch(WireBody):
    """Update and overwrite-content: the ``PATCH /campaigns/{uuid}`` body (names resolved to
    uuids; an overwrite of a dashboard-styled body carries ``overwrite: true``)."""


@dataclass(frozen=True)
class Schedule(JsonFields):
    """The ``POST …/schedule`` body: when the campaign goes out (UTC)."""

    scheduled_at: str | None


PAYLOADS: PayloadTypes = {
    ActionKind.CREATE: NewCampaign.from_json,
    ActionKind.UPDATE: CampaignPatch.from_json,
    ActionKind.OVERWRITE_CONTENT: CampaignPatch.from_json,
    ActionKind.SCHEDULE: Schedule.from_json,
}
