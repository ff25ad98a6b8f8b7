"""Saved plans (``camp plan --out FILE``): what was reviewed is exactly what gets applied.

The file is JSON: the plan (with each action's wire payload), the fingerprint of every live
object it was computed from, its creation time and a SHA-256 checksum over all of it. It never
holds a secret: accounts are named by key, keys stay in the environment.

``apply FILE`` refuses (exit 3, nothing written) a file whose checksum does not match (altered
or corrupted), that is older than ``max_age``, or whose campaigns moved since (see ``stale``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reconciler import __version__
from reconciler.plan.values import CampaignPlan, Plan, PlanScope
from reconciler.providers.registry import vendor_for_kind

FORMAT = "camp-plan"
VERSION = 1
DEFAULT_MAX_AGE = timedelta(hours=24)


class PlanFileError(Exception):
    """The file is not a camp plan at all (exit 1)."""


class PlanRefused(Exception):
    """The plan file is a camp plan but must not be applied (exit 3)."""


@dataclass(frozen=True)
class SavedPlan:
    """A verified plan file; ``plan.scope`` is what a ``--changed-since`` plan covered (the
    re-plan of ``apply --verify`` covers exactly that again)."""

    plan: Plan
    created_at: datetime
    prune: bool
    force: bool
    paths: tuple[Path, ...]


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump(
    plan: Plan,
    *,
    prune: bool,
    force: bool,
    paths: tuple[Path, ...] = (),
    now: datetime | None = None,
) -> str:
    """The file's text."""
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "camp_version": __version__,
        "created_at": _iso(now or datetime.now(UTC)),
        "options": {
            "prune": prune,
            "force": force,
            "paths": [str(p) for p in paths],
            "scope": plan.scope.to_json() if plan.scope else None,
        },
        "campaigns": [c.to_json() for c in plan.campaigns],
    }
    body["checksum"] = _checksum(body)
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def write(path: Path, text: str) -> None:
    """Write atomically: a crash never leaves half a plan file behind."""
    folder = path.resolve().parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parse(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise PlanFileError("not a camp plan file (not JSON)") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise PlanFileError("not a camp plan file (written by `camp plan --out`)")
    if body.get("version") != VERSION:
        raise PlanFileError(f"plan file version {body.get('version')!r} is not supported")
    return body


def load(path: Path, *, max_age: timedelta, now: datetime | None = None) -> SavedPlan:
    """Read and verify a plan file; raise ``PlanRefused`` when it must not be applied."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"cannot read plan file: {exc}") from None
    body = _parse(text)
    claimed = body.pop("checksum", None)
    if claimed != _checksum(body):
        raise PlanRefused(
            "the plan file was altered since `camp plan` wrote it (checksum mismatch)"
        )
    try:
        created = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
        campaigns = [_campaign(c) for c in body["campaigns"]]
        options = body["options"]
        scope = PlanScope.from_json(options["scope"]) if options.get("scope") else None
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(f"plan file is malformed ({exc})") from None
    age = (now or datetime.now(UTC)) - created
    if age > max_age:
        raise PlanRefused(
            f"the plan is {_hours(age)} old (limit {_hours(max_age)}): run `camp plan` again"
        )
    plan = Plan(tuple(campaigns), scope)
    paths = tuple(Path(p) for p in options.get("paths") or [])
    return SavedPlan(plan, created, bool(options.get("prune")), bool(options.get("force")), paths)


def _campaign(data: dict[str, Any]) -> CampaignPlan:
    """One campaign's plan, its payloads read as the types of the vendor its kind names."""
    return CampaignPlan.from_json(data, payloads=vendor_for_kind(data["kind"]).payloads)


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h"
