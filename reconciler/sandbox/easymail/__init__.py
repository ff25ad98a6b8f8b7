"""The easymail (easy.tools) emulator, mounted at ``/easymail/api/v1`` (shared/api/easymail.md).

One room, laid out like every vendor's: ``vendor`` (what the core sees), ``routes`` (the
handlers), ``validate`` (request checks and the error shape), ``store`` (SQLite), ``progress``
(the sandbox clock's doing); beyond that ``model`` (the campaign kept) and ``markdown`` (what
the vendor keeps of a body, read with markdown-it-py).

Where the contract is silent, the emulator decides as follows (the client must not rely on more):

- **Transition in progress.** After a successful transition (send, schedule, unschedule,
  cancel) the campaign counts as "being processed" for 200 ms of *real* (monotonic) time; any
  other transition on it meanwhile gets 409 ``CAMPAIGN_TRANSITION_IN_PROGRESS``, checked before
  the status rule. Real rather than sandbox time, so that advancing the clock cannot skip it and
  a client's retry after a short sleep succeeds. PATCH, DELETE and ``/test`` are not gated.
- **Background** (sandbox clock): ``queued`` → ``sending`` 5 s after queueing, ``sending`` →
  ``sent`` 30 s later, ``scheduled`` → ``queued`` at ``scheduled_at``, each stamped into
  ``updated_at`` at the instant it was due. A scheduled campaign that is no longer ready at
  ``scheduled_at`` becomes ``failed``. Sending a scheduled campaign now clears ``scheduled_at``.
- **recipients_count** is null until the campaign is queued, then frozen at the audience size:
  the list's plus the segment's ``contacts_count`` (the union approximated as the sum).
- **Timestamps.** ``last_updated_at`` is set at creation and moves with ``updated_at`` on every
  PATCH that changes something and on dashboard edits; transitions move only ``updated_at``.
- **Validation.** Unknown body fields → 422; empty strings are stored but count as unset for
  readiness; ``name`` may not be null or blank; the 255 and 65,000 limits apply to what was
  written (before flattening). ``language`` (condensed items) is the account default, ``"en"``.
- **Errors.** Checks run 404 → 422 body → 409 in progress → 409 status → 422 not ready.
  ``/test`` answers 422 ``CAMPAIGN_NOT_TESTABLE`` with ``details: {"missing": [...]}`` (a
  subset of ``sender_email, subject, content``) and a malformed address as ``VALIDATION_ERROR``.
  A body that is not a JSON object is a 422 ``VALIDATION_ERROR`` on ``body``.
- **Dashboard edit** (admin): ``styled`` keeps ``content`` and only raises
  ``content_overwrite_required``; ``multi-column`` also nulls ``content`` and clears
  ``content_editable_via_api``, yet the body still exists, so readiness does not list
  ``content``. Writing ``content`` (with ``overwrite: true`` where required) drops the layout.
- **Rate limit.** ``Retry-After`` is set by ``EasymailVendor.error`` (the core passes
  ``retry_after`` with every 429); ``rate_limit_headers`` adds only the ``X-RateLimit-*``
  headers, so the header is never sent twice.
- **Test sends** go to the sandbox's outbox (``GET /_sandbox/outbox``) and change nothing else.
"""

from __future__ import annotations

from reconciler.sandbox.easymail.vendor import TRANSITION_WINDOW, VENDOR, EasymailVendor

__all__ = ["TRANSITION_WINDOW", "VENDOR", "EasymailVendor"]
