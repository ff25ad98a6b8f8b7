"""Execute a plan: campaigns concurrently (bounded), each campaign's actions in order.

A plan holding a blocked action is refused whole (``Refused``, nothing written). A failure
stops the rest of *that* campaign's steps (a launch must not follow a failed update) but never
the other campaigns. Every outcome is reported, each as soon as its campaign is done
(``finished``), so an interrupted or failing run still says what it did; a re-run plans only
what is left, so it converges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.engine.errors import Refused
from reconciler.plan.values import CampaignPlan, Plan
from reconciler.providers.base import ExecState, Provider
from reconciler.providers.http.errors import ProviderError
from reconciler.providers.progress import Phase, Progress, report


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


StepDone = Callable[[CampaignOutcome, str], None]
Finished = Callable[[CampaignOutcome], None]


def _name(cp: CampaignPlan) -> str:
    return f"{cp.ref.account}: {cp.ref.name!r}"


async def _run_campaign(
    provider: Provider, cp: CampaignPlan, progress: StepDone | None
) -> CampaignOutcome:
    outcome = CampaignOutcome(cp, live_id=cp.live_id)
    state = ExecState(live_id=cp.live_id)
    for action in cp.actions:
        task = f"apply {cp.ref.account} {cp.ref.kind} {cp.ref.name} {action.kind.value}"
        report(Progress(task=task, text=f"{_name(cp)}: {action.kind.value}…"))
        try:
            await provider.execute(cp, action, state)
        except ProviderError as exc:
            outcome.failed, outcome.error = action.kind.value, str(exc)
            break
        finally:  # the outcome line says how it went
            report(Progress(task=task, text="", finished=True))
        outcome.done.append(action.kind.value)
        if progress:
            progress(outcome, action.kind.value)
    outcome.live_id, outcome.notes = state.live_id, state.notes
    return outcome


def refuse_blocked(plan: Plan, *, source: Path | None = None) -> None:
    """``Refused`` when the plan holds a blocked action: it is never applied, not even in part
    (``source``, a saved plan's path, starts the message)."""
    if plan.blocked:
        where = f"{source}: " if source is not None else ""
        raise Refused(f"{where}the plan has blocked actions: nothing was applied")


async def apply_plan(
    plan: Plan,
    providers: Mapping[str, Provider],
    *,
    parallelism: int = 8,
    progress: StepDone | None = None,
    finished: Finished | None = None,
) -> list[CampaignOutcome]:
    """Run every changed campaign; outcomes come back in plan order, and each one is also
    handed to ``finished`` as soon as its campaign is done."""
    refuse_blocked(plan)
    sem = asyncio.Semaphore(max(1, parallelism))
    phase = Phase("apply", "applying campaigns:", total=len(plan.changed), unit="done")

    async def bounded(cp: CampaignPlan) -> CampaignOutcome:
        async with sem:
            outcome = await _run_campaign(providers[cp.ref.account], cp, progress)
        phase.step()
        if finished is not None:
            finished(outcome)
        return outcome

    outcomes = list(await asyncio.gather(*(bounded(cp) for cp in plan.changed)))
    failed = sum(1 for o in outcomes if not o.ok)
    errors = f" ({failed:,} failed)" if failed else ""
    phase.finish(f"apply: {len(outcomes):,} campaigns done{errors} in {phase.elapsed}")
    return outcomes
