"""ColdSend (cold email): campaigns, inboxes, variants, follow-ups, leads, launch and pause.

Everything camp knows about ColdSend on the client side lives in this folder: the document
model and its offline checks (``model``, ``checks``, ``leads_csv``, ``templates``), the HTTP
profile (``profile``), and the provider (``provider``, ``planning``, ``payloads``, ``views``,
``leads``, ``export``), and ``camp preview``'s renderer (``template_syntax``, ``template_liquid``,
``rendering``, ``coverage``, ``preview``).
"""

from reconciler.config.kinds import KindSpec
from reconciler.providers.coldsend.checks import check_coldsend
from reconciler.providers.coldsend.model import ColdSendCampaign
from reconciler.providers.coldsend.payloads import PAYLOADS
from reconciler.providers.coldsend.profile import DEFAULT_BASE_URL, PROFILE
from reconciler.providers.vendor import PreviewHook, Vendor

VENDOR = Vendor(
    name="coldsend",
    kind=KindSpec("coldsend/campaign", "coldsend", ColdSendCampaign, check_coldsend),
    profile=PROFILE,
    default_base_url=DEFAULT_BASE_URL,
    provider="reconciler.providers.coldsend.provider:ColdSendProvider",
    payloads=PAYLOADS,
    preview=PreviewHook(
        "reconciler.providers.coldsend.preview:preview_coldsend",
        content_fields=frozenset({"variants", "sequences"}),
    ),
)

__all__ = ["VENDOR"]
