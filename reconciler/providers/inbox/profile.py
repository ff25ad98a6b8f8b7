"""Inbox's HTTP conventions as data (inbox.md: Bearer key, `{"error": …}`
envelope, Retry-After or X-RateLimit-Reset, cursor pages).
"""

from __future__ import annotations

from reconciler.providers.http.paging import Cursor
from reconciler.providers.http.profile import (
    SERVER_ERRORS,
    RateLimits,
    VendorProfile,
    parse_error_envelope,
)

DEFAULT_BASE_URL = "https://inboxapp.com/api/v1"

PROFILE = VendorProfile(
    name="inbox",
    auth_header="Authorization",
    auth_scheme="Bearer",
    parse_error=parse_error_envelope,
    retry_statuses=frozenset({429}) | SERVER_ERRORS,
    honours_retry_after=True,
    waits_for_reset=True,
    # inbox.md: 300/min per team
    rate_limits=RateLimits(per_minute=300),
)

PAGES = Cursor(items_key="data", size=100)
