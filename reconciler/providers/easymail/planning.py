"""easymail planning: field changes, the overwrite gate, editability, lifecycle, delete rules.

Vendor rules checked up front (shared/api/easymail.md), each a blocked action with a hint so a
plan never promises what apply cannot do:

- PATCH only in ``draft``, ``scheduled`` or ``failed``: an edit to a queued, sending, sent or
  canceled campaign is blocked, naming the live status.
- A body the vendor flags ``content_overwrite_required`` (styled in the dashboard) is replaced
  only with ``overwrite: true`` in the YAML: then an irreversible ``overwrite-content`` step
  whose PATCH carries ``overwrite: true``; without it the step is blocked, saying what would be
  lost. The flags themselves are drift: the YAML declares a plain Markdown body, so a
  dashboard-styled copy of the same text is still a change (drop ``content`` from the YAML to
  leave the dashboard's body alone).
- Readiness, schedule times and status transitions: see ``lifecycle``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, FieldChange
from reconciler.providers.base import LiveCampaign
from reconciler.providers.diffing import changed_keys, diff_views
from reconciler.providers.draft import PlanDraft, wanted
from reconciler.providers.easymail.checks import EasymailPrepared
from reconciler.providers.easymail.directory import Directory
from reconciler.providers.easymail.lifecycle import (
    GONE_OUT,
    NEW,
    Situation,
    delete_action,
    lifecycle_actions,
    missing_requirements,
)
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.easymail.payloads import CampaignPatch, NewCampaign
from reconciler.providers.easymail.views import (
    EDITABLE_VIA_API,
    OVERWRITE_REQUIRED,
    audience_size,
    desired_view,
    wire_body,
)
from reconciler.providers.instants import utc_instant

EDITABLE = ("draft", "scheduled", "failed")


def plan_easymail(
    ref: CampaignRef,
    doc: CampaignDoc | None,
    live: LiveCampaign | None,
    directory: Directory,
    now: str,
) -> CampaignPlan:
    """The plan for one easymail campaign (``doc`` None: a prune of ``live``)."""
    draft = PlanDraft()
    campaign = wanted(doc, EasymailCampaign)
    if doc is None or campaign is None:
        if live is not None:
            draft.actions.append(delete_action(live.status))
    else:
        _plan_doc(draft, doc, campaign, live, directory, now)
    return draft.finish(ref, doc, live)


def _plan_doc(
    draft: PlanDraft,
    doc: CampaignDoc,
    c: EasymailCampaign,
    live: LiveCampaign | None,
    directory: Directory,
    now: str,
) -> None:
    desired = desired_view(c, doc.prepared_as(EasymailPrepared).content)
    live_view = live.view if live else {}
    if live is None:
        draft.actions.append(_create(desired, directory, doc.prepared_as(EasymailPrepared).content))
    else:
        _edits(draft, c, desired, live, directory, doc.prepared_as(EasymailPrepared).content)
    audience = audience_size(desired, live_view, directory)
    draft.facts = replace(draft.facts, audience_size=audience)
    situation = Situation(
        state=c.state,
        scheduled_at=utc_instant(c.scheduled_at),
        status=live.status if live else NEW,
        desired=desired,
        live=live_view,
        audience=audience,
        now=now,
    )
    actions, warnings = lifecycle_actions(situation)
    draft.actions += actions
    draft.warnings += warnings
    if live is not None and live.status == "scheduled" and not actions and c.state != "draft":
        _warn_schedule_fails(draft, situation)


def _create(desired: Mapping[str, Any], directory: Directory, content: str | None) -> Action:
    body = wire_body(desired, list(desired), directory, content)
    body = {k: v for k, v in body.items() if v is not None}
    changes = tuple(diff_views(desired, {}))
    return Action(ActionKind.CREATE, changes, NewCampaign(body), summary="create draft campaign")


def _edits(
    draft: PlanDraft,
    c: EasymailCampaign,
    desired: Mapping[str, Any],
    live: LiveCampaign,
    directory: Directory,
    content: str | None,
) -> None:
    """The PATCH of changed fields, and the gated content overwrite, each checked for status."""
    gated = "content" in desired and bool(live.view.get(OVERWRITE_REQUIRED))
    keys = [k for k in changed_keys(desired, live.view) if not (gated and k == "content")]
    if keys:
        changed = {k: desired[k] for k in keys}
        changes = tuple(diff_views(changed, live.view))
        body = CampaignPatch(wire_body(desired, keys, directory, content))
        action = Action(ActionKind.UPDATE, changes, body, summary=f"update {', '.join(keys)}")
        draft.actions.append(_editable(action, live.status))
    if gated:
        overwrite = _overwrite(c, desired, live.view, content)
        draft.actions.append(_editable(overwrite, live.status))


def _editable(action: Action, status: str) -> Action:
    if status in EDITABLE:
        return action
    if status in GONE_OUT:
        hint = "a sent campaign is done: revert the YAML edit, or create a new campaign"
    else:
        hint = "a canceled campaign cannot be edited: revert the YAML edit, or create a new one"
    reason = f"easymail edits only draft, scheduled or failed campaigns (live: {status})"
    return action.block(reason, hint)


def _overwrite(
    c: EasymailCampaign, desired: Mapping[str, Any], live: Mapping[str, Any], content: str | None
) -> Action:
    """Replace a dashboard-styled body: irreversible, and only with ``overwrite: true``."""
    layout = not live.get(EDITABLE_VIA_API, True)
    changes = []
    if desired["content"] != live.get("content"):
        changes.append(FieldChange("content", live.get("content"), desired["content"]))
    changes.append(FieldChange(OVERWRITE_REQUIRED, True, False))
    if layout:
        changes.append(FieldChange(EDITABLE_VIA_API, False, True))
    what = (
        "a multi-column dashboard layout (content_editable_via_api: false)"
        if layout
        else "a body styled in the easymail dashboard"
    )
    verb, doing = ("clear", "clearing") if desired["content"] is None else ("replace", "replacing")
    action = Action(
        ActionKind.OVERWRITE_CONTENT,
        tuple(changes),
        CampaignPatch({"content": content, "overwrite": True}),
        summary=f"{verb} {what} with the YAML's Markdown",
    )
    if c.overwrite:
        return action
    lost = "the multi-column layout and the styled body" if layout else "its styling"
    return action.block(
        f"the live body is {what}: {doing} it loses {lost} (content_overwrite_required)",
        "set `overwrite: true` in the YAML to replace it, or carry the dashboard's changes "
        "into the Markdown first; remove `content` from the YAML to leave the body alone",
    )


def _warn_schedule_fails(draft: PlanDraft, s: Situation) -> None:
    missing = missing_requirements(s)
    if missing:
        draft.warnings.append(
            f"the scheduled send will fail at {s.live.get('scheduled_at')}: missing "
            + ", ".join(missing)
        )
