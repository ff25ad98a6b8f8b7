"""What changed since a git revision (``--changed-since REF``), as git tells it.

The files that differ between REF and the working tree: committed, staged or not, and files
git does not track yet (an untracked file is new), deleted ones included; a rename counts as
a deletion and an addition. ``old_text`` reads a file as it was at REF (``git show``), which
is how a deleted document's account and name are known.

Nothing here knows campaigns: ``engine.scope`` decides which documents that puts in scope.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.engine.errors import EngineError

GIT_TIMEOUT = 60.0
_FETCH_HINT = "in CI, check out enough history to hold it (actions/checkout with fetch-depth: 0)"


@dataclass(frozen=True)
class GitChanges:
    """Files that differ between ``commit`` (what ``ref`` names) and the working tree."""

    ref: str
    commit: str
    top: Path  # the repository's top-level folder
    changed: frozenset[Path]  # resolved paths: modified, added, deleted, untracked
    _old: dict[Path, str | None] = field(default_factory=dict, compare=False, repr=False)

    def differs(self, path: Path) -> bool:
        return path.resolve() in self.changed

    def old_text(self, path: Path) -> str | None:
        """The file's text at the revision; None when it did not exist (or is not text)."""
        path = path.resolve()
        if not path.is_relative_to(self.top):
            return None
        if path not in self._old:
            relative = path.relative_to(self.top).as_posix()
            shown = _git_bytes(self.top, "show", f"{self.commit}:{relative}")
            try:
                self._old[path] = None if shown is None else shown.decode("utf-8")
            except UnicodeDecodeError:
                self._old[path] = None
        return self._old[path]


def git_changes(folder: Path, ref: str) -> GitChanges:
    """The files changed since ``ref`` in the repository holding ``folder``.

    Raises ``EngineError`` when git is missing, ``folder`` is not in a repository, or
    ``ref`` names no commit there.
    """
    top_text = _git(folder, "rev-parse", "--show-toplevel")
    if top_text is None:
        raise EngineError(
            f"--changed-since needs a git repository, and {folder} is not in one\n"
            "  hint: plan without --changed-since, or run camp in the repository's checkout"
        )
    top = Path(top_text.strip()).resolve()
    commit = None
    if ref and not ref.startswith("-"):
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit is None:
        raise EngineError(
            f"--changed-since: {ref!r} names no commit of this repository\n"
            f"  hint: give a branch, tag or commit SHA; {_FETCH_HINT}"
        )
    commit = commit.strip()
    tracked = _required(top, "diff", "--name-only", "--no-renames", "-z", commit, "--")
    untracked = _required(top, "ls-files", "--others", "--exclude-standard", "-z")
    names = [n for n in (tracked + untracked).split("\0") if n]
    return GitChanges(ref, commit, top, frozenset((top / n).resolve() for n in names))


def _required(folder: Path, *args: str) -> str:
    out = _git(folder, *args)
    if out is None:
        raise EngineError(f"git {args[0]} failed in {folder}")
    return out


def _git(folder: Path, *args: str) -> str | None:
    """git's output as text, None when it fails."""
    out = _git_bytes(folder, *args)
    return None if out is None else out.decode("utf-8", "surrogateescape")


def _git_bytes(folder: Path, *args: str) -> bytes | None:
    """git's output, None when it fails (exit status not 0)."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise EngineError("--changed-since needs git, and git was not found on PATH") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"git {args[0]} took longer than {GIT_TIMEOUT:.0f} s") from None
    return done.stdout if done.returncode == 0 else None
