"""ColdSend payloads: each type's JSON is the shape saved plans have always had, and reads back."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.plan.payload import Payload
from reconciler.plan.values import Action, ActionKind
from reconciler.providers.coldsend.payloads import (
    PAYLOADS,
    CampaignSettings,
    LeadsUpload,
    NewCampaign,
)
from tests.support.payloads import written_and_read

CASES = [
    (
        ActionKind.CREATE,
        NewCampaign({"name": "Q1", "timezone": "UTC"}, {"inbox_ids": ["i1"]}),
        {"create": {"name": "Q1", "timezone": "UTC"}, "configure": {"inbox_ids": ["i1"]}},
    ),
    (
        ActionKind.CREATE,
        NewCampaign({"name": "Q1"}, {}),
        {"create": {"name": "Q1"}, "configure": {}},
    ),
    (
        ActionKind.UPDATE,
        CampaignSettings({"timezone": "Europe/Berlin"}),
        {"timezone": "Europe/Berlin"},
    ),
    (
        ActionKind.UPLOAD_LEADS,
        LeadsUpload(["email", "first_name"], [["a@x.example", "A"], ["b@x.example", ""]]),
        {"columns": ["email", "first_name"], "rows": [["a@x.example", "A"], ["b@x.example", ""]]},
    ),
]


@pytest.mark.parametrize(("kind", "payload", "shape"), CASES)
def test_payload_round_trip(kind: ActionKind, payload: Payload, shape: dict[str, Any]) -> None:
    assert written_and_read(kind, payload, PAYLOADS) == (shape, Action(kind, payload=payload))


def test_only_the_kinds_that_send_a_body_carry_one() -> None:
    assert set(PAYLOADS) == {ActionKind.CREATE, ActionKind.UPDATE, ActionKind.UPLOAD_LEADS}
