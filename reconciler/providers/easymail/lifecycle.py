"""easymail lifecycle: the step (if any) from the live status to the YAML's ``state``.

Statuses: ``draft, scheduled, queued, sending, sent, failed, canceled`` (shared/api/easymail.md).
The moves camp makes, one per plan, each only because the YAML asks for it:

- ``scheduled``: schedule a draft/failed campaign, or reschedule a scheduled one whose time
  changed; a ``scheduled_at`` already past is blocked here rather than refused by the vendor.
- ``draft``: unschedule a scheduled campaign (a failed one is left as it is, with a warning).
- ``sent``: send now (irreversible); once live is queued/sending/sent it is satisfied.
- ``canceled``: cancel a queued or sending campaign.

Everything else is a state the vendor cannot reach from live: a blocked action with a hint,
never a detour (camp does not unschedule on its own to delete, or cancel to go back to draft).
A schedule or send is checked for readiness first, from the YAML's values where it sets them
and the vendor's ``readiness.missing`` for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.plan.values import Action, ActionKind
from reconciler.providers.easymail.payloads import Schedule
from reconciler.providers.easymail.views import AUDIENCE_KEYS

GONE_OUT = ("queued", "sending", "sent")
SENDABLE = ("draft", "failed", "scheduled")
DELETABLE = ("draft", "sent", "failed", "canceled")
CANCELABLE = ("queued", "sending")
NEW = "new"  # the status of a campaign this plan creates (a draft once created)

# Readiness gap (vendor name) → the YAML keys that fill it.
REQUIREMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("from_name", ("from_name",)),
    ("sender_email", ("from_identity",)),
    ("subject", ("subject",)),
    ("content", ("content",)),
    ("audience", AUDIENCE_KEYS),
)
_YAML_NAME = {"sender_email": "from_identity"}


@dataclass(frozen=True)
class Situation:
    """What the lifecycle decision needs: desired state and view, live status and view."""

    state: str | None
    scheduled_at: str | None  # desired, normalised
    status: str  # live status, or NEW
    desired: Mapping[str, Any]
    live: Mapping[str, Any]  # live view ({} for a new campaign)
    audience: int
    now: str  # "YYYY-MM-DDTHH:MM:SSZ", "" when unknown


def lifecycle_actions(s: Situation) -> tuple[list[Action], list[str]]:
    """The lifecycle actions (at most one) and warnings for one campaign."""
    state, status = s.state, s.status
    if state is None:
        return [], []
    if state == "draft":
        return _to_draft(status)
    if state == "scheduled":
        return _to_scheduled(s), []
    if state == "sent":
        return _to_sent(s), []
    return _to_canceled(status)


def _shown(status: str) -> str:
    return "a new" if status == NEW else f"a {status}"


def _to_draft(status: str) -> tuple[list[Action], list[str]]:
    if status in ("draft", NEW):
        return [], []
    if status == "failed":
        return [], ["live status is failed (its last send did not go out); it stays editable"]
    if status == "scheduled":
        return [Action(ActionKind.UNSCHEDULE, summary="unschedule: back to draft")], []
    hint = (
        "use `state: canceled` to stop it, or `state: sent` to leave it be"
        if status in CANCELABLE
        else "a campaign that went out or was canceled is done: create a new campaign instead"
    )
    action = Action(ActionKind.UNSCHEDULE, summary="state: draft")
    return [action.block(f"easymail cannot take {_shown(status)} campaign back to draft", hint)], []


def _to_scheduled(s: Situation) -> list[Action]:
    at, status = s.scheduled_at, s.status
    if status == "scheduled" and s.live.get("scheduled_at") == at:
        return []
    if status in GONE_OUT and s.live.get("scheduled_at") == at:
        return []  # it went out at the time the YAML asked for
    action = Action(ActionKind.SCHEDULE, payload=Schedule(at), summary=_when(s))
    if status not in (*SENDABLE, NEW):
        hint = (
            "a canceled campaign cannot be scheduled again: create a new campaign"
            if status == "canceled"
            else "it has gone out already: set `state: sent`, or create a new campaign"
        )
        return [action.block(f"easymail cannot schedule {_shown(status)} campaign", hint)]
    return [_ready(s, _in_future(s, action), "schedule")]


def _when(s: Situation) -> str:
    old = s.live.get("scheduled_at") if s.status == "scheduled" else None
    if old:
        return f"reschedule: {old} → {s.scheduled_at}"
    return f"schedule: send at {s.scheduled_at} to {_contacts(s.audience)}"


def _in_future(s: Situation, action: Action) -> Action:
    if not s.now or (s.scheduled_at or "") > s.now:
        return action
    return action.block(
        f"scheduled_at {s.scheduled_at} is in the past (now {s.now})",
        "set a future scheduled_at, or `state: sent` to send now",
    )


def _to_sent(s: Situation) -> list[Action]:
    status = s.status
    if status in GONE_OUT:
        return []  # a sent campaign is done
    action = Action(ActionKind.SEND, summary=f"send now to {_contacts(s.audience)}")
    if status == "canceled":
        hint = "a canceled campaign cannot be sent: create a new campaign"
        return [action.block("easymail cannot send a canceled campaign", hint)]
    return [_ready(s, action, "send")]


def _to_canceled(status: str) -> tuple[list[Action], list[str]]:
    if status == "canceled":
        return [], []
    action = Action(ActionKind.CANCEL, summary="cancel sending")
    if status in CANCELABLE:
        return [action], []
    if status == "sent":
        reason, hint = "the campaign was sent already: nothing left to cancel", "use `state: sent`"
    elif status == "scheduled":
        reason = "only a queued or sending campaign can be canceled (live: scheduled)"
        hint = "use `state: draft` to unschedule it"
    else:
        reason = f"only a queued or sending campaign can be canceled (live: {_status(status)})"
        hint = "a draft sends nothing: use `state: draft`, or `state: absent` to delete it"
    return [action.block(reason, hint)], []


def _status(status: str) -> str:
    return "not created yet" if status == NEW else status


def missing_requirements(s: Situation) -> list[str]:
    """Readiness gaps after this plan, by YAML key (``from_identity``, not ``sender_email``)."""
    gaps = s.live.get("_missing", [r for r, _ in REQUIREMENTS]) if s.status != NEW else None
    out = []
    for requirement, keys in REQUIREMENTS:
        if gaps is not None and not any(
            k in s.desired and s.desired[k] != s.live.get(k) for k in keys
        ):
            met = requirement not in gaps  # the YAML leaves it as the vendor has it
        else:
            met = any(_filled(s.desired[k] if k in s.desired else s.live.get(k)) for k in keys)
        if not met:
            out.append(_YAML_NAME.get(requirement, requirement))
    return out


def _filled(value: Any) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _ready(s: Situation, action: Action, verb: str) -> Action:
    missing = missing_requirements(s)
    if not missing or action.blocked:
        return action
    return action.block(
        f"{verb} would be refused: the campaign is missing {', '.join(missing)}",
        "easymail sends only with from_name, from_identity, subject, content and an audience: "
        "add " + ", ".join(f"`{m}:`" for m in missing),
    )


def delete_action(status: str) -> Action:
    """Delete, or why easymail will not delete it in its live status."""
    action = Action(ActionKind.DELETE, summary="delete the campaign")
    if status in DELETABLE:
        return action
    hint = (
        "set `state: draft` first (unschedules it), apply, then `state: absent`"
        if status == "scheduled"
        else "set `state: canceled` first, or wait until it is sent"
    )
    reason = f"easymail deletes only draft, sent, failed or canceled campaigns (live: {status})"
    return action.block(reason, hint)


def _contacts(n: int) -> str:
    return f"{n:,} contact{'' if n == 1 else 's'}"
