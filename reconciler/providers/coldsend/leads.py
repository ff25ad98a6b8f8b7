"""ColdSend leads: only ever added, by email (case-insensitive), in vendor-sized chunks.

Planning compares the CSV with the live leads and uploads only the new ones; live leads missing
from the CSV are a warning, never a delete (the API cannot delete leads anyway). Applying
uploads chunks of at most 10,000 rows and polls each job until it is COMPLETED or FAILED.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.providers.coldsend.leads_csv import LeadsFile, iter_lead_chunks, to_csv_bytes
from reconciler.providers.coldsend.payloads import LeadsUpload
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import ProviderError
from reconciler.providers.progress import Phase, plural

LEADS_PAGE = 1000
POLL_FIRST, POLL_MAX, POLL_TIMEOUT = 0.1, 2.0, 900.0
DONE = ("COMPLETED", "FAILED")


@dataclass(frozen=True)
class LeadsDelta:
    """What an upload would add: new rows (as lists in column order) and counts for the plan."""

    columns: list[str]
    rows: list[list[str]]
    present: int
    live_only: int


def leads_delta(leads: LeadsFile, live_emails: set[str]) -> LeadsDelta:
    """New rows are the CSV's leads whose email (lower-cased) is not live yet."""
    columns = leads.columns
    rows, present, wanted = [], 0, set()
    for email, row in zip(leads.emails, leads.rows, strict=True):
        key = email.lower()
        wanted.add(key)
        if key in live_emails:
            present += 1
        else:
            rows.append([row.get(c, "") for c in columns])
    live_only = len(live_emails - wanted)
    return LeadsDelta(columns, rows, present, live_only)


async def live_lead_emails(api: ApiClient, campaign_id: str) -> set[str]:
    """Every live lead's email, lower-cased."""
    path = f"/campaigns/{campaign_id}/leads"
    emails: set[str] = set()
    page = 1
    while True:
        body = await api.get_json(path, params={"page": page, "limit": LEADS_PAGE})
        leads = body.get("leads") or []
        emails.update(str(lead.get("email", "")).lower() for lead in leads)
        if not (body.get("pagination") or {}).get("has_next") or not leads:
            return emails
        page += 1


@dataclass
class UploadReport:
    uploaded: int = 0
    added: int = 0
    duplicates: int = 0
    errors: int = 0

    def line(self) -> str:
        return (
            f"uploaded {plural(self.uploaded, 'lead')}: {self.added:,} added, "
            f"{self.duplicates:,} duplicates skipped, {self.errors:,} rejected"
        )


async def upload_leads(
    api: ApiClient, campaign_id: str, upload: LeadsUpload, *, label: str = ""
) -> UploadReport:
    """Upload the planned rows chunk by chunk, waiting for each job to finish; the rows done
    are reported as progress under ``label`` (the campaign)."""
    columns = list(upload.columns)
    rows = [dict(zip(columns, r, strict=False)) for r in upload.rows]
    report = UploadReport()
    label = label or f"{api.account}: campaign {campaign_id}"
    phase = Phase(
        f"upload {api.account} {campaign_id}",
        f"{label}: uploading",
        total=len(rows),
        unit="leads",
    )
    for chunk in iter_lead_chunks(rows):
        job = await _start_job(api, campaign_id, columns, chunk)
        final = await _wait_for(api, campaign_id, job)
        report.uploaded += len(chunk)
        report.added += int(final.get("success_count") or 0)
        report.duplicates += int(final.get("duplicate_count") or 0)
        report.errors += int(final.get("error_count") or 0)
        phase.step(len(chunk))
    phase.finish(f"{label}: {report.line()} in {phase.elapsed}")
    return report


async def _start_job(
    api: ApiClient, campaign_id: str, columns: Sequence[str], chunk: list[dict[str, str]]
) -> str:
    path = f"/campaigns/{campaign_id}/leads"
    email_column = next(c for c in columns if c.lower() == "email")
    files = {"file": ("leads.csv", to_csv_bytes(columns, chunk), "text/csv")}
    data = {"mapping": json.dumps({"email": email_column})} if email_column != "email" else None
    # Re-sending a chunk is safe: the vendor skips emails already in the campaign.
    response = await api.request("POST", path, files=files, data=data, idempotent=True)
    return str(response.json()["job_id"])


async def _wait_for(api: ApiClient, campaign_id: str, job_id: str) -> Mapping[str, Any]:
    path = f"/campaigns/{campaign_id}/leads/upload/{job_id}"
    delay, waited = POLL_FIRST, 0.0
    while True:
        job = await api.get_json(path)
        if job.get("status") == "COMPLETED":
            return job  # type: ignore[no-any-return]
        if job.get("status") == "FAILED" or waited > POLL_TIMEOUT:
            reason = "failed" if job.get("status") == "FAILED" else "did not finish in time"
            detail = job.get("errors") or "no detail"
            raise ProviderError(
                f"coldsend: leads upload job {job_id} {reason} ({detail})",
                vendor="coldsend",
                method="GET",
                path=path,
            )
        await asyncio.sleep(delay)
        waited += delay
        delay = min(delay * 2, POLL_MAX)
