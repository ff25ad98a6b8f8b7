"""Exit codes: a public interface (spec.md), the same for every command."""

from __future__ import annotations

OK = 0  # success; for `plan --detailed-exitcode`: no changes
ERROR = 1  # invalid input, unreachable API, failed apply, `--verify` found changes left
CHANGES = 2  # `plan --detailed-exitcode` only: changes present, all applicable
BLOCKED = 3  # the plan holds an action apply would refuse; apply writes nothing
INTERRUPTED = 130  # Ctrl-C / SIGINT: nothing half-written; what apply finished is reported
