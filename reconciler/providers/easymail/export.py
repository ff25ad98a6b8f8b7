"""easymail campaigns written back as YAML (``camp import``), in the forms the YAML uses.

Every value written is the live view's own value (``views.live_view``), so the desired view of
the imported document equals the live view and the next plan is empty by construction. What
the YAML cannot hold exactly is left out, which makes it unmanaged rather than a diff:

- **Unset fields.** ``null`` and ``""`` (easymail counts an empty string as unset) are the
  vendor's create defaults: not written.
- **References** are written by name only when they resolve back to exactly this uuid: a
  sender identity no longer listed, or a list/segment whose name two of them share, would be a
  plan error, so it is left out.
- **The body** is written to ``<file_stem>.md`` (``content_file``) when it is multi-line or
  longer than ``INLINE_LIMIT`` characters, which keeps it byte for byte and diffable as
  Markdown; a short single line stays inline. A body with a carriage return stays inline too
  (YAML escapes it; reading a file would turn it into a newline). It is left out when the
  vendor flags it ``content_overwrite_required`` (styled or laid out in the dashboard: the
  Markdown read-back, if any, is not the body, and declaring it would plan an overwrite), and
  when it holds something easymail would flatten (``camp validate`` rejects that).
- **State** follows the live status (``STATE_OF_STATUS``). ``failed`` is left unmanaged:
  ``state: draft`` would warn on every plan and ``sent``/``scheduled`` would plan a send; the
  user decides whether to retry. ``scheduled_at`` is written only with ``state: scheduled``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from reconciler.providers.base import Exported
from reconciler.providers.easymail.directory import Directory
from reconciler.providers.easymail.markdown import flatten_markdown, lint_markdown
from reconciler.providers.easymail.views import OVERWRITE_REQUIRED, TEXT_FIELDS

KIND = "easymail/campaign"
INLINE_LIMIT = 120  # longer single-line bodies go to a file too: long YAML lines read badly
STATE_OF_STATUS = {
    "draft": "draft",
    "scheduled": "scheduled",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "canceled": "canceled",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # the schema's pattern for reply_to


def export_campaign(
    view: Mapping[str, Any], status: str, account: str, directory: Directory, *, file_stem: str
) -> Exported:
    """The YAML document (and Markdown file) for one live campaign's view."""
    doc: dict[str, Any] = {"kind": KIND, "account": account, "name": view["name"]}
    doc.update(_lifecycle(view, status))
    doc.update(_texts(view))
    doc.update(_references(view, directory))
    files: dict[str, str] = {}
    body = exportable_content(view)
    if body is not None and _inline(body):
        doc["content"] = body
    elif body is not None:
        files[f"{file_stem}.md"] = body
        doc["content_file"] = f"{file_stem}.md"
    return Exported(doc, files, _skipped_body_notes(view, body))


def _skipped_body_notes(view: Mapping[str, Any], body: str | None) -> tuple[str, ...]:
    """Why the live body is not in the document, when it is not."""
    if body is not None:
        return ()
    if view.get(OVERWRITE_REQUIRED):
        return (_STYLED_NOTE,)
    if view.get("content"):
        return ("body holds Markdown easymail flattens: not imported (content left unmanaged)",)
    return ()


_STYLED_NOTE = (
    "body styled in the easymail dashboard: not imported (content left unmanaged; set "
    "`content` with `overwrite: true` to replace it)"
)


def _lifecycle(view: Mapping[str, Any], status: str) -> dict[str, Any]:
    """``state`` (and ``scheduled_at`` for a scheduled campaign) from the live status."""
    state = STATE_OF_STATUS.get(status)
    if state != "scheduled":
        return {"state": state} if state else {}
    at = view.get("scheduled_at")
    # Without a time ``state: scheduled`` would not validate: leave the lifecycle unmanaged.
    return {"state": state, "scheduled_at": at} if at else {}


def _texts(view: Mapping[str, Any]) -> dict[str, Any]:
    """Subject, preheader, from_name, reply_to: those with a value, in the YAML's order."""
    out = {key: view.get(key) for key in TEXT_FIELDS if view.get(key)}
    if "reply_to" in out and not _EMAIL.match(str(out["reply_to"])):
        del out["reply_to"]  # the schema would reject it: leave it unmanaged
    return out


def _references(view: Mapping[str, Any], directory: Directory) -> dict[str, Any]:
    """``from_identity`` and ``audience`` by name, each only if it resolves back."""
    out: dict[str, Any] = {}
    email = view.get("from_identity")
    if email and str(email).lower() in directory.identity_ids:
        out["from_identity"] = email
    audience = {}
    for key in ("list", "segment"):
        name = view.get(f"audience.{key}")
        if name and directory.table(key).uuid_of(str(name)) is not None:
            audience[key] = name
    if audience:
        out["audience"] = audience
    return out


def exportable_content(view: Mapping[str, Any]) -> str | None:
    """The live body when the YAML can declare it exactly, else None (left unmanaged)."""
    body = view.get("content")
    if not isinstance(body, str) or not body or view.get(OVERWRITE_REQUIRED):
        return None
    if lint_markdown(body) or flatten_markdown(body) != body:
        return None  # not a body easymail would store as written: validate would refuse it
    return body


def _inline(body: str) -> bool:
    """Short single lines stay in the YAML; so does a body a file could not hold exactly."""
    return "\r" in body or ("\n" not in body and len(body) <= INLINE_LIMIT)
