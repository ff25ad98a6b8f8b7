"""The ColdSend provider (shared/api/coldsend.md): list, resolve inboxes, fetch, plan, execute."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers.base import Exported, LiveCampaign, LiveSummary, Planned, PlanOptions
from reconciler.providers.coldsend import export, insight
from reconciler.providers.coldsend.leads import LEADS_PAGE, live_lead_emails, upload_leads
from reconciler.providers.coldsend.leads_csv import MAX_ROWS_PER_UPLOAD
from reconciler.providers.coldsend.model import ColdSendCampaign
from reconciler.providers.coldsend.payloads import CampaignSettings, LeadsUpload, NewCampaign
from reconciler.providers.coldsend.planning import plan_coldsend
from reconciler.providers.coldsend.profile import PAGES, SENDER_PAGES
from reconciler.providers.coldsend.views import live_view
from reconciler.providers.http.errors import ProviderError
from reconciler.providers.template import CampaignProvider, Campaigns, ExecState, Step


class ColdSendProvider(CampaignProvider):
    """One ColdSend account."""

    kind: ClassVar[str] = "coldsend/campaign"
    campaigns: ClassVar[Campaigns] = Campaigns(
        vendor="coldsend", path="/campaigns", id_key="campaign_id", pages=PAGES
    )
    lookup_calls: ClassVar[int] = 1  # GET /sender-accounts

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids_by_email: dict[str, str] = {}
        self.emails_by_id: dict[str, str] = {}
        self.daily_limits: dict[str, int | None] = {}  # inbox id → its daily_limit

    async def load_directory(self) -> None:
        async for inbox in self.api.paginate("/sender-accounts", style=SENDER_PAGES):
            email, inbox_id = str(inbox["email_address"]).lower(), str(inbox["inbox_id"])
            self.ids_by_email[email] = inbox_id
            self.emails_by_id[inbox_id] = email
            limit = inbox.get("daily_limit")
            self.daily_limits[inbox_id] = limit if isinstance(limit, int) else None

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        await self.ensure_directory()
        problems = []
        for doc in docs:
            campaign = doc.campaign
            assert isinstance(campaign, ColdSendCampaign)
            for i, email in enumerate(campaign.inboxes or []):
                if email.lower() not in self.ids_by_email:
                    problems.append(self._unknown_inbox(doc, i, email))
        return problems

    def _unknown_inbox(self, doc: CampaignDoc, index: int, email: str) -> Problem:
        known = sorted(self.ids_by_email)
        close = difflib.get_close_matches(email.lower(), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"sender accounts: {', '.join(known)}"
        where = doc.data["inboxes"].value_location(index)
        return Problem(where, f"inboxes[{index}]: no sender account {email!r} in ColdSend", hint)

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        """GET the campaign, then its leads when the YAML manages leads and live has some."""
        await self.ensure_directory()
        obj = await self.api.get_json(self.campaign_path(summary.id))
        extra: dict[str, Any] = {}
        if self._manages_leads(doc) and obj.get("total_leads"):
            extra["lead_emails"] = await live_lead_emails(self.api, summary.id)
        view = live_view(obj, self.emails_by_id)
        return LiveCampaign(summary.id, str(obj["name"]), str(obj["status"]), view, obj, extra)

    @staticmethod
    def _manages_leads(doc: CampaignDoc | None) -> bool:
        campaign = doc.campaign if doc else None
        return isinstance(campaign, ColdSendCampaign) and bool(campaign.leads)

    def read_calls(self, summary: LiveSummary, doc: CampaignDoc | None) -> int:
        """The campaign, plus its lead pages when the YAML manages leads."""
        leads = summary.listed.get("total_leads")
        pages = math.ceil(leads / LEADS_PAGE) if isinstance(leads, int) else 1
        return 1 + (pages if self._manages_leads(doc) else 0)

    def write_calls(self, action: Action) -> int:
        """Create: POST and the PUT of what create does not take; leads: each chunk's POST
        and at least one poll of its job; every other step one request."""
        if action.kind is ActionKind.CREATE:
            return 1 + bool(action.payload_as(NewCampaign).configure)
        if action.kind is ActionKind.UPLOAD_LEADS:
            rows = len(action.payload_as(LeadsUpload).rows)
            return 2 * max(1, math.ceil(rows / MAX_ROWS_PER_UPLOAD))
        return 1

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        return plan_coldsend(self.ref_of(doc, live), doc, live, self.ids_by_email)

    def signals(self, p: Planned) -> Signals:
        inboxes = {e: (i, self.daily_limits.get(i)) for e, i in self.ids_by_email.items()}
        return insight.campaign_signals(p.plan, p.doc, p.live, inboxes)

    def listed_signals(self, summary: LiveSummary) -> Signals | None:
        return insight.listed_signals(self.account, summary)

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        live = await self.fetch(summary, None)
        doc = export.document(live.view, live.status, self.account)
        files = {}
        if live.view.get("_total_leads"):
            name = f"{file_stem}.leads.csv"
            files[name] = export.leads_csv(await export.live_leads(self.api, summary.id))
            doc["leads"] = name
        return Exported(doc, files)

    def steps(self) -> Mapping[ActionKind, Step]:
        return {
            ActionKind.UPDATE: self._update,
            ActionKind.UPLOAD_LEADS: self._upload_leads,
            ActionKind.LAUNCH: self._launch,
            ActionKind.PAUSE: self._pause,
            ActionKind.RESUME: self._resume,
        }

    async def create(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """POST once (crash-safe); then one PUT for what create does not take."""
        new = action.payload_as(NewCampaign)
        configure = dict(new.configure)
        campaign_id, adopted = await self.create_or_adopt(plan.ref.name, new.create, state)
        if adopted:  # the lost POST may not be the one that made it: make sure settings landed
            configure = {**new.create, **configure}
        if configure:
            await self.api.send_json("PUT", self.campaign_path(campaign_id), json=configure)
        state.live_id = campaign_id

    async def _update(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        path = self.campaign_path(str(state.live_id))
        await self.api.send_json("PUT", path, json=dict(action.payload_as(CampaignSettings).body))

    async def _upload_leads(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        label = f"{self.account}: {plan.ref.name!r}"
        upload = action.payload_as(LeadsUpload)
        report = await upload_leads(self.api, str(state.live_id), upload, label=label)
        state.notes.append(report.line())

    async def _launch(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        path = self.campaign_path(str(state.live_id))
        body = await self.api.send_json("PUT", path, json={"launch": True})
        if body.get("status") != "ACTIVE":
            missing = ", ".join(body.get("missing_requirements") or []) or "unknown"
            raise ProviderError(
                f"coldsend: PUT {path} → launch refused, missing requirements: {missing}",
                vendor="coldsend",
                method="PUT",
                path=path,
            )

    async def _pause(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        await self.transition(str(state.live_id), "pause", {"PAUSED"})

    async def _resume(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        await self.transition(str(state.live_id), "activate", {"ACTIVE"})
