"""What a cross-field rule needs to report a located problem about one campaign document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.config.problems import Location, Problem, Severity, TextIssue
from reconciler.config.schema_errors import dotted, locate
from reconciler.config.yamlload import LocatedDict, LocatedList, TextAnchor


@dataclass
class DocContext:
    """One campaign document being checked: its raw located data and the problems found."""

    data: LocatedDict
    yaml_path: Path
    root: Path
    display: str
    problems: list[Problem] = field(default_factory=list)
    # Files the document refers to (leads CSV, Markdown body), resolved: a change to one of
    # them changes the campaign (``--changed-since``).
    files: list[Path] = field(default_factory=list)

    @property
    def start(self) -> Location:
        return self.data.location

    def at(self, *path: Any, key: bool = False) -> Location:
        """Location of the value (or key) at ``path`` inside this document."""
        return locate(self.data, list(path), self.start, key=key)

    def error(
        self, path: Sequence[Any], message: str, hint: str = "", *, key: bool = False
    ) -> None:
        where = self.at(*path, key=key)
        self.problems.append(Problem(where, f"{dotted(path)}: {message}", hint))

    def warn(self, path: Sequence[Any], message: str, hint: str = "") -> None:
        where = self.at(*path)
        self.problems.append(Problem(where, f"{dotted(path)}: {message}", hint, Severity.WARNING))

    def text_issues(self, path: Sequence[Any], issues: Sequence[TextIssue]) -> None:
        """Report issues found inside the string at ``path``, mapped onto the file."""
        for issue in issues:
            where = self.text_location(path, issue.line, issue.col)
            message = f"{dotted(path)}: {issue.message}"
            self.problems.append(Problem(where, message, issue.hint, issue.severity))

    def text_location(self, path: Sequence[Any], line: int, col: int) -> Location:
        """Where the 0-based (``line``, ``col``) inside the string at ``path`` is in the file."""
        anchor = self._anchor(path)
        return anchor.locate(line, col) if anchor else self.at(*path)

    def _anchor(self, path: Sequence[Any]) -> TextAnchor | None:
        parent: Any = self.data
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return None
        if isinstance(parent, LocatedDict | LocatedList):
            anchors: dict[Any, TextAnchor] = parent.text_anchors
            return anchors.get(path[-1])
        return None
