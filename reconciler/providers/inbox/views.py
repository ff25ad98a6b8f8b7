"""Inbox desired and live state in one comparable form, and the wire bodies built from it.

The view is keyed by the YAML's names and holds the wire forms of the values, so that equality
means "no change": ``schedule`` as ``{"0".."6": {start, end}}``, ``sequence`` as wire steps
without the server's ids, ranks and version, ``account_links`` as sorted lower-case usernames,
lead-rule lists as sorted vendor list names. ``rules`` is flattened (``rules.include_lists`` …)
because each rule is managed on its own: an omitted rule keeps its live value on the wire too.

The live view holds only managed fields, never counters, rates, ``rebalancing``,
``syncingLeads`` or ``updatedAt``, so the fingerprint of a saved plan moves only when someone
changed what the plan is about. ``display_view`` turns the wire forms back into the friendly
YAML forms (``mon: "09:00-17:00"``, short sequence steps) for the reviewer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from reconciler.providers.inbox.checks import InboxPrepared
from reconciler.providers.inbox.directory import Directory, first_of, username_key
from reconciler.providers.inbox.model import Automation, InboxCampaign
from reconciler.providers.inbox.syntax import (
    compile_steps,
    decompile_steps,
    friendly_schedule,
    normalize_schedule,
)

# View key → wire key of PATCH /campaigns/v2/{id}.
PATCH_FIELDS = {
    "name": "name",
    "description": "description",
    "timezone": "timezone",
    "messages_per_hour": "messagesPerHour",
    "schedule": "schedule",
    "account_links": "accountLinkIds",
    "automations": "automations",
}
# View key → wire key of PATCH …/rules (and of the create body's ``rules``).
RULE_FIELDS = {
    "rules.include_lists": "syncedListIds",
    "rules.exclude_lists": "excludedListIds",
    "rules.exclude_contacted": "excludeContacted",
    "rules.exclude_mutuals": "excludeMutuals",
}
LIST_RULES = ("rules.include_lists", "rules.exclude_lists")
SEQUENCE = "sequence"


# -- shared normalisation --------------------------------------------------------------------


def canonical_steps(steps: Any) -> list[dict[str, Any]]:
    """Wire steps as ``{type, data}`` in rank order; a null variable fallback reads as ``""``."""
    items = [s for s in steps or [] if isinstance(s, Mapping)]
    if all(isinstance(s.get("rank"), int) for s in items):
        items.sort(key=lambda s: s["rank"])
    return [{"type": s.get("type"), "data": _data(s.get("data"))} for s in items]


def _data(data: Any) -> Any:
    if not isinstance(data, Mapping) or not isinstance(data.get("segments"), list):
        return dict(data) if isinstance(data, Mapping) else data
    return {**data, "segments": [_segment(s) for s in data["segments"]]}


def _segment(segment: Any) -> Any:
    if isinstance(segment, Mapping) and segment.get("type") == "variable":
        return {**segment, "fallback": segment.get("fallback") or ""}
    return segment


def _schedule(wire: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(wire, Mapping):
        return {}
    days = sorted(wire, key=lambda d: str(d))
    return {str(d): {"start": wire[d].get("start"), "end": wire[d].get("end")} for d in days}


def _automation(item: Mapping[str, Any]) -> dict[str, Any]:
    data = first_of(item, "actionData", "action_data", default={}) or {}
    return {
        "trigger": item.get("trigger"),
        "action": item.get("action"),
        "action_data": {"status_id": first_of(data, "statusId", "status_id")},
        "enabled": item.get("enabled", True),
    }


# -- live ------------------------------------------------------------------------------------


def live_view(obj: Mapping[str, Any], directory: Directory) -> dict[str, Any]:
    """The comparable form of ``GET /campaigns/v2/{id}`` (every managed field)."""
    rules = obj.get("rules") or {}
    sequence = obj.get("sequence") or {}
    return {
        "name": obj.get("name"),
        "description": obj.get("description"),
        "timezone": obj.get("timezone"),
        "messages_per_hour": first_of(obj, "messagesPerHour", "messages_per_hour"),
        "schedule": _schedule(obj.get("schedule")),
        "account_links": sorted(directory.usernames.get(i, i) for i in live_link_ids(obj)),
        "automations": [_automation(a) for a in obj.get("automations") or []],
        "rules.include_lists": _live_lists(rules, "syncedLists", "syncedListIds", directory),
        "rules.exclude_lists": _live_lists(rules, "excludedLists", "excludedListIds", directory),
        "rules.exclude_contacted": rules.get("excludeContacted", False),
        "rules.exclude_mutuals": rules.get("excludeMutuals", False),
        SEQUENCE: canonical_steps(sequence.get("steps") if isinstance(sequence, Mapping) else []),
    }


def live_link_ids(obj: Mapping[str, Any]) -> list[str]:
    ids = obj.get("accountLinkIds")
    if ids is None:  # some doc versions embed the links instead
        ids = [link.get("id") for link in obj.get("accountLinks") or []]
    return [str(i) for i in ids or []]


def _live_lists(
    rules: Mapping[str, Any], objects: str, ids: str, directory: Directory
) -> list[str]:
    names = []
    for item in rules.get(objects) or [{"listId": i} for i in rules.get(ids) or []]:
        list_id = str(first_of(item, "listId", "id"))
        name = first_of(item, "listName", "name") or directory.list_names.get(list_id, list_id)
        names.append(str(name))
    return sorted(names)


# -- desired ---------------------------------------------------------------------------------


def desired_view(c: InboxCampaign, prepared: InboxPrepared, directory: Directory) -> dict[str, Any]:
    """The comparable form of the YAML: only the keys it sets (the rest is unmanaged)."""
    given = c.model_fields_set
    view: dict[str, Any] = {"name": c.name}
    for key in ("description", "timezone", "messages_per_hour"):
        if key in given:
            view[key] = getattr(c, key)
    if c.schedule is not None:
        view["schedule"] = prepared.schedule or normalize_schedule(
            {day: w if isinstance(w, str) else w.model_dump() for day, w in c.schedule.items()}
        )
    if c.account_links is not None:
        view["account_links"] = sorted(username_key(n) for n in c.account_links)
    if c.automations is not None:
        view["automations"] = [_automation(_automation_wire(a)) for a in c.automations]
    view.update(_desired_rules(c, directory))
    if c.sequence is not None:
        steps = prepared.sequence
        if steps is None:
            steps = compile_steps([s.model_dump() for s in c.sequence])
        view[SEQUENCE] = canonical_steps(steps)
    return view


def _desired_rules(c: InboxCampaign, directory: Directory) -> dict[str, Any]:
    rules = c.rules
    if rules is None:
        return {}
    out: dict[str, Any] = {}
    for key in rules.model_fields_set:
        value = getattr(rules, key)
        if isinstance(value, list):
            value = sorted(directory.canonical_list(n) for n in value)
        out[f"rules.{key}"] = value
    return {k: out[k] for k in RULE_FIELDS if k in out}


def _automation_wire(a: Automation) -> dict[str, Any]:
    return {
        "trigger": a.trigger,
        "action": a.action,
        "actionData": {"statusId": a.action_data.status_id},
        "enabled": a.enabled,
    }


# -- display and wire ------------------------------------------------------------------------


def display_view(view: Mapping[str, Any]) -> dict[str, Any]:
    """The view with the YAML's friendly forms, for the field changes a reviewer reads."""
    shown = dict(view)
    if isinstance(view.get("schedule"), Mapping):
        # A live schedule we cannot phrase stays in the wire form.
        with contextlib.suppress(ValueError, KeyError, TypeError):
            shown["schedule"] = friendly_schedule(view["schedule"])
    if isinstance(view.get(SEQUENCE), list):
        shown[SEQUENCE] = decompile_steps(view[SEQUENCE])
    return shown


