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
    make_plan,
    run_async,
    scope_options,
    select_accounts,
)
from reconciler.cli.globals import Globals
from reconciler.cli.session import open_providers
from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.engine import savedplan
from reconciler.engine.applier import CampaignOutcome, apply_plan
from reconciler.engine.freshness import stale_reasons
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
) -> None:
    """Make the vendors match the YAML (PATHS) or execute a saved PLAN_FILE.

    Exit 0 applied, 1 error or failed campaign, 3 blocked / stale plan (nothing written).
    """
    try:
        if _is_plan_file(paths):
            code = _apply_saved(g, paths[0], timedelta(hours=max_age), parallelism, verify)
        else:
            code = _apply_fresh(g, paths, accounts, prune, force, parallelism, auto_approve, verify)
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


def _apply_fresh(
    g: Globals,
    paths: tuple[Path, ...],
    accounts: tuple[str, ...],
    prune: bool,
    force: bool,
    parallelism: int,
    auto_approve: bool,
    verify: bool,
) -> int:
    ws, config = load(g, paths)
    selected = select_accounts(ws, config, accounts)
    if not selected:
        raise Stop(exits.OK, "no campaigns in scope: nothing to apply")

    async def go() -> int:
        async with open_providers(
            config, selected, parallelism=parallelism, config_path=g.config
        ) as providers:
            result = await make_plan(
                ws, config, providers, prune=prune, force=force, parallelism=parallelism
            )
            click.echo(render_text(result.plan, color=g.color))
            if result.plan.blocked:
                raise Stop(exits.BLOCKED, "the plan has blocked actions: nothing was applied")
            if not result.plan.has_changes:
                return exits.OK
            _confirm(auto_approve)
            code = await _execute(g, result.plan, providers, parallelism)
            if verify:
                code = max(code, await _verify(ws, config, providers, prune, parallelism))
            return code

    return run_async(go(), config, g.config)


def _apply_saved(g: Globals, path: Path, max_age: timedelta, parallelism: int, verify: bool) -> int:
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

    async def go() -> int:
        async with open_providers(
            config, accounts, parallelism=parallelism, config_path=g.config
        ) as providers:
            stale = await stale_reasons(plan, providers)
            if stale:
                details = "\n".join(f"  - {line}" for line in stale)
                raise Stop(
                    exits.BLOCKED,
                    f"{path}: refused: live state moved since the plan was made; "
                    f"nothing was applied:\n{details}\n  hint: run `camp plan` again",
                )
            code = await _execute(g, plan, providers, parallelism)
            if verify and ws is not None:
                code = max(code, await _verify(ws, config, providers, saved.prune, parallelism))
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


async def _verify(
    ws: Workspace,
    config: CampConfig,
    providers: Mapping[str, Provider],
    prune: bool,
    parallelism: int,
) -> int:
    again = await make_plan(ws, config, providers, prune=prune, force=True, parallelism=parallelism)
    failures = verify_failures(again.plan)
    if not failures:
        click.echo("Verified: a fresh plan shows no changes.")
        return exits.OK
    for line in failures:
        click.echo(line, err=True)
    return exits.ERROR
