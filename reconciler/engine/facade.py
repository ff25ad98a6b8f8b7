"""What the CLI asks of the engine: pick the accounts in scope, and make a guarded plan.

The CLI parses options, calls these, renders and exits; the steps themselves (matching,
reading, diffing, guards) live here and below. Applying a saved plan (``engine.saved_apply``)
and ``--verify`` (``engine.verify``) are calls beside these. Every failure is an
``EngineError`` carrying located problems (``Refused`` when apply would be wrong), so the CLI
turns all of them into one message and one exit code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from reconciler.config.loader import CampaignDoc, Workspace
from reconciler.config.models import CampConfig
from reconciler.engine.budget import BudgetPolicy
from reconciler.engine.errors import EngineError as EngineError
from reconciler.engine.guards import apply_guards
from reconciler.engine.insight import add_insight
from reconciler.engine.planner import AccountScope, LiveReads, PlanResult, build_plan
from reconciler.engine.scope import Selection
from reconciler.providers.base import PlanOptions, Provider


def check_accounts(config: CampConfig, wanted: Sequence[str]) -> None:
    """Every ``--account`` names an account of camp.yaml."""
    unknown = [a for a in wanted if a not in config.accounts]
    if unknown:
        known = ", ".join(sorted(config.accounts))
        raise EngineError(f"unknown account {unknown[0]!r} (camp.yaml has: {known})")


def select_accounts(
    ws: Workspace,
    config: CampConfig,
    wanted: Sequence[str],
    selection: Selection | None = None,
    *,
    prune: bool = False,
) -> list[str]:
    """The accounts in scope: those named with --account, else those the YAML uses.

    A scoped plan (``selection``) covers only accounts with a document in scope, or, with
    ``--prune``, a document deleted since the revision: no other account is read at all.
    """
    check_accounts(config, wanted)
    if selection is None:
        return sorted(set(wanted)) if wanted else sorted({doc.account for doc in ws.campaigns})
    touched = {doc.account for doc in selection.docs}
    if prune:
        touched |= {gone.ref.account for gone in selection.deleted}
    return sorted(touched & set(wanted) if wanted else touched)


def _scope(
    ws: Workspace, config: CampConfig, key: str, provider: Provider, selection: Selection | None
) -> AccountScope:
    every = [d for d in ws.campaigns if d.account == key]
    prefix = config.accounts[key].prune_prefix
    if selection is None or selection.everything:
        return AccountScope(provider, every, prefix)
    docs: list[CampaignDoc] = [d for d in selection.docs if d.account == key]
    return AccountScope(
        provider,
        docs,
        prefix,
        named=frozenset(d.campaign.name for d in every),
        pinned=frozenset(d.campaign.id for d in every if d.campaign.id),
        prune_only=frozenset(x.ref.name for x in selection.deleted if x.ref.account == key),
    )


async def make_plan(
    ws: Workspace,
    config: CampConfig,
    providers: Mapping[str, Provider],
    *,
    prune: bool,
    force: bool,
    parallelism: int,
    selection: Selection | None = None,
    reads: LiveReads | None = None,
    budget: BudgetPolicy | None = None,
) -> PlanResult:
    """Plan every account in ``providers``, add the plan-time insight (overlap, forecast,
    compliance), then apply camp.yaml's guards unless ``force``.

    ``selection`` scopes the plan to some documents (``--changed-since``); ``reads`` holds
    list pages and look-ups already under way; ``budget`` stops a plan whose reads would wait
    too long for the vendors' rate limits (``engine.budget``). Reference errors (a name that
    resolves to nothing) raise; warnings stay in ``result.problems`` for the caller to show.
    """
    options = PlanOptions(now_iso=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    scopes = {key: _scope(ws, config, key, p, selection) for key, p in providers.items()}
    result = await build_plan(
        scopes,
        options=options,
        prune=prune,
        parallelism=parallelism,
        reads=reads,
        budget=budget,
    )
    errors = [p for p in result.problems if p.is_error]
    if errors:
        raise EngineError("the plan cannot be made: fix the references above", result.problems)
    result.plan = add_insight(result.plan, result.signals)
    if not force:
        result.plan = apply_guards(result.plan, config.guards, result.live_counts)
    if selection is not None:
        result.plan = result.plan.scoped(selection.plan_scope(list(providers), prune=prune))
    return result
