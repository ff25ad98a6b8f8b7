"""ColdSend (cold email): campaigns, inboxes, variants, follow-ups, leads, launch and pause."""

from reconciler.providers.coldsend.provider import DEFAULT_BASE_URL, ColdSendProvider

PROVIDER = ColdSendProvider

__all__ = ["DEFAULT_BASE_URL", "PROVIDER", "ColdSendProvider"]
