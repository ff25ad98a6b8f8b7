"""easymail's HTTP conventions as data (easymail.md: Bearer key, `{"error": …}`
envelope, Retry-After, a transition in progress is retried).
"""

from __future__ import annotations

from reconciler.providers.http.paging import PageNumbers
from reconciler.providers.http.profile import (
    SERVER_ERRORS,
    RateLimits,
    VendorProfile,
    parse_error_envelope,
)

DEFAULT_BASE_URL = "https://email.easy.tools/api/v1"

PROFILE = VendorProfile(
    name="easymail",
    auth_header="Authorization",
    auth_scheme="Bearer",
    parse_error=parse_error_envelope,
    retry_statuses=frozenset({429}) | SERVER_ERRORS,
    retry_codes=frozenset({(409, "CAMPAIGN_TRANSITION_IN_PROGRESS")}),
    honours_retry_after=True,
    waits_for_reset=False,
    # easymail.md: 100 requests per 60 s
    rate_limits=RateLimits(per_minute=100),
)

PAGES = PageNumbers(items_key="data", size_param="per_page", size=100)
