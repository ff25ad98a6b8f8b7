"""Inbox (X/Twitter DM outreach): campaigns, account links, lead rules, sequences, enabling."""

from reconciler.providers.inbox.provider import DEFAULT_BASE_URL, InboxProvider

PROVIDER = InboxProvider

__all__ = ["DEFAULT_BASE_URL", "PROVIDER", "InboxProvider"]
