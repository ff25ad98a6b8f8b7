"""Shared constants and helpers of the ColdSend and core tests (no tests here).

Test modules import it by name: pytest puts this folder on ``sys.path``.
"""

from __future__ import annotations

import warnings
from typing import Any

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx is what we ship
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

KEY = "cold-key"
ROOT = "http://testserver"
ADMIN = f"{ROOT}/_sandbox"
INBOX1 = "11111111-1111-4111-8111-000000000001"
INBOX2 = "11111111-1111-4111-8111-000000000002"
VARIANT = {
    "variant_name": "a",
    "subject_template": "Quick question about {{company}}",
    "email_content": "Hi {{first_name}}, I noticed {{company}} is expanding.",
    "distribution_percent": 100,
}
STEP = {"step_number": 2, "trigger_type": "NOT_REPLIED", "wait_days": 3, "variants": [VARIANT]}
CSV = (
    "email,first_name,Company,industry\n"
    "ann@x.example,Ann,Acme,SaaS\n"
    "bob@y.example,Bob,Beta,Retail\n"
)


def create(cold: TestClient, name: str = "Product launch outreach", **fields: Any) -> str:
    """A new DRAFT campaign's id."""
    response = cold.post("/campaigns", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["campaign_id"])


def upload(cold: TestClient, campaign_id: str, csv_text: str = CSV, **parts: str) -> Any:
    """Upload a CSV and wait (sandbox time) until the job finished; the job status object."""
    files: dict[str, Any] = {"file": ("leads.csv", csv_text.encode(), "text/csv")}
    response = cold.post(f"/campaigns/{campaign_id}/leads", files=files, data=parts)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    advance(cold, 1)
    return cold.get(f"/campaigns/{campaign_id}/leads/upload/{job_id}").json()


def advance(cold: TestClient, seconds: float) -> None:
    assert cold.post(f"{ADMIN}/clock", json={"advance_seconds": seconds}).status_code == 200


def ready(cold: TestClient, **fields: Any) -> str:
    """A DRAFT campaign with leads, an inbox and a variant: launchable."""
    campaign_id = create(cold, **fields)
    upload(cold, campaign_id)
    body = {"inbox_ids": [INBOX1], "variants": [VARIANT]}
    assert cold.put(f"/campaigns/{campaign_id}", json=body).status_code == 200
    return campaign_id


def launched(cold: TestClient, **fields: Any) -> str:
    campaign_id = ready(cold, **fields)
    response = cold.put(f"/campaigns/{campaign_id}", json={"launch": True})
    assert response.json()["status"] == "ACTIVE", response.text
    return campaign_id


def detail(response: Any) -> Any:
    return response.json()["detail"]


def messages(response: Any) -> list[tuple[tuple[Any, ...], str]]:
    """The 422 detail as (loc, msg) pairs."""
    assert response.status_code == 422, response.text
    return [(tuple(item["loc"]), item["msg"]) for item in detail(response)]
