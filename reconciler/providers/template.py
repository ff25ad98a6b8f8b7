"""The steps every vendor's provider shares, written once: a template the vendors fill in.

A vendor provider says *what* differs (its campaigns path, id key, page style, how a list
item or a created campaign reads, which step does what) and inherits *how*:

- ``list_live``: walk the campaign list pages; when the vendor's list items are full campaign
  objects (``Campaigns.full_list_items``), keep them, so ``fetch`` needs no second GET;
- ``find_by_name``: the lookup a crash-safe create uses after a lost answer;
- ``create_or_adopt``: POST once, adopt the campaign a lost answer created;
- ``transition``: POST a lifecycle step, a retried one that already happened is success;
- ``execute``: dispatch by action kind through the vendor's ``steps`` table; ``delete`` is
  shared (a 404 on a retried DELETE means it is done).

A vendor's provider takes its building blocks for apply from here: this class, ``Campaigns``,
and ``Step`` with the ``ExecState`` each step updates; the values it reads and plans with
(``LiveCampaign``, ``PlanOptions``, …) come from ``base``, the interface they belong to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from reconciler.config.loader import CampaignDoc
from reconciler.plan.values import Action, ActionKind, CampaignPlan
from reconciler.providers import crashsafe
from reconciler.providers.base import ExecState, LiveSummary, Provider
from reconciler.providers.http.paging import PageStyle

__all__ = ["CampaignProvider", "Campaigns", "ExecState", "Step"]

Step = Callable[[CampaignPlan, Action, ExecState], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class Campaigns:
    """Where and how a vendor keeps its campaigns (from its API page)."""

    vendor: str  # "coldsend": names the vendor in errors
    path: str  # "/campaigns"
    id_key: str  # the id field of a list item / created campaign
    pages: PageStyle
    # The list endpoint takes ``search`` (name substring): a name look-up reads one page.
    searchable: bool = True
    # The list items are whole campaign objects (as GET by id returns them).
    full_list_items: bool = False


class CampaignProvider(Provider):
    """A ``Provider`` for a vendor whose campaigns live under one REST collection."""

    campaigns: ClassVar[Campaigns]

    @property
    def vendor(self) -> str:
        return self.campaigns.vendor

    @property
    def campaigns_path(self) -> str:
        return self.campaigns.path

    # -- what a vendor may override ---------------------------------------------------------

    def status_of(self, item: Mapping[str, Any]) -> str:
        """The live status as the plan compares it (vendors differ in case)."""
        return str(item.get("status") or "")

    def created_id(self, body: Any) -> str:
        """The new campaign's id from the create answer."""
        return str(body[self.campaigns.id_key])

    def steps(self) -> Mapping[ActionKind, Step]:
        """What each action kind does at apply time (create and delete are shared)."""
        return {}

    async def create(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        """Create the campaign; sets ``state.live_id``."""
        raise NotImplementedError(f"{self.vendor}: create")

    # -- the shared steps -------------------------------------------------------------------

    def summary(self, item: Mapping[str, Any]) -> LiveSummary:
        item_id = str(item[self.campaigns.id_key])
        return LiveSummary(item_id, str(item["name"]), self.status_of(item), item)

    def read_calls(self, summary: LiveSummary, doc: CampaignDoc | None) -> int:
        """One GET per campaign, none when the list item already is the whole campaign."""
        return 0 if self.campaigns.full_list_items and summary.listed else 1

    async def list_live(self) -> list[LiveSummary]:
        pages = self.api.paginate(self.campaigns_path, style=self.campaigns.pages)
        return [self.summary(item) async for item in pages]

    def campaign_path(self, live_id: str) -> str:
        return f"{self.campaigns_path}/{live_id}"

    async def find_by_name(self, name: str) -> list[str]:
        """Ids of the live campaigns named exactly ``name``."""
        params = {"search": name} if self.campaigns.searchable else None
        pages = self.api.paginate(self.campaigns_path, style=self.campaigns.pages, params=params)
        return [str(c[self.campaigns.id_key]) async for c in pages if c.get("name") == name]

    async def create_or_adopt(
        self, name: str, body: Mapping[str, Any], state: ExecState
    ) -> tuple[str, bool]:
        """POST the create once (crash-safe); ``(id, adopted)``: re-send settings if adopted."""
        return await crashsafe.create_or_adopt(
            vendor=self.vendor,
            path=self.campaigns_path,
            name=name,
            send=lambda: self.api.send_json("POST", self.campaigns_path, json=dict(body)),
            id_of=self.created_id,
            find_by_name=self.find_by_name,
            state=state,
        )

    async def read_status(self, path: str) -> str:
        """A fresh read of one campaign's status (after a refused, possibly repeated, step)."""
        return self.status_of(await self.api.get_json(path))

    async def transition(
        self, live_id: str, verb: str, done: Collection[str], *, json: Any = None
    ) -> None:
        """POST ``…/{id}/{verb}``; a 409 is success when the live status is one of ``done``."""
        path = self.campaign_path(live_id)

        async def reached() -> bool:
            return await self.read_status(path) in done

        await crashsafe.transition(self.api, f"{path}/{verb}", json=json, reached=reached)

    async def execute(self, plan: CampaignPlan, action: Action, state: ExecState) -> None:
        if action.kind is ActionKind.CREATE:
            await self.create(plan, action, state)
            return
        if state.live_id is None:
            raise ValueError(f"{self.vendor}: {action.kind.value} needs a live campaign")
        if action.kind is ActionKind.DELETE:
            await crashsafe.delete(self.api, self.campaign_path(state.live_id))
            return
        step = self.steps().get(action.kind)
        if step is None:  # the vendor's planner never produces it: a bug, not a user error
            raise ValueError(f"{self.vendor} cannot {action.kind.value}")
        await step(plan, action, state)
