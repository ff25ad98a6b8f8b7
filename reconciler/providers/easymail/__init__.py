"""easymail (newsletters by easy.tools): campaigns, sender identities, lists and segments,
Markdown bodies, schedule, send, cancel."""

from reconciler.providers.easymail.provider import DEFAULT_BASE_URL, EasymailProvider

PROVIDER = EasymailProvider

__all__ = ["DEFAULT_BASE_URL", "PROVIDER", "EasymailProvider"]
