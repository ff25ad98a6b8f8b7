"""Which commit a plan was made from: ``GITHUB_SHA`` in GitHub Actions, else ``git rev-parse
HEAD`` in the repository of camp.yaml, else nothing (not a git checkout, no git installed)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

GIT_TIMEOUT = 5.0


def current_commit(root: Path, environ: Mapping[str, str] = os.environ) -> str | None:
    """The SHA the plan describes, or None when it cannot be known."""
    sha = environ.get("GITHUB_SHA", "").strip()
    if sha:
        return sha
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None
