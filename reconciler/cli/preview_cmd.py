"""``camp preview``: the messages each campaign's recipients get, rendered offline as the vendor
renders them, and what holds across the whole leads CSV. Never calls a vendor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.flow import DEFAULT_PATHS, Stop, stopping
from reconciler.cli.globals import Globals
from reconciler.config.checks_common import parse_instant
from reconciler.config.loader import Workspace
from reconciler.engine.preview import preview_workspace
from reconciler.engine.workspace import load_workspace
from reconciler.plan.preview import Preview, PreviewOptions
from reconciler.render.preview_html import render_preview_html
from reconciler.render.preview_json import render_preview_json
from reconciler.render.preview_markdown import render_preview_markdown
from reconciler.render.preview_text import render_preview_text

FORMATS = ("text", "markdown", "json", "html")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--lead", "leads", multiple=True, metavar="EMAIL", help="Render for this lead (repeatable)."
)
@click.option(
    "--sample",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Leads to sample from each CSV.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seeds the sample and the spintax picks."
)
@click.option(
    "--spin",
    type=click.Choice(["pick", "all"]),
    default="pick",
    show_default=True,
    help="pick: one seeded option per lead; all: every option, as [a | b].",
)
@click.option(
    "--at", "at", metavar="INSTANT", help="Moment of sending (ISO 8601 with offset); default now."
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="An Inbox variable's sample value (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout.",
)
@click.pass_obj
def preview(
    g: Globals,
    paths: tuple[Path, ...],
    leads: tuple[str, ...],
    sample: int,
    seed: int,
    spin: str,
    at: str | None,
    variables: tuple[str, ...],
    fmt: str,
    out: Path | None,
) -> None:
    """Render what recipients get (default: campaigns/), offline.

    Exit 0 on success, 1 on invalid campaigns or options (an unknown --lead or --var, a bad --at).
    """
    with stopping(g):
        options = PreviewOptions(
            at=_instant(at),
            leads=leads,
            sample=sample,
            seed=seed,
            spin_all=spin == "all",
            variables=_variables(variables),
        )
        result = preview_workspace(_load(g, paths), options)
    _write(_render(result, fmt, color=g.color and out is None), out)
    raise SystemExit(exits.OK)


def _load(g: Globals, paths: Sequence[Path]) -> Workspace:
    """The campaigns; any validation error stops here with its located message."""
    ws = load_workspace(g.config, paths or DEFAULT_PATHS)
    if ws.errors or ws.config is None:
        raise Stop(exits.ERROR, "validation failed: fix the errors above first", ws.errors)
    if not ws.campaigns:
        raise Stop(exits.OK, "no campaigns in scope: nothing to preview")
    return ws


def _instant(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    value = parse_instant(text)
    if value is None:
        raise Stop(
            exits.ERROR,
            f"--at {text!r} is not an instant: write it as 2026-03-02T09:00:00Z "
            "(or with an offset such as -05:00)",
        )
    return value


def _variables(items: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise Stop(exits.ERROR, f"--var {item!r}: write NAME=VALUE, e.g. --var first-name=Ada")
        values[name.strip()] = value
    return values


def _render(result: Preview, fmt: str, *, color: bool) -> str:
    if fmt == "json":
        return render_preview_json(result)
    if fmt == "markdown":
        return render_preview_markdown(result)
    if fmt == "html":
        return render_preview_html(result)
    return render_preview_text(result, color=color)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise SystemExit(_fail(f"cannot write {out}: {exc.strerror or exc}")) from None
    click.echo(f"Wrote the preview to {out}.", err=True)


def _fail(message: str) -> int:
    click.echo(f"camp: {message}", err=True)
    return exits.ERROR
