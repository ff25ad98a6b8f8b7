"""The Inbox campaign document as a pydantic model (its JSON Schema is generated from it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from reconciler.config.models import CampaignBase, Strict, Unset

DayKey = Literal["sun", "mon", "tue", "wed", "thu", "fri", "sat", "0", "1", "2", "3", "4", "5", "6"]


class Window(Strict):
    start: int = Field(ge=0, le=1439, description="Minutes after midnight")
    end: int = Field(ge=1, le=1440, description="Minutes after midnight")


TimeRange = Annotated[str, Field(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$", description="09:00-17:00")]


class LeadRules(Strict):
    include_lists: list[str] | Unset = None
    exclude_lists: list[str] | Unset = None
    exclude_contacted: bool | Unset = None
    exclude_mutuals: bool | Unset = None


class ActionData(Strict):
    status_id: str = Field(min_length=1)


class Automation(Strict):
    trigger: Literal["replied", "completed"]
    action: Literal["set-status"]
    action_data: ActionData
    enabled: bool = True


class MessageStep(Strict):
    message: str = Field(min_length=1)


class DelayStep(Strict):
    delay: str = Field(pattern=r"^[1-9][0-9]*[mhd]$", description="30m, 12h or 2d")


class LikeTweetStep(Strict):
    like_tweet: Literal[True]


class RawStep(Strict):
    type: Literal["message", "delay", "like-tweet"]
    data: dict[str, Any]


SequenceStep = MessageStep | DelayStep | LikeTweetStep | RawStep


class InboxCampaign(CampaignBase):
    """An Inbox X (Twitter) DM outreach campaign."""

    kind: Literal["inbox/campaign"]
    name: str = Field(min_length=1, max_length=255)
    state: Literal["draft", "active", "paused", "absent"] | Unset = None
    description: str | None = None
    timezone: Annotated[str, Field(min_length=1)] | Unset = None
    account_links: Annotated[list[str], Field(min_length=1)] | Unset = Field(
        None, description="X usernames"
    )
    messages_per_hour: Annotated[int, Field(ge=1, le=25)] | Unset = None
    schedule: dict[DayKey, TimeRange | Window] | Unset = None
    rules: LeadRules | Unset = None
    sequence: list[SequenceStep] | Unset = None
    automations: list[Automation] | Unset = None
