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
from reconciler.providers.base import Exported, LiveCampaign, LiveSummary, Planned, PlanOptions
from reconciler.providers.inbox import export, insight
from reconciler.providers.inbox.directory import Directory, first_of
from reconciler.providers.inbox.payloads import NewCampaign, Settings
from reconciler.providers.inbox.planning import plan_inbox
from reconciler.providers.inbox.profile import PAGES
from reconciler.providers.inbox.views import live_view
from reconciler.providers.template import CampaignProvider, Campaigns, ExecState, Step

CAMPAIGNS = "/campaigns/v2"


class InboxProvider(CampaignProvider):
    """One Inbox team (X DM outreach)."""

    kind: ClassVar[str] = "inbox/campaign"
    campaigns: ClassVar[Campaigns] = Campaigns(
        vendor="inbox",
        path=CAMPAIGNS,
        id_key="id",
        pages=PAGES,
        searchable=False,  # the list has no name filter: look-ups walk it
        full_list_items=True,  # GET /campaigns/v2 returns whole campaigns (inbox.md)
    )
    lookup_calls: ClassVar[int] = 2  # account links, lists

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Directory()

    def status_of(self, item: Mapping[str, Any]) -> str:
        return str(item.get("status") or "").lower()

    async def load_directory(self) -> None:
        self.directory.add_links(await self.api.get_json("/account-links") or [])
        self.directory.add_lists(await self.api.get_json("/lists") or [])

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        await self.ensure_directory()
        return [problem for doc in docs for problem in self.directory.problems(doc)]

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        """The list item already is the whole campaign (inbox.md): no second GET."""
        await self.ensure_directory()
        obj = summary.listed or await self.api.get_json(self.campaign_path(summary.id))
        status = self.status_of(obj)
        view = live_view(obj, self.directory)
        return LiveCampaign(summary.id, str(obj["name"]), status, view, obj, _extra(obj))

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        return plan_inbox(self.ref_of(doc, live), doc, live, self.directory)

    def signals(self, p: Planned) -> Signals:
        return insight.campaign_signals(p.plan, p.doc, p.live, self.directory)

    def listed_signals(self, summary: LiveSummary) -> Signals | None:
        return insight.listed_signals(self.account, summary, self.directory)

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        live = await self.fetch(summary, None)
        return Exported(export.document(live.view, live.status, self.account))

    def write_calls(self, action: Action) -> int:
        """Create: the POST, then PATCH, rules and sequence each when it has something."""
        payload = action.payload
        if isinstance(payload, NewCampaign):
            return 1 + payload.settings.requests()
        if isinstance(payload, Settings):
            return payload.requests()
        return 0 if action.kind is ActionKind.UPDATE else 1  # an update without settings: blocked

    def steps(self) -> Mapping[ActionKind, Step]:
        return {
            ActionKind.UPDATE: self._update,
            ActionKind.LAUNCH: self._enable,
            ActionKind.RESUME: self._enable,
            ActionKind.PAUSE: self._disable,
        }

    async def create(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """POST once (crash-safe: a lost answer is looked up by name, never re-sent blindly),
        then configure what the create body does not take."""
        new = action.payload_as(NewCampaign)
        state.live_id, _ = await self.create_or_adopt(plan.ref.name, new.create, state)
        await self._configure(state.live_id, new.settings)

    async def _update(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        await self._configure(str(state.live_id), action.payload_as(Settings))

    async def _enable(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        await self.transition(str(state.live_id), "enable", {"active"})

    async def _disable(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        await self.transition(str(state.live_id), "disable", {"paused"})

    async def _configure(self, campaign_id: str, settings: Settings) -> None:
        """PATCH fields, PATCH rules, PUT the sequence: each only when it has something."""
        path = self.campaign_path(campaign_id)
        if settings.patch:
            await self.api.send_json("PATCH", path, json=dict(settings.patch))
        if settings.rules:
            await self.api.send_json("PATCH", f"{path}/rules", json=dict(settings.rules))
        if settings.sequence is not None:
            steps = [{"type": s["type"], "data": s["data"]} for s in settings.sequence]
            await self.api.send_json("PUT", f"{path}/sequence", json={"steps": steps})


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
