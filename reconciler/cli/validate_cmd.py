"""``camp validate``: everything that can be known offline, reported together."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.globals import Globals
from reconciler.engine.workspace import load_workspace
from reconciler.render.problems import problems_json, problems_text, summary_line

DEFAULT_PATHS = (Path("campaigns"),)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (README: the JSON form).",
)
@click.pass_obj
def validate(g: Globals, paths: tuple[Path, ...], fmt: str) -> None:
    """Check campaign files (default: campaigns/) without touching any API.

    Exit 0 when valid (warnings allowed), 1 when any error was found.
    """
    ws = load_workspace(g.config, paths or DEFAULT_PATHS)
    counts = {"files": ws.files, "campaigns": len(ws.campaigns)}
    if fmt == "json":
        click.echo(problems_json(ws.problems, **counts))
    else:
        if ws.problems:
            click.echo(problems_text(ws.problems, color=g.color))
        click.echo(summary_line(ws.problems, **counts))
    raise SystemExit(exits.ERROR if ws.errors else exits.OK)
