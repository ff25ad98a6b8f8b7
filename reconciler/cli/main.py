"""The ``camp`` command: global options, sub-commands, and the exit-code contract.

Every error reaches the user as one clear message and an exit code from spec.md (0 ok, 1 error,
2 changes, 3 blocked, 130 interrupted), never as a traceback; ``-v`` adds the traceback for bug
reports. Global options work before or after the command (``camp plan --no-color``), as
Terraform users type them.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

import click

from reconciler import __version__
from reconciler.cli import exits, progress_view
from reconciler.cli.globals import Globals

# name → (module, attribute, summary): each command is imported only when it runs, so
# `camp validate` never pays for the HTTP stack or the sandbox's web server, and `camp --help`
# lists the summaries without importing any of them.
COMMANDS = {
    "validate": ("reconciler.cli.validate_cmd", "validate", "Check campaign files offline."),
    "plan": ("reconciler.cli.plan_cmd", "plan", "Show what apply would change at the vendors."),
    "apply": ("reconciler.cli.apply_cmd", "apply", "Make the vendors match the YAML."),
    "import": ("reconciler.cli.import_cmd", "import_", "Write YAML for live campaigns."),
    "sandbox": ("reconciler.cli.sandbox_cmd", "sandbox_command", "Run the local vendor emulator."),
    "schema": ("reconciler.cli.schema_cmd", "schema", "Print, write or check the JSON Schemas."),
    "preview": ("reconciler.cli.preview_cmd", "preview", "Render what each recipient gets."),
    "test-send": ("reconciler.cli.test_send_cmd", "test_send", "Send a test email (easymail)."),
}

# Global options and whether they take a value: accepted after the command too.
GLOBAL_OPTIONS = {"--config": True, "--no-color": False, "-v": False, "--verbose": False}
GLOBAL_OPTIONS |= {"-q": False, "--quiet": False}
GLOBALS_EPILOG = (
    "Global options, before or after the command: --config PATH, --no-color, -v/--verbose, "
    "-q/--quiet."
)


def hoist_globals(args: list[str]) -> list[str]:
    """Move global options that follow the command in front of it (``camp plan --no-color``).

    Stops at ``--``; everything else keeps its order, so the command's own parser still
    rejects what it does not know.
    """
    head, index = [], 0
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        takes_value = GLOBAL_OPTIONS.get(args[index], False)
        head.append(args[index])
        index += 1
        if takes_value and index < len(args):
            head.append(args[index])
            index += 1
    if index >= len(args):
        return args
    command, rest, moved, tail = args[index], args[index + 1 :], [], []
    position = 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            tail.extend(rest[position:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            moved.append(arg)
            if GLOBAL_OPTIONS[name] and "=" not in arg and position + 1 < len(rest):
                position += 1
                moved.append(rest[position])
        else:
            tail.append(arg)
        position += 1
    return [*head, *moved, command, *tail]


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_globals(list(args)))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        command.epilog = command.epilog or GLOBALS_EPILOG
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-"):
            import difflib  # only for a typo: `camp --help` and every command start faster

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
            ctx.fail(
                f"No such command {name!r}." + (f" Did you mean {close[0]!r}?" if close else "")
            )
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The summaries in full, from ``COMMANDS`` (click would cut them at ~45 characters)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, _, summary) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("camp.yaml"),
    show_default=True,
    metavar="PATH",
    help="Accounts and guards.",
)
@click.option("--no-color", is_flag=True, help="Plain output (also NO_COLOR; FORCE_COLOR forces).")
@click.option(
    "-v", "--verbose", is_flag=True, help="Log every HTTP exchange; tracebacks on errors."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr: results and errors.")
@click.version_option(__version__, prog_name="camp")
@click.pass_context
def cli(ctx: click.Context, config: Path, no_color: bool, verbose: bool, quiet: bool) -> None:
    """camp: campaigns as code for ColdSend, easymail and Inbox.

    Global options go before or after the command (camp plan --no-color).

    \b
    Exit codes: 0 ok, 1 error, 2 changes (plan --detailed-exitcode),
                3 blocked, 130 interrupted.
    """
    color = use_color(no_color=no_color, environ=os.environ, tty=sys.stdout.isatty())
    ctx.color = color  # FORCE_COLOR must survive click's stripping of styles off a terminal
    stderr = sys.stderr
    view = progress_view.install(stderr, verbose=verbose, quiet=quiet, live=stderr.isatty())
    ctx.call_on_close(lambda: progress_view.uninstall(view, verbose=verbose))
    ctx.obj = Globals(config=config, color=color, verbose=verbose, quiet=quiet, view=view)


def use_color(*, no_color: bool, environ: Mapping[str, str], tty: bool) -> bool:
    """Colour on a terminal or with FORCE_COLOR, never with --no-color or NO_COLOR.

    NO_COLOR (no-color.org) wins over FORCE_COLOR (force-color.org); ``FORCE_COLOR=0`` is off.
    """
    if no_color or "NO_COLOR" in environ:
        return False
    forced = environ.get("FORCE_COLOR", "")
    if forced and forced.lower() not in ("0", "false"):
        return True
    return tty


def _interrupted(exc: BaseException) -> bool:
    """Click turns Ctrl-C into ``Abort``; the KeyboardInterrupt stays its cause or context."""
    return isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group without click's own exit handling, then exit per spec."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args or "--verbose" in args
    try:
        code = cli.main(args=args, prog_name="camp", standalone_mode=False)
    except click.exceptions.Abort as exc:
        interrupted = _interrupted(exc)
        click.echo("Interrupted." if interrupted else "Aborted.", err=True)
        code = exits.INTERRUPTED if interrupted else exits.ERROR
    except click.ClickException as exc:  # usage errors exit 1, not click's 2 (2 means changes)
        exc.show()
        code = exits.ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = exits.INTERRUPTED
    except Exception as exc:  # last resort: a bug, reported without leaking a traceback
        if verbose:
            traceback.print_exc()
        click.echo(f"camp: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("  hint: re-run with -v for details and report it", err=True)
        code = exits.ERROR
    sys.exit(code if isinstance(code, int) else exits.OK)
