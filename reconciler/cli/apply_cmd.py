"""``camp apply``: execute a fresh plan (after confirmation) or a reviewed, saved one.

A saved plan is its own approval, but only while it is true: apply re-reads every campaign it
touches and refuses (exit 3, nothing written) when any moved, when the file was altered, or
when it is older than ``--max-age``. A plan holding a blocked action is never applied.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.apply_report import (
    interrupted_line,
    outcome_line,
    summary_line,
    verify_failures,
)
from reconciler.cli.flow import (
    Stop,
    finish,
    load,
    load_config_only,
    run_async,
    scope_options,
    show_warnings,
)
from reconciler.cli.globals import Globals
from reconciler.cli.live_plan import PlanArgs, budget_options, config_for, live_plan
from reconciler.cli.session import open_providers
from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.engine import facade, savedplan
from reconciler.engine.applier import CampaignOutcome, apply_plan
from reconciler.engine.budget import BudgetPolicy, apply_estimates
from reconciler.engine.freshness import check_fresh
from reconciler.engine.scope import Selection
from reconciler.plan.values import Plan
from reconciler.providers.base import Provider
from reconciler.render.plan_text import render_text

YAML_SUFFIXES = (".yaml", ".yml")


def _is_plan_file(paths: tuple[Path, ...]) -> bool:
    return len(paths) == 1 and paths[0].is_file() and paths[0].suffix not in YAML_SUFFIXES


@click.command()
@click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PLAN_FILE | PATHS...]"
)
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option("--verify", is_flag=True, help="Re-plan afterwards; any change left is an error.")
@click.option(
    "--max-age",
    type=click.FloatRange(min=0),
    default=24.0,
    show_default=True,
    metavar="HOURS",
    help="Hours a saved plan stays valid.",
)
@scope_options
@budget_options
@click.pass_obj
def apply(
    g: Globals,
    paths: tuple[Path, ...],
    auto_approve: bool,
    verify: bool,
    max_age: float,
    accounts: tuple[str, ...],
    prune: bool,
    force: bool,
    parallelism: int,
    changed_since: str | None,
    max_wait: float,
) -> None:
    """Make the vendors match the YAML (PATHS) or execute a saved PLAN_FILE.

    Exit 0 applied, 1 error or failed campaign, 3 blocked / stale plan (nothing written).
    """
    args = PlanArgs(paths, accounts, prune, force, parallelism, changed_since, max_wait)
    try:
        if _is_plan_file(paths):
            age = timedelta(hours=max_age)
            code = _apply_saved(g, paths[0], age, parallelism, verify, max_wait)
        else:
            code = _apply_fresh(g, args, auto_approve, verify)
    except Stop as stop:
        finish(stop, g)
        return
    raise SystemExit(code)


def _confirm(auto_approve: bool) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise Stop(
            exits.ERROR, "apply needs confirmation: run on a terminal or pass --auto-approve"
        )
    answer = click.prompt(
        "Apply these changes? Only 'yes' is accepted", default="", show_default=False
    )
    if answer.strip() != "yes":
        raise Stop(exits.ERROR, "apply cancelled: nothing was changed")


def _apply_fresh(g: Globals, args: PlanArgs, auto_approve: bool, verify: bool) -> int:
    config = config_for(g, args)
    budget = BudgetPolicy(args.max_wait, "this apply")

    async def go() -> int:
        async with live_plan(g, args, config, doing="this apply") as planned:
            result, providers = planned.result, planned.providers
            _notes(result.notes)
            click.echo(render_text(result.plan, color=g.color))
            if result.plan.blocked:
                raise Stop(exits.BLOCKED, "the plan has blocked actions: nothing was applied")
            if not result.plan.has_changes:
                return exits.OK
            _notes(budget.check(apply_estimates(result.plan, providers, verify=verify)))
            _confirm(auto_approve)
            code = await _execute(g, result.plan, providers, args.parallelism)
            if verify:
                again = _Verify(planned.ws, planned.config, args.prune, planned.selection)
                code = max(code, await again.run(providers, args.parallelism))
            return code

    return run_async(go(), config, g.config)


def _notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _apply_saved(
    g: Globals, path: Path, max_age: timedelta, parallelism: int, verify: bool, max_wait: float
) -> int:
    try:
        saved = savedplan.load(path, max_age=max_age)
    except savedplan.PlanFileError as exc:
        raise Stop(exits.ERROR, f"{path}: {exc}") from None
    except savedplan.PlanRefused as exc:
        raise Stop(exits.BLOCKED, f"{path}: refused: {exc}; nothing was applied") from None
    plan = saved.plan
    if plan.blocked:
        raise Stop(exits.BLOCKED, f"{path}: the plan has blocked actions: nothing was applied")
    ws, config = load(g, saved.paths) if verify else (None, load_config_only(g))
    accounts = sorted({c.ref.account for c in plan.changed})
    unknown = [a for a in accounts if a not in config.accounts]
    if unknown:
        raise Stop(exits.ERROR, f"{path}: account {unknown[0]!r} is not in {g.config}")
    if not accounts:
        click.echo("No changes. Live state matches the configuration.")
        return exits.OK
    budget = BudgetPolicy(max_wait, "this apply")

    async def go() -> int:
        async with open_providers(
            config, accounts, parallelism=parallelism, config_path=g.config
        ) as providers:
            fresh = await check_fresh(plan, providers, budget)
            _notes(fresh.notes)
            if fresh.stale:
                details = "\n".join(f"  - {line}" for line in fresh.stale)
                raise Stop(
                    exits.BLOCKED,
                    f"{path}: refused: live state moved since the plan was made; "
                    f"nothing was applied:\n{details}\n  hint: run `camp plan` again",
                )
            code = await _execute(g, plan, providers, parallelism)
            if verify and ws is not None:
                selection = Selection.recorded(ws, plan.scope) if plan.scope else None
                again = _Verify(ws, config, saved.prune, selection)
                code = max(code, await again.run(providers, parallelism))
            return code

    return run_async(go(), config, g.config)


async def _execute(
    g: Globals, plan: Plan, providers: Mapping[str, Provider], parallelism: int
) -> int:
    """Each campaign's outcome is printed as soon as it is done, then the summary; an
    interrupted apply (Ctrl-C) still says how many finished before it stops."""
    finished: list[CampaignOutcome] = []

    def done(outcome: CampaignOutcome) -> None:
        finished.append(outcome)
        g.echo(outcome_line(outcome, color=g.color))

    try:
        outcomes = await apply_plan(plan, providers, parallelism=parallelism, finished=done)
    except asyncio.CancelledError:
        g.echo(interrupted_line(finished, len(plan.changed)))
        raise
    g.echo(summary_line(outcomes))
    return exits.OK if all(o.ok for o in outcomes) else exits.ERROR


class _Verify:
    """A fresh plan after the apply, over what the applied plan covered; any change left is
    a perpetual-diff suspect."""

    def __init__(
        self, ws: Workspace, config: CampConfig, prune: bool, selection: Selection | None
    ) -> None:
        self.ws, self.config, self.prune, self.selection = ws, config, prune, selection

    async def run(self, providers: Mapping[str, Provider], parallelism: int) -> int:
        again = await facade.make_plan(
            self.ws,
            self.config,
            providers,
            prune=self.prune,
            force=True,
            parallelism=parallelism,
            selection=self.selection,
        )
        show_warnings(again)
        failures = verify_failures(again.plan)
        if not failures:
            click.echo("Verified: a fresh plan shows no changes.")
            return exits.OK
        for line in failures:
            click.echo(line, err=True)
        return exits.ERROR
