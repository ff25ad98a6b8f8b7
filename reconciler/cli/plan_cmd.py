"""``camp plan``: fetch live state and show what apply would do (never writes to a vendor)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from reconciler.cli.flow import Stop, exit_code, finish, run_async, scope_options
from reconciler.cli.globals import Globals
from reconciler.cli.live_plan import PlanArgs, budget_options, config_for, live_plan
from reconciler.cli.provenance import current_commit
from reconciler.config.loader import Workspace
from reconciler.engine import savedplan
from reconciler.engine.planner import PlanResult
from reconciler.engine.preview import plan_previews
from reconciler.plan.preview import PlanPreview, PreviewOptions
from reconciler.plan.values import Plan
from reconciler.render.plan_json import render_json
from reconciler.render.plan_markdown import render_markdown
from reconciler.render.plan_text import render_text
from reconciler.render.preview_markdown import with_plan_previews


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a PR comment, json for programs.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Save the plan for `camp apply FILE` (written whole or not at all).",
)
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
        ws, result = run_plan(g, args)
    except Stop as stop:
        finish(stop, g)
        return
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    the_plan = result.plan
    if fmt == "json":
        click.echo(render_json(the_plan))
    elif fmt == "markdown":
        commit = current_commit(g.config.resolve().parent)
        rendered = render_markdown(the_plan, commit=commit, made_at=datetime.now(UTC))
        click.echo(with_plan_previews(rendered, _samples(ws, the_plan)))
    else:
        click.echo(render_text(the_plan, color=g.color))
    if out is not None:
        savedplan.write(out, savedplan.dump(the_plan, prune=prune, force=force, paths=paths))
        click.echo(f"Saved the plan to {out}: apply it with `camp apply {out}`.", err=True)
    raise SystemExit(exit_code(the_plan, detailed=detailed_exitcode))


def run_plan(g: Globals, args: PlanArgs) -> tuple[Workspace, PlanResult]:
    """Load, validate and plan; raise ``Stop`` on anything that prevents a plan."""
    config = config_for(g, args)

    async def go() -> tuple[Workspace, PlanResult]:
        async with live_plan(g, args, config) as planned:
            return planned.ws, planned.result

    return run_async(go(), config, g.config)


def _samples(ws: Workspace, plan: Plan) -> list[PlanPreview]:
    """A rendered sample for each campaign whose content changes or that gets sent."""
    return plan_previews(ws, plan, PreviewOptions(at=datetime.now(UTC)))
