"""Inbox (X DM outreach): account links, lead rules, message sequences, enable and disable.

Everything camp knows about Inbox on the client side lives in this folder: the document model
and its offline checks (``model``, ``checks``, the sequence short syntax in ``syntax``), the
HTTP profile (``profile``), and the provider (``provider``, ``planning``, ``payloads``,
``views``, ``directory``, ``export``), and ``camp preview``'s renderer (``rendering``, ``preview``).
"""

from reconciler.config.kinds import KindSpec
from reconciler.providers.inbox.checks import check_inbox
from reconciler.providers.inbox.model import InboxCampaign
from reconciler.providers.inbox.payloads import PAYLOADS
from reconciler.providers.inbox.profile import DEFAULT_BASE_URL, PROFILE
from reconciler.providers.vendor import PreviewHook, Vendor

VENDOR = Vendor(
    name="inbox",
    kind=KindSpec("inbox/campaign", "inbox", InboxCampaign, check_inbox),
    profile=PROFILE,
    default_base_url=DEFAULT_BASE_URL,
    provider="reconciler.providers.inbox.provider:InboxProvider",
    payloads=PAYLOADS,
    preview=PreviewHook(
        "reconciler.providers.inbox.preview:preview_inbox",
        content_fields=frozenset({"sequence"}),
    ),
)

__all__ = ["VENDOR"]
