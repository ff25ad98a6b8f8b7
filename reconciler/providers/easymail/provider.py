"""The easymail provider (shared/api/easymail.md): list, resolve names, fetch, plan, execute."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers.base import Exported, LiveCampaign, LiveSummary, Planned, PlanOptions
from reconciler.providers.easymail import insight
from reconciler.providers.easymail.checks import EasymailPrepared
from reconciler.providers.easymail.directory import Directory, resolve_problems
from reconciler.providers.easymail.export import export_campaign
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.easymail.payloads import CampaignPatch, NewCampaign, Schedule
from reconciler.providers.easymail.planning import plan_easymail
from reconciler.providers.easymail.profile import PAGES
from reconciler.providers.easymail.views import desired_view, live_view
from reconciler.providers.http.errors import InvalidResponse
from reconciler.providers.template import CampaignProvider, Campaigns, ExecState, Step

# What a test email shows (shared/api/easymail.md): these must match for a test to be faithful.
SHOWN_FIELDS = ("subject", "preheader", "from_name", "from_identity", "content")

# Transition → (path verb, live statuses that mean it already happened).
_TRANSITIONS: dict[ActionKind, tuple[str, tuple[str, ...]]] = {
    ActionKind.SEND: ("send", ("queued", "sending", "sent")),
    ActionKind.SCHEDULE: ("schedule", ("scheduled",)),
    ActionKind.UNSCHEDULE: ("unschedule", ("draft",)),
    ActionKind.CANCEL: ("cancel", ("canceled",)),
}


class EasymailProvider(CampaignProvider):
    """One easymail (easy.tools) account."""

    kind: ClassVar[str] = "easymail/campaign"
    campaigns: ClassVar[Campaigns] = Campaigns(
        vendor="easymail", path="/campaigns", id_key="uuid", pages=PAGES
    )
    lookup_calls: ClassVar[int] = 3  # sender identities, lists, segments

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Directory()

    async def load_directory(self) -> None:
        """Sender identities, lists and segments (names ↔ uuids, sizes)."""
        d = self.directory
        async for identity in self.api.paginate("/sender-identities", style=PAGES):
            d.add_identity(identity)
        async for item in self.api.paginate("/lists", style=PAGES):
            d.lists.add(item)
        async for item in self.api.paginate("/segments", style=PAGES):
            d.segments.add(item)

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        await self.ensure_directory()
        return resolve_problems(self.directory, docs)

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        await self.ensure_directory()
        obj = await self._campaign(self.campaign_path(summary.id))
        view = live_view(obj, self.directory)
        return LiveCampaign(summary.id, str(obj["name"]), str(obj["status"]), view, obj)

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        return plan_easymail(self.ref_of(doc, live), doc, live, self.directory, options.now_iso)

    def signals(self, p: Planned) -> Signals:
        return insight.campaign_signals(p.plan, p.doc, p.live, self.directory, p.options.now_iso)

    def listed_signals(self, summary: LiveSummary) -> Signals | None:
        return insight.listed_signals(self.account, summary)

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        """The live campaign as YAML plus its Markdown body (``<file_stem>.md``); see
        ``export`` for what is left out so that the next plan is empty."""
        live = await self.fetch(summary, None)
        return export_campaign(
            live.view, live.status, self.account, self.directory, file_stem=file_stem
        )

    test_endpoint: ClassVar[bool] = True

    def shown_differences(self, doc: CampaignDoc, live: LiveCampaign) -> list[str]:
        """The shown fields the YAML sets and live holds otherwise (the body compared in the
        vendor's stored form, as a plan does)."""
        content = doc.prepared_as(EasymailPrepared).content
        desired = desired_view(doc.campaign_as(EasymailCampaign), content)
        return [k for k in SHOWN_FIELDS if k in desired and desired[k] != live.view.get(k)]

    async def send_test(self, live: LiveCampaign, address: str) -> None:
        """``POST /campaigns/{uuid}/test`` (not retried blindly: a lost answer may have sent)."""
        path = f"{self.campaign_path(live.id)}/test"
        await self.api.send_json("POST", path, json={"email": address}, idempotent=False)

    def created_id(self, body: Any) -> str:
        return str(_data(body, "POST", self.campaigns_path)["uuid"])

    async def read_status(self, path: str) -> str:
        return self.status_of(await self._campaign(path))

    def steps(self) -> Mapping[ActionKind, Step]:
        return {
            ActionKind.UPDATE: self._patch,
            ActionKind.OVERWRITE_CONTENT: self._patch,
            **dict.fromkeys(_TRANSITIONS, self._transition),
        }

    async def create(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """POST once (crash-safe: a lost answer is looked up by name, never re-sent blindly)."""
        body = action.payload_as(NewCampaign).body
        campaign_id, adopted = await self.create_or_adopt(plan.ref.name, body, state)
        if adopted:  # the lost POST may not be the one that made it: make sure every field landed
            await self.api.send_json("PATCH", self.campaign_path(campaign_id), json=dict(body))
        state.live_id = campaign_id

    async def _patch(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        path = self.campaign_path(str(state.live_id))
        await self.api.send_json("PATCH", path, json=dict(action.payload_as(CampaignPatch).body))

    async def _transition(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """POST a transition; a 409 after a retried (lost) one is fine if live shows it done.

        The vendor's status moves with every transition, so repeating one is safe: a second
        send is refused (409), never sent twice. ``ApiClient`` already retries 409
        ``CAMPAIGN_TRANSITION_IN_PROGRESS``.
        """
        verb, done = _TRANSITIONS[action.kind]
        json = None
        if action.kind is ActionKind.SCHEDULE:  # the one transition with a body: when
            json = {"scheduled_at": action.payload_as(Schedule).scheduled_at}
        await self.transition(str(state.live_id), verb, done, json=json)

    async def _campaign(self, path: str) -> Mapping[str, Any]:
        return _data(await self.api.get_json(path), "GET", path)


def _data(body: Any, method: str, path: str) -> Mapping[str, Any]:
    """The campaign object of a ``{"data": campaign}`` answer."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or "uuid" not in data:
        reason = "no campaign object under 'data'"
        raise InvalidResponse(vendor="easymail", method=method, path=path, reason=reason)
    return data
