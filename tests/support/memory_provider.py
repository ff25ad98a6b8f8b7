"""An in-memory provider, hand-built documents and workspaces for the engine's unit tests.

The engine (planner, applier, importer) is tested here without HTTP: the provider's "vendor"
is a list of ``LiveSummary`` rows, and it records what the engine asked of it (fetches,
executed steps, their overlap) so a test can assert on the order and concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import httpx

from reconciler.config.kinds import KindSpec
from reconciler.config.loader import CampaignDoc, Workspace
from reconciler.config.models import CampaignBase, CampConfig
from reconciler.config.problems import Problem
from reconciler.config.yamlload import LocatedDict, load_documents
from reconciler.plan.payload import WireBody
from reconciler.plan.values import Action, ActionKind, CampaignPlan, FieldChange, PayloadTypes
from reconciler.providers.base import (
    ExecState,
    Exported,
    LiveCampaign,
    LiveSummary,
    PlanOptions,
    Provider,
)
from reconciler.providers.draft import PlanDraft
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import ProviderError
from reconciler.providers.vendor import Vendor
from tests.support.fake_vendor import PROFILE

KIND = "memory/campaign"


class Greeting(WireBody):
    """What create and update send: ``{"greeting": …}``."""


PAYLOADS: PayloadTypes = {
    ActionKind.CREATE: Greeting.from_json,
    ActionKind.UPDATE: Greeting.from_json,
}


class MemoryCampaign(CampaignBase):
    kind: Literal["memory/campaign"]
    greeting: str = "hi"
    state: Literal["present", "absent"] | None = None


def make_doc(
    name: str,
    *,
    id: str | None = None,
    state: str | None = None,
    greeting: str = "hi",
    account: str = "acct",
    file: str = "campaigns/c.yaml",
) -> CampaignDoc:
    """One valid document, parsed from YAML so its keys and values have locations."""
    lines = [f"kind: {KIND}", f"name: {name!r}"]
    if id is not None:
        lines.append(f"id: {id!r}")
    if state is not None:
        lines.append(f"state: {state}")
    lines.append(f"greeting: {greeting!r}")
    data = load_documents("\n".join(lines) + "\n", file)[0].data
    assert isinstance(data, LocatedDict)
    campaign = MemoryCampaign.model_validate(dict(data))
    return CampaignDoc(campaign, account, data, Path(file))


def make_config(*accounts: str, guards: Mapping[str, object] | None = None) -> CampConfig:
    """camp.yaml with these accounts (default ``acct``) of the memory vendor."""
    keys = accounts or ("acct",)
    account = {"provider": "memory", "api_key_env": "MEMORY_KEY"}
    return CampConfig.model_validate(
        {"accounts": dict.fromkeys(keys, account), "guards": guards or {}}
    )


def make_workspace(docs: Sequence[CampaignDoc], config: CampConfig | None = None) -> Workspace:
    """A loaded, valid workspace holding ``docs``."""
    return Workspace(config or make_config(), Path("camp.yaml"), Path("."), list(docs))


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unit tests make no HTTP request: {request.url}")


def offline_api() -> ApiClient:
    """An ``ApiClient`` whose transport refuses every request (none is expected)."""
    client = httpx.AsyncClient(transport=httpx.MockTransport(_refuse))
    return ApiClient(client, profile=PROFILE, api_key="unused")


def failure(message: str) -> ProviderError:
    return ProviderError(message, vendor="memory", method="POST", path="/campaigns")


class MemoryProvider(Provider):
    """A provider over a list of live campaigns that records what the engine does.

    Planning: no document → delete (a prune); ``state: absent`` → delete when live; no live
    campaign → create; a different greeting → update (a ``greeting`` field change). Executed
    steps change the live list and greetings as a vendor would, except that the vendor keeps
    its old greeting for the names in ``unstored`` (a perpetual diff). ``fail`` maps (campaign
    name, action kind) to the error ``execute`` raises; ``delay`` makes each step take that
    long, so concurrent campaigns overlap visibly.
    """

    kind = KIND

    def __init__(
        self,
        live: Sequence[LiveSummary] = (),
        *,
        account: str = "acct",
        greetings: dict[str, str] | None = None,
        problems: Sequence[Problem] = (),
        fail: dict[tuple[str, ActionKind], str] | None = None,
        delay: float = 0.0,
        unstored: Sequence[str] = (),
    ) -> None:
        super().__init__(api=offline_api(), account=account)
        self.live = list(live)
        self.greetings = greetings or {}
        self.problems = list(problems)
        self.fail = fail or {}
        self.delay = delay
        self.unstored = set(unstored)
        self.fetched: list[str] = []
        self.executed: list[tuple[str, ActionKind]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.next_id = 100

    async def load_directory(self) -> None:
        return None

    async def list_live(self) -> list[LiveSummary]:
        return list(self.live)

    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        return list(self.problems)

    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        self.fetched.append(summary.id)
        view = {"name": summary.name, "greeting": self.greetings.get(summary.id, "hi")}
        return LiveCampaign(summary.id, summary.name, summary.status, view=view)

    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        draft = PlanDraft()
        campaign = doc.campaign_as(MemoryCampaign) if doc is not None else None
        if campaign is None or campaign.state == "absent":
            if live is not None:
                draft.actions.append(Action(ActionKind.DELETE, summary="delete"))
        elif live is None:
            payload = Greeting({"greeting": campaign.greeting})
            draft.actions.append(Action(ActionKind.CREATE, payload=payload, summary="create"))
        elif (old := live.view.get("greeting")) != campaign.greeting:
            change = FieldChange("greeting", old, campaign.greeting)
            payload = Greeting({"greeting": campaign.greeting})
            draft.actions.append(
                Action(ActionKind.UPDATE, (change,), payload=payload, summary="update")
            )
        return draft.finish(self.ref_of(doc, live), doc, live)

    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            self.executed.append((plan.ref.name, action.kind))
            if message := self.fail.get((plan.ref.name, action.kind)):
                raise failure(message)
            if action.kind is ActionKind.CREATE:
                state.live_id = f"m-{self.next_id}"
                self.next_id += 1
                self.live.append(LiveSummary(state.live_id, plan.ref.name, "ready"))
            self._store(plan.ref.name, action, state.live_id)
            state.notes.append(f"{action.kind.value} {plan.ref.name}")
        finally:
            self.in_flight -= 1

    def _store(self, name: str, action: Action, live_id: str | None) -> None:
        """What the vendor keeps of an executed step."""
        if action.kind is ActionKind.DELETE:
            self.live = [s for s in self.live if s.id != live_id]
        elif action.payload is not None and live_id and name not in self.unstored:
            self.greetings[live_id] = str(action.payload_as(Greeting).body["greeting"])

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        document: dict[str, object] = {"kind": KIND, "name": summary.name, "greeting": "hi"}
        files = {f"{file_stem}.txt": f"{summary.id}\n"}
        return Exported(document, files, (f"exported {summary.id}",))


# Registered by tests that read a saved plan back (its payloads are read by kind):
# ``monkeypatch.setattr(registry, "VENDOR_PACKAGES", (..., "tests.support.memory_provider"))``.
VENDOR = Vendor(
    KindSpec(KIND, "memory", MemoryCampaign, lambda ctx, campaign: None),
    PROFILE,
    "tests.support.memory_provider:MemoryProvider",
    PAYLOADS,
)
