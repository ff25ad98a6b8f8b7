"""The steps the commands share on the command line: load and validate, run the engine's
async part, print, exit.

Each step either returns its result or raises ``Stop`` with the exit code and what to print,
so the commands read as a straight line; ``stopping`` is the one place where a command's
errors end (the engine's ``EngineError`` tree and session errors become a ``Stop`` there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from reconciler.cli import exits
from reconciler.cli.globals import Globals
from reconciler.cli.session import SessionError
from reconciler.cli.vendor_errors import vendor_failure
from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.config.problems import Problem
from reconciler.engine.errors import EngineError, Refused
from reconciler.engine.planner import PlanResult
from reconciler.engine.workspace import load_config, load_workspace
from reconciler.plan.values import Plan
from reconciler.providers.http.errors import ProviderError
from reconciler.render.problems import problems_text

DEFAULT_PATHS = (Path("campaigns"),)
T = TypeVar("T")


class Stop(Exception):
    """End the command with ``code`` after printing ``problems`` / ``message`` to stderr."""

    def __init__(self, code: int, message: str = "", problems: Sequence[Problem] = ()) -> None:
        self.code = code
        self.message = message
        self.problems = list(problems)
        super().__init__(message)


PARALLELISM = click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    metavar="N",
    help="Concurrent requests / campaigns (1-64).",
)


def load(g: Globals, paths: Sequence[Path]) -> tuple[Workspace, CampConfig]:
    """Load and validate; any error stops with exit 1 (nothing is fetched from a bad config)."""
    return checked(g, load_workspace(g.config, paths or DEFAULT_PATHS))


def checked(g: Globals, ws: Workspace) -> tuple[Workspace, CampConfig]:
    """A loaded workspace, or exit 1 with its errors; its warnings are shown."""
    if ws.errors or ws.config is None:
        raise Stop(exits.ERROR, "validation failed: fix the errors above first", ws.problems)
    for warning in ws.warnings:
        click.echo(problems_text([warning], color=g.color), err=True)
    return ws, ws.config


def load_config_only(g: Globals) -> CampConfig:
    """camp.yaml alone (for commands that read no campaign files)."""
    config, problems = load_config(g.config)
    if config is None:
        raise Stop(exits.ERROR, "cannot read the config", problems)
    return config


@contextmanager
def engine_errors() -> Iterator[None]:
    """Engine and session errors carry a message and located problems: exit 3 with both when
    the engine refused to write (``Refused``), else exit 1."""
    try:
        yield
    except Refused as exc:
        raise Stop(exits.BLOCKED, exc.message, exc.problems) from None
    except (EngineError, SessionError) as exc:
        raise Stop(exits.ERROR, exc.message, exc.problems) from None


@contextmanager
def stopping(g: Globals) -> Iterator[None]:
    """Where a command's errors end: engine and session errors become a ``Stop``, and a
    ``Stop`` prints what it carries and exits with its code."""
    try:
        with engine_errors():
            yield
    except Stop as stop:
        finish(stop, g)


def show_notes(notes: Sequence[str]) -> None:
    """The engine's notes (request budget, plan notes), one ``note:`` line each on stderr."""
    for note in notes:
        click.echo(f"note: {note}", err=True)


def show_warnings(result: PlanResult) -> None:
    """The plan's reference warnings (errors stop it in the engine), located, on stderr."""
    if result.problems:
        click.echo(problems_text(result.problems, color=False), err=True)


def run_async(
    job: Coroutine[Any, Any, T], config: CampConfig, config_path: Path = Path("camp.yaml")
) -> T:
    """Run the command's async part; vendor and session failures become one clear ``Stop``
    naming the account, its host and the line of ``config_path`` to check."""
    results: list[T] = []

    async def main() -> None:
        # The result is kept out of the main task: at its end, asyncio.run (Python 3.11) builds
        # the finished task's repr twice, result included (a whole plan: megabytes, 0.08 s).
        results.append(await job)

    try:
        with engine_errors():
            asyncio.run(main())
    except ProviderError as exc:
        raise Stop(exits.ERROR, vendor_failure(exc, config, config_path)) from None
    return results[0]


def finish(stop: Stop, g: Globals) -> NoReturn:
    """Print what a ``Stop`` carries and exit with its code."""
    if stop.problems:
        click.echo(problems_text(stop.problems, color=g.color), err=True)
    if stop.message:
        click.echo(f"camp: {stop.message}", err=True)
    raise SystemExit(stop.code)


def exit_code(plan: Plan, *, detailed: bool) -> int:
    if plan.blocked:
        return exits.BLOCKED
    if detailed and plan.has_changes:
        return exits.CHANGES
    return exits.OK
