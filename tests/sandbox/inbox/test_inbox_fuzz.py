"""Inbox emulator: arbitrary JSON bodies are answered in the contract's shapes, never with a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inbox_helpers import KEY, LINK1, LIST1, MESSAGE, ROOT, TestClient

from reconciler.sandbox.app import build_app
from reconciler.sandbox.inbox import VENDOR

SCALARS = st.none() | st.booleans() | st.integers(-5, 2000) | st.sampled_from(["", "x", LINK1])
KEYS = st.sampled_from(
    [
        *("name", "accountLinkIds", "rules", "timezone", "schedule", "messagesPerHour", "steps"),
        *("syncedListIds", "excludeContacted", "type", "data", "segments", "1", "start", "end"),
    ]
)
JSON_VALUES = st.recursive(
    SCALARS | st.just(LIST1) | st.just(MESSAGE),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
ENDPOINTS = [("POST", ""), ("PATCH", "/{id}"), ("PATCH", "/{id}/rules"), ("PUT", "/{id}/sequence")]


def _client() -> tuple[TestClient, str]:
    app = build_app(vendors=[VENDOR], api_key=KEY, seed=True)
    headers = {"Authorization": f"Bearer {KEY}"}
    client = TestClient(app, base_url=f"{ROOT}/inbox/api/v1", headers=headers)
    created = client.post("/campaigns/v2", json={"name": "fuzz", "accountLinkIds": [LINK1]})
    return client, created.json()["id"]


CLIENT, CAMPAIGN = _client()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(ENDPOINTS), body=JSON_VALUES)
def test_any_body_is_accepted_or_a_validation_error(endpoint: tuple[str, str], body: Any) -> None:
    method, suffix = endpoint
    response = CLIENT.request(method, "/campaigns/v2" + suffix.format(id=CAMPAIGN), json=body)
    assert response.status_code in (200, 201, 409, 422), response.text
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code
        assert response.status_code != 422 or error["details"]
