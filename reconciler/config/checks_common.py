"""Checks shared by several campaign kinds: timezones and ISO 8601 instants."""

from __future__ import annotations

import difflib
from datetime import datetime
from functools import cache
from zoneinfo import available_timezones

from reconciler.config.context import DocContext


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(ctx: DocContext, tz: str | None) -> None:
    """IANA names only: the vendors reject abbreviations such as ``EST`` or ``CET`` offsets."""
    if tz is None or tz in _zones() or tz == "UTC":
        return
    close = difflib.get_close_matches(tz, sorted(_zones()), n=1, cutoff=0.7)
    hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as 'Europe/Berlin'"
    ctx.error(["timezone"], f"{tz!r} is not an IANA timezone", hint)


def parse_instant(text: str) -> datetime | None:
    """An ISO 8601 instant with an explicit offset (``Z`` or ``+02:00``), else None."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def parse_date_or_instant(text: str) -> bool:
    """True for an ISO 8601 date (``2026-01-05``) or date-time."""
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
