"""The engine's one error: what the CLI turns into a message and exit 1."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.config.problems import Problem


class EngineError(Exception):
    """The engine cannot go on: ``message`` says what, ``problems`` say where."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
