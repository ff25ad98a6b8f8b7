"""``camp plan``: fetch live state and show what apply would do (never writes to a vendor)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from reconciler.cli.flow import exit_code, run_async, show_notes, stopping
from reconciler.cli.globals import Globals
from reconciler.cli.live_plan import PlanArgs, config_for, live_plan, plan_options
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
@plan_options
@click.pass_obj
def plan(g: Globals, args: PlanArgs, fmt: str, out: Path | None, detailed_exitcode: bool) -> None:
    """Show the changes that would make the vendors match the YAML.

    Exit 0 (no changes, or changes without --detailed-exitcode), 1 error, 2 changes with
    --detailed-exitcode, 3 blocked: the plan holds an action apply would refuse.
    """
    with stopping(g):
        ws, result = run_plan(g, args)
    show_notes(result.notes)
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
        text = savedplan.dump(the_plan, prune=args.prune, force=args.force, paths=args.paths)
        savedplan.write(out, text)
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
