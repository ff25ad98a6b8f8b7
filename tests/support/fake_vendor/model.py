"""The fake vendor's campaign document."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reconciler.config.models import CampaignBase


class FakeCampaign(CampaignBase):
    kind: Literal["fake/campaign"]
    name: str = Field(min_length=1, max_length=50)
    greeting: str = Field(min_length=1)
