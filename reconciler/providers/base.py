"""The provider interface: one small ABC, one subclass per vendor.

A provider works for one account. The engine calls, in order:

1. ``list_live`` — every live campaign's id, name and status (cheap, paginated);
2. ``resolve`` — turn human references in the desired campaigns (inbox emails, list names,
   usernames) into ids, reporting each one that resolves to nothing as a located problem;
3. ``fetch`` — the full live object of each campaign a document matched (concurrently);
4. ``plan`` — a pure function from (desired, live) to a ``CampaignPlan``: field changes,
   lifecycle steps, and the vendor's rules checked up front (blocked actions with a hint);
5. ``signals`` / ``listed_signals`` (optional) — what each campaign brings to the plan-time
   insight (overlap, capacity, compliance), computed by the engine over the whole plan;
6. ``execute`` — run one planned action at apply time.

Providers get an injected ``ApiClient`` and never build HTTP clients themselves.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, CampaignPlan, CampaignRef
from reconciler.providers.http.client import ApiClient


@dataclass(frozen=True)
class LiveSummary:
    """A live campaign as the list endpoint shows it; ``listed`` is the whole list item: what
    the plan-time insight and the call budget learn without reading the campaign (e.g.
    ColdSend's ``total_leads``), and, where the vendor's list items are whole campaigns
    (``Campaigns.full_list_items``), all that ``fetch`` needs."""

    id: str
    name: str
    status: str
    listed: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class LiveCampaign:
    """A live campaign in full: the vendor's object plus whatever else planning needs.

    ``view`` is the comparable form (vendor read-back normalised, ids mapped back to human
    names where the YAML uses names); it is also what the fingerprint covers, so counters that
    move on their own (sent counts, progress) never make a saved plan stale.
    """

    id: str
    name: str
    status: str
    view: Mapping[str, Any]
    raw: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        body = {"id": self.id, "name": self.name, "status": self.status, "view": self.view}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Exported:
    """A live campaign written back as YAML (``camp import``).

    ``document`` is the campaign in the YAML's human forms, keys in the order a person would
    write them, holding only what differs from the vendor's defaults; ``files`` are the files
    it refers to (name relative to the YAML file → text), e.g. a leads CSV.
    """

    document: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what was left out and why, shown by `camp import`


@dataclass
class ExecState:
    """What one campaign's earlier actions left for the later ones (e.g. the new id)."""

    live_id: str | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanOptions:
    """What a provider may need from the engine while planning: the plan's instant (a
    schedule in the past is refused at plan time). Guards and ``--force`` are the engine's
    business, not a provider's."""

    now_iso: str = ""


class Planned(NamedTuple):
    """One campaign as the planner saw it: what the plan-time insight hooks read."""

    doc: CampaignDoc | None
    live: LiveCampaign | None
    plan: CampaignPlan
    options: PlanOptions


class Provider(ABC):
    """One vendor account: list, resolve, fetch, plan, execute."""

    kind: ClassVar[str]  # the campaign kind it serves, e.g. "coldsend/campaign"
    # Look-up tables ``load_directory`` reads (one request each while a table fits one page).
    lookup_calls: ClassVar[int] = 0

    def __init__(self, *, api: ApiClient, account: str) -> None:
        self.api = api
        self.account = account
        self._directory_lock = asyncio.Lock()
        self._directory_loaded = False

    async def ensure_directory(self) -> None:
        """Load the name ↔ id lookups once per run, however many tasks ask at the same time."""
        async with self._directory_lock:
            if not self._directory_loaded:
                await self.load_directory()
                self._directory_loaded = True

    @property
    def directory_loaded(self) -> bool:
        return self._directory_loaded

    @abstractmethod
    async def load_directory(self) -> None:
        """Fetch the lookups references resolve against (inboxes, lists, …); once per run."""

    @abstractmethod
    async def list_live(self) -> list[LiveSummary]:
        """Every live campaign of the account."""

    @abstractmethod
    async def resolve(self, docs: Sequence[CampaignDoc]) -> list[Problem]:
        """Look up the ids behind human references; one problem per unresolved reference."""

    @abstractmethod
    async def fetch(self, summary: LiveSummary, doc: CampaignDoc | None) -> LiveCampaign:
        """The full live campaign (``doc`` says what the plan will need, e.g. its leads)."""

    @abstractmethod
    def plan(
        self, doc: CampaignDoc | None, live: LiveCampaign | None, options: PlanOptions
    ) -> CampaignPlan:
        """Actions turning ``live`` into ``doc``; ``doc`` None means delete (prune)."""

    @abstractmethod
    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """Run one action; update ``state`` (e.g. the id of a created campaign)."""

    def signals(self, planned: Planned) -> Signals | None:
        """What this campaign brings to the plan-time insight (its audience, sending lanes,
        the work its launch starts), from data the plan already read; None: nothing."""
        return None

    def listed_signals(self, summary: LiveSummary) -> Signals | None:
        """A live campaign no document names, as far as its list item tells (no extra call);
        None when it cannot matter (not sending)."""
        return None

    async def export(self, summary: LiveSummary, *, file_stem: str) -> Exported:
        """The live campaign as a YAML document whose plan is empty (``camp import``).

        ``file_stem`` names any extra file (``<stem>.leads.csv``). Providers override this.
        """
        raise NotImplementedError(f"{self.kind}: import is not supported")

    # -- what a run costs: ``engine.budget`` counts it before spending it -------------------

    def read_calls(self, summary: LiveSummary, doc: CampaignDoc | None) -> int:
        """Requests ``fetch(summary, doc)`` makes (look-ups aside)."""
        return 1

    def write_calls(self, action: Action) -> int:
        """Requests ``execute`` makes for ``action`` (polls counted once)."""
        return 1

    # -- camp test-send ---------------------------------------------------------------------

    test_endpoint: ClassVar[bool] = False
    """True when the vendor can send one test message of a campaign (``camp test-send``)."""

    def shown_differences(self, doc: CampaignDoc, live: LiveCampaign) -> list[str]:
        """The fields a test message shows where ``live`` differs from ``doc``: a test of the
        live campaign would not show what the YAML says. Vendors with a test endpoint
        override this."""
        return []

    async def send_test(self, live: LiveCampaign, address: str) -> None:
        """Send one test message of ``live`` to ``address``; never changes its status."""
        raise NotImplementedError(f"{self.kind}: the vendor has no test endpoint")

    def ref(self, name: str) -> CampaignRef:
        return CampaignRef(self.account, self.kind, name)

    def ref_of(self, doc: CampaignDoc | None, live: LiveCampaign | None) -> CampaignRef:
        """The campaign's reference: by the YAML's name, or the live one for a prune."""
        return self.ref(doc.campaign.name if doc else (live.name if live else ""))
