"""easymail's HTTP conventions as data (easymail.md: Bearer key, `{"error": …}`
envelope, Retry-After, a transition in progress is retried).
"""

from __future__ import annotations

from reconciler.providers.http.paging import PageNumbers
from reconciler.providers.http.profile import RateLimits, envelope_profile

PROFILE = envelope_profile(
    "easymail",
    "https://email.easy.tools/api/v1",
    retry_codes=frozenset({(409, "CAMPAIGN_TRANSITION_IN_PROGRESS")}),
    waits_for_reset=False,
    rate_limits=RateLimits(per_minute=100),  # easymail.md: 100 requests per 60 s
)

PAGES = PageNumbers(items_key="data", size_param="per_page", size=100)
