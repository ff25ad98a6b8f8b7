"""Show validation problems: for people (text) and for machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from reconciler.config.problems import Problem

JSON_VERSION = 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problems_text(problems: Sequence[Problem], *, color: bool) -> str:
    """One block per problem (location, severity, message, hint), in a stable order."""
    lines = []
    for p in sorted(problems, key=lambda p: (p.location, p.message)):
        severity = (
            click.style(p.severity.value, fg="red" if p.is_error else "yellow", bold=True)
            if color
            else p.severity.value
        )
        lines.append(f"{p.location}: {severity}: {p.message}")
        if p.hint:
            lines.append(f"  hint: {p.hint}")
    return "\n".join(lines)


def summary_line(problems: Sequence[Problem], *, files: int, campaigns: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    head = f"{_plural(campaigns, 'campaign')} in {_plural(files, 'file')}"
    if not errors:
        tail = f", {_plural(warnings, 'warning')}" if warnings else ""
        return f"OK: {head} valid{tail}"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} ({head} valid)"


def problems_json(problems: Sequence[Problem], *, files: int, campaigns: int) -> str:
    """The documented machine form of ``camp validate --format json``."""
    ordered = sorted(problems, key=lambda p: (p.location, p.message))
    errors = sum(p.is_error for p in problems)
    body = {
        "version": JSON_VERSION,
        "valid": errors == 0,
        "files": files,
        "campaigns": campaigns,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [p.to_json() for p in ordered],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)
