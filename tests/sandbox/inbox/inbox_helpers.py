"""Shared fixture and helpers of the Inbox emulator tests (no tests here).

It lives beside the tests rather than in a conftest.py because the sandbox's conftest belongs to
the core; pytest puts this folder on ``sys.path``, so the test modules import it by name.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from reconciler.sandbox.app import build_app
from reconciler.sandbox.inbox import VENDOR

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx is what we ship
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

KEY = "inbox-test-key"
ROOT = "http://testserver"
LINK1, LINK2 = "acct0000000000000000000001", "acct0000000000000000000002"
LIST1, LIST2, LIST3 = (f"list000000000000000000000{n}" for n in (1, 2, 3))
ID = re.compile(r"^[0-9a-z]{24}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MESSAGE = {"type": "message", "data": {"segments": [{"type": "static", "text": "Hi"}]}}


@pytest.fixture
def api() -> Iterator[TestClient]:
    app = build_app(vendors=[VENDOR], api_key=KEY, seed=True)
    headers = {"Authorization": f"Bearer {KEY}"}
    with TestClient(app, base_url=f"{ROOT}/inbox/api/v1", headers=headers) as client:
        yield client


def tick(api: TestClient, seconds: float) -> None:
    assert api.post(f"{ROOT}/_sandbox/clock", json={"advance_seconds": seconds}).status_code == 200


def create(api: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Q1 outreach", "accountLinkIds": [LINK1], **fields}
    response = api.post("/campaigns/v2", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def assert_422(response: Any, path: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["status"]) == ("VALIDATION_ERROR", 422)
    assert path in [detail["path"] for detail in error["details"]], error


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["status"] == status


def completed_campaign(api: TestClient) -> dict[str, Any]:
    """A campaign that ran to the end: 300 leads at 8/h in weekday office hours, ~1 week."""
    campaign = create(api, rules={"syncedListIds": [LIST2]})
    assert api.put(f"/campaigns/v2/{campaign['id']}/sequence", json={"steps": [MESSAGE]}).is_success
    assert api.post(f"/campaigns/v2/{campaign['id']}/enable").status_code == 200
    tick(api, 30 * 86400)
    done = api.get(f"/campaigns/v2/{campaign['id']}").json()
    assert done["status"] == "completed", done
    return dict(done)
