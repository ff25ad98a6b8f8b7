"""ColdSend desired and live state in one comparable form, and the wire bodies built from it.

The view uses the YAML's names (``inboxes`` as lower-case emails) and the vendor's read-back
forms (``sending_days`` sorted, ``variant_name`` upper-cased, follow-ups by step, instants as
``YYYY-MM-DDTHH:MM:SSZ``), so an applied campaign compares equal to its YAML. Keys starting
with ``_`` are facts for the fingerprint only, never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.providers.coldsend.model import ColdSendCampaign, FollowUp, Variant
from reconciler.providers.instants import utc_instant

SETTINGS = (
    "name",
    "timezone",
    "sending_days",
    "sending_window_start",
    "sending_window_start_minute",
    "sending_window_end",
    "sending_window_end_minute",
    "daily_limit_per_inbox",
    "start_date",
    "enable_tracking",
    "enable_unsubscribe",
)
CREATE_FIELDS = SETTINGS
CONTENT_FIELDS = ("variants", "sequences")  # refused while ACTIVE
VARIANT_KEYS = ("variant_name", "subject_template", "email_content", "distribution_percent")


def _variant(v: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v.get(k) for k in VARIANT_KEYS}
    out["variant_name"] = str(out["variant_name"] or "").upper()
    return out


def _follow_up(s: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "step_number": s.get("step_number"),
        "trigger_type": s.get("trigger_type"),
        "wait_days": s.get("wait_days"),
        "variants": [_variant(v) for v in s.get("variants") or []],
    }


def _sequences(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return sorted((_follow_up(s) for s in items), key=lambda s: s["step_number"] or 0)


def live_view(obj: Mapping[str, Any], emails_by_id: Mapping[str, str]) -> dict[str, Any]:
    """The comparable form of a campaign object from ``GET /campaigns/{id}``."""
    view: dict[str, Any] = {key: obj.get(key) for key in SETTINGS}
    view["sending_days"] = sorted(obj.get("sending_days") or [])
    view["start_date"] = utc_instant(obj.get("start_date"))
    view["inboxes"] = sorted(emails_by_id.get(i, i).lower() for i in obj.get("inbox_ids") or [])
    view["variants"] = [_variant(v) for v in obj.get("variants") or []]
    view["sequences"] = _sequences(obj.get("sequences") or [])
    view["_total_leads"] = obj.get("total_leads")
    return view


def _model_variant(v: Variant) -> dict[str, Any]:
    return _variant(v.model_dump())


def _model_follow_up(s: FollowUp) -> dict[str, Any]:
    return {**_follow_up(s.model_dump()), "variants": [_model_variant(v) for v in s.variants]}


def desired_view(c: ColdSendCampaign) -> dict[str, Any]:
    """The comparable form of the YAML: only the keys it sets (the rest is unmanaged)."""
    given = c.model_fields_set
    view: dict[str, Any] = {"name": c.name}
    for key in SETTINGS[1:]:
        if key in given:
            view[key] = getattr(c, key)
    if "sending_days" in view:
        view["sending_days"] = sorted(view["sending_days"])
    if "start_date" in view:
        view["start_date"] = utc_instant(view["start_date"])
    if c.inboxes is not None:
        view["inboxes"] = sorted(e.lower() for e in c.inboxes)
    if c.variants is not None:
        view["variants"] = [_model_variant(v) for v in c.variants]
    if c.sequences is not None:
        view["sequences"] = sorted(
            (_model_follow_up(s) for s in c.sequences), key=lambda s: s["step_number"]
        )
    return view


def wire_body(
    view: Mapping[str, Any], keys: list[str], ids_by_email: Mapping[str, str]
) -> dict[str, Any]:
    """A PUT/POST body for ``keys`` of a desired view (``inboxes`` become ``inbox_ids``)."""
    body: dict[str, Any] = {}
    for key in keys:
        if key == "inboxes":
            body["inbox_ids"] = [ids_by_email[e] for e in view["inboxes"]]
        else:
            body[key] = view[key]
    return body
