"""easymail payloads: each type's JSON is the shape saved plans have always had, and reads back."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.plan.payload import Payload
from reconciler.plan.values import Action, ActionKind
from reconciler.providers.easymail.payloads import PAYLOADS, CampaignPatch, NewCampaign, Schedule
from tests.support.payloads import written_and_read

CASES = [
    (
        ActionKind.CREATE,
        NewCampaign({"name": "News", "subject": "Hi", "list_uuid": "u1"}),
        {"body": {"name": "News", "subject": "Hi", "list_uuid": "u1"}},
    ),
    (
        ActionKind.UPDATE,
        CampaignPatch({"subject": "New", "preheader": None}),
        {"subject": "New", "preheader": None},
    ),
    (
        ActionKind.OVERWRITE_CONTENT,
        CampaignPatch({"content": "# Hi\n", "overwrite": True}),
        {"content": "# Hi\n", "overwrite": True},
    ),
    (
        ActionKind.SCHEDULE,
        Schedule("2030-01-02T09:00:00Z"),
        {"scheduled_at": "2030-01-02T09:00:00Z"},
    ),
]


@pytest.mark.parametrize(("kind", "payload", "shape"), CASES)
def test_payload_round_trip(kind: ActionKind, payload: Payload, shape: dict[str, Any]) -> None:
    assert written_and_read(kind, payload, PAYLOADS) == (shape, Action(kind, payload=payload))


def test_transitions_without_a_body_carry_none() -> None:
    for kind in (ActionKind.SEND, ActionKind.UNSCHEDULE, ActionKind.CANCEL, ActionKind.DELETE):
        assert kind not in PAYLOADS
