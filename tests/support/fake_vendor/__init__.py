"""A fourth vendor, as small as one can be: the proof that adding a vendor is one folder and
one registry line (README, "Adding a vendor"; tests/providers/test_adding_a_vendor.py).

Its "API" is an in-memory dict (``LIVE``), so the test needs no server: the point is what
camp asks of a vendor folder, not HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.config.context import DocContext
from reconciler.config.kinds import KindSpec
from reconciler.plan.payload import WireBody
from reconciler.plan.values import ActionKind, PayloadTypes
from reconciler.providers.http.paging import PageNumbers
from reconciler.providers.http.profile import RateLimits, envelope_profile
from reconciler.providers.vendor import Vendor
from tests.support.fake_vendor.model import FakeCampaign

PROFILE = envelope_profile(
    "fake", "https://api.fake.test/v1", rate_limits=RateLimits(), waits_for_reset=False
)
PAGES = PageNumbers(items_key="data")


@dataclass(frozen=True)
class FakePrepared:
    greeting: str


def check_fake(ctx: DocContext, campaign: FakeCampaign) -> FakePrepared:
    """One offline rule JSON Schema cannot say: the greeting must mention the name."""
    if campaign.name.lower() not in campaign.greeting.lower():
        ctx.error(["greeting"], "does not mention the campaign name", "add the name to it")
    return FakePrepared(campaign.greeting)


class FakeBody(WireBody):
    """What create and update send: the whole campaign (name and greeting)."""


PAYLOADS: PayloadTypes = {
    ActionKind.CREATE: FakeBody.from_json,
    ActionKind.UPDATE: FakeBody.from_json,
}


VENDOR = Vendor(
    kind=KindSpec("fake/campaign", "fake", FakeCampaign, check_fake),
    profile=PROFILE,
    provider="tests.support.fake_vendor.provider:FakeProvider",
    payloads=PAYLOADS,
)
