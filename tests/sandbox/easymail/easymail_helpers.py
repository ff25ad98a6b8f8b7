"""Shared constants and helpers of the easymail emulator tests (no tests here).

Test modules import it by name: pytest puts this folder on ``sys.path``.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

API = "/easymail/api/v1"
IDENTITY = "22222222-2222-4222-8222-000000000001"
LIST = "22222222-2222-4222-8222-000000000011"
SEGMENT = "22222222-2222-4222-8222-000000000021"
READY = {
    "name": "Launch",
    "subject": "Hello",
    "from_name": "Brand",
    "from_identity": IDENTITY,
    "list_uuid": LIST,
    "content": "# Hi",
}


def create_uuid(client: TestClient, **fields: Any) -> str:
    """A new campaign's uuid: ``READY`` with ``fields`` over it."""
    response = client.post(f"{API}/campaigns", json={**READY, **fields})
    assert response.status_code == 201, response.text
    uuid: str = response.json()["data"]["uuid"]
    return uuid
