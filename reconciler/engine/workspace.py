"""The repository as camp sees it, with every registered vendor: the loader and the schemas
called with the registry's kinds (``config`` itself knows no vendor by name)."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconciler.config import loader, schema
from reconciler.config.loader import OnDocument, Workspace
from reconciler.config.models import CampConfig
from reconciler.config.problems import Problem
from reconciler.providers.registry import kinds

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


def load_workspace(
    config_path: Path, paths: Iterable[Path], on_document: OnDocument | None = None
) -> Workspace:
    """camp.yaml and every campaign document under ``paths``; never raises for bad input.

    ``on_document`` hears of each valid document as it loads (see ``config.loader.Loader``).

    What is alive now (camp's modules, pydantic's and the schema validators) lives as long as
    the run: ``gc.freeze`` keeps it out of the full collections that a thousand documents'
    small objects trigger (0.1 s of a 1,000-campaign plan, benchmarks/RESULTS.md).
    """
    gc.freeze()
    return loader.load_workspace(config_path, paths, kinds(), on_document)


def load_config(path: Path) -> tuple[CampConfig | None, list[Problem]]:
    """camp.yaml alone (a saved plan's apply needs no campaign files)."""
    return loader.load_config(path, kinds())


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for every file in ``schemas/``."""
    return schema.all_schemas(kinds())


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema file into ``directory``."""
    return schema.write_schemas(directory, kinds())


def validator_for(file_name: str) -> Draft202012Validator:
    """The compiled validator of one schema file."""
    return schema.validator_for(file_name, kinds())
