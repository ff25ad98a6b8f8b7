"""Build a plan: match desired campaigns to live ones, fetch, and ask each provider to diff.

Matching, per account: a document's ``id`` pins it to that live campaign; otherwise its name
picks the live campaign with that exact name. Two or more live campaigns with the name and no
``id`` is a blocked action naming the candidates. Live campaigns no document names are left
alone, unless ``--prune`` is on and their name starts with the account's ``prune_prefix``
(and, for a plan scoped with ``--changed-since``, a document deleted since then named them).
Reads run concurrently, bounded by ``parallelism``: first each account's list pages and
look-ups (``LiveReads``, which may have started while the files were still loading), then,
once the request budget allows them (``budget``), the campaigns the documents match. Each
account reports its progress (listed, read so far) as ``progress`` events, the count of its
reads at most every ``STEP_EVERY`` seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.engine.budget import BudgetPolicy, estimate
from reconciler.plan.insight import Signals
from reconciler.plan.values import Action, ActionKind, CampaignPlan, Plan
from reconciler.providers.base import LiveCampaign, LiveSummary, Planned, PlanOptions, Provider
from reconciler.providers.progress import Phase, plural

T = TypeVar("T")
STEP_EVERY = 0.1  # seconds between two counts of one account's reads (progress events)


@dataclass(frozen=True)
class AccountScope:
    """One account to plan: its provider, its documents and its prune prefix.

    A plan scoped to some documents (``--changed-since``) also says which names every
    document of the account gives (``named``, never pruned) and which live names a prune may
    delete (``prune_only``: those of documents deleted since the revision); None means the
    documents are all there are and any unnamed campaign in the prefix may go.
    """

    provider: Provider
    docs: Sequence[CampaignDoc]
    prune_prefix: str | None = None
    named: frozenset[str] | None = None
    pinned: frozenset[str] = frozenset()
    prune_only: frozenset[str] | None = None


@dataclass
class PlanResult:
    """A plan, or the problems (unresolved references, unknown ids) that prevent one."""

    plan: Plan
    problems: list[Problem] = field(default_factory=list)
    live_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    signals: list[Signals] = field(default_factory=list)  # the insight's input (engine.insight)


class Bounded:
    """Runs jobs with at most ``limit`` in flight.

    A job is a function making the awaitable, called only once a slot is free: an awaitable
    made up front and then cancelled (Ctrl-C) would never be awaited, and Python warns.
    """

    def __init__(self, limit: int) -> None:
        self._sem = asyncio.Semaphore(max(1, limit))

    async def run(self, job: Callable[[], Awaitable[T]]) -> T:
        async with self._sem:
            return await job()


class LiveReads:
    """Each account's list pages and look-ups, started once and shared.

    ``start`` may run early: while the campaign files still load, as soon as the loader meets
    an account's first document (they need nothing but camp.yaml). The planner awaits what
    was started, or starts it itself.
    """

    def __init__(self, providers: Mapping[str, Provider], bounded: Bounded) -> None:
        self.providers = providers
        self.bounded = bounded
        self._listing: dict[str, asyncio.Task[list[LiveSummary]]] = {}
        self._directory: dict[str, asyncio.Task[None]] = {}

    def start(self, account: str, *, directory: bool = True) -> None:
        """List the account's campaigns (and load its look-ups) unless already under way."""
        provider = self.providers[account]
        if account not in self._listing:
            self._listing[account] = asyncio.create_task(self.bounded.run(provider.list_live))
        if directory and account not in self._directory:
            job = self.bounded.run(provider.ensure_directory)
            self._directory[account] = asyncio.create_task(job)

    async def live(self, account: str) -> list[LiveSummary]:
        self.start(account, directory=False)
        return await self._listing[account]

    async def directory(self, account: str) -> None:
        self.start(account)
        await self._directory[account]

    @property
    def started(self) -> frozenset[str]:
        return frozenset(self._listing)

    def cancel(self) -> None:
        """Stop what is still running (the files turned out invalid, the run is over); the
        error of a read nobody awaited any more is dropped, not logged at exit."""
        for task in [*self._listing.values(), *self._directory.values()]:
            if not task.done():
                task.cancel()
            elif not task.cancelled():
                task.exception()


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
    named = scope.named if scope.named is not None else {d.campaign.name for d in scope.docs}
    only = scope.prune_only
    return [
        _Match(None, s)
        for s in live
        if s.id not in claimed
        and s.id not in scope.pinned
        and s.name not in named
        and s.name.startswith(prefix)
        and (only is None or s.name in only)
    ]


