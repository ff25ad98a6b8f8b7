"""easymail desired and live state in one comparable form, and the wire bodies built from it.

The view uses the YAML's names: ``from_identity`` as the lower-cased sender email, the audience
as list and segment *names*, flattened to the top-level keys ``audience.list`` and
``audience.segment`` so that ``diff_views`` compares only the sub-keys the YAML writes (an
omitted ``segment`` is unmanaged, ``segment: null`` clears it, the same rule as at the top
level). ``content`` is compared in the vendor's stored form: the desired body goes through
``flatten_markdown``, the client's prediction of easymail's read-back, so an applied body never
shows as a diff.

The live view also holds what planning and the fingerprint need but the YAML never sets: the
two content flags, ``scheduled_at`` and the readiness gaps (``_missing``). It leaves out what
moves on its own (``updated_at``, ``last_updated_at``, ``recipients_count``, list sizes), so a
saved plan goes stale only when the campaign itself changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.providers.easymail.directory import Directory
from reconciler.providers.easymail.markdown import flatten_markdown
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.instants import utc_instant

TEXT_FIELDS = ("subject", "preheader", "from_name", "reply_to")
AUDIENCE_KEYS = ("audience.list", "audience.segment")
OVERWRITE_REQUIRED = "content_overwrite_required"
EDITABLE_VIA_API = "content_editable_via_api"


def manages_content(c: EasymailCampaign) -> bool:
    """True when the YAML sets the body (inline, ``null`` to clear, or from a file)."""
    return "content" in c.model_fields_set or c.content_file is not None


def desired_view(c: EasymailCampaign, content: str | None) -> dict[str, Any]:
    """The comparable form of the YAML: only the keys it writes (``content`` is the resolved
    body of ``content`` or ``content_file``)."""
    given = c.model_fields_set
    view: dict[str, Any] = {"name": c.name}
    for key in TEXT_FIELDS:
        if key in given:
            view[key] = getattr(c, key)
    if "from_identity" in given:
        view["from_identity"] = c.from_identity.lower() if c.from_identity else None
    if manages_content(c):
        view["content"] = None if content is None else flatten_markdown(content)
    view.update(audience_view(c))
    return view


def audience_view(c: EasymailCampaign) -> dict[str, Any]:
    """``audience.list`` / ``audience.segment`` by name, only those the YAML writes (the
    insight reads them without the rest of the view, whose body would be flattened again)."""
    if "audience" not in c.model_fields_set:
        return {}
    audience = c.audience
    keys = audience.model_fields_set if audience is not None else {"list", "segment"}
    return {
        f"audience.{key}": getattr(audience, key) if audience else None
        for key in ("list", "segment")
        if key in keys
    }


def live_view(obj: Mapping[str, Any], directory: Directory) -> dict[str, Any]:
    """The comparable form of a campaign object from ``GET /campaigns/{uuid}``."""
    audience = obj.get("audience") or {}
    readiness = obj.get("readiness") or {}
    view: dict[str, Any] = {"name": obj.get("name")}
    for key in TEXT_FIELDS:
        view[key] = obj.get(key)
    view["from_identity"] = directory.identity_email(
        obj.get("from_identity"), obj.get("from_email")
    )
    view["content"] = obj.get("content")
    view["audience.list"] = directory.lists.name_of(audience.get("list_uuid"))
    view["audience.segment"] = directory.segments.name_of(audience.get("segment_uuid"))
    view[OVERWRITE_REQUIRED] = bool(obj.get(OVERWRITE_REQUIRED))
    view[EDITABLE_VIA_API] = obj.get(EDITABLE_VIA_API) is not False
    view["scheduled_at"] = utc_instant(obj.get("scheduled_at"))
    view["_missing"] = sorted(str(m) for m in readiness.get("missing") or [])
    return view


def wire_body(
    view: Mapping[str, Any], keys: list[str], directory: Directory, content: str | None
) -> dict[str, Any]:
    """A create/PATCH body for ``keys`` of a desired view: names become uuids, and the body is
    sent as the YAML wrote it (``content``), since the vendor flattens it itself."""
    body: dict[str, Any] = {}
    for key in keys:
        value = view[key]
        if key == "from_identity":
            body[key] = directory.identity_ids[value] if value else None
        elif key == "audience.list":
            body["list_uuid"] = directory.lists.uuid_of(value)
        elif key == "audience.segment":
            body["segment_uuid"] = directory.segments.uuid_of(value)
        elif key == "content":
            body[key] = content
        else:
            body[key] = value
    return body


def audience_size(desired: Mapping[str, Any], live: Mapping[str, Any], directory: Directory) -> int:
    """Contacts a send would reach: the list's plus the segment's ``contacts_count``.

    With both set the sum is an upper bound of the union (the contract does not say how they
    combine), which is the safe side for a blast-radius guard, and what the sandbox freezes
    as ``recipients_count``.
    """
    total = 0
    for key, table in zip(AUDIENCE_KEYS, (directory.lists, directory.segments), strict=True):
        name = desired[key] if key in desired else live.get(key)
        total += table.contacts_of(name)
    return total
