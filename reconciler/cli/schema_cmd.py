"""``camp schema``: print or write the JSON Schemas generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.config.schema import render
from reconciler.engine.workspace import all_schemas, write_schemas


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write files here.")
@click.option("--check", is_flag=True, help="With --out: exit 1 if the files there are stale.")
def schema(out: Path | None, check: bool) -> None:
    """Print the JSON Schemas (camp.yaml and each campaign kind), or write them to --out."""
    if out is None:
        click.echo(json.dumps(all_schemas(), indent=2, ensure_ascii=False))
        return
    if check:
        stale = [
            name
            for name, body in all_schemas().items()
            if not (out / name).is_file()
            or (out / name).read_text(encoding="utf-8") != render(body)
        ]
        for name in stale:
            click.echo(f"{out / name}: out of date (run `camp schema --out {out}`)", err=True)
        raise SystemExit(exits.ERROR if stale else exits.OK)
    for path in write_schemas(out):
        click.echo(f"wrote {path}")