@dataclass
class _Account:
    """One account between its list and its reads: what matched, and what stops it."""

    scope: AccountScope
    matches: list[_Match] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    live: list[LiveSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plans: list[CampaignPlan] = field(default_factory=list)
    signals: list[Signals] = field(default_factory=list)


async def _resolve(scope: AccountScope, account: str, reads: LiveReads) -> list[Problem]:
    """Reference problems of the documents (no look-up at all for an account without any)."""
    if not scope.docs:
        return []
    await reads.directory(account)
    return await scope.provider.resolve(scope.docs)


async def _match_account(
    account: str, scope: AccountScope, prune: bool, reads: LiveReads
) -> _Account:
    """List (or await the listing), resolve references, match documents to live campaigns."""
    out = _Account(scope)
    out.live, out.problems = await asyncio.gather(
        reads.live(account), _resolve(scope, account, reads)
    )
    out.matches, match_problems = _match(scope.docs, out.live)
    out.problems += match_problems
    if prune:
        out.matches += _prune_matches(scope, out.live, out.matches)
    return out


class _Counted:
    """Counts an account's reads into its ``Phase``, at most every ``STEP_EVERY`` seconds.

    A progress event per campaign read was a log record (and, on a terminal, a redraw) a
    thousand times in a few seconds, between the reads; ten counts a second show the same.
    """

    def __init__(self, phase: Phase) -> None:
        self.phase = phase
        self._pending = 0
        self._shown = -STEP_EVERY  # the first read is counted at once

    def step(self) -> None:
        self._pending += 1
        now = time.monotonic()
        if now - self._shown >= STEP_EVERY:
            self._shown = now
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.phase.step(self._pending)
            self._pending = 0


def _reads_ahead(provider: Provider, matches: Sequence[_Match]) -> dict[str, int]:
    reads = sum(
        provider.read_calls(m.summary, m.doc) for m in matches if m.summary and not m.candidates
    )
    return {"campaign reads": reads}


async def _read_and_plan(
    account: _Account, options: PlanOptions, bounded: Bounded, phase: Phase
) -> None:
    """Read each matched campaign, plan it, and gather what it tells the insight."""
    provider = account.scope.provider
    counted = _Counted(phase)

    async def one(m: _Match) -> tuple[CampaignPlan, Signals | None]:
        if m.candidates:
            return _duplicate_plan(provider, m), None
        fetched: LiveCampaign | None = None
        if m.summary is not None:
            summary, doc = m.summary, m.doc
            fetched = await bounded.run(lambda: provider.fetch(summary, doc))
            counted.step()
        plan = provider.plan(m.doc, fetched, options)
        return plan, provider.signals(Planned(m.doc, fetched, plan, options))

    planned = await asyncio.gather(*(one(m) for m in account.matches))
    counted.flush()
    account.plans = [p for p, _ in planned]
    account.signals = [s for _, s in planned if s is not None]
    fetched_ids = {m.summary.id for m in account.matches if m.summary is not None}
    account.signals += [
        s
        for summary in account.live
        if summary.id not in fetched_ids
        if (s := provider.listed_signals(summary))
    ]


async def _plan_account(
    key: str,
    scope: AccountScope,
    options: PlanOptions,
    prune: bool,
    reads: LiveReads,
    budget: BudgetPolicy,
) -> _Account:
    """Match, check the reads against the request budget, then read and plan."""
    phase = Phase(f"read {key}", f"{key}: listing campaigns", unit="campaigns")
    account = await _match_account(key, scope, prune, reads)
    listed = plural(len(account.live), "live campaign")
    if any(p.is_error for p in account.problems):
        phase.finish(f"{key}: {listed}; references unresolved")
        return account
    ahead = _reads_ahead(scope.provider, account.matches)
    account.notes = budget.check([estimate(scope.provider, ahead)])
    wanted = sum(1 for m in account.matches if m.summary is not None and not m.candidates)
    phase.count(wanted, text=f"{key}: reading")
    await _read_and_plan(account, options, reads.bounded, phase)
    read = f"{wanted:,} matched and read" if wanted else "none matched"
    phase.finish(f"{key}: {listed}, {read} in {phase.elapsed}")
    return account


async def build_plan(
    scopes: Mapping[str, AccountScope],
    *,
    options: PlanOptions,
    prune: bool = False,
    parallelism: int = 8,
    reads: LiveReads | None = None,
    budget: BudgetPolicy | None = None,
) -> PlanResult:
    """Plan every account concurrently; problems stop the plan, never half of it.

    Each account is listed and matched, then its reads are counted against the request
    budget (``OverBudget`` before any campaign of it is read, which stops every account),
    then read. ``reads`` carries list pages and look-ups already started (else they start
    here).
    """
    if reads is None:
        reads = LiveReads({a: s.provider for a, s in scopes.items()}, Bounded(parallelism))
    policy = budget or BudgetPolicy()
    tasks = [
        asyncio.create_task(_plan_account(key, scope, options, prune, reads, policy))
        for key, scope in scopes.items()
    ]
    try:
        accounts = dict(zip(scopes, await asyncio.gather(*tasks), strict=True))
    finally:
        for task in tasks:  # one account failed: the others stop reading too
            task.cancel()
    result = PlanResult(Plan(()))
    for key, account in accounts.items():
        result.problems.extend(account.problems)
        result.notes.extend(account.notes)
        result.signals.extend(account.signals)
        result.live_counts[key] = len(account.live)
        if prune and not scopes[key].prune_prefix:
            result.notes.append(f"account {key!r} has no prune_prefix: --prune left it alone")
    if not any(p.is_error for p in result.problems):
        result.plan = Plan.of([plan for account in accounts.values() for plan in account.plans])
    return result
