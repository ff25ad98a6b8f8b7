"""ColdSend lead uploads, upload jobs and lead listing against shared/api/coldsend.md."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from coldsend_helpers import CSV, TestClient, create, detail, launched, messages, upload

from reconciler.sandbox.coldsend import leads as coldsend_leads

JOB_KEYS = {
    "job_id", "campaign_id", "status", "progress_percentage", "processed_count", "success_count",
    "duplicate_count", "error_count", "total_count", "errors", "started_at", "completed_at",
}  # fmt: skip
LEAD_KEYS = {
    "lead_id", "email", "first_name", "last_name", "company", "job_title", "custom_fields",
    "status", "created_at",
}  # fmt: skip


def _post(cold: TestClient, campaign_id: str, content: bytes, **data: str) -> Any:
    files = {"file": ("leads.csv", content, "text/csv")}
    return cold.post(f"/campaigns/{campaign_id}/leads", files=files, data=data)


def test_upload_answers_202_pending_then_completes_by_polling(cold: TestClient) -> None:
    campaign_id = create(cold)
    response = _post(cold, campaign_id, CSV.encode())
    assert response.status_code == 202
    assert set(response.json()) == {"success", "job_id", "status"}
    assert response.json()["status"] == "PENDING"
    job_url = f"/campaigns/{campaign_id}/leads/upload/{response.json()['job_id']}"
    seen = set()
    for _ in range(50):
        job = cold.get(job_url).json()
        seen.add(job["status"])
        if job["status"] == "COMPLETED":
            break
        time.sleep(0.05)
    assert set(job) == JOB_KEYS and job["status"] == "COMPLETED"
    assert seen >= {"COMPLETED"} and seen - {"COMPLETED"} <= {
        "PENDING",
        "VALIDATING",
        "IN_PROGRESS",
    }
    assert (job["success_count"], job["total_count"], job["progress_percentage"]) == (2, 2, 100)
    assert job["completed_at"] is not None and job["started_at"] is not None


def test_job_is_pending_before_any_sandbox_time_passes(cold: TestClient) -> None:
    campaign_id = create(cold)
    job_id = _post(cold, campaign_id, CSV.encode()).json()["job_id"]
    job = cold.get(f"/campaigns/{campaign_id}/leads/upload/{job_id}").json()
    assert job["status"] in {"PENDING", "VALIDATING", "IN_PROGRESS"}
    assert job["completed_at"] is None and job["success_count"] == 0


def test_leads_carry_standard_and_custom_fields(cold: TestClient) -> None:
    campaign_id = create(cold)
    upload(cold, campaign_id)
    body = cold.get(f"/campaigns/{campaign_id}/leads").json()
    lead = body["leads"][0]
    assert set(lead) == LEAD_KEYS
    assert (lead["email"], lead["first_name"], lead["company"]) == ("ann@x.example", "Ann", "Acme")
    assert lead["last_name"] is None and lead["custom_fields"] == {"industry": "SaaS"}
    assert body["pagination"]["total"] == 2
    assert cold.get(f"/campaigns/{campaign_id}").json()["total_leads"] == 2


def test_duplicates_and_invalid_emails_are_counted(cold: TestClient) -> None:
    campaign_id = create(cold)
    upload(cold, campaign_id)
    rows = "Email,first_name\nANN@x.example,Ann\nnew@z.example,New\nNEW@z.example,Again\n"
    rows += "not-an-email,X\n,Y\n"
    job = upload(cold, campaign_id, rows)
    assert (job["success_count"], job["duplicate_count"], job["error_count"]) == (1, 2, 2)
    assert job["errors"] == [
        {"row": 5, "email": "not-an-email", "reason": "Invalid email format"},
        {"row": 6, "email": "", "reason": "Missing email"},
    ]
    assert cold.get(f"/campaigns/{campaign_id}").json()["total_leads"] == 3


def test_mapping_names_the_email_column(cold: TestClient) -> None:
    campaign_id = create(cold)
    rows = "E-Mail Address,Given\nann@x.example,Ann\n"
    mapping = json.dumps({"email": "E-Mail Address", "first_name": "Given"})
    job = upload(cold, campaign_id, rows, mapping=mapping)
    assert job["success_count"] == 1
    lead = cold.get(f"/campaigns/{campaign_id}/leads").json()["leads"][0]
    assert (lead["email"], lead["first_name"], lead["custom_fields"]) == (
        "ann@x.example",
        "Ann",
        {},
    )


@pytest.mark.parametrize(
    ("content", "data", "loc"),
    [
        (b"name,company\nAnn,Acme\n", {}, ("body", "file")),
        (b"mail\nann@x.example\n", {"mapping": "{not json"}, ("body", "mapping")),
        (b"mail\nann@x.example\n", {"mapping": '{"email": "Email"}'}, ("body", "mapping")),
        (b"\xff\xfe\x00bad", {}, ("body", "file")),
    ],
)
def test_upload_refusals_422(
    cold: TestClient, content: bytes, data: dict[str, str], loc: tuple[str, ...]
) -> None:
    [(found, _)] = messages(_post(cold, create(cold), content, **data))
    assert found == loc


def test_upload_without_a_file_part_is_422(cold: TestClient) -> None:
    response = cold.post(f"/campaigns/{create(cold)}/leads", data={"mapping": "{}"})
    assert messages(response) == [(("body", "file"), "field required")]


def test_too_many_rows_is_413(cold: TestClient) -> None:
    rows = "email\n" + "".join(f"lead{n}@x.example\n" for n in range(10_001))
    response = _post(cold, create(cold), rows.encode())
    assert response.status_code == 413 and isinstance(detail(response), str)


def test_exactly_ten_thousand_rows_is_accepted(cold: TestClient) -> None:
    rows = "email\n" + "".join(f"lead{n}@x.example\n" for n in range(10_000))
    assert _post(cold, create(cold), rows.encode()).status_code == 202


def test_too_large_a_file_is_413(cold: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coldsend_leads, "MAX_FILE_BYTES", 64)  # stands for the 50 MB limit
    response = _post(cold, create(cold), CSV.encode() * 2)
    assert response.status_code == 413 and "50 MB" in detail(response)


def test_completed_campaign_refuses_leads(cold: TestClient) -> None:
    campaign_id = launched(cold)
    cold.post("http://testserver/_sandbox/clock", json={"advance_seconds": 2 * 86_400})
    response = _post(cold, campaign_id, CSV.encode())
    assert response.status_code == 409 and "COMPLETED" in detail(response)


def test_leads_added_to_an_active_campaign_delay_completion(cold: TestClient) -> None:
    campaign_id = launched(cold)
    clock = "http://testserver/_sandbox/clock"
    cold.post(clock, json={"advance_seconds": 20 * 3600})
    upload(cold, campaign_id, "email\nlate@x.example\n")
    cold.post(clock, json={"advance_seconds": 20 * 3600})
    assert cold.get(f"/campaigns/{campaign_id}").json()["status"] == "ACTIVE"
    cold.post(clock, json={"advance_seconds": 5 * 3600})
    done = cold.get(f"/campaigns/{campaign_id}").json()
    assert (done["status"], done["total_leads"], done["sent_count"]) == ("COMPLETED", 3, 3)


def test_leads_pagination(cold: TestClient) -> None:
    campaign_id = create(cold)
    upload(cold, campaign_id, "email\n" + "".join(f"l{n}@x.example\n" for n in range(5)))
    page = cold.get(f"/campaigns/{campaign_id}/leads", params={"page": 2, "limit": 2}).json()
    assert [lead["email"] for lead in page["leads"]] == ["l2@x.example", "l3@x.example"]
    assert page["pagination"]["pages"] == 3
    assert cold.get(f"/campaigns/{campaign_id}/leads", params={"limit": 1001}).status_code == 422
    assert cold.get(f"/campaigns/{campaign_id}/leads", params={"limit": 1000}).status_code == 200


def test_unknown_job_and_campaign(cold: TestClient) -> None:
    campaign_id = create(cold)
    missing = cold.get(
        f"/campaigns/{campaign_id}/leads/upload/9b2f0f55-0000-4000-8000-000000000000"
    )
    assert missing.status_code == 404
    response = _post(cold, "9b2f0f55-0000-4000-8000-000000000000", CSV.encode())
    assert (response.status_code, detail(response)) == (404, "Campaign not found")
