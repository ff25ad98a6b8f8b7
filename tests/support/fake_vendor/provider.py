"""The fake vendor's provider: everything the Provider interface asks, on an in-memory API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers.base import ExecState, LiveCampaign, LiveSummary, PlanOptions, Provider
from reconciler.providers.diffing import diff_views
from reconciler.providers.draft import PlanDraft
from tests.support.fake_vendor import FakeBody, FakePrepared

LIVE: dict[str, dict[str, Any]] = {}  # id → {"name", "greeting"}: the vendor's whole state


class FakeProvider(Provider):
    kind = "fake/campaign"

    async def load_directory(self) -> None:
        return None

    async def list_live(self) -> list[LiveSummary]:
        return [LiveSummary(i, c["name"], "ready") for i, c in LIVE.items()]

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        return []

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        obj = LIVE[summary.id]
        return LiveCampaign(summary.id, obj["name"], "ready", view=dict(obj), raw=obj)

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        draft = PlanDraft()
        if doc is not None:
            desired = {"name": doc.campaign.name, **self._body(doc)}
            if live is None:
                create = Action(ActionKind.CREATE, payload=FakeBody(desired), summary="create")
                draft.actions.append(create)
            elif changes := diff_views(desired, live.view):
                body = FakeBody(desired)
                update = Action(ActionKind.UPDATE, tuple(changes), body, summary="update")
                draft.actions.append(update)
        return draft.finish(self.ref_of(doc, live), doc, live)

    @staticmethod
    def _body(doc: CampaignDoc) -> dict[str, Any]:
        return {"greeting": doc.prepared_as(FakePrepared).greeting}

    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        if action.kind is ActionKind.CREATE:
            state.live_id = f"fake-{len(LIVE) + 1}"
        assert state.live_id is not None
        LIVE[state.live_id] = dict(action.payload_as(FakeBody).body)
