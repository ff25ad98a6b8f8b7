"""ColdSend lead uploads: a multipart CSV becomes a job, and a completed job becomes leads.

The job's timeline on the sandbox clock is in ``progress``. Error rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import uuid
from datetime import datetime
from email import policy
from email.parser import BytesParser
from typing import Any

from reconciler.sandbox.coldsend.validate import Errors
from reconciler.sandbox.store import iso_z

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000
STANDARD = ("email", "first_name", "last_name", "company", "job_title")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class UploadError(Exception):
    """An upload refused before a job exists: ``status`` with a ``detail`` string or 422 list."""

    def __init__(self, status: int, detail: str | Errors) -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail


def form_parts(content_type: str, body: bytes) -> dict[str, bytes]:
    """The named parts of a ``multipart/form-data`` body (stdlib only: no python-multipart)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return {}
    parts: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str):
            parts[name] = payload if isinstance(payload, bytes) else b""
    return parts


def _field_error(field: str, msg: str, kind: str = "value_error") -> UploadError:
    errors = Errors()
    errors.add(("body", field), msg, kind)
    return UploadError(422, errors)


def parse_mapping(raw: bytes | None) -> dict[str, str]:
    """The optional ``mapping`` part: a JSON object of lead field → CSV header."""
    if raw is None or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _field_error("mapping", "mapping must be a JSON object of lead field to CSV header")
    return {str(k): v for k, v in value.items()}


def read_csv(data: bytes, mapping: dict[str, str]) -> list[dict[str, Any]]:
    """Candidate leads (with their row numbers) from the file, or an UploadError (413/422)."""
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(413, "File too large: the maximum CSV size is 50 MB")
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise _field_error("file", "file must be a UTF-8 encoded CSV") from None
    header = [cell.strip() for cell in rows[0]] if rows else []
    columns = _columns(header, mapping)
    body = [
        (number, row) for number, row in enumerate(rows[1:], start=2) if any(map(str.strip, row))
    ]
    if len(body) > MAX_ROWS:
        raise UploadError(413, f"Too many rows: at most {MAX_ROWS:,} leads per upload")
    return [_candidate(number, row, columns) for number, row in body]


def _columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Lead field (standard or custom) → column index; the email column is required."""
    missing = [h for h in mapping.values() if h not in header]
    if missing:
        raise _field_error("mapping", f"mapping refers to a missing CSV column: {missing[0]}")
    mapped = {field: header.index(column) for field, column in mapping.items()}
    lowered = {h.lower(): i for i, h in enumerate(header)}
    for field in STANDARD:
        if field not in mapped and field in lowered:
            mapped[field] = lowered[field]
    if "email" not in mapped:
        raise _field_error("file", "CSV file has no email column")
    used = set(mapped.values())
    mapped.update({h: i for i, h in enumerate(header) if i not in used and h})
    return mapped


def _candidate(number: int, row: list[str], columns: dict[str, int]) -> dict[str, Any]:
    values = {field: (row[i].strip() if i < len(row) else "") for field, i in columns.items()}
    custom = {k: v for k, v in values.items() if k not in STANDARD}
    lead = {field: values.get(field) or None for field in STANDARD}
    return {"row": number, **lead, "email": values["email"], "custom_fields": custom}


def create_job(
    db: sqlite3.Connection, campaign_id: str, rows: list[dict[str, Any]], now: datetime
) -> str:
    job_id = str(uuid.uuid4())
    job: dict[str, Any] = {
        "job_id": job_id,
        "campaign_id": campaign_id,
        "created": now.isoformat(),
        "rows": rows,
    }
    job.update(status="PENDING", started_at=None, completed_at=None, errors=[])
    job.update(success_count=0, duplicate_count=0, error_count=0)
    save_job(db, job, done=False)
    return job_id


def save_job(db: sqlite3.Connection, job: dict[str, Any], *, done: bool) -> None:
    db.execute(
        "INSERT OR REPLACE INTO cs_jobs (job_id, campaign_id, done, data) VALUES (?, ?, ?, ?)",
        (job["job_id"], job["campaign_id"], int(done), json.dumps(job)),
    )


def load_job(db: sqlite3.Connection, campaign_id: str, job_id: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT data FROM cs_jobs WHERE job_id = ? AND campaign_id = ?", (job_id, campaign_id)
    ).fetchone()
    return None if row is None else dict(json.loads(row["data"]))


def job_view(job: dict[str, Any]) -> dict[str, Any]:
    """The upload status object of the contract."""
    status, total = job["status"], len(job["rows"]) if "rows" in job else job["total_count"]
    progress = {"PENDING": 0, "VALIDATING": 10, "IN_PROGRESS": 50}.get(status, 100)
    processed = total if progress == 100 else total * progress // 100
    view = {key: job[key] for key in ("job_id", "campaign_id", "status")}
    view.update(progress_percentage=progress, processed_count=processed)
    view.update({key: job[key] for key in ("success_count", "duplicate_count", "error_count")})
    view.update(total_count=total, errors=job["errors"])
    view.update(started_at=job["started_at"], completed_at=job["completed_at"])
    return view


def import_rows(
    db: sqlite3.Connection,
    job: dict[str, Any],
    campaign: dict[str, Any],
    rows: list[dict[str, Any]],
    now: datetime,
) -> None:
    """A completed job's rows become leads (or errors, or duplicates) of ``campaign``."""
    seen = _existing_emails(db, campaign["campaign_id"])
    for candidate in rows:
        _import_row(db, job, campaign, candidate, seen, now)
    campaign["total_leads"] += job["success_count"]


def _existing_emails(db: sqlite3.Connection, campaign_id: str) -> set[str]:
    rows = db.execute("SELECT email_key FROM cs_leads WHERE campaign_id = ?", (campaign_id,))
    return {row["email_key"] for row in rows.fetchall()}


def _import_row(
    db: sqlite3.Connection,
    job: dict[str, Any],
    campaign: dict[str, Any],
    candidate: dict[str, Any],
    seen: set[str],
    now: datetime,
) -> None:
    email, key = candidate["email"], candidate["email"].lower()
    if not _EMAIL.fullmatch(email):
        reason = "Missing email" if not email else "Invalid email format"
        job["errors"].append({"row": candidate["row"], "email": email, "reason": reason})
        job["error_count"] += 1
    elif key in seen:
        job["duplicate_count"] += 1
    else:
        seen.add(key)
        job["success_count"] += 1
        lead = {"lead_id": str(uuid.uuid4()), **{f: candidate[f] for f in STANDARD}}
        lead.update(
            custom_fields=candidate["custom_fields"], status="ACTIVE", created_at=iso_z(now)
        )
        db.execute(
            "INSERT INTO cs_leads (campaign_id, email_key, data) VALUES (?, ?, ?)",
            (campaign["campaign_id"], key, json.dumps(lead)),
        )


def list_leads(db: sqlite3.Connection, campaign_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT data FROM cs_leads WHERE campaign_id = ? ORDER BY seq", (campaign_id,)
    )
    return [json.loads(row["data"]) for row in rows.fetchall()]
