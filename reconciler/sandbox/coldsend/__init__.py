"""The ColdSend emulator (shared/api/coldsend.md), mounted at ``/coldsend/api/public/v1``.

One room, laid out like every vendor's: ``vendor`` (what the core sees), ``routes`` (the
handlers), ``validate`` (request checks and error shapes), ``store`` (SQLite), ``progress``
(the sandbox clock's doing); beyond that ``fields`` (campaign bodies) and ``leads`` (CSV uploads).
"""

from __future__ import annotations

from reconciler.sandbox.coldsend.vendor import VENDOR, ColdSendVendor

__all__ = ["VENDOR", "ColdSendVendor"]
