"""``camp import``: write YAML (and leads CSV / Markdown files) for live campaigns.

Nothing is written unless everything can be: existing files are never overwritten without
``--force``, and a vendor error stops the import before the first file. Each file is written
to a temporary name and renamed, so an interruption never leaves half a file.

Each YAML file starts with a ``$schema`` modeline pointing at ``schemas/`` of the repository;
``--write-schemas`` writes those files too (a fresh repository has none), otherwise a note
says how.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.flow import PARALLELISM, Stop, load_config_only, run_async, stopping
from reconciler.cli.globals import Globals
from reconciler.cli.session import open_providers
from reconciler.config.models import CampConfig
from reconciler.config.schema import render, schema_file_name
from reconciler.engine import facade
from reconciler.engine.importer import Imported, import_campaigns
from reconciler.engine.workspace import all_schemas
from reconciler.render.yaml_doc import dump_document


@click.command("import")
@click.option("--account", required=True, metavar="KEY", help="Account key from camp.yaml.")
@click.option(
    "--match", default="*", show_default=True, metavar="GLOB", help="Glob on campaign names."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder to write to (default: campaigns/<account>).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option(
    "--write-schemas",
    is_flag=True,
    help="Also write schemas/ (the JSON Schemas the $schema modelines point at).",
)
@PARALLELISM
@click.pass_obj
def import_(
    g: Globals,
    account: str,
    match: str,
    out: Path | None,
    force: bool,
    write_schemas: bool,
    parallelism: int,
) -> None:
    """Write YAML (and leads CSV / Markdown files) for live campaigns; the next
    `camp plan` on them is empty."""
    root = g.config.resolve().parent
    with stopping(g):
        config = _config(g, account)
        folder = out or Path("campaigns") / account
        imported = _fetch(config, g.config, account, match, parallelism)
        files = _render(imported, folder, root)
        _refuse_overwrites(files, force)
        schemas = _schema_files(root) if write_schemas else {}
        _write_all({**files, **schemas})
    for path in [*files, *schemas]:
        click.echo(f"wrote {path}")
    for item in imported:
        for note in item.exported.notes:
            click.echo(f"note: {folder / item.stem}.yaml: {note}", err=True)
    if files and not write_schemas and not (root / "schemas").is_dir():
        click.echo(
            "note: the $schema modelines point at schemas/, which this repository does not "
            "have yet: run `camp schema --out schemas` (or import with --write-schemas)",
            err=True,
        )
    count = len(imported)
    click.echo(
        f"Imported {count} campaign{'s' if count != 1 else ''} from account {account!r} "
        f"into {folder} ({len(files)} file{'s' if len(files) != 1 else ''})."
    )
    raise SystemExit(exits.OK)


def _config(g: Globals, account: str) -> CampConfig:
    config = load_config_only(g)
    facade.check_accounts(config, [account])
    return config


def _fetch(
    config: CampConfig, config_path: Path, account: str, match: str, parallelism: int
) -> list[Imported]:
    async def go() -> list[Imported]:
        async with open_providers(
            config, [account], parallelism=parallelism, config_path=config_path
        ) as providers:
            return await import_campaigns(providers[account], match=match, parallelism=parallelism)

    return run_async(go(), config, config_path)


def _schema_path(folder: Path, root: Path, kind: str) -> str:
    schemas = root / "schemas" / schema_file_name(kind)
    return os.path.relpath(schemas, folder.resolve())


def _render(imported: list[Imported], folder: Path, root: Path) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for item in imported:
        document = item.exported.document
        kind = str(document["kind"])
        files[folder / f"{item.stem}.yaml"] = dump_document(
            document, schema=_schema_path(folder, root, kind)
        )
        for name, text in item.exported.files.items():
            files[folder / name] = text
    return files


def _schema_files(root: Path) -> dict[Path, str]:
    """``schemas/`` as camp makes it: written whole (existing files are simply current)."""
    folder = Path(os.path.relpath(root / "schemas"))
    return {folder / name: render(body) for name, body in all_schemas().items()}


def _write_all(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary name beside it, then rename them all into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _refuse_overwrites(files: dict[Path, str], force: bool) -> None:
    existing = [p for p in files if p.exists()]
    if existing and not force:
        listed = "\n".join(f"  - {p}" for p in existing[:10])
        raise Stop(
            exits.ERROR,
            f"{len(existing)} file(s) already exist; nothing was written:\n{listed}\n"
            "  hint: pass --force to overwrite them, or --out another folder",
        )
