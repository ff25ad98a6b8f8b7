"""Bad JSON never reaches a 500: each vendor answers its own 422, the admin endpoints theirs.

A body nested a thousand levels deep once made ``json.loads`` raise ``RecursionError`` in every
vendor; the sandbox now refuses nesting beyond ``jsonbody.MAX_DEPTH`` as undecodable JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from coldsend_helpers import KEY, ROOT, TestClient

from reconciler.sandbox import jsonbody
from reconciler.sandbox.app import build_app

COLD = "/coldsend/api/public/v1"
EASY = "/easymail/api/v1"
INBOX = "/inbox/api/v1"
HEADERS = {"X-API-Key": KEY, "Authorization": f"Bearer {KEY}"}


def nested(depth: int) -> bytes:
    """``{"a":{"a":…1…}}``, ``depth`` objects deep."""
    return b'{"a":' * depth + b"1" + b"}" * depth


def listed(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.fixture
def everyone() -> Iterator[TestClient]:
    with TestClient(build_app(api_key=KEY), base_url=ROOT, headers=HEADERS) as client:
        yield client


def _post(client: TestClient, method: str, path: str, body: bytes) -> Any:
    headers = {"Content-Type": "application/json"}
    return client.request(method, path, content=body, headers=headers)


def _campaign_paths(client: TestClient) -> dict[str, str]:
    """One campaign per vendor, so that every body-reading endpoint can be reached."""
    cold = client.post(f"{COLD}/campaigns", json={"name": "Product launch outreach"})
    easy = client.post(f"{EASY}/campaigns", json={"name": "n"})
    body = {"name": "n", "accountLinkIds": ["acct0000000000000000000001"]}
    inbox = client.post(f"{INBOX}/campaigns/v2", json=body)
    return {
        "cold": f"{COLD}/campaigns/{cold.json()['campaign_id']}",
        "easy": f"{EASY}/campaigns/{easy.json()['data']['uuid']}",
        "inbox": f"{INBOX}/campaigns/v2/{inbox.json()['id']}",
    }


def _shape(vendor: str, response: Any) -> None:
    """The vendor's own answer for a body that is not JSON."""
    assert response.status_code == 422, response.text
    body = response.json()
    if vendor == "cold":
        assert body["detail"][0]["type"] == "value_error.jsondecode"
    elif vendor == "easy":
        assert body["error"]["code"] == "VALIDATION_ERROR"
        assert "body" in body["error"]["details"]
    else:
        assert body["error"]["code"] == "VALIDATION_ERROR"
        assert body["error"]["details"][0]["path"] == "body"


ENDPOINTS = [
    ("cold", "POST", "/campaigns"),
    ("cold", "PUT", "{cold}"),
    ("easy", "POST", "/campaigns"),
    ("easy", "PATCH", "{easy}"),
    ("easy", "POST", "{easy}/schedule"),
    ("easy", "POST", "{easy}/test"),
    ("inbox", "POST", "/campaigns/v2"),
    ("inbox", "PATCH", "{inbox}"),
    ("inbox", "PATCH", "{inbox}/rules"),
    ("inbox", "PUT", "{inbox}/sequence"),
]
MOUNTS = {"cold": COLD, "easy": EASY, "inbox": INBOX}


@pytest.mark.parametrize(("vendor", "method", "path"), ENDPOINTS)
@pytest.mark.parametrize("body", [nested(1000), listed(1000), nested(100_000)])
def test_deep_nesting_is_each_vendors_422(
    everyone: TestClient, vendor: str, method: str, path: str, body: bytes
) -> None:
    paths = _campaign_paths(everyone)
    url = path.format(**paths) if "{" in path else MOUNTS[vendor] + path
    _shape(vendor, _post(everyone, method, url, body))


@pytest.mark.parametrize("path", ["/_sandbox/clock", "/_sandbox/faults"])
def test_deep_nesting_is_the_admin_422(everyone: TestClient, path: str) -> None:
    response = _post(everyone, "POST", path, nested(1000))
    assert response.status_code == 422
    assert response.json() == {"detail": [response.json()["detail"][0]]}


def test_nesting_up_to_the_limit_is_ordinary_json(everyone: TestClient) -> None:
    extra = nested(jsonbody.MAX_DEPTH - 1)
    deepest = b'{"name": "Product launch outreach", "extra": ' + extra + b"}"
    response = _post(everyone, "POST", f"{COLD}/campaigns", deepest)
    assert response.status_code == 201, response.text  # unknown keys are ignored by ColdSend


def test_the_measure_skips_brackets_in_strings() -> None:
    text = b'{"a": "' + b"[{" * 500 + b'"}'
    assert jsonbody.loads(text) == {"a": "[{" * 500}
    with pytest.raises(ValueError, match="Nesting deeper than"):
        jsonbody.loads(nested(jsonbody.MAX_DEPTH + 1))
    assert jsonbody.loads(nested(jsonbody.MAX_DEPTH)) is not None
