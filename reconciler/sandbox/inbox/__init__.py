"""The Inbox (X DM outreach) emulator (shared/api/inbox.md), mounted at ``/inbox/api/v1``.

One room, laid out like every vendor's: ``vendor`` (what the core sees), ``routes`` (the
handlers), ``validate`` (request checks and the error shape), ``store`` (SQLite), ``progress``
(the sandbox clock's doing); beyond that ``model`` (ids, timestamps, the campaign shape) and
``steps`` (the message sequence).
"""

from __future__ import annotations

from reconciler.sandbox.inbox.vendor import VENDOR, InboxVendor

__all__ = ["VENDOR", "InboxVendor"]
