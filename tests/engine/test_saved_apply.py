"""Applying a saved plan as an engine call: the file's own checks (not a plan: error; altered,
expired or blocked: refused), the accounts it needs, the live freshness check (refused with one
reason per moved campaign, nothing written), then apply and verify, on an in-memory provider."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reconciler.config.loader import CampaignDoc, Workspace
from reconciler.engine import saved_apply, savedplan
from reconciler.engine.applier import apply_plan
from reconciler.engine.budget import BudgetPolicy
from reconciler.engine.errors import EngineError, Refused
from reconciler.engine.facade import make_plan
from reconciler.engine.saved_apply import SavedApply
from reconciler.engine.verify import verify
from reconciler.plan.values import Action, ActionKind, CampaignPlan, CampaignRef, Plan, PlanScope
from reconciler.providers import registry
from reconciler.providers.base import LiveSummary
from tests.support.memory_provider import (
    KIND,
    MemoryProvider,
    make_config,
    make_doc,
    make_workspace,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
DAY = timedelta(hours=24)


@pytest.fixture(autouse=True)
def memory_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A saved plan reads its payloads by the kind's vendor: register the memory vendor."""
    packages = (*registry.VENDOR_PACKAGES, "tests.support.memory_provider")
    monkeypatch.setattr(registry, "VENDOR_PACKAGES", packages)
    registry.vendors.cache_clear()
    yield
    registry.vendors.cache_clear()


def _docs() -> list[CampaignDoc]:
    return [make_doc("Alpha", greeting="new"), make_doc("Beta"), make_doc("Gamma", state="absent")]


def _vendor() -> MemoryProvider:
    live = [LiveSummary("c1", "Alpha", "ready"), LiveSummary("c3", "Gamma", "ready")]
    return MemoryProvider(live, greetings={"c1": "old"})


def _save(tmp_path: Path, plan: Plan, *, prune: bool = False) -> Path:
    path = tmp_path / "plan.json"
    savedplan.write(path, savedplan.dump(plan, prune=prune, force=False, now=NOW))
    return path


def _planned(tmp_path: Path, ws: Workspace, provider: MemoryProvider) -> Path:
    """The plan of ``ws`` against ``provider``, saved as ``camp plan --out`` does."""
    assert ws.config is not None
    job = make_plan(ws, ws.config, {"acct": provider}, prune=False, force=False, parallelism=4)
    return _save(tmp_path, asyncio.run(job).plan)


def _check(saved: SavedApply, provider: MemoryProvider) -> list[str]:
    return asyncio.run(saved.check_fresh({"acct": provider}, BudgetPolicy(doing="this apply")))


def test_a_fresh_saved_plan_passes_applies_and_verifies_clean(tmp_path: Path) -> None:
    ws, provider = make_workspace(_docs()), _vendor()
    saved = saved_apply.load(_planned(tmp_path, ws, provider), max_age=DAY, now=LATER)
    assert [c.ref.name for c in saved.plan.changed] == ["Alpha", "Beta", "Gamma"]
    assert saved.accounts(make_config(), Path("camp.yaml")) == ["acct"]
    assert _check(saved, provider) == []  # no notes: far within the rate limits
    outcomes = asyncio.run(apply_plan(saved.plan, {"acct": provider}))
    assert all(o.ok for o in outcomes)
    checked = asyncio.run(
        verify(saved.applied(ws, make_config()), {"acct": provider}, parallelism=4)
    )
    assert checked.ok and checked.leftovers == ()


def test_live_that_moved_is_refused_with_one_reason_per_campaign_and_nothing_written(
    tmp_path: Path,
) -> None:
    ws, provider = make_workspace(_docs()), _vendor()
    saved = saved_apply.load(_planned(tmp_path, ws, provider), max_age=DAY, now=LATER)
    provider.greetings["c1"] = "edited in the vendor's UI"
    provider.live = [LiveSummary("c1", "Alpha", "ready"), LiveSummary("c9", "Beta", "ready")]
    with pytest.raises(Refused) as refused:
        _check(saved, provider)
    reasons = [
        f"{KIND} 'Alpha' (acct): live campaign changed since the plan (status ready)",
        f"{KIND} 'Beta' (acct): a live campaign with this name appeared since the plan",
        f"{KIND} 'Gamma' (acct): live campaign c3 no longer exists",
    ]
    assert refused.value.reasons == tuple(reasons)
    assert refused.value.message == (
        f"{saved.source}: refused: live state moved since the plan was made; nothing was "
        "applied:\n" + "".join(f"  - {r}\n" for r in reasons) + "  hint: run `camp plan` again"
    )
    assert provider.executed == []


