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
from reconciler.providers.coldsend.profile import PROFILE
from reconciler.providers.vendor import PreviewHook, Vendor

KIND = KindSpec("coldsend/campaign", "coldsend", ColdSendCampaign, check_coldsend)
PREVIEW = PreviewHook(f"{__name__}.preview:preview_coldsend", frozenset({"variants", "sequences"}))
VENDOR = Vendor(KIND, PROFILE, f"{__name__}.provider:ColdSendProvider", PAYLOADS, PREVIEW)

__all__ = ["VENDOR"]
