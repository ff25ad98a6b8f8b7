"""The Inbox provider (shared/api/inbox.md): list, resolve names, fetch, plan, execute.

Apply order per campaign: create (``POST /campaigns/v2`` with name, account links, rules and
timezone, then ``PATCH`` the other fields and ``PUT`` the sequence), or update (``PATCH`` the
changed fields, ``PATCH …/rules`` the changed rules, ``PUT …/sequence`` only when the steps
differ), then enable/disable, or delete. A create whose answer was lost is looked up by name
and adopted instead of being sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers import crashsafe
from reconciler.providers.base import (
    ExecState,
    Exported,
    LiveCampaign,
    LiveSummary,
    PlanOptions,
    Provider,
)
from reconciler.providers.crashsafe import create_or_adopt
from reconciler.providers.inbox import export, insight
from reconciler.providers.inbox.directory import Directory, first_of
from reconciler.providers.inbox.planning import plan_inbox
from reconciler.providers.inbox.profile import PAGES
from reconciler.providers.inbox.views import live_view

CAMPAIGNS = "/campaigns/v2"


class InboxProvider(Provider):
    """One Inbox team (X DM outreach)."""

    kind: ClassVar[str] = "inbox/campaign"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Directory()

    async def list_live(self) -> list[LiveSummary]:
        return [
            LiveSummary(str(c["id"]), str(c["name"]), str(c.get("status") or "").lower(), c)
            async for c in self.api.paginate(CAMPAIGNS, style=PAGES)
        ]

    async def load_directory(self) -> None:
        self.directory.add_links(await self.api.get_json("/account-links") or [])
        self.directory.add_lists(await self.api.get_json("/lists") or [])

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        await self.ensure_directory()
        return [problem for doc in docs for problem in self.directory.problems(doc)]

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        await self.ensure_directory()
        obj = await self.api.get_json(f"{CAMPAIGNS}/{summary.id}")
        status = str(obj.get("status") or "").lower()
        view = live_view(obj, self.directory)
        return LiveCampaign(summary.id, str(obj["name"]), status, view, obj, _extra(obj))

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        return plan_inbox(self.ref_of(doc, live), doc, live, self.directory)

    def signals(
        self,
        doc: CampaignDoc | None,
        live: LiveCampaign | None,
        plan: CampaignPlan,
        options: PlanOptions,
    ) -> Signals:
        return insight.campaign_signals(plan, doc, live, self.directory)

    def listed_signals(self, summary: LiveSummary) -> Signals | None:
        return insight.listed_signals(self.account, summary, self.directory)

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        live = await self.fetch(summary, None)
        return Exported(export.document(live.view, live.status, self.account))

    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        kind = action.kind
        if kind is ActionKind.CREATE:
            state.live_id = await self._create(plan.ref.name, action.payload, state)
            await self._configure(state.live_id, action.payload)
            return
        campaign_id = state.live_id
        assert campaign_id is not None, "every action but create needs a live campaign"
        path = f"{CAMPAIGNS}/{campaign_id}"
        if kind is ActionKind.UPDATE:
            await self._configure(campaign_id, action.payload)
        elif kind in (ActionKind.LAUNCH, ActionKind.RESUME):
            await self._transition(path, "enable", "active")
        elif kind is ActionKind.PAUSE:
            await self._transition(path, "disable", "paused")
        elif kind is ActionKind.DELETE:
            await crashsafe.delete(self.api, path)
        else:  # pragma: no cover - the planner never produces other kinds for Inbox
            raise ValueError(f"inbox cannot {kind.value}")

    async def _configure(self, campaign_id: str, payload: Mapping[str, Any]) -> None:
        """PATCH fields, PATCH rules, PUT the sequence: each only when it has something."""
        path = f"{CAMPAIGNS}/{campaign_id}"
        if payload.get("patch"):
            await self.api.send_json("PATCH", path, json=dict(payload["patch"]))
        if payload.get("rules"):
            await self.api.send_json("PATCH", f"{path}/rules", json=dict(payload["rules"]))
        if payload.get("sequence") is not None:
            steps = [{"type": s["type"], "data": s["data"]} for s in payload["sequence"]]
            await self.api.send_json("PUT", f"{path}/sequence", json={"steps": steps})

    async def _create(self, name: str, payload: Mapping[str, Any], state: ExecState) -> str:
        """POST once (crash-safe: a lost answer is looked up by name, never re-sent blindly)."""
        campaign_id, _ = await create_or_adopt(
            vendor="inbox",
            path=CAMPAIGNS,
            name=name,
            send=lambda: self.api.send_json("POST", CAMPAIGNS, json=dict(payload["create"])),
            id_of=lambda body: str(body["id"]),
            find_by_name=self._find_by_name,
            state=state,
        )
        return campaign_id

    async def _find_by_name(self, name: str) -> list[str]:
        pages = self.api.paginate(CAMPAIGNS, style=PAGES)
        return [str(c["id"]) async for c in pages if c.get("name") == name]

    async def _transition(self, path: str, verb: str, target: str) -> None:
        """Enable/disable; a retried one that already happened (409) is accepted."""

        async def reached() -> bool:
            live = await self.api.get_json(path)
            return str(live.get("status") or "").lower() == target

        await crashsafe.transition(self.api, f"{path}/{verb}", reached=reached)


def _extra(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Counters for the plan's facts and summaries (never compared, never fingerprinted).

    Vendor doc versions disagree on a few names; both spellings are read.
    """
    return {
        "targets_count": int(first_of(obj, "targetsCount", "targetCount", default=0) or 0),
        "contacted_count": int(first_of(obj, "contactedCount", "contactsCount", default=0) or 0),
        "replied_count": int(first_of(obj, "repliedCount", "repliesCount", default=0) or 0),
        "started_at": first_of(obj, "startedAt", "lastStartedAt"),
    }
