"""Files a campaign refers to (leads CSV, Markdown body): relative to the YAML, inside the repo."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from reconciler.config.context import DocContext


def display_path(path: Path) -> str:
    """A path as the user knows it: relative to the working directory when it is below it."""
    return _relative(str(path), os.getcwd())


@lru_cache(maxsize=4096)
def _relative(path: str, cwd: str) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # pragma: no cover - another drive on Windows
        return path


def resolve_file(ctx: DocContext, path: Sequence[Any], written: str) -> Path | None:
    """The referenced file, or None after reporting why it cannot be used."""
    if os.path.isabs(written) or written.startswith("~"):
        ctx.error(path, f"absolute path {written!r} is not allowed", _RELATIVE_HINT)
        return None
    target = (ctx.yaml_path.parent / written).resolve()
    if not target.is_relative_to(ctx.root.resolve()):
        ctx.error(path, f"{written!r} points outside the repository", _RELATIVE_HINT)
        return None
    if not target.is_file():
        ctx.error(path, f"file {written!r} not found", _missing_hint(ctx.yaml_path.parent, written))
        return None
    ctx.files.append(target)
    return target


_RELATIVE_HINT = (
    "write the path relative to this YAML file, inside the repository (no absolute path, no ..)"
)


def _missing_hint(base: Path, written: str) -> str:
    folder = (base / written).parent
    try:
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    except OSError:
        names = []
    close = difflib.get_close_matches(Path(written).name, names, n=1)
    if close:
        return f"did you mean {str(Path(written).parent / close[0])!r}?"
    return f"paths are relative to {display_path(base)}/"
