"""``camp apply``: execute a fresh plan (after confirmation) or a reviewed, saved one.

The engine decides and does: whether a saved plan may still be applied
(``engine.saved_apply``: altered, expired, blocked or stale plans are refused, exit 3, nothing
written), running the plan (``engine.applier``) and ``--verify``'s fresh plan afterwards
(``engine.verify``). This module asks for confirmation, prints each outcome as it comes, and
exits.
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
    load,
    load_config_only,
    run_async,
    show_notes,
    show_warnings,
    stopping,
)
from reconciler.cli.globals import Globals
from reconciler.cli.live_plan import PlanArgs, config_for, live_plan, plan_options
from reconciler.cli.session import open_providers
from reconciler.engine import saved_apply
from reconciler.engine.applier import CampaignOutcome, apply_plan, refuse_blocked
from reconciler.engine.budget import BudgetPolicy, apply_estimates
from reconciler.engine.verify import Applied, verify
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
@plan_options
@click.pass_obj
def apply(g: Globals, args: PlanArgs, auto_approve: bool, verify: bool, max_age: float) -> None:
    """Make the vendors match the YAML (PATHS) or execute a saved PLAN_FILE.

    Exit 0 applied, 1 error or failed campaign, 3 blocked / stale plan (nothing written).
    """
    with stopping(g):
        if _is_plan_file(args.paths):
            code = _apply_saved(g, args, timedelta(hours=max_age), verify)
        else:
            code = _apply_fresh(g, args, auto_approve, verify)
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


def _apply_fresh(g: Globals, args: PlanArgs, auto_approve: bool, verify_after: bool) -> int:
    config = config_for(g, args)
    budget = BudgetPolicy(args.max_wait, "this apply")

    async def go() -> int:
        async with live_plan(g, args, config, doing="this apply") as planned:
            plan, providers = planned.result.plan, planned.providers
            show_notes(planned.result.notes)
            click.echo(render_text(plan, color=g.color))
            refuse_blocked(plan)
            if not plan.has_changes:
                return exits.OK
            show_notes(budget.check(apply_estimates(plan, providers, verify=verify_after)))
            _confirm(auto_approve)
            code = await _execute(g, plan, providers, args.parallelism)
            if verify_after:
                applied = Applied(planned.ws, planned.config, args.prune, planned.selection)
                code = max(code, await _verify(applied, providers, args.parallelism))
            return code

    return run_async(go(), config, g.config)


def _apply_saved(g: Globals, args: PlanArgs, max_age: timedelta, verify_after: bool) -> int:
    saved = saved_apply.load(args.paths[0], max_age=max_age)
    ws, config = load(g, saved.paths) if verify_after else (None, load_config_only(g))
    accounts = saved.accounts(config, g.config)
    if not accounts:
        click.echo("No changes. Live state matches the configuration.")
        return exits.OK
    budget = BudgetPolicy(args.max_wait, "this apply")
    parallelism = args.parallelism

    async def go() -> int:
        async with open_providers(
            config, accounts, parallelism=parallelism, config_path=g.config
        ) as providers:
            show_notes(await saved.check_fresh(providers, budget))
            code = await _execute(g, saved.plan, providers, parallelism)
            if ws is not None:
                applied = saved.applied(ws, config)
                code = max(code, await _verify(applied, providers, parallelism))
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


async def _verify(applied: Applied, providers: Mapping[str, Provider], parallelism: int) -> int:
    """``--verify``: the fresh plan's warnings, then OK, or each campaign and field still
    different (exit 1: a perpetual-diff suspect)."""
    checked = await verify(applied, providers, parallelism=parallelism)
    show_warnings(checked.result)
    if checked.ok:
        click.echo("Verified: a fresh plan shows no changes.")
        return exits.OK
    for line in verify_failures(checked.leftovers):
        click.echo(line, err=True)
    return exits.ERROR
