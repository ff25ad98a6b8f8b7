"""Inbox's HTTP conventions as data (inbox.md: Bearer key, `{"error": …}`
envelope, Retry-After or X-RateLimit-Reset, cursor pages).
"""

from __future__ import annotations

from reconciler.providers.http.paging import Cursor
from reconciler.providers.http.profile import RateLimits, envelope_profile

PROFILE = envelope_profile(
    "inbox",
    "https://inboxapp.com/api/v1",
    waits_for_reset=True,
    rate_limits=RateLimits(per_minute=300),  # inbox.md: 300/min per team
)

PAGES = Cursor(items_key="data", size=100)
