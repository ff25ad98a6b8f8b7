"""The plan `plan` and `apply` share: camp.yaml first, live reads while the files load.

Listing an account's live campaigns and loading its look-ups need nothing but camp.yaml, so
they start the moment the loader meets the account's first document in scope, while the
other files still load and validate in a thread (about half a second for a thousand files).
Then the documents are scoped (``--changed-since``), the accounts selected, and the engine
makes the guarded plan from those reads, within the request budget (``--max-wait``).

A workspace that turns out invalid stops the run (exit 1) before any campaign is read; only
list pages and look-ups may have been fetched by then, never anything written.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from reconciler.cli import exits
from reconciler.cli.flow import (
    DEFAULT_PATHS,
    PARALLELISM,
    Stop,
    checked,
    load,
    show_warnings,
)
from reconciler.cli.globals import Globals
from reconciler.cli.session import missing_keys, open_providers, require_keys
from reconciler.config.loader import CampaignDoc, Workspace
from reconciler.config.models import CampConfig
from reconciler.engine import facade
from reconciler.engine.budget import DEFAULT_MAX_WAIT, BudgetPolicy, parse_duration
from reconciler.engine.changes import git_changes
from reconciler.engine.planner import Bounded, LiveReads, PlanResult
from reconciler.engine.scope import ChangeScope, Selection
from reconciler.engine.workspace import load_config, load_workspace
from reconciler.providers.base import Provider

F = TypeVar("F", bound=Callable[..., Any])


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_PLAN_OPTIONS = [
    click.option(
        "--account",
        "accounts",
        multiple=True,
        metavar="KEY",
        help="Limit to this camp.yaml account (repeatable).",
    ),
    click.option(
        "--prune", is_flag=True, help="Delete live campaigns in prune_prefix no YAML names."
    ),
    click.option("--force", is_flag=True, help="Lift the guards of camp.yaml."),
    PARALLELISM,
    click.option(
        "--changed-since",
        metavar="REF",
        help="Only the documents whose YAML or referenced files differ from git "
        "revision REF (and, with --prune, those deleted since).",
    ),
    click.option(
        "--max-wait",
        default=f"{DEFAULT_MAX_WAIT / 60:.0f}m",
        show_default=True,
        callback=_duration,
        metavar="DURATION",
        help="Longest wait for the vendors' rate limits the run may need (90s, 5m, 1h); "
        "a run needing more stops before it starts, saying what it would cost.",
    ),
]


def plan_options(func: F) -> F:
    """The options plan and apply share (--account, --prune, --force, --parallelism,
    --changed-since, --max-wait), handed to the command together with its PATHS argument as
    one ``args: PlanArgs``."""

    @functools.wraps(func)
    def command(*positional: Any, **options: Any) -> Any:
        args = PlanArgs(**{f.name: options.pop(f.name) for f in dataclasses.fields(PlanArgs)})
        return func(*positional, args=args, **options)

    for option in reversed(_PLAN_OPTIONS):  # click lists options in decorator order
        command = option(command)
    return cast(F, command)


@dataclass(frozen=True)
class PlanArgs:
    """What the command line asked to plan."""

    paths: tuple[Path, ...]
    accounts: tuple[str, ...]
    prune: bool
    force: bool
    parallelism: int
    changed_since: str | None
    max_wait: float


@dataclass
class LivePlan:
    """A plan made in a session whose providers apply and ``--verify`` go on using."""

    ws: Workspace
    config: CampConfig
    providers: Mapping[str, Provider]
    result: PlanResult
    selection: Selection | None


def config_for(g: Globals, args: PlanArgs) -> CampConfig:
    """camp.yaml alone; when it is invalid, the whole workspace's problems stop the run."""
    config, problems = load_config(g.config)
    if config is None:
        load(g, args.paths)  # stops with every problem, the campaign files' too
        raise Stop(exits.ERROR, "cannot read the config", problems)
    return config


@asynccontextmanager
async def live_plan(
    g: Globals, args: PlanArgs, config: CampConfig, *, doing: str = "this plan"
) -> AsyncIterator[LivePlan]:
    """Load, scope and plan; the providers stay open for the caller until the block ends."""
    scope = _change_scope(g, args)
    early = _startable(config, args.accounts, g.config)
    async with open_providers(
        config, early, parallelism=args.parallelism, config_path=g.config
    ) as opened:
        reads = LiveReads(opened, Bounded(args.parallelism))
        try:
            ws = await _load_while_reading(g, args, opened, reads, scope)
            ws, config = checked(g, ws)
            selection = scope.select(ws, args.paths or DEFAULT_PATHS) if scope else None
            providers = _selected(ws, config, args, opened, selection, g.config)
            result = await facade.make_plan(
                ws,
                config,
                providers,
                prune=args.prune,
                force=args.force,
                parallelism=args.parallelism,
                selection=selection,
                reads=reads,
                budget=BudgetPolicy(args.max_wait, doing),
            )
            show_warnings(result)
        finally:
            reads.cancel()
        yield LivePlan(ws, config, providers, result, selection)


def _change_scope(g: Globals, args: PlanArgs) -> ChangeScope | None:
    if args.changed_since is None:
        return None
    root = g.config.resolve().parent
    return ChangeScope(git_changes(root, args.changed_since), g.config.resolve())


def _startable(config: CampConfig, wanted: tuple[str, ...], config_path: Path) -> list[str]:
    """Accounts whose reads may start early: those asked for (or all), with their key set."""
    accounts = [a for a in (wanted or config.accounts) if a in config.accounts]
    return [a for a in accounts if not missing_keys(config, [a], config_path)]


async def _load_while_reading(
    g: Globals,
    args: PlanArgs,
    providers: Mapping[str, Provider],
    reads: LiveReads,
    scope: ChangeScope | None,
) -> Workspace:
    """Load the campaign files in a thread; start each account's reads on its first document."""
    loop = asyncio.get_running_loop()

    def on_document(doc: CampaignDoc) -> None:
        new = doc.account in providers and doc.account not in seen
        if new and (scope is None or scope.includes(doc)):
            seen.add(doc.account)
            loop.call_soon_threadsafe(reads.start, doc.account)

    seen: set[str] = set()
    paths = args.paths or DEFAULT_PATHS
    return await asyncio.to_thread(load_workspace, g.config, paths, on_document)


def _selected(
    ws: Workspace,
    config: CampConfig,
    args: PlanArgs,
    opened: Mapping[str, Provider],
    selection: Selection | None,
    config_path: Path,
) -> dict[str, Provider]:
    accounts = facade.select_accounts(ws, config, args.accounts, selection, prune=args.prune)
    if not accounts and selection is None:
        raise Stop(exits.OK, "no campaigns in scope: nothing to do")
    require_keys(config, accounts, config_path)
    return {a: opened[a] for a in accounts}
