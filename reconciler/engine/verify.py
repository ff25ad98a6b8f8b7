"""``apply --verify``: plan again right after an apply; whatever a fresh plan still changes is
a perpetual-diff suspect (values that never compare equal after the vendor's read-back).

The re-plan covers what the apply covered (``Applied``: the same accounts, ``--prune`` and
documents in scope) with the guards lifted: only what is left matters, not whether it would be
allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.engine.facade import make_plan
from reconciler.engine.planner import PlanResult
from reconciler.engine.scope import Selection
from reconciler.plan.values import CampaignPlan, CampaignRef, Plan
from reconciler.providers.base import Provider


@dataclass(frozen=True)
class Leftover:
    """A campaign still changed by a fresh plan after apply: the ``fields`` that differ, or,
    when no field does, the kinds of the steps planned again."""

    ref: CampaignRef
    fields: tuple[str, ...]

    @classmethod
    def of(cls, plan: CampaignPlan) -> Leftover:
        fields = [change.field for action in plan.actions for change in action.changes]
        return cls(plan.ref, tuple(fields or [action.kind.value for action in plan.actions]))


@dataclass(frozen=True)
class Verification:
    """The fresh plan (its warnings are the caller's to show) and what it still changes."""

    result: PlanResult
    leftovers: tuple[Leftover, ...]

    @property
    def ok(self) -> bool:
        return not self.leftovers


def leftovers(plan: Plan) -> tuple[Leftover, ...]:
    """One ``Leftover`` per campaign the plan changes, in plan order."""
    return tuple(Leftover.of(c) for c in plan.changed)


@dataclass(frozen=True)
class Applied:
    """What an apply covered, which the fresh plan covers again: the documents of ``ws`` (or
    only those of ``selection``, for a scoped plan) and whether it pruned."""

    ws: Workspace
    config: CampConfig
    prune: bool
    selection: Selection | None = None


async def verify(
    applied: Applied, providers: Mapping[str, Provider], *, parallelism: int
) -> Verification:
    """Re-plan the accounts in ``providers`` over what was applied, guards lifted; reference
    errors raise as for any plan."""
    again = await make_plan(
        applied.ws,
        applied.config,
        providers,
        prune=applied.prune,
        force=True,
        parallelism=parallelism,
        selection=applied.selection,
    )
    return Verification(again, leftovers(again.plan))
