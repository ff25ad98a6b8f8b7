"""The desired state: camp.yaml and the three campaign kinds, as pydantic models.

These models are the one source of truth for the JSON Schemas in ``schemas/`` (see
``reconciler.config.schema``). Field names are the vendors' own in snake_case; values the
vendor keys by id are written by human name (emails, list names, usernames) and resolved at
plan time. A field left out of the YAML is not managed: ``model_fields_set`` tells what the
user wrote, so ``subject: null`` (clear it) differs from no ``subject`` (leave it alone).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

Provider = Literal["coldsend", "easymail", "inbox"]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]
RelativePath = Annotated[str, Field(min_length=1, description="Path relative to this YAML file")]
# ``X | Unset`` is an optional key that may not be null (the vendor has no "cleared" form);
# plain ``X | None`` means null is a value the user may write, to clear the field.
Unset = SkipJsonSchema[None]


_SKIP: type = SkipJsonSchema  # the marker's class (a generic alias can't be isinstance'd)


def _skips_schema(arg: Any) -> bool:
    return get_origin(arg) is Annotated and any(
        isinstance(m, _SKIP) for m in getattr(arg, "__metadata__", ())
    )


@cache
def _not_nullable(model: type[BaseModel]) -> frozenset[str]:
    """Keys typed ``X | Unset``: optional, but an explicit null is an error (as in the schema)."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if any(_skips_schema(arg) for arg in get_args(info.annotation))
    )


class Strict(BaseModel):
    """Unknown keys are errors; values are never coerced between types; ``Unset`` keys may be
    left out but not written as null. The model is exactly as strict as the generated schema,
    so validation can try the (fast) model first and explain failures with the schema."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_null_for_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _not_nullable(cls):
                if key in data and data[key] is None:
                    raise ValueError(f"{key} may not be null: leave it out instead")
        return data


class Account(Strict):
    """One vendor account; the secret stays in the environment variable it names."""

    provider: Provider
    base_url: str | Unset = Field(None, description="API root; the vendor's public URL by default")
    api_key_env: EnvName = Field(description="Environment variable holding the API key")
    prune_prefix: Annotated[str, Field(min_length=1)] | Unset = Field(
        None, description="Live campaigns named with this prefix are in --prune scope"
    )


class Guards(Strict):
    """Safety thresholds; an exceeded guard blocks the plan (exit 3) unless --force."""

    max_change_percent: float | None = Field(default=None, ge=0, le=100)
    min_existing: int | None = Field(default=None, ge=0)
    max_recipients_per_launch: int | None = Field(default=None, ge=0)


class CampConfig(Strict):
    """camp.yaml: the accounts campaigns refer to, and the guards."""

    accounts: dict[str, Account] = Field(min_length=1)
    guards: Guards = Field(default_factory=lambda: Guards())


class CampaignBase(Strict):
    """Keys shared by every campaign kind."""

    account: str | Unset = Field(None, description="Account key from camp.yaml")
    name: str
    id: Annotated[str, Field(min_length=1)] | Unset = Field(
        None, description="Pin to a live campaign id"
    )


# --- ColdSend ---------------------------------------------------------------------------------


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


# --- easymail ---------------------------------------------------------------------------------


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


# --- Inbox ------------------------------------------------------------------------------------

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


Campaign = ColdSendCampaign | EasymailCampaign | InboxCampaign

KINDS: dict[str, type[ColdSendCampaign] | type[EasymailCampaign] | type[InboxCampaign]] = {
    "coldsend/campaign": ColdSendCampaign,
    "easymail/campaign": EasymailCampaign,
    "inbox/campaign": InboxCampaign,
}

PROVIDER_OF_KIND: dict[str, Provider] = {
    "coldsend/campaign": "coldsend",
    "easymail/campaign": "easymail",
    "inbox/campaign": "inbox",
}
