"""Options given before (or after) the sub-command, shared by all of them."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from reconciler.cli.progress_view import ProgressView


@dataclass(frozen=True)
class Globals:
    """What ``camp --config … --no-color -v -q`` set, and where progress is shown."""

    config: Path
    color: bool
    verbose: bool
    quiet: bool = False
    view: ProgressView | None = None

    def echo(self, text: str) -> None:
        """A line on stdout printed while progress may be live on stderr (apply's outcomes)."""
        if self.view is not None and self.view.live:
            self.view.echo(text, stream=sys.stdout)
        else:
            click.echo(text)
        sys.stdout.flush()
