"""Inbox planning: field changes, rules, sequence, lifecycle, and the vendor's rules up front.

Status rules (shared/api/inbox.md): a ``completed`` campaign accepts no change at all; an
``active`` one accepts every change but an empty sequence; enable needs steps (the first a
message) and an account link; disable works only on an ``active`` campaign; delete only on a
``draft``, ``paused`` or ``completed`` one. Each rule becomes a blocked action with a hint here,
so a plan never promises what apply cannot do.

Lifecycle, ``state`` against the live ``status``: ``active`` enables a draft (``launch``,
irreversible: DMs start going out) or a paused campaign (``resume``); ``paused`` disables an
active one; ``draft`` cannot be reached again once enabled. A ``completed`` campaign has sent
its whole sequence, so it satisfies both ``active`` and ``paused`` (nothing more will go out,
and the vendor cannot move it): planning it again is not a change.

Audience for the ``max_recipients_per_launch`` guard (``facts.audience_size``): the live
``targetsCount`` when the lead lists stay as they are; when the campaign is new or its lists
change, a prediction: the sum of ``leadsCount`` of the included lists. That is an upper bound
(lists may overlap, and exclusions only remove leads), the safe side for a blast-radius guard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef
from reconciler.providers.base import LiveCampaign
from reconciler.providers.diffing import changed_keys, diff_views
from reconciler.providers.draft import PlanDraft, wanted
from reconciler.providers.inbox.checks import InboxPrepared
from reconciler.providers.inbox.directory import Directory
from reconciler.providers.inbox.model import InboxCampaign
from reconciler.providers.inbox.payloads import NewCampaign, Settings
from reconciler.providers.inbox.views import (
    LIST_RULES,
    PATCH_FIELDS,
    RULE_FIELDS,
    SEQUENCE,
    desired_view,
    display_view,
    patch_body,
    rules_body,
)

CREATE_FIELDS = ("name", "account_links", "timezone", *RULE_FIELDS)
DELETABLE = ("draft", "paused", "completed")
# What a new campaign is compared with: empty containers, so the plan lists schedule days and
# sequence steps one by one instead of one opaque blob.
EMPTY: Mapping[str, Any] = {"schedule": {}, SEQUENCE: [], "automations": []}
COMPLETED_MSG = "a completed campaign accepts no change (Inbox answers 409)"
COMPLETED_HINT = "it has sent its whole sequence: create a new campaign (a new name) instead"


def plan_inbox(
    ref: CampaignRef, doc: CampaignDoc | None, live: LiveCampaign | None, directory: Directory
) -> CampaignPlan:
    """The plan for one Inbox campaign (``doc`` None: a prune of ``live``)."""
    draft = PlanDraft()
    campaign = wanted(doc, InboxCampaign)
    if live is not None:
        draft.facts = replace(draft.facts, targets_count=live.extra.get("targets_count", 0))
    if doc is None or campaign is None:
        if live is not None:
            draft.actions.append(_delete(live))
    else:
        desired = desired_view(campaign, doc.prepared_as(InboxPrepared), directory)
        _warn_links(draft, desired, directory)
        if live is None:
            _plan_new(draft, desired, directory)
        else:
            _plan_existing(draft, desired, live, directory)
        _lifecycle(draft, campaign.state, desired, live, directory)
    return draft.finish(ref, doc, live)


def _delete(live: LiveCampaign) -> Action:
    action = Action(ActionKind.DELETE, summary="delete the campaign and its stats")
    if live.status in DELETABLE:
        return action
    return action.block(
        f"Inbox deletes only a draft, paused or completed campaign (live: {live.status})",
        "set `state: paused` first, apply, then set `state: absent`",
    )


def _warn_links(draft: PlanDraft, desired: Mapping[str, Any], directory: Directory) -> None:
    for username in desired.get("account_links", []):
        status = directory.link_status.get(directory.link_ids.get(username, ""), "")
        if status not in ("", "active"):
            draft.warnings.append(f"account link {username!r} is {status}: it sends nothing")


def _plan_new(draft: PlanDraft, desired: Mapping[str, Any], directory: Directory) -> None:
    create_keys = [k for k in desired if k in CREATE_FIELDS]
    create = patch_body(desired, [k for k in create_keys if k in PATCH_FIELDS], directory)
    rules = rules_body(desired, [k for k in create_keys if k in RULE_FIELDS], directory)
    if rules:
        create["rules"] = rules
    rest = [k for k in desired if k in PATCH_FIELDS and k not in CREATE_FIELDS]
    payload = NewCampaign(
        create=create,
        patch=patch_body(desired, rest, directory),
        sequence=desired.get(SEQUENCE) or None,
    )
    changes = tuple(diff_views(display_view(desired), EMPTY))
    action = Action(ActionKind.CREATE, changes, payload, summary="create campaign (as a draft)")
    if "account_links" not in desired:
        action = action.block(
            "Inbox creates a campaign only with at least one account link",
            "add `account_links:` with the X username(s) to send from",
        )
    draft.actions.append(action)


def _plan_existing(
    draft: PlanDraft, desired: Mapping[str, Any], live: LiveCampaign, directory: Directory
) -> None:
    keys = changed_keys(desired, live.view)
    if not keys:
        return
    payload = Settings(
        patch=patch_body(desired, [k for k in keys if k in PATCH_FIELDS], directory),
        rules=rules_body(desired, [k for k in keys if k in RULE_FIELDS], directory),
        sequence=desired[SEQUENCE] if SEQUENCE in keys else None,
    )
    changes = tuple(diff_views(display_view(desired), display_view(live.view)))
    action = Action(ActionKind.UPDATE, changes, payload, summary=_update_summary(keys))
    if live.status == "completed":
        action = action.block(COMPLETED_MSG, COMPLETED_HINT)
    elif live.status == "active" and SEQUENCE in keys and not desired[SEQUENCE]:
        action = action.block(
            "an active campaign's sequence cannot be emptied (Inbox answers 409)",
            "set `state: paused` first, or keep at least one message step",
        )
    draft.actions.append(action)


def _update_summary(keys: list[str]) -> str:
    parts = []
    if any(k in PATCH_FIELDS for k in keys):
        parts.append("settings")
    if any(k in RULE_FIELDS for k in keys):
        parts.append("lead rules")
    if SEQUENCE in keys:
        parts.append("sequence (new version)")
    return "update " + ", ".join(parts)


# -- lifecycle -------------------------------------------------------------------------------


def _lifecycle(
    draft: PlanDraft,
    state: str | None,
    desired: Mapping[str, Any],
    live: LiveCampaign | None,
    directory: Directory,
) -> None:
    status = live.status if live else "draft"
    if state is None or status == "completed" or state == status:
        if state == "draft" and status == "completed":
            draft.actions.append(_unreachable(state, status))
        return
    if state == "active":
        kind = ActionKind.LAUNCH if status == "draft" else ActionKind.RESUME
        audience = _audience(desired, live, directory)
        draft.facts = replace(draft.facts, audience_size=audience)
        draft.actions.append(_enable(kind, desired, live, audience))
    elif state == "paused" and status == "active":
        draft.actions.append(_disable(live))
    else:
        draft.actions.append(_unreachable(state, status))


def _unreachable(state: str, status: str) -> Action:
    if state == "paused":
        kind, hint = ActionKind.PAUSE, "only an enabled (active) campaign can be paused"
        hint += ": use `state: draft` until it should send, or `state: active`"
    else:
        kind, hint = ActionKind.UPDATE, "an enabled campaign cannot go back to draft: use `paused`"
    message = f"Inbox cannot move a campaign from {status} to {state}"
    return Action(kind, summary=f"state: {state}").block(message, hint)


def _enable(
    kind: ActionKind, desired: Mapping[str, Any], live: LiveCampaign | None, audience: int
) -> Action:
    live_view = live.view if live else {}
    what = "DMs start going out" if kind is ActionKind.LAUNCH else "sending resumes"
    action = Action(
        kind,
        summary=f"enable: {what} (audience up to {audience:,} lead{'' if audience == 1 else 's'})",
    )
    missing = []
    if not desired.get(SEQUENCE, live_view.get(SEQUENCE)):
        missing.append("the sequence is empty")
    if not desired.get("account_links", live_view.get("account_links")):
        missing.append("no account link")
    if not missing:
        return action
    return action.block(
        f"enable would fail: {' and '.join(missing)}",
        "add steps under `sequence:` (the first one a message) before `state: active`",
    )


def _disable(live: LiveCampaign | None) -> Action:
    extra = live.extra if live else {}
    done = (
        f"{extra.get('contacted_count', 0):,} contacted, {extra.get('replied_count', 0):,} replied"
    )
    return Action(ActionKind.PAUSE, summary=f"disable: stop sending ({done} so far)")


def _audience(desired: Mapping[str, Any], live: LiveCampaign | None, directory: Directory) -> int:
    """Live ``targetsCount``, or the predicted upper bound when the lists are new or change."""
    live_view = live.view if live else {}
    if live is not None and all(
        desired.get(k, live_view.get(k)) == live_view.get(k) for k in LIST_RULES
    ):
        return int(live.extra.get("targets_count", 0))
    included = desired.get("rules.include_lists", live_view.get("rules.include_lists", []))
    ids = [directory.list_id(name) for name in included]
    return sum(directory.list_counts.get(i, 0) for i in ids if i is not None)
