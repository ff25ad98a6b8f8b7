"""Saved plans: round trip, tamper detection, expiry, and no secret inside."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reconciler.engine import savedplan
from reconciler.plan.payload import WireBody
from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
    PlanFacts,
    PlanScope,
)
from reconciler.providers.coldsend import payloads as coldsend
from reconciler.providers.easymail import payloads as easymail
from reconciler.providers.inbox import payloads as inbox

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# Plan files written by camp before payloads and facts were typed (commit ece8ac4, `camp plan
# --out` against the sandbox): creates.json from campaigns/ (a new campaign of each vendor),
# updates.json after a change of each kind a payload carries (update, leads, reschedule,
# content overwrite). tests/e2e/test_saved_plan_compat_e2e.py applies creates.json.
BEFORE_TYPED = Path(__file__).with_name("fixtures") / "before-typed-payloads"


def _plan() -> Plan:
    action = Action(
        ActionKind.UPDATE,
        changes=(FieldChange("timezone", "UTC", "Europe/Berlin"),),
        payload=coldsend.CampaignSettings({"timezone": "Europe/Berlin"}),
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


def test_a_payload_for_a_kind_that_carries_none_is_a_malformed_file(tmp_path: Path) -> None:
    ref = CampaignRef("cold", "coldsend/campaign", "[camp] Q1 founders")
    launch = Action(ActionKind.LAUNCH, payload=WireBody({"launch": True}))
    plan = Plan((CampaignPlan(ref, "q1.yaml:3:1", "id-1", "DRAFT", "fp", (launch,)),))
    path = _write(tmp_path, savedplan.dump(plan, prune=False, force=False, now=NOW))
    with pytest.raises(savedplan.PlanFileError, match="a launch action carries no payload"):
        savedplan.load(path, max_age=timedelta(hours=1), now=NOW)


OLD_FILES = ["creates.json", "updates.json"]


def _load_old(name: str) -> tuple[str, savedplan.SavedPlan]:
    text = (BEFORE_TYPED / name).read_text(encoding="utf-8")
    created = datetime.fromisoformat(json.loads(text)["created_at"].replace("Z", "+00:00"))
    return text, savedplan.load(BEFORE_TYPED / name, max_age=timedelta(hours=1), now=created)


def _payload_types(saved: savedplan.SavedPlan) -> list[tuple[str, str, type]]:
    return [
        (c.ref.name, a.kind.value, type(a.payload)) for c in saved.plan.campaigns for a in c.actions
    ]


def test_a_plan_saved_before_typed_payloads_reads_into_each_vendors_types() -> None:
    _, creates = _load_old(OLD_FILES[0])
    _, updates = _load_old(OLD_FILES[1])
    assert _payload_types(creates) == [
        ("[camp] Founders Q1", "create", coldsend.NewCampaign),
        ("[camp] Founders Q1", "upload-leads", coldsend.LeadsUpload),
        ("[camp] Founders Q1", "launch", type(None)),
        ("[camp] Founders DM", "create", inbox.NewCampaign),
        ("[camp] Founders DM", "launch", type(None)),
        ("[camp] December newsletter", "create", easymail.NewCampaign),
        ("[camp] December newsletter", "schedule", easymail.Schedule),
        ("[camp] Styled", "create", easymail.NewCampaign),
    ]
    assert _payload_types(updates) == [
        ("[camp] Founders Q1", "update", coldsend.CampaignSettings),
        ("[camp] Founders Q1", "upload-leads", coldsend.LeadsUpload),
        ("[camp] Founders DM", "update", inbox.Settings),
        ("[camp] December newsletter", "update", easymail.CampaignPatch),
        ("[camp] December newsletter", "schedule", easymail.Schedule),
        ("[camp] Styled", "overwrite-content", easymail.CampaignPatch),
    ]


def test_a_plan_saved_before_typed_payloads_keeps_its_values() -> None:
    _, creates = _load_old(OLD_FILES[0])
    cold, dm, news, _ = creates.plan.campaigns
    new_cold = cold.actions[0].payload_as(coldsend.NewCampaign)
    assert new_cold.create["timezone"] == "Europe/Berlin" and "variants" in new_cold.configure
    leads = cold.actions[1].payload_as(coldsend.LeadsUpload)
    assert leads.columns == ["email", "first_name"] and len(leads.rows) == 2
    assert cold.facts == PlanFacts(audience_size=2, leads_new=2, leads_present=0)
    new_dm = dm.actions[0].payload_as(inbox.NewCampaign)
    assert new_dm.settings.patch == {
        "messagesPerHour": 6,
        "schedule": {"1": {"start": 540, "end": 1020}},
    }
    assert new_dm.settings.sequence is not None and len(new_dm.settings.sequence) == 3
    assert news.actions[1].payload == easymail.Schedule("2099-06-01T09:00:00Z")
    _, updates = _load_old(OLD_FILES[1])
    rules = updates.plan.campaigns[1].actions[0].payload_as(inbox.Settings).rules
    assert rules == {"syncedListIds": ["list0000000000000000000002", "list0000000000000000000001"]}
    assert updates.plan.campaigns[1].facts == PlanFacts(targets_count=1200)


@pytest.mark.parametrize("name", OLD_FILES)
def test_a_plan_saved_before_typed_payloads_is_written_again_in_its_shape(name: str) -> None:
    text, saved = _load_old(name)
    again = savedplan.dump(
        saved.plan, prune=saved.prune, force=saved.force, paths=saved.paths, now=saved.created_at
    )
    assert json.loads(again) == json.loads(text)  # every key and value, and so the checksum
