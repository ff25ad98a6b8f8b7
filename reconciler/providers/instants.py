"""Instants in the vendors' read-back form, so a date written one way compares equal to the
same instant read back another way (``2026-03-01`` vs ``2026-03-01T00:00:00Z``)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_instant(value: object) -> str | None:
    """ISO 8601 → ``YYYY-MM-DDTHH:MM:SSZ``; a date alone is midnight UTC, no offset is UTC.

    None (and anything that is not text) is None; unparseable text is kept as written, so the
    vendor's own error message reaches the user.
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
