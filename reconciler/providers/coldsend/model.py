"""The ColdSend campaign document as a pydantic model (its JSON Schema is generated from it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from reconciler.config.models import CampaignBase, Email, RelativePath, Strict, Unset


class Variant(Strict):
    variant_name: str = Field(pattern=r"^[A-Za-z]+$", description="Letters only; upper-cased")
    subject_template: str = Field(min_length=1, max_length=500)
    email_content: str = Field(min_length=10, max_length=100_000)
    distribution_percent: int = Field(ge=0, le=100)


class FollowUp(Strict):
    step_number: int = Field(ge=2, le=4)
    trigger_type: Literal["NOT_OPENED", "NOT_REPLIED", "OPENED_BUT_NOT_REPLIED"]
    wait_days: int = Field(ge=1, le=30)
    variants: list[Variant] = Field(min_length=1, max_length=4)


class ColdSendCampaign(CampaignBase):
    """A ColdSend cold-email campaign."""

    kind: Literal["coldsend/campaign"]
    name: str = Field(min_length=8, max_length=255)
    state: Literal["draft", "active", "paused", "absent"] | Unset = None
    timezone: Annotated[str, Field(min_length=1, max_length=100)] | Unset = None
    sending_days: (
        Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(min_length=1, max_length=7)]
        | Unset
    ) = None
    sending_window_start: Annotated[int, Field(ge=0, le=23)] | Unset = None
    sending_window_start_minute: Annotated[int, Field(ge=0, le=59)] | Unset = None
    sending_window_end: Annotated[int, Field(ge=1, le=24)] | Unset = None
    sending_window_end_minute: Annotated[int, Field(ge=0, le=59)] | Unset = None
    daily_limit_per_inbox: int | None = Field(None, ge=1, le=100)
    start_date: str | None = None
    enable_tracking: bool | Unset = None
    enable_unsubscribe: bool | Unset = None
    inboxes: Annotated[list[Email], Field(min_length=1)] | Unset = None
    leads: RelativePath | Unset = None
    variants: Annotated[list[Variant], Field(max_length=4)] | Unset = None
    sequences: Annotated[list[FollowUp], Field(max_length=3)] | Unset = None
