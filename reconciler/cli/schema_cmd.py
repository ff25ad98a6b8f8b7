"""``camp schema``: print, write or check the JSON Schemas generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.config.schema import render
from reconciler.engine.workspace import all_schemas, write_schemas

DEFAULT_DIR = Path("schemas")


@click.command(epilog="Exit 0 ok; with --check, 1 when a file is missing or out of date.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the files into DIR (with --check: compare with DIR).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Compare with --out DIR (default: schemas/) and exit 1 when stale; writes nothing.",
)
def schema(out: Path | None, check: bool) -> None:
    """Print the JSON Schemas (camp.yaml and each campaign kind), write them, or check them.

    Editors validate campaign files as you type through the `$schema` modelines that
    `camp import` writes; those point at schemas/.
    """
    if check:
        raise SystemExit(_check(out or DEFAULT_DIR))
    if out is None:
        click.echo(json.dumps(all_schemas(), indent=2, ensure_ascii=False))
        return
    for path in write_schemas(out):
        click.echo(f"wrote {path}")


def _check(folder: Path) -> int:
    """Exit code of ``--check``: every file present and byte-identical to what camp makes."""
    stale = [
        name
        for name, body in all_schemas().items()
        if not (folder / name).is_file()
        or (folder / name).read_text(encoding="utf-8") != render(body)
    ]
    for name in stale:
        state = "out of date" if (folder / name).is_file() else "missing"
        click.echo(f"{folder / name}: {state} (run `camp schema --out {folder}`)", err=True)
    if not stale:
        click.echo(f"{folder}: the schemas are current")
    return exits.ERROR if stale else exits.OK