def test_a_file_that_is_no_camp_plan_is_an_error_not_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("campaigns: []\n")
    with pytest.raises(EngineError) as error:
        saved_apply.load(path)
    assert not isinstance(error.value, Refused)
    assert error.value.message == f"{path}: not a camp plan file (not JSON)"


@pytest.mark.parametrize(
    ("spoil", "now", "why"),
    [
        (lambda text: text.replace('"hi"', '"hello"'), LATER, "the plan file was altered"),
        (lambda text: text, NOW + DAY + timedelta(minutes=6), "the plan is 24.1 h old"),
    ],
    ids=["altered", "expired"],
)
def test_an_altered_or_expired_plan_is_refused(
    tmp_path: Path, spoil: Callable[[str], str], now: datetime, why: str
) -> None:
    path = _planned(tmp_path, make_workspace(_docs()), _vendor())
    path.write_text(spoil(path.read_text()))
    with pytest.raises(Refused) as refused:
        saved_apply.load(path, max_age=DAY, now=now)
    message = refused.value.message
    assert message.startswith(f"{path}: refused: {why}") and message.endswith(
        "; nothing was applied"
    )
    assert refused.value.reasons == ()


def test_a_plan_holding_a_blocked_action_is_refused_before_live_is_read(tmp_path: Path) -> None:
    ref = CampaignRef("acct", KIND, "Alpha")
    action = Action(ActionKind.DELETE).block("ACTIVE campaigns cannot be deleted", "pause first")
    path = _save(tmp_path, Plan((CampaignPlan(ref, "c.yaml:1:1", "c1", "ready", "fp", (action,)),)))
    with pytest.raises(Refused) as refused:
        saved_apply.load(path, now=LATER)
    assert refused.value.message == f"{path}: the plan has blocked actions: nothing was applied"


def _changes(*accounts: str) -> Plan:
    def campaign(account: str, *kinds: ActionKind) -> CampaignPlan:
        plan = CampaignPlan(CampaignRef(account, KIND, "C"), "c.yaml:1:1", None, None, None)
        return plan.with_actions(tuple(Action(kind) for kind in kinds))

    unchanged = campaign("idle")
    return Plan((*(campaign(a, ActionKind.CREATE) for a in accounts), unchanged))


def test_the_accounts_are_those_the_plan_changes_and_must_be_in_camp_yaml(tmp_path: Path) -> None:
    config = make_config("eu", "us", "idle")
    saved = saved_apply.load(_save(tmp_path, _changes("us", "eu")), now=LATER)
    assert saved.accounts(config, Path("camp.yaml")) == ["eu", "us"]
    nothing = saved_apply.load(_save(tmp_path, _changes()), now=LATER)
    assert nothing.accounts(config, Path("camp.yaml")) == []
    gone = saved_apply.load(_save(tmp_path, _changes("eu", "gone")), now=LATER)
    with pytest.raises(EngineError) as error:
        gone.accounts(config, Path("conf/camp.yaml"))
    assert error.value.message == f"{gone.source}: account 'gone' is not in conf/camp.yaml"


def test_verify_after_a_scoped_plan_covers_what_the_file_recorded(tmp_path: Path) -> None:
    ws = make_workspace(_docs())
    scope = PlanScope("HEAD~1", "a" * 40, documents=(CampaignRef("acct", KIND, "Beta"),))
    saved = saved_apply.load(_save(tmp_path, _changes().scoped(scope), prune=True), now=LATER)
    applied = saved.applied(ws, make_config())
    assert applied.prune is True
    assert applied.selection is not None
    assert [d.campaign.name for d in applied.selection.docs] == ["Beta"]
    whole = saved_apply.load(_save(tmp_path, _changes()), now=LATER).applied(ws, make_config())
    assert whole.selection is None and whole.prune is False
