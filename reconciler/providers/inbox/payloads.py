"""What Inbox's apply steps send, as the plan carries it (``Action.payload``).

Planning builds these; the provider's steps read them by attribute. ``PAYLOADS`` says which
type each action kind carries, so a saved plan reads its JSON back into them (the JSON shapes
are those saved plans have always had).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.plan.jsonform import JsonFields
from reconciler.plan.values import ActionKind, PayloadTypes

Steps = Sequence[Mapping[str, Any]]  # sequence steps, each with its "type" and "data"


@dataclass(frozen=True)
class Settings(JsonFields):
    """Update: a ``PATCH`` of fields, a ``PATCH …/rules``, a ``PUT …/sequence``, each sent only
    when it has something (``sequence`` None: the steps stay; empty: they are removed)."""

    patch: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Any] = field(default_factory=dict)
    sequence: Steps | None = None

    def requests(self) -> int:
        return bool(self.patch) + bool(self.rules) + (self.sequence is not None)


@dataclass(frozen=True)
class NewCampaign(JsonFields):
    """Create: ``POST /campaigns/v2`` with ``create`` (name, account links, lead rules and
    timezone), then the fields and steps the create does not take."""

    create: Mapping[str, Any]
    patch: Mapping[str, Any]
    sequence: Steps | None

    @property
    def settings(self) -> Settings:
        """What follows the POST (the rules rode in the create body)."""
        return Settings(patch=self.patch, sequence=self.sequence)


PAYLOADS: PayloadTypes = {
    ActionKind.CREATE: NewCampaign.from_json,
    ActionKind.UPDATE: Settings.from_json,
}
