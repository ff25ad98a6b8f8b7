"""Located problems: what every config check reports, collected and shown together.

Each problem carries a ``Location`` (file, 1-based line and column) so that the CLI can print
``campaigns/q1.yaml:14:5: error: ...`` followed by a hint on how to fix it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A place in a file; ``line`` and ``col`` are 1-based (0 when unknown).

    A NamedTuple (not a dataclass) because the YAML loader makes one for every key and value:
    tuples are several times cheaper to create, and compare and sort the same way.
    """

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def shifted(self, lines: int, col: int) -> Location:
        """The location ``lines`` further down; ``col`` replaces the column when lines > 0."""
        if lines == 0:
            return Location(self.file, self.line, self.col + col)
        return Location(self.file, self.line + lines, col + 1)


@dataclass(frozen=True)
class Problem:
    """One finding: an error fails validation, a warning is only shown."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "file": loc.file,
            "line": loc.line,
            "column": loc.col,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class TextIssue:
    """A problem inside a text value (template, Markdown), positioned relative to that text.

    ``line`` is 0-based within the text, ``col`` 0-based within that line; the caller maps it
    onto the file with ``Location.shifted`` when it knows where the text starts.
    """

    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
