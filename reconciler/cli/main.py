"""The ``camp`` command: global options, sub-commands, and the exit-code contract.

Every error reaches the user as one clear message and an exit code from spec.md (0 ok, 1 error,
2 changes, 3 blocked), never as a traceback; ``-v`` adds the traceback for bug reports.
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
from reconciler.cli import exits
from reconciler.cli.globals import Globals

# name → (module, attribute): each command is imported only when it runs, so `camp validate`
# never pays for the HTTP stack or the sandbox's web server.
COMMANDS = {
    "validate": ("reconciler.cli.validate_cmd", "validate"),
    "plan": ("reconciler.cli.plan_cmd", "plan"),
    "apply": ("reconciler.cli.apply_cmd", "apply"),
    "import": ("reconciler.cli.import_cmd", "import_"),
    "sandbox": ("reconciler.cli.sandbox_cmd", "sandbox_command"),
    "schema": ("reconciler.cli.schema_cmd", "schema"),
    "preview": ("reconciler.cli.preview_cmd", "preview"),
    "test-send": ("reconciler.cli.test_send_cmd", "test_send"),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("camp.yaml"),
    show_default=True,
    help="Accounts and guards.",
)
@click.option("--no-color", is_flag=True, help="Plain output (also when NO_COLOR is set).")
@click.option("-v", "--verbose", is_flag=True, help="Show details, and tracebacks on errors.")
@click.version_option(__version__, prog_name="camp")
@click.pass_context
def cli(ctx: click.Context, config: Path, no_color: bool, verbose: bool) -> None:
    """camp: campaigns as code for ColdSend, easymail and Inbox."""
    color = use_color(no_color=no_color, environ=os.environ, tty=sys.stdout.isatty())
    ctx.obj = Globals(config=config, color=color, verbose=verbose)


def use_color(*, no_color: bool, environ: Mapping[str, str], tty: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR (no-color.org)."""
    return tty and not no_color and "NO_COLOR" not in environ


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group without click's own exit handling, then exit per spec."""
    verbose = "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv)
    try:
        code = cli.main(args=argv, prog_name="camp", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = exits.ERROR
    except click.ClickException as exc:  # usage errors exit 1, not click's 2 (2 means changes)
        exc.show()
        code = exits.ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = 130
    except Exception as exc:  # last resort: a bug, reported without leaking a traceback
        if verbose:
            traceback.print_exc()
        click.echo(f"camp: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("  hint: re-run with -v for details and report it", err=True)
        code = exits.ERROR
    sys.exit(code if isinstance(code, int) else exits.OK)
