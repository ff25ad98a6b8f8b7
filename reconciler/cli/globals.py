"""Options given before the sub-command, shared by all of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Globals:
    """What ``camp --config … --no-color -v`` set."""

    config: Path
    color: bool
    verbose: bool
