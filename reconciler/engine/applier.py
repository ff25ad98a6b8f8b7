"""Execute a plan: campaigns concurrently (bounded), each campaign's actions in order.

A failure stops the rest of *that* campaign's steps (a launch must not follow a failed update)
but never the other campaigns. Every outcome is reported; a re-run plans only what is left,
so it converges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reconciler.plan.values import CampaignPlan, Plan
from reconciler.providers.base import ExecState, Provider
from reconciler.providers.http.errors import ProviderError


@dataclass
class CampaignOutcome:
    """What happened to one campaign."""

    plan: CampaignPlan
    done: list[str] = field(default_factory=list)
    failed: str | None = None
    error: str | None = None
    live_id: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def skipped(self) -> list[str]:
        planned = [a.kind.value for a in self.plan.actions]
        return planned[len(self.done) + (1 if self.failed else 0) :]


Progress = Callable[[CampaignOutcome, str], None]


async def _run_campaign(
    provider: Provider, cp: CampaignPlan, progress: Progress | None
) -> CampaignOutcome:
    outcome = CampaignOutcome(cp, live_id=cp.live_id)
    state = ExecState(live_id=cp.live_id)
    for action in cp.actions:
        try:
            await provider.execute(cp, action, state)
        except ProviderError as exc:
            outcome.failed, outcome.error = action.kind.value, str(exc)
            break
        outcome.done.append(action.kind.value)
        if progress:
            progress(outcome, action.kind.value)
    outcome.live_id, outcome.notes = state.live_id, state.notes
    return outcome


async def apply_plan(
    plan: Plan,
    providers: Mapping[str, Provider],
    *,
    parallelism: int = 8,
    progress: Progress | None = None,
) -> list[CampaignOutcome]:
    """Run every changed campaign; outcomes come back in plan order."""
    sem = asyncio.Semaphore(max(1, parallelism))

    async def bounded(cp: CampaignPlan) -> CampaignOutcome:
        async with sem:
            return await _run_campaign(providers[cp.ref.account], cp, progress)

    return list(await asyncio.gather(*(bounded(cp) for cp in plan.changed)))
