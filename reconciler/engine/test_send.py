"""``camp test-send``: one test message of the live campaign a document names, per address.

A test shows what the vendor holds, not what the YAML says: when the two differ in anything the
message shows, the test would mislead a reviewer, so it is refused (``StaleLive``, exit 3)
unless the caller asks for the live content (``as_live``). The only write is the vendor's test
endpoint; no status ever changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.config.loader import CampaignDoc
from reconciler.config.references import display_path
from reconciler.engine.errors import EngineError, Refused
from reconciler.providers.base import LiveCampaign, LiveSummary, Provider
from reconciler.providers.registry import vendor_for_kind


class StaleLive(Refused):
    """The live campaign differs from the YAML in what a test shows (exit 3, nothing sent)."""


@dataclass(frozen=True)
class SentTests:
    """What was sent: the live campaign, and the shown fields that differ (``--as-live``)."""

    live: LiveCampaign
    addresses: tuple[str, ...]
    differences: tuple[str, ...]


def check_supported(doc: CampaignDoc) -> None:
    """A vendor without a test endpoint: say so before any key or network is needed."""
    vendor = vendor_for_kind(doc.kind)
    if not vendor.provider_class().test_endpoint:
        raise EngineError(
            f"{vendor.name} has no test endpoint, so camp cannot send a test of "
            f"{doc.campaign.name!r}; run `camp preview {display_path(doc.yaml_path)}` to see "
            "what its recipients get, rendered offline"
        )


async def send_tests(
    doc: CampaignDoc, provider: Provider, addresses: Sequence[str], *, as_live: bool
) -> SentTests:
    """Find the live campaign, compare what a test shows, then send one test per address."""
    summary = _match(doc, await provider.list_live())
    live = await provider.fetch(summary, doc)
    differences = tuple(provider.shown_differences(doc, live))
    if differences and not as_live:
        raise StaleLive(
            f"the live campaign {live.id} differs from the YAML in {', '.join(differences)}: "
            "a test would not show what the YAML says; run `camp apply` first, or pass "
            "--as-live to test the live content as it is"
        )
    for address in addresses:
        await provider.send_test(live, address)
    return SentTests(live, tuple(addresses), differences)


def _match(doc: CampaignDoc, live: Sequence[LiveSummary]) -> LiveSummary:
    """The live campaign the document names: by its ``id`` pin, else by its exact name."""
    pinned = doc.campaign.id
    found = [s for s in live if (s.id == pinned if pinned else s.name == doc.campaign.name)]
    if len(found) == 1:
        return found[0]
    name = doc.campaign.name
    if not found:
        what = f"id {pinned!r}" if pinned else f"name {name!r}"
        raise EngineError(
            f"no live campaign with the {what} in account {doc.account!r}: it is not live yet; "
            "run `camp apply` first, then test it"
        )
    ids = ", ".join(s.id for s in found)
    raise EngineError(f"{len(found)} live campaigns are named {name!r} ({ids}): pin one with `id:`")
