"""Inbox payloads: each type's JSON is the shape saved plans have always had, and reads back."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.plan.payload import Payload
from reconciler.plan.values import Action, ActionKind
from reconciler.providers.inbox.payloads import PAYLOADS, NewCampaign, Settings
from tests.support.payloads import written_and_read

STEP = {"type": "message", "data": {"segments": [{"type": "static", "text": "Hi"}]}}
CASES = [
    (
        ActionKind.CREATE,
        NewCampaign({"name": "DM", "accountLinkIds": ["a1"]}, {"messagesPerHour": 6}, [STEP]),
        {
            "create": {"name": "DM", "accountLinkIds": ["a1"]},
            "patch": {"messagesPerHour": 6},
            "sequence": [STEP],
        },
    ),
    (
        ActionKind.CREATE,
        NewCampaign({"name": "DM"}, {}, None),
        {"create": {"name": "DM"}, "patch": {}, "sequence": None},
    ),
    (
        ActionKind.UPDATE,
        Settings({"messagesPerHour": 8}, {"syncedListIds": ["l1"]}, [STEP]),
        {"patch": {"messagesPerHour": 8}, "rules": {"syncedListIds": ["l1"]}, "sequence": [STEP]},
    ),
    (ActionKind.UPDATE, Settings(sequence=[]), {"patch": {}, "rules": {}, "sequence": []}),
]


@pytest.mark.parametrize(("kind", "payload", "shape"), CASES)
def test_payload_round_trip(kind: ActionKind, payload: Payload, shape: dict[str, Any]) -> None:
    assert written_and_read(kind, payload, PAYLOADS) == (shape, Action(kind, payload=payload))


@pytest.mark.parametrize(
    ("settings", "requests"),
    [(Settings(), 0), (Settings(sequence=[]), 1), (Settings({"a": 1}, {"b": 2}, [STEP]), 3)],
)
def test_settings_count_the_requests_they_make(settings: Settings, requests: int) -> None:
    assert settings.requests() == requests


def test_a_new_campaign_sends_its_rules_with_the_create() -> None:
    new = NewCampaign({"name": "DM", "rules": {"excludeContacted": True}}, {"a": 1}, None)
    assert new.settings == Settings(patch={"a": 1})
