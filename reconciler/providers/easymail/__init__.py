"""easymail (newsletters by easy.tools): campaigns, sender identities, lists and segments,
Markdown bodies, schedule, send, cancel.

Everything camp knows about easymail on the client side lives in this folder: the document
model and its offline checks (``model``, ``checks``, the Markdown prediction in
``markdown*``), the HTTP profile (``profile``), and the provider (``provider``, ``planning``,
``lifecycle``, ``payloads``, ``views``, ``directory``, ``export``), and ``camp preview``'s renderer
(``rendering``, ``preview``).
"""

from reconciler.config.kinds import KindSpec
from reconciler.providers.easymail.checks import check_easymail
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.easymail.payloads import PAYLOADS
from reconciler.providers.easymail.profile import PROFILE
from reconciler.providers.vendor import PreviewHook, Vendor

KIND = KindSpec("easymail/campaign", "easymail", EasymailCampaign, check_easymail)
CONTENT_FIELDS = frozenset(
    {"subject", "preheader", "from_name", "from_identity", "reply_to", "content"}
)
PREVIEW = PreviewHook(f"{__name__}.preview:preview_easymail", CONTENT_FIELDS)
VENDOR = Vendor(KIND, PROFILE, f"{__name__}.provider:EasymailProvider", PAYLOADS, PREVIEW)

__all__ = ["VENDOR"]
