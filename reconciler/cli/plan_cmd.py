"""``camp plan``: fetch live state and show what apply would do (never writes to a vendor)."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.cli.flow import Stop, exit_code, finish, run_async, scope_options
from reconciler.cli.globals import Globals
from reconciler.cli.live_plan import PlanArgs, budget_options, config_for, live_plan
from reconciler.engine import savedplan
from reconciler.engine.planner import PlanResult
from reconciler.render.plan_json import render_json
from reconciler.render.plan_markdown import render_markdown
from reconciler.render.plan_text import render_text


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (0: none).")
@scope_options
@budget_options
@click.pass_obj
def plan(
    g: Globals,
    paths: tuple[Path, ...],
    fmt: str,
    out: Path | None,
    detailed_exitcode: bool,
    accounts: tuple[str, ...],
    prune: bool,
    force: bool,
    parallelism: int,
    changed_since: str | None,
    max_wait: float,
) -> None:
    """Show the changes that would make the vendors match the YAML.

    Exit 0 (no changes, or changes without --detailed-exitcode), 1 error, 2 changes with
    --detailed-exitcode, 3 blocked: the plan holds an action apply would refuse.
    """
    try:
        args = PlanArgs(paths, accounts, prune, force, parallelism, changed_since, max_wait)
        result = run_plan(g, args)
    except Stop as stop:
        finish(stop, g)
        return
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    the_plan = result.plan
    if fmt == "json":
        click.echo(render_json(the_plan))
    elif fmt == "markdown":
        click.echo(render_markdown(the_plan))
    else:
        click.echo(render_text(the_plan, color=g.color))
    if out is not None:
        savedplan.write(out, savedplan.dump(the_plan, prune=prune, force=force, paths=paths))
        click.echo(f"Saved the plan to {out}: apply it with `camp apply {out}`.", err=True)
    raise SystemExit(exit_code(the_plan, detailed=detailed_exitcode))


def run_plan(g: Globals, args: PlanArgs) -> PlanResult:
    """Load, validate and plan; raise ``Stop`` on anything that prevents a plan."""
    config = config_for(g, args)

    async def go() -> PlanResult:
        async with live_plan(g, args, config) as planned:
            return planned.result

    return run_async(go(), config)
