"""easymail's background progressions on the sandbox clock (see the package docstring).

``queued`` → ``sending`` → ``sent``, and ``scheduled`` → ``queued`` at ``scheduled_at``, each
stamped at the instant it was due; ``model.next_due`` says when each is next due.
"""

from __future__ import annotations

import sqlite3

from reconciler.sandbox.easymail import store
from reconciler.sandbox.easymail.model import QUEUED_TO_SENDING, SENDING_TO_SENT, Campaign


def queue(db: sqlite3.Connection, campaign: Campaign, at: float) -> None:
    """Move a campaign to ``queued`` at ``at``, freezing its recipient count."""
    campaign.status, campaign.queued_at, campaign.sending_at = "queued", at, None
    campaign.recipients_count = store.audience_size(db, campaign)
    campaign.updated_at = at


def advance(db: sqlite3.Connection, now: float) -> None:
    """Background progressions up to ``now``, each stamped at the instant it was due.

    A scheduled campaign that is no longer ready at ``scheduled_at`` (edited after scheduling)
    becomes ``failed``, the one way a sandbox campaign reaches that status.

    Only campaigns whose ``due`` instant has come are read (an indexed range), in creation order;
    ``store.save`` stores the next one.
    """
    for campaign in store.due(db, now):
        _progress(db, campaign, now)
        store.save(db, campaign)


def _progress(db: sqlite3.Connection, campaign: Campaign, now: float) -> bool:
    changed = False
    if campaign.status == "scheduled" and campaign.scheduled_at is not None:
        if campaign.scheduled_at > now:
            return False
        if store.missing(db, campaign):
            campaign.status, campaign.updated_at = "failed", campaign.scheduled_at
            return True
        queue(db, campaign, campaign.scheduled_at)
        changed = True
    if campaign.status == "queued" and campaign.queued_at is not None:
        due = campaign.queued_at + QUEUED_TO_SENDING
        if due <= now:
            campaign.status, campaign.sending_at, campaign.updated_at = "sending", due, due
            changed = True
    if campaign.status == "sending" and campaign.sending_at is not None:
        due = campaign.sending_at + SENDING_TO_SENT
        if due <= now:
            campaign.status, campaign.updated_at = "sent", due
            changed = True
    return changed
