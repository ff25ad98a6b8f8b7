"""``camp import``: write YAML (and leads CSV / Markdown files) for live campaigns.

Nothing is written unless everything can be: existing files are never overwritten without
``--force``, and a vendor error stops the import before the first file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from reconciler.cli import exits
from reconciler.cli.flow import Stop, check_accounts, finish, load_config_only, run_async
from reconciler.cli.globals import Globals
from reconciler.cli.session import open_providers
from reconciler.config.models import CampConfig
from reconciler.config.schema import schema_file_name
from reconciler.engine.importer import Imported, import_campaigns
from reconciler.render.yaml_doc import dump_document


@click.command("import")
@click.option("--account", required=True, help="Account key from camp.yaml.")
@click.option("--match", default="*", show_default=True, help="Glob on campaign names.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: campaigns/<account>).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--parallelism", type=click.IntRange(1, 64), default=8, show_default=True)
@click.pass_obj
def import_(
    g: Globals, account: str, match: str, out: Path | None, force: bool, parallelism: int
) -> None:
    """Write YAML for live campaigns; the next `camp plan` on it is empty."""
    try:
        config = _config(g, account)
        folder = out or Path("campaigns") / account
        imported = _fetch(config, account, match, parallelism)
        files = _render(imported, folder, g.config.resolve().parent)
        _refuse_overwrites(files, force)
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
    except Stop as stop:
        finish(stop, g)
        return
    yaml_files = [p for p in files if p.suffix == ".yaml"]
    for path in yaml_files:
        click.echo(f"wrote {path}")
    for item in imported:
        for note in item.exported.notes:
            click.echo(f"note: {folder / item.stem}.yaml: {note}", err=True)
    click.echo(f"Imported {len(yaml_files)} campaign(s) from account {account!r} into {folder}.")
    raise SystemExit(exits.OK)


def _config(g: Globals, account: str) -> CampConfig:
    config = load_config_only(g)
    check_accounts(config, [account])
    return config


def _fetch(config: CampConfig, account: str, match: str, parallelism: int) -> list[Imported]:
    async def go() -> list[Imported]:
        async with open_providers(config, [account], parallelism=parallelism) as providers:
            return await import_campaigns(providers[account], match=match, parallelism=parallelism)

    return run_async(go(), config)


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


def _refuse_overwrites(files: dict[Path, str], force: bool) -> None:
    existing = [p for p in files if p.exists()]
    if existing and not force:
        listed = "\n".join(f"  - {p}" for p in existing[:10])
        raise Stop(
            exits.ERROR,
            f"{len(existing)} file(s) already exist; nothing was written:\n{listed}\n"
            "  hint: pass --force to overwrite them, or --out another folder",
        )
