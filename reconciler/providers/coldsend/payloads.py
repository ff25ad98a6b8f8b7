"""What ColdSend's apply steps send, as the plan carries it (``Action.payload``).

Planning builds these from the desired view; the provider's steps and ``leads.upload_leads``
read them by attribute. ``PAYLOADS`` says which type each action kind carries, so a saved plan
reads its JSON back into them (the JSON shapes are those saved plans have always had).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.plan.jsonform import JsonFields
from reconciler.plan.payload import WireBody
from reconciler.plan.values import ActionKind, PayloadTypes


@dataclass(frozen=True)
class NewCampaign(JsonFields):
    """Create: ``POST /campaigns`` takes ``create``; one ``PUT`` then sends ``configure``,
    the fields the create body does not take (none: no PUT)."""

    create: Mapping[str, Any]
    configure: Mapping[str, Any]


class CampaignSettings(WireBody):
    """Update: the ``PUT /campaigns/{id}`` body of the changed fields (``inbox_ids``, not
    e-mail addresses)."""


@dataclass(frozen=True)
class LeadsUpload(JsonFields):
    """The leads live does not have yet: each row's values in ``columns`` order, uploaded as
    CSV chunks (``leads.upload_leads``)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]


PAYLOADS: PayloadTypes = {
    ActionKind.CREATE: NewCampaign.from_json,
    ActionKind.UPDATE: CampaignSettings.from_json,
    ActionKind.UPLOAD_LEADS: LeadsUpload.from_json,
}
