"""Inbox rules that JSON Schema cannot express (shared/api/inbox.md)."""

from __future__ import annotations

from typing import Any

from reconciler.config.checks_common import check_timezone
from reconciler.config.context import DocContext
from reconciler.config.models import InboxCampaign


def check_inbox(ctx: DocContext, campaign: InboxCampaign) -> dict[str, Any]:
    """Check one Inbox document; return its compiled wire forms (schedule, sequence)."""
    check_timezone(ctx, campaign.timezone)
    return {}
