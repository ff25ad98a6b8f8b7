"""ColdSend's HTTP conventions as data (coldsend.md: `X-API-Key`, FastAPI-style
errors, no Retry-After: wait for X-RateLimit-Reset).
"""

from __future__ import annotations

from reconciler.providers.http.paging import PageNumbers
from reconciler.providers.http.profile import RateLimits, VendorProfile, parse_fastapi_error

PROFILE = VendorProfile(
    name="coldsend",
    base_url="https://api.coldsend.pro/api/public/v1",
    auth_header="X-API-Key",
    auth_scheme=None,
    parse_error=parse_fastapi_error,
    retry_statuses=frozenset({429, 500, 502, 503, 504}),
    honours_retry_after=False,
    waits_for_reset=True,
    backoff_cap=16.0,
    # coldsend.md: 100 requests/minute and 1,000/hour per key
    rate_limits=RateLimits(per_minute=100, per_hour=1000),
)

PAGES = PageNumbers(items_key="campaigns", size_param="limit", size=100)
SENDER_PAGES = PageNumbers(items_key="sender_accounts", size_param="limit", size=100)