def patch_body(view: Mapping[str, Any], keys: list[str], directory: Directory) -> dict[str, Any]:
    """``PATCH /campaigns/v2/{id}`` for the changed campaign fields among ``keys``."""
    body: dict[str, Any] = {}
    for key in keys:
        if key == "account_links":
            body["accountLinkIds"] = [directory.link_ids[n] for n in view[key]]
        elif key == "automations":
            body["automations"] = [_automation_to_wire(a) for a in view[key]]
        elif key in PATCH_FIELDS:
            body[PATCH_FIELDS[key]] = view[key]
    return body


def rules_body(view: Mapping[str, Any], keys: list[str], directory: Directory) -> dict[str, Any]:
    """``PATCH …/rules`` for the changed rules among ``keys`` (list names become ids)."""
    body: dict[str, Any] = {}
    for key in keys:
        if key in LIST_RULES:
            body[RULE_FIELDS[key]] = [_list_id(directory, n) for n in view[key]]
        elif key in RULE_FIELDS:
            body[RULE_FIELDS[key]] = view[key]
    return body


def _list_id(directory: Directory, name: str) -> str:
    found = directory.list_id(name)
    if found is None:  # resolve() reported it already; planning never gets here with one
        raise KeyError(f"unresolved list {name!r}")
    return found


def _automation_to_wire(a: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "trigger": a["trigger"],
        "action": a["action"],
        "actionData": {"statusId": a["action_data"]["status_id"]},
        "enabled": a["enabled"],
    }
