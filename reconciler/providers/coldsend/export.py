"""ColdSend campaigns written back as YAML (``camp import``), in the forms the YAML uses.

Only what differs from the vendor's create defaults is written, so an imported file reads like
one a person wrote; the round trip (import, then plan) is empty by construction: every value
written is the live view's own value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.providers.exporting import document_head
from reconciler.providers.http.client import ApiClient

# The vendor's create defaults (shared/api/coldsend.md): equal values are left out.
DEFAULTS: dict[str, Any] = {
    "timezone": "America/New_York",
    "sending_days": [1, 2, 3, 4, 5],
    "sending_window_start": 9,
    "sending_window_start_minute": 0,
    "sending_window_end": 17,
    "sending_window_end_minute": 0,
    "daily_limit_per_inbox": None,
    "start_date": None,
    "enable_tracking": False,
    "enable_unsubscribe": True,
}
STATE_OF_STATUS = {"DRAFT": "draft", "FAILED": "draft", "ACTIVE": "active", "PAUSED": "paused"}
STANDARD_COLUMNS = ["email", "first_name", "last_name", "company", "job_title"]
LEADS_PAGE = 1000


def document(view: Mapping[str, Any], status: str, account: str) -> dict[str, Any]:
    """The YAML mapping for a live campaign's view (see ``views.live_view``)."""
    state = STATE_OF_STATUS.get(status)  # COMPLETED has none: the lifecycle is left unmanaged
    doc = document_head("coldsend/campaign", view, account, state=state, defaults=DEFAULTS)
    for key in ("inboxes", "variants", "sequences"):
        if view.get(key):
            doc[key] = view[key]
    return doc


async def live_leads(api: ApiClient, campaign_id: str) -> list[Mapping[str, Any]]:
    """Every live lead, in the vendor's order."""
    leads: list[Mapping[str, Any]] = []
    page = 1
    while True:
        body = await api.get_json(
            f"/campaigns/{campaign_id}/leads", params={"page": page, "limit": LEADS_PAGE}
        )
        batch = body.get("leads") or []
        leads.extend(batch)
        if not batch or not (body.get("pagination") or {}).get("has_next"):
            return leads
        page += 1


def leads_csv(leads: Sequence[Mapping[str, Any]]) -> str:
    """A leads CSV: standard columns that have a value, then custom fields by first use."""
    custom: dict[str, None] = {}
    for lead in leads:
        custom.update(dict.fromkeys(lead.get("custom_fields") or {}))
    used = [c for c in STANDARD_COLUMNS if c == "email" or any(lead.get(c) for lead in leads)]
    columns = used + [c for c in custom if c not in used]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for lead in leads:
        fields = {**(lead.get("custom_fields") or {}), **lead}
        writer.writerow(["" if fields.get(c) is None else str(fields.get(c)) for c in columns])
    return out.getvalue()
