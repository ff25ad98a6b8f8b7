"""Build a plan: match desired campaigns to live ones, fetch, and ask each provider to diff.

Matching, per account: a document's ``id`` pins it to that live campaign; otherwise its name
picks the live campaign with that exact name. Two or more live campaigns with the name and no
``id`` is a blocked action naming the candidates. Live campaigns no document names are left
alone, unless ``--prune`` is on and their name starts with the account's ``prune_prefix``.
Reads run concurrently, bounded by ``parallelism``; each account reports its progress
(listed, read so far) as ``progress`` events.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan, Plan
from reconciler.providers.base import LiveCampaign, LiveSummary, Planned, PlanOptions, Provider
from reconciler.providers.progress import Phase, plural

T = TypeVar("T")


@dataclass(frozen=True)
class AccountScope:
    """One account to plan: its provider, its documents and its prune prefix."""

    provider: Provider
    docs: Sequence[CampaignDoc]
    prune_prefix: str | None = None


@dataclass
class PlanResult:
    """A plan, or the problems (unresolved references, unknown ids) that prevent one."""

    plan: Plan
    problems: list[Problem] = field(default_factory=list)
    live_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    signals: list[Signals] = field(default_factory=list)  # the insight's input (engine.insight)


class _Bounded:
    """Runs jobs with at most ``limit`` in flight.

    A job is a function making the awaitable, called only once a slot is free: an awaitable
    made up front and then cancelled (Ctrl-C) would never be awaited, and Python warns.
    """

    def __init__(self, limit: int) -> None:
        self._sem = asyncio.Semaphore(max(1, limit))

    async def run(self, job: Callable[[], Awaitable[T]]) -> T:
        async with self._sem:
            return await job()


@dataclass
class _Match:
    doc: CampaignDoc | None
    summary: LiveSummary | None
    candidates: list[LiveSummary] = field(default_factory=list)


def _match(
    docs: Sequence[CampaignDoc], live: Sequence[LiveSummary]
) -> tuple[list[_Match], list[Problem]]:
    by_id = {s.id: s for s in live}
    by_name: dict[str, list[LiveSummary]] = defaultdict(list)
    for s in live:
        by_name[s.name].append(s)
    matches, problems = [], []
    for doc in docs:
        pinned = doc.campaign.id
        if pinned is None:
            found = by_name.get(doc.campaign.name, [])
            summary = found[0] if len(found) == 1 else None
            matches.append(_Match(doc, summary, found if len(found) > 1 else []))
        elif pinned in by_id:
            matches.append(_Match(doc, by_id[pinned]))
        elif doc.state == "absent":
            matches.append(_Match(doc, None))
        else:
            problems.append(
                Problem(
                    doc.data.value_location("id"),
                    f"id: no live campaign {pinned!r} in account {doc.account!r}",
                    "remove `id:` to match by name (or create), or fix the id",
                )
            )
    return matches, problems


def _duplicate_plan(provider: Provider, m: _Match) -> CampaignPlan:
    assert m.doc is not None
    ids = ", ".join(s.id for s in m.candidates)
    action = Action(ActionKind.UPDATE, summary="match a live campaign").block(
        f"{len(m.candidates)} live campaigns are named {m.doc.campaign.name!r}: {ids}",
        "pin one with `id:` in the YAML (or rename/delete the extra ones at the vendor)",
    )
    return CampaignPlan(
        ref=provider.ref(m.doc.campaign.name),
        source=str(m.doc.location),
        live_id=None,
        live_status=None,
        fingerprint=None,
        actions=(action,),
    )


def _prune_matches(
    scope: AccountScope, live: Sequence[LiveSummary], matches: Sequence[_Match]
) -> list[_Match]:
    prefix = scope.prune_prefix
    if not prefix:
        return []
    claimed = {m.summary.id for m in matches if m.summary} | {
        s.id for m in matches for s in m.candidates
    }
    named = {d.campaign.name for d in scope.docs}
    return [
        _Match(None, s)
        for s in live
        if s.id not in claimed and s.name not in named and s.name.startswith(prefix)
    ]


@dataclass
class _AccountResult:
    plans: list[CampaignPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    live_count: int = 0
    signals: list[Signals] = field(default_factory=list)


async def _plan_account(
    scope: AccountScope, options: PlanOptions, prune: bool, bounded: _Bounded
) -> _AccountResult:
    provider = scope.provider
    account = provider.account
    phase = Phase(f"read {account}", f"{account}: listing campaigns", unit="campaigns")
    live, problems = await asyncio.gather(
        bounded.run(provider.list_live), bounded.run(lambda: provider.resolve(scope.docs))
    )
    matches, match_problems = _match(scope.docs, live)
    problems += match_problems
    if any(p.is_error for p in problems):
        phase.finish(f"{account}: {plural(len(live), 'live campaign')}; references unresolved")
        return _AccountResult(problems=problems, live_count=len(live))
    if prune:
        matches += _prune_matches(scope, live, matches)
    wanted = sum(1 for m in matches if m.summary is not None and not m.candidates)
    phase.count(wanted, text=f"{account}: reading")

    async def one(m: _Match) -> tuple[CampaignPlan, Signals | None]:
        if m.candidates:
            return _duplicate_plan(provider, m), None
        fetched: LiveCampaign | None = None
        if m.summary is not None:
            summary, doc = m.summary, m.doc
            fetched = await bounded.run(lambda: provider.fetch(summary, doc))
            phase.step()
        plan = provider.plan(m.doc, fetched, options)
        return plan, provider.signals(Planned(m.doc, fetched, plan, options))

    planned = await asyncio.gather(*(one(m) for m in matches))
    read = f"{wanted:,} matched and read" if wanted else "none matched"
    phase.finish(f"{account}: {plural(len(live), 'live campaign')}, {read} in {phase.elapsed}")
    result = _AccountResult([p for p, _ in planned], problems, len(live))
    result.signals = [s for _, s in planned if s is not None]
    fetched_ids = {m.summary.id for m in matches if m.summary is not None}
    result.signals += [
        s
        for summary in live
        if summary.id not in fetched_ids
        if (s := provider.listed_signals(summary))
    ]
    return result


async def build_plan(
    scopes: Mapping[str, AccountScope],
    *,
    options: PlanOptions,
    prune: bool = False,
    parallelism: int = 8,
) -> PlanResult:
    """Plan every account concurrently; problems stop the plan, never half of it."""
    bounded = _Bounded(parallelism)
    results = await asyncio.gather(
        *(_plan_account(scope, options, prune, bounded) for scope in scopes.values())
    )
    plans: list[CampaignPlan] = []
    result = PlanResult(Plan(()))
    for account, one in zip(scopes, results, strict=True):
        plans.extend(one.plans)
        result.problems.extend(one.problems)
        result.live_counts[account] = one.live_count
        result.signals.extend(one.signals)
        if prune and not scopes[account].prune_prefix:
            result.notes.append(f"account {account!r} has no prune_prefix: --prune left it alone")
    result.plan = Plan.of(plans)
    return result
