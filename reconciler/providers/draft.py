"""What every provider's planner collects for one campaign, and how it becomes a plan value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.models import CampaignBase
from reconciler.plan.values import Action, CampaignPlan, CampaignRef, PlanFacts
from reconciler.providers.base import LiveCampaign

_Campaign = TypeVar("_Campaign", bound=CampaignBase)


def wanted(doc: CampaignDoc | None, cls: type[_Campaign]) -> _Campaign | None:
    """The vendor's campaign when the YAML wants it to exist; None for a prune (no document)
    or ``state: absent``, which both plan the delete of a live campaign, if there is one (a
    kind without ``state`` is never absent)."""
    if doc is None:
        return None
    campaign = doc.campaign_as(cls)
    return None if getattr(campaign, "state", None) == "absent" else campaign


@dataclass
class PlanDraft:
    """Actions, warnings and facts gathered while planning one campaign (mutable on purpose:
    the planner's small steps append to it, and replace ``facts`` as they learn numbers;
    ``finish`` freezes it into a ``CampaignPlan``)."""

    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: PlanFacts = field(default_factory=PlanFacts)

    def finish(
        self, ref: CampaignRef, doc: CampaignDoc | None, live: LiveCampaign | None
    ) -> CampaignPlan:
        """The immutable plan, its actions in run order, tied to the live object it read."""
        return CampaignPlan(
            ref=ref,
            source=str(doc.location) if doc else None,
            live_id=live.id if live else None,
            live_status=live.status if live else None,
            fingerprint=live.fingerprint if live else None,
            warnings=tuple(self.warnings),
            facts=self.facts,
        ).with_actions(tuple(self.actions))
