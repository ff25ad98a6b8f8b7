"""The engine's errors: one root, which the CLI turns into a message and an exit code.

EngineError          the engine cannot go on (exit 1)
 ├── OverBudget       the run would wait past --max-wait (engine.budget)
 └── Refused          apply (or a test send) refuses: nothing is written (exit 3)
      └── StaleLive   the live campaign differs from what a test send shows (engine.test_send)
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.config.problems import Problem


class EngineError(Exception):
    """The engine cannot go on: ``message`` says what, ``problems`` say where."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class Refused(EngineError):
    """Applying would be wrong (a blocked action, a stale or altered saved plan): nothing was
    written. ``reasons`` are one line each (the message lists them, then ``hint``)."""

    def __init__(self, message: str, reasons: Sequence[str] = (), hint: str = "") -> None:
        self.headline = message
        self.reasons = tuple(reasons)
        self.hint = hint
        listed = "".join(f"\n  - {reason}" for reason in self.reasons)
        tail = f"\n  hint: {hint}" if hint else ""
        super().__init__(f"{message}:{listed}{tail}" if listed else f"{message}{tail}")
