"""Saved plans: round trip, tamper detection, expiry, and no secret inside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reconciler.engine import savedplan
from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
    PlanScope,
)
from reconciler.providers.coldsend.payloads import CampaignSettings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _plan() -> Plan:
    action = Action(
        ActionKind.UPDATE,
        changes=(FieldChange("timezone", "UTC", "Europe/Berlin"),),
        payload=CampaignSettings({"timezone": "Europe/Berlin"}),
    )
    ref = CampaignRef("cold", "coldsend/campaign", "[camp] Q1 founders")
    return Plan((CampaignPlan(ref, "q1.yaml:3:1", "id-1", "DRAFT", "fp", (action,)),))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.json"
    savedplan.write(path, text)
    return path


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = _write(tmp_path, savedplan.dump(_plan(), prune=True, force=False, now=NOW))
    saved = savedplan.load(path, max_age=timedelta(hours=24), now=NOW + timedelta(hours=1))
    assert saved.plan == _plan()
    assert saved.prune is True and saved.created_at == NOW


def test_the_scope_of_a_changed_since_plan_is_kept_and_checksummed(tmp_path: Path) -> None:
    ref = CampaignRef("cold", "coldsend/campaign", "[camp] Q1 founders")
    gone = CampaignRef("cold", "coldsend/campaign", "[camp] Old")
    scope = PlanScope("origin/main", "a" * 40, documents=(ref,), deleted=(gone,), pruned=True)
    text = savedplan.dump(_plan().scoped(scope), prune=True, force=False, now=NOW)
    saved = savedplan.load(_write(tmp_path, text), max_age=timedelta(hours=1), now=NOW)
    assert saved.plan.scope == scope
    widened = text.replace(
        '"documents": [',
        '"documents": [{"account": "cold", "kind": "coldsend/campaign", "name": "[camp] More"}, ',
        1,
    )
    with pytest.raises(savedplan.PlanRefused, match="altered"):
        savedplan.load(_write(tmp_path, widened), max_age=timedelta(hours=1), now=NOW)


def test_altered_file_is_refused(tmp_path: Path) -> None:
    text = savedplan.dump(_plan(), prune=False, force=False, now=NOW)
    path = _write(tmp_path, text.replace("Europe/Berlin", "Europe/Paris"))
    with pytest.raises(savedplan.PlanRefused, match="altered"):
        savedplan.load(path, max_age=timedelta(hours=24), now=NOW)


@pytest.mark.parametrize(("age", "refused"), [(23.9, False), (24.1, True)])
def test_expiry(tmp_path: Path, age: float, refused: bool) -> None:
    path = _write(tmp_path, savedplan.dump(_plan(), prune=False, force=False, now=NOW))
    later = NOW + timedelta(hours=age)
    if refused:
        with pytest.raises(savedplan.PlanRefused, match="old"):
            savedplan.load(path, max_age=timedelta(hours=24), now=later)
    else:
        savedplan.load(path, max_age=timedelta(hours=24), now=later)


@pytest.mark.parametrize("text", ["not json", '{"format": "other"}', "[]"])
def test_not_a_plan_file(tmp_path: Path, text: str) -> None:
    with pytest.raises(savedplan.PlanFileError):
        savedplan.load(_write(tmp_path, text), max_age=timedelta(hours=1), now=NOW)


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    _write(tmp_path, "x")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]
