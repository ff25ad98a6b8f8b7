"""ColdSend planning: field changes, leads, lifecycle, and the status rules checked up front.

Status rules (shared/api/coldsend.md): DRAFT, PAUSED and FAILED are fully editable; ACTIVE
refuses variant and sequence changes; COMPLETED refuses everything; launch needs a lead, an
inbox and a variant; delete only from DRAFT or PAUSED. Each rule becomes a blocked action with
a hint here, so that a plan never promises what apply cannot do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef
from reconciler.providers.base import LiveCampaign
from reconciler.providers.coldsend.checks import ColdSendPrepared
from reconciler.providers.coldsend.leads import LeadsDelta, leads_delta
from reconciler.providers.coldsend.model import ColdSendCampaign
from reconciler.providers.coldsend.payloads import CampaignSettings, LeadsUpload, NewCampaign
from reconciler.providers.coldsend.views import (
    CONTENT_FIELDS,
    CREATE_FIELDS,
    desired_view,
    wire_body,
)
from reconciler.providers.diffing import changed_keys, diff_views
from reconciler.providers.draft import PlanDraft, wanted

COMPLETED_MSG = "Campaign is COMPLETED and cannot be modified"
ACTIVE_CONTENT_MSG = "Campaign is ACTIVE: pause it to change variants or sequences"


def plan_coldsend(
    ref: CampaignRef,
    doc: CampaignDoc | None,
    live: LiveCampaign | None,
    ids_by_email: Mapping[str, str],
) -> CampaignPlan:
    """The plan for one ColdSend campaign (``doc`` None: a prune of ``live``)."""
    draft = PlanDraft()
    campaign = wanted(doc, ColdSendCampaign)
    if doc is None or campaign is None:
        if live is not None:
            draft.actions.append(_delete(live))
    elif live is None:
        _plan_new(draft, doc, campaign, ids_by_email)
    else:
        _plan_existing(draft, doc, campaign, live, ids_by_email)
    return draft.finish(ref, doc, live)


def _delete(live: LiveCampaign) -> Action:
    action = Action(ActionKind.DELETE, summary="delete the campaign, its leads and stats")
    if live.status in ("DRAFT", "PAUSED"):
        return action
    hint = "set `state: paused` first, apply, then delete" if live.status == "ACTIVE" else ""
    return action.block(
        f"Only DRAFT or PAUSED campaigns can be deleted (live: {live.status})", hint
    )


def _plan_new(
    draft: PlanDraft, doc: CampaignDoc, c: ColdSendCampaign, ids: Mapping[str, str]
) -> None:
    desired = desired_view(c)
    create_keys = [k for k in desired if k in CREATE_FIELDS]
    configure_keys = [k for k in desired if k not in CREATE_FIELDS]
    payload = NewCampaign(
        create=wire_body(desired, create_keys, ids),
        configure=wire_body(desired, configure_keys, ids),
    )
    changes = tuple(diff_views(desired, {}))
    draft.actions.append(Action(ActionKind.CREATE, changes, payload, summary="create campaign"))
    delta = _leads(draft, doc, set(), live_total=0, status="DRAFT")
    _lifecycle(draft, c, "DRAFT", desired, {}, delta, is_new=True)


def _plan_existing(
    draft: PlanDraft,
    doc: CampaignDoc,
    c: ColdSendCampaign,
    live: LiveCampaign,
    ids: Mapping[str, str],
) -> None:
    desired = desired_view(c)
    keys = changed_keys(desired, live.view)
    if keys:
        changes = tuple(diff_views(desired, live.view))
        summary = f"update {len(changes)} field{'' if len(changes) == 1 else 's'}"
        body = CampaignSettings(wire_body(desired, keys, ids))
        action = Action(ActionKind.UPDATE, changes, body, summary=summary)
        action = _update_rule(action, live.status, keys, c.state)
        draft.actions.append(_window_rule(action, desired, live.view))
    live_emails = live.extra.get("lead_emails", set())
    delta = _leads(
        draft, doc, live_emails, live_total=live.view.get("_total_leads") or 0, status=live.status
    )
    _lifecycle(draft, c, live.status, desired, live.view, delta, is_new=False)


_WINDOW = (
    "sending_window_start",
    "sending_window_start_minute",
    "sending_window_end",
    "sending_window_end_minute",
)


def _window_rule(action: Action, desired: Mapping[str, Any], live: Mapping[str, Any]) -> Action:
    """The window the vendor will hold is the YAML's keys over the live ones: check that one
    (validate could only assume the vendor defaults for the keys the YAML leaves out)."""
    if action.blocked or not any(k in desired for k in _WINDOW):
        return action
    start_h, start_m, end_h, end_m = (int(desired.get(k, live.get(k)) or 0) for k in _WINDOW)
    if (end_h, end_m) > (start_h, start_m) and not (end_h == 24 and end_m):
        return action
    left_out = ", ".join(k for k in _WINDOW if k not in desired)
    window = f"{start_h:02d}:{start_m:02d}–{end_h:02d}:{end_m:02d}"
    return action.block(
        f"sending_window_end must be after sending_window_start: the campaign would send "
        f"{window} (with the live {left_out})",
        "set the whole window in the YAML (start and end, with minutes when they are not 0)",
    )


def _update_rule(action: Action, status: str, keys: list[str], state: str | None) -> Action:
    if status == "COMPLETED":
        return action.block(COMPLETED_MSG, "a completed campaign is done: create a new one instead")
    content = [k for k in keys if k in CONTENT_FIELDS]
    if status == "ACTIVE" and content and state != "paused":
        return action.block(
            f"{ACTIVE_CONTENT_MSG} (changing {', '.join(content)})",
            "set `state: paused` in the YAML, apply, then set `state: active` again",
        )
    return action


def _leads(
    draft: PlanDraft, doc: CampaignDoc, live_emails: set[str], *, live_total: int, status: str
) -> LeadsDelta | None:
    leads = doc.prepared_as(ColdSendPrepared).leads
    if leads is None:
        draft.facts = replace(draft.facts, audience_size=live_total)
        return None
    delta = leads_delta(leads, live_emails)
    draft.facts = replace(
        draft.facts,
        leads_new=len(delta.rows),
        leads_present=delta.present,
        audience_size=live_total + len(delta.rows),
    )
    if delta.live_only:
        csv_name = doc.campaign_as(ColdSendCampaign).leads
        draft.warnings.append(
            f"{_leads_count(delta.live_only)} live but not in {csv_name} (camp never deletes leads)"
        )
    if delta.rows:
        action = Action(
            ActionKind.UPLOAD_LEADS,
            payload=LeadsUpload(delta.columns, delta.rows),
            summary=f"+{_leads_count(len(delta.rows))} ({delta.present:,} already present)",
        )
        if status == "COMPLETED":
            action = action.block("Leads cannot be uploaded to a COMPLETED campaign")
        draft.actions.append(action)
    return delta


_UNREACHABLE = "ColdSend cannot take a {live} campaign to {state}"


def _lifecycle(
    draft: PlanDraft,
    c: ColdSendCampaign,
    status: str,
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    delta: LeadsDelta | None,
    *,
    is_new: bool,
) -> None:
    state = c.state
    if state is None or (state == "draft" and status in ("DRAFT", "FAILED")):
        return
    if state == "active" and status in ("DRAFT", "FAILED"):
        draft.actions.append(_launch(desired, live, draft.facts.audience_size or 0))
    elif state == "active" and status == "PAUSED":
        draft.actions.append(Action(ActionKind.RESUME, summary="resume sending"))
    elif state == "paused" and status == "ACTIVE":
        draft.actions.append(Action(ActionKind.PAUSE, summary="pause sending"))
    elif not (state == "active" and status == "ACTIVE") and not (
        state == "paused" and status == "PAUSED"
    ):
        kind = ActionKind.LAUNCH if state == "active" else ActionKind.PAUSE
        hint = _unreachable_hint(state, status)
        message = _UNREACHABLE.format(live="new" if is_new else status, state=state)
        draft.actions.append(Action(kind, summary=f"state: {state}").block(message, hint))


def _unreachable_hint(state: str, status: str) -> str:
    if state == "paused":
        return "only a launched (ACTIVE) campaign can be paused: use `state: active` or `draft`"
    if state == "draft":
        return "a launched campaign cannot go back to draft: use `paused` to stop sending"
    return "a COMPLETED campaign is done: create a new campaign to send again"


def _leads_count(n: int) -> str:
    return f"{n:,} lead{'' if n == 1 else 's'}"


def _launch(desired: Mapping[str, Any], live: Mapping[str, Any], recipients: int) -> Action:
    missing = []
    if recipients <= 0:
        missing.append("leads")
    for key in ("inboxes", "variants"):
        if not desired.get(key, live.get(key)):
            missing.append(key)
    action = Action(
        ActionKind.LAUNCH, summary=f"launch: start sending to {_leads_count(recipients)}"
    )
    if not missing:
        return action
    return action.block(
        f"launch would not start: missing {', '.join(missing)}",
        "ColdSend launches only with at least one lead, inbox and variant: add "
        + ", ".join(f"`{m}:`" for m in missing),
    )
