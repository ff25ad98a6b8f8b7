"""The easymail campaign document as a pydantic model (its JSON Schema is generated from it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.config.models import CampaignBase, Email, RelativePath, Strict, Unset


class Audience(Strict):
    list: str | None = Field(None, min_length=1, description="Contact list name")
    segment: str | None = Field(None, min_length=1, description="Segment name")


class EasymailCampaign(CampaignBase):
    """An easymail (easy.tools) newsletter campaign."""

    kind: Literal["easymail/campaign"]
    name: str = Field(min_length=1, max_length=255)
    state: Literal["draft", "scheduled", "sent", "canceled", "absent"] | Unset = None
    subject: str | None = Field(None, max_length=255)
    preheader: str | None = Field(None, max_length=255)
    from_name: str | None = Field(None, max_length=255)
    reply_to: Email | None = None
    from_identity: Email | None = Field(None, description="Sender identity email address")
    content: str | None = Field(None, max_length=65_000, description="Markdown body")
    content_file: RelativePath | Unset = None
    audience: Audience | None = None
    scheduled_at: str | Unset = Field(None, description="ISO 8601 instant, for state: scheduled")
    overwrite: bool = Field(False, description="Allow replacing a body styled in the dashboard")
