"""Safety guards from camp.yaml: block a plan that does too much at once (exit 3).

- ``max_change_percent`` / ``min_existing``: when an account has at least ``min_existing``
  live campaigns, changing or deleting more than ``max_change_percent`` of them blocks every
  such action in that account (a typo in a shared file should not rewrite the whole estate).
- ``max_recipients_per_launch``: a launch, send, schedule or resume reaching more recipients
  than this is blocked.
- ``max_lead_overlap_percent``, ``max_days_to_complete``, ``require_unsubscribe``: on the
  plan-time insight of a launch (``insight_guards``).

``--force`` lifts the guards: the guarded actions become ordinary changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from reconciler.config.models import Guards
from reconciler.engine.insight_guards import insight_hit
from reconciler.plan.values import Action, CampaignPlan, Plan


class GuardHit(NamedTuple):
    """A guard that blocks an action: its camp.yaml name and the numbers that tripped it."""

    guard: str
    reason: str


def _changes_live(c: CampaignPlan) -> bool:
    return c.live_id is not None and any(a.kind.meaning.changes_live for a in c.actions)


def _percent_blocked(
    plan: Plan, guards: Guards, live_counts: Mapping[str, int]
) -> dict[str, GuardHit]:
    """Accounts over the change threshold → the hit."""
    limit = guards.max_change_percent
    if limit is None:
        return {}
    out = {}
    for account, total in live_counts.items():
        if total == 0 or total < (guards.min_existing or 0):
            continue
        changed = sum(1 for c in plan.campaigns if c.ref.account == account and _changes_live(c))
        share = 100.0 * changed / total
        if share > limit:
            out[account] = GuardHit(
                "max_change_percent",
                f"{changed} of {total} live campaigns in account {account!r} would change "
                f"({share:.0f}% > {limit:g}%)",
            )
    return out


def _recipients_hit(c: CampaignPlan, action: Action, limit: int | None) -> GuardHit | None:
    recipients = c.facts.audience_size
    if limit is None or not action.kind.meaning.reaches_audience or recipients is None:
        return None
    if recipients <= limit:
        return None
    return GuardHit(
        "max_recipients_per_launch",
        f"{action.kind.value} would reach {recipients:,} recipients (limit {limit:,})",
    )


_HINT = "review the plan, then re-run with --force to proceed anyway"


def apply_guards(plan: Plan, guards: Guards, live_counts: Mapping[str, int]) -> Plan:
    """The plan with guarded actions blocked (already blocked actions keep their reason)."""
    over = _percent_blocked(plan, guards, live_counts)
    campaigns = []
    for c in plan.campaigns:
        actions = []
        for action in c.actions:
            hit = _recipients_hit(c, action, guards.max_recipients_per_launch)
            if hit is None and action.kind.meaning.reaches_audience:
                found = insight_hit(c.insight, action, guards)
                hit = GuardHit(*found) if found else None
            if hit is None and c.ref.account in over and _changes_live(c):
                hit = over[c.ref.account] if action.kind.meaning.changes_live else None
            if hit and action.blocked is None:
                action = action.block(hit.reason, _HINT, guard=hit.guard)
            actions.append(action)
        campaigns.append(c.with_actions(tuple(actions)))
    return Plan(tuple(campaigns), plan.scope)
