"""An easymail campaign as the emulator keeps it, and when the background next changes it.

Instants are float epoch seconds, rendered as ``YYYY-MM-DDTHH:MM:SSZ`` only on the way out.
Pure: no SQLite, no HTTP, so that the store, the routes and the progressions share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

QUEUED_TO_SENDING = 5.0  # seconds on the sandbox clock
SENDING_TO_SENT = 30.0
#: Statuses the background moves on from; every other status stays until a request changes it.
PROGRESSING = ("scheduled", "queued", "sending")


@dataclass
class Campaign:
    """One campaign; the fields the API shows plus the emulator's bookkeeping."""

    uuid: str
    name: str
    created_at: float
    updated_at: float
    last_updated_at: float | None
    status: str = "draft"
    subject: str | None = None
    preheader: str | None = None
    from_name: str | None = None
    reply_to: str | None = None
    from_identity: str | None = None
    list_uuid: str | None = None
    segment_uuid: str | None = None
    content: str | None = None
    layout: str | None = None  # None (plain Markdown) | "styled" | "multi-column"
    content_editable_via_api: bool = True
    content_overwrite_required: bool = False
    scheduled_at: float | None = None
    queued_at: float | None = None
    sending_at: float | None = None
    recipients_count: int | None = None
    language: str = "en"  # the account's default; not settable through the API
    transition_mono: float | None = None  # real (monotonic) time of the last API transition


def stamp(instant: float | None) -> str | None:
    """An epoch instant as the vendor's ``YYYY-MM-DDTHH:MM:SSZ`` (seconds truncated)."""
    if instant is None:
        return None
    return datetime.fromtimestamp(int(instant), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def has_body(campaign: Campaign) -> bool:
    """A multi-column body exists even though it has no Markdown form (``content`` null)."""
    return bool(campaign.content and campaign.content.strip()) or campaign.layout == "multi-column"


def next_due(campaign: Campaign) -> float | None:
    """When ``advance`` next has something to do for the campaign: exactly the instant that
    ``progress`` compares ``now`` with for its status; None when nothing is pending."""
    if campaign.status == "scheduled":
        return campaign.scheduled_at
    if campaign.status == "queued" and campaign.queued_at is not None:
        return campaign.queued_at + QUEUED_TO_SENDING
    if campaign.status == "sending" and campaign.sending_at is not None:
        return campaign.sending_at + SENDING_TO_SENT
    return None
