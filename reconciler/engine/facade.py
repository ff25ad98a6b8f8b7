"""What the CLI asks of the engine: pick the accounts in scope, and make a guarded plan.

The CLI parses options, calls these, renders and exits; the steps themselves (matching,
reading, diffing, guards) live here and below. Every failure is an ``EngineError`` carrying
located problems, so the CLI turns all of them into one message and one exit code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.config.problems import Problem
from reconciler.engine.guards import apply_guards
from reconciler.engine.insight import add_insight
from reconciler.engine.planner import AccountScope, PlanResult, build_plan
from reconciler.providers.base import PlanOptions, Provider


class EngineError(Exception):
    """The engine cannot go on: ``message`` says what, ``problems`` say where."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


def check_accounts(config: CampConfig, wanted: Sequence[str]) -> None:
    """Every ``--account`` names an account of camp.yaml."""
    unknown = [a for a in wanted if a not in config.accounts]
    if unknown:
        known = ", ".join(sorted(config.accounts))
        raise EngineError(f"unknown account {unknown[0]!r} (camp.yaml has: {known})")


def select_accounts(ws: Workspace, config: CampConfig, wanted: Sequence[str]) -> list[str]:
    """The accounts in scope: those named with --account, else those the YAML uses."""
    check_accounts(config, wanted)
    if wanted:
        return sorted(set(wanted))
    return sorted({doc.account for doc in ws.campaigns})


def _scopes(
    ws: Workspace, config: CampConfig, providers: Mapping[str, Provider]
) -> dict[str, AccountScope]:
    return {
        key: AccountScope(
            provider,
            [d for d in ws.campaigns if d.account == key],
            config.accounts[key].prune_prefix,
        )
        for key, provider in providers.items()
    }


async def make_plan(
    ws: Workspace,
    config: CampConfig,
    providers: Mapping[str, Provider],
    *,
    prune: bool,
    force: bool,
    parallelism: int,
) -> PlanResult:
    """Plan every account in ``providers``, add the plan-time insight (overlap, forecast,
    compliance), then apply camp.yaml's guards unless ``force``.

    Reference errors (a name that resolves to nothing) raise; warnings stay in
    ``result.problems`` for the caller to show.
    """
    options = PlanOptions(now_iso=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    scopes = _scopes(ws, config, providers)
    result = await build_plan(scopes, options=options, prune=prune, parallelism=parallelism)
    errors = [p for p in result.problems if p.is_error]
    if errors:
        raise EngineError("the plan cannot be made: fix the references above", result.problems)
    result.plan = add_insight(result.plan, result.signals)
    if not force:
        result.plan = apply_guards(result.plan, config.guards, result.live_counts)
    return result
