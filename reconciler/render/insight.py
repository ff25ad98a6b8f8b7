"""The plan-time insight as the renderers show it: one forecast line, notes, a JSON object.

Overlap and capacity problems are plan warnings already (the engine adds them), so here is
only what is not a warning: the forecast of a launch, and the notes (what the plan did not
compute and why, mass-mail findings).
"""

from __future__ import annotations

from typing import Any

from reconciler.plan.insight import Forecast, Insight, number
from reconciler.render.diffs import plain

NO_FORECAST = "—"


def forecast_text(f: Forecast) -> str:
    """``200 emails to 100 recipients at 40 per sending day, 5 days a week → …``."""
    head = f"{number(f.messages)} {f.unit} to {number(f.recipients)} recipients"
    if f.per_day is None:
        return f"{head}, {_when(f)}"
    if f.per_day <= 0:
        return f"{head}: no sending capacity"
    pace = f"at {number(f.per_day)} per sending day, {f.days_per_week} days a week"
    start = f" from {f.starts_at}" if f.starts_at else ""
    days = f"all reached in ~{f.reach_days} days"
    if f.finish_days != f.reach_days:
        days += f", sequence done in ~{f.finish_days} days"
    bound = f" (over the {f.bound_days}-day bound)" if f.exceeds_bound else ""
    return f"{head} {pace}{start} → {days}{bound}"


def forecast_cell(insight: Insight | None) -> str:
    """The Markdown table's short form: ``~8 days``, ``2026-12-01T09:00:00Z``, ``now``."""
    f = insight.forecast if insight else None
    if f is None:
        return NO_FORECAST
    if f.per_day is None:
        return f.starts_at or "now"
    if f.finish_days is None:
        return "no capacity"
    return f"~{f.finish_days} days" + (" ⚠️" if f.exceeds_bound else "")


def _when(f: Forecast) -> str:
    return f"sent at {f.starts_at}" if f.starts_at else "sent now"


def insight_lines(insight: Insight | None) -> list[tuple[str, str]]:
    """``(label, text)`` pairs: the forecast, then notes (never the warnings: shown already)."""
    if insight is None:
        return []
    lines = []
    if insight.forecast is not None:
        lines.append(("forecast", forecast_text(insight.forecast)))
    lines += [("note", f.message) for f in insight.findings if f.severity == "note"]
    lines += [("note", text) for text in insight.not_computed]
    return lines


def insight_json(insight: Insight | None) -> dict[str, Any]:
    """The ``insight`` object of the JSON plan (every key present, empty when nothing known)."""
    return plain((insight or Insight()).to_json())  # type: ignore[no-any-return]
