"""The ColdSend provider (shared/api/coldsend.md): list, resolve inboxes, fetch, plan, execute."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
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
from reconciler.providers.coldsend import export
from reconciler.providers.coldsend.leads import live_lead_emails, upload_leads
from reconciler.providers.coldsend.model import ColdSendCampaign
from reconciler.providers.coldsend.planning import plan_coldsend
from reconciler.providers.coldsend.profile import PAGES, SENDER_PAGES
from reconciler.providers.coldsend.views import live_view
from reconciler.providers.crashsafe import create_or_adopt
from reconciler.providers.http.errors import ProviderError


class ColdSendProvider(Provider):
    """One ColdSend account."""

    kind: ClassVar[str] = "coldsend/campaign"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids_by_email: dict[str, str] = {}
        self.emails_by_id: dict[str, str] = {}

    async def list_live(self) -> list[LiveSummary]:
        return [
            LiveSummary(str(c["campaign_id"]), str(c["name"]), str(c["status"]))
            async for c in self.api.paginate("/campaigns", style=PAGES)
        ]

    async def load_directory(self) -> None:
        async for inbox in self.api.paginate("/sender-accounts", style=SENDER_PAGES):
            email, inbox_id = str(inbox["email_address"]).lower(), str(inbox["inbox_id"])
            self.ids_by_email[email] = inbox_id
            self.emails_by_id[inbox_id] = email

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
        await self.ensure_directory()
        obj = await self.api.get_json(f"/campaigns/{summary.id}")
        extra: dict[str, Any] = {}
        campaign = doc.campaign if doc else None
        if isinstance(campaign, ColdSendCampaign) and campaign.leads and obj.get("total_leads"):
            extra["lead_emails"] = await live_lead_emails(self.api, summary.id)
        view = live_view(obj, self.emails_by_id)
        return LiveCampaign(summary.id, str(obj["name"]), str(obj["status"]), view, obj, extra)

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        return plan_coldsend(self.ref_of(doc, live), doc, live, self.ids_by_email)

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        live = await self.fetch(summary, None)
        doc = export.document(live.view, live.status, self.account)
        files = {}
        if live.view.get("_total_leads"):
            name = f"{file_stem}.leads.csv"
            files[name] = export.leads_csv(await export.live_leads(self.api, summary.id))
            doc["leads"] = name
        return Exported(doc, files)

    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        kind = action.kind
        if kind is ActionKind.CREATE:
            state.live_id = await self._create(plan.ref.name, action.payload, state)
            return
        campaign_id = state.live_id
        assert campaign_id is not None, "every action but create needs a live campaign"
        path = f"/campaigns/{campaign_id}"
        if kind is ActionKind.UPDATE:
            await self.api.send_json("PUT", path, json=dict(action.payload))
        elif kind is ActionKind.UPLOAD_LEADS:
            label = f"{self.account}: {plan.ref.name!r}"
            report = await upload_leads(self.api, campaign_id, action.payload, label=label)
            state.notes.append(report.line())
        elif kind is ActionKind.LAUNCH:
            await self._launch(path)
        elif kind is ActionKind.PAUSE:
            await self._transition(path, "pause", "PAUSED")
        elif kind is ActionKind.RESUME:
            await self._transition(path, "activate", "ACTIVE")
        elif kind is ActionKind.DELETE:
            await crashsafe.delete(self.api, path)
        else:  # pragma: no cover - the planner never produces other kinds for ColdSend
            raise ValueError(f"coldsend cannot {kind.value}")

    async def _create(self, name: str, payload: Mapping[str, Any], state: ExecState) -> str:
        """POST once (crash-safe); then one PUT for what create does not take."""
        configure = dict(payload.get("configure") or {})
        campaign_id, adopted = await create_or_adopt(
            vendor="coldsend",
            path="/campaigns",
            name=name,
            send=lambda: self.api.send_json("POST", "/campaigns", json=dict(payload["create"])),
            id_of=lambda body: str(body["campaign_id"]),
            find_by_name=self._find_by_name,
            state=state,
        )
        if adopted:  # the lost POST may not be the one that made it: make sure settings landed
            configure = {**payload["create"], **configure}
        if configure:
            await self.api.send_json("PUT", f"/campaigns/{campaign_id}", json=configure)
        return campaign_id

    async def _find_by_name(self, name: str) -> list[str]:
        params = {"search": name}
        pages = self.api.paginate("/campaigns", style=PAGES, params=params)
        return [str(c["campaign_id"]) async for c in pages if c.get("name") == name]

    async def _launch(self, path: str) -> None:
        body = await self.api.send_json("PUT", path, json={"launch": True})
        if body.get("status") != "ACTIVE":
            missing = ", ".join(body.get("missing_requirements") or []) or "unknown"
            raise ProviderError(
                f"coldsend: PUT {path} → launch refused, missing requirements: {missing}",
                vendor="coldsend",
                method="PUT",
                path=path,
            )

    async def _transition(self, path: str, verb: str, target: str) -> None:
        async def reached() -> bool:
            return bool((await self.api.get_json(path)).get("status") == target)

        await crashsafe.transition(self.api, f"{path}/{verb}", reached=reached)
