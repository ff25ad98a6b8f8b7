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
from reconciler.providers.inbox.profile import PROFILE
from reconciler.providers.vendor import PreviewHook, Vendor

KIND = KindSpec("inbox/campaign", "inbox", InboxCampaign, check_inbox)
PREVIEW = PreviewHook(f"{__name__}.preview:preview_inbox", frozenset({"sequence"}))
VENDOR = Vendor(KIND, PROFILE, f"{__name__}.provider:InboxProvider", PAYLOADS, PREVIEW)

__all__ = ["VENDOR"]
