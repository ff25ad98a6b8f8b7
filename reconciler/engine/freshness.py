"""Is a saved plan still true? Re-read every campaign it touches and compare fingerprints.

A campaign the plan would update, launch or delete must still have the fingerprint it had at
plan time; a campaign the plan would create must still not exist. Anything else means someone
(or something) changed the vendor side since the plan was reviewed, so the plan is stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.engine.budget import BudgetPolicy, estimate, writes_ahead
from reconciler.plan.values import CampaignPlan, Plan
from reconciler.providers.base import LiveSummary, Provider
from reconciler.providers.http.errors import NotFound
from reconciler.providers.progress import Phase, plural


async def _moved(provider: Provider, cp: CampaignPlan, live: list[LiveSummary]) -> str | None:
    name = f"{cp.ref.kind} {cp.ref.name!r} ({cp.ref.account})"
    if cp.live_id is None:
        if any(s.name == cp.ref.name for s in live):
            return f"{name}: a live campaign with this name appeared since the plan"
        return None
    summary = _summary(cp, live)
    if summary is None:
        return f"{name}: live campaign {cp.live_id} no longer exists"
    try:
        fetched = await provider.fetch(summary, None)
    except NotFound:
        return f"{name}: live campaign {cp.live_id} no longer exists"
    if fetched.fingerprint != cp.fingerprint:
        return f"{name}: live campaign changed since the plan (status {fetched.status})"
    return None


def _summary(cp: CampaignPlan, live: list[LiveSummary]) -> LiveSummary | None:
    return next((s for s in live if s.id == cp.live_id), None) if cp.live_id else None


def _budget_notes(
    plan: Plan,
    providers: Mapping[str, Provider],
    live: Mapping[str, list[LiveSummary]],
    budget: BudgetPolicy,
) -> list[str]:
    """Check the reads and writes still ahead against the rate limits before any is made."""
    estimates = []
    for account, summaries in live.items():
        provider = providers[account]
        reads = 0
        for cp in plan.changed:
            summary = _summary(cp, summaries) if cp.ref.account == account else None
            reads += provider.read_calls(summary, None) if summary else 0
        ahead = {"campaign reads": reads, "writes": writes_ahead(plan, account, provider)}
        estimates.append(estimate(provider, ahead))
    return budget.check(estimates)


@dataclass(frozen=True)
class Freshness:
    """One line per campaign that moved (``stale``), and the request budget's notes."""

    stale: list[str]
    notes: list[str]


async def check_fresh(
    plan: Plan, providers: Mapping[str, Provider], budget: BudgetPolicy | None = None
) -> Freshness:
    """Re-read what the plan touches; ``stale`` is empty when it can be applied as is.

    With ``budget``, the reads and the plan's writes are checked against the rate limits
    once the lists are in: ``OverBudget`` before any campaign is read.
    """
    changed = plan.changed
    phase = Phase("freshness", "checking that live state has not moved since the plan")
    accounts = sorted({cp.ref.account for cp in changed})
    listed = await asyncio.gather(*(providers[a].list_live() for a in accounts))
    live = dict(zip(accounts, listed, strict=True))
    notes = _budget_notes(plan, providers, live, budget) if budget else []
    phase.count(len(changed), text="re-reading the planned campaigns")

    async def moved(cp: CampaignPlan) -> str | None:
        reason = await _moved(providers[cp.ref.account], cp, live[cp.ref.account])
        phase.step()
        return reason

    reasons = [r for r in await asyncio.gather(*(moved(cp) for cp in changed)) if r]
    verdict = f"{len(reasons):,} moved" if reasons else "none moved"
    phase.finish(f"re-read {plural(len(changed), 'planned campaign')}: {verdict}")
    return Freshness(reasons, notes)
