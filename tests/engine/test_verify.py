"""``--verify`` as an engine call: a fresh plan over what the apply covered, guards lifted;
whatever it still changes comes back as data naming the campaign and the field (or the step
when no field differs), on an in-memory provider."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from reconciler.config.loader import CampaignDoc
from reconciler.config.models import CampConfig
from reconciler.config.problems import Location, Problem, Severity
from reconciler.engine.applier import apply_plan
from reconciler.engine.errors import EngineError
from reconciler.engine.facade import make_plan
from reconciler.engine.scope import Selection
from reconciler.engine.verify import Applied, Leftover, Verification, verify
from reconciler.plan.values import CampaignRef
from reconciler.providers.base import LiveSummary
from tests.support.memory_provider import (
    KIND,
    MemoryProvider,
    make_config,
    make_doc,
    make_workspace,
)


def _ref(name: str) -> CampaignRef:
    return CampaignRef("acct", KIND, name)


def _live() -> list[LiveSummary]:
    return [LiveSummary("c1", "Alpha", "ready"), LiveSummary("c2", "Beta", "ready")]


def _verify(
    provider: MemoryProvider,
    docs: Sequence[CampaignDoc],
    *,
    config: CampConfig | None = None,
    selection: Selection | None = None,
) -> Verification:
    applied = Applied(make_workspace(docs, config), config or make_config(), False, selection)
    return asyncio.run(verify(applied, {"acct": provider}, parallelism=4))


def _apply(provider: MemoryProvider, docs: Sequence[CampaignDoc]) -> None:
    ws = make_workspace(docs)
    assert ws.config is not None
    job = make_plan(ws, ws.config, {"acct": provider}, prune=False, force=False, parallelism=4)
    outcomes = asyncio.run(apply_plan(asyncio.run(job).plan, {"acct": provider}))
    assert all(o.ok for o in outcomes)


def test_an_apply_that_converged_verifies_clean() -> None:
    docs = [make_doc("Alpha", greeting="new"), make_doc("Gamma")]
    provider = MemoryProvider(_live(), greetings={"c1": "old"})
    _apply(provider, docs)
    checked = _verify(provider, docs)
    assert checked.ok and checked.leftovers == ()
    assert not checked.result.plan.has_changes


def test_a_field_the_vendor_did_not_keep_is_a_leftover_naming_campaign_and_field() -> None:
    docs = [make_doc("Alpha", greeting="new"), make_doc("Beta", greeting="new")]
    provider = MemoryProvider(_live(), greetings={"c1": "old", "c2": "old"}, unstored=["Beta"])
    _apply(provider, docs)
    checked = _verify(provider, docs)
    assert not checked.ok
    assert checked.leftovers == (Leftover(_ref("Beta"), ("greeting",)),)


def test_a_step_planned_again_without_a_field_change_is_named_by_its_kind() -> None:
    provider = MemoryProvider(_live())
    checked = _verify(provider, [make_doc("Alpha", state="absent"), make_doc("Gamma")])
    assert checked.leftovers == (
        Leftover(_ref("Alpha"), ("delete",)),
        Leftover(_ref("Gamma"), ("create",)),
    )


def test_the_guards_are_lifted_so_a_leftover_is_a_change_not_a_block() -> None:
    guarded = make_config(guards={"max_change_percent": 0, "min_existing": 0})
    provider = MemoryProvider(_live(), greetings={"c1": "old"})
    checked = _verify(provider, [make_doc("Alpha", greeting="new")], config=guarded)
    assert checked.leftovers == (Leftover(_ref("Alpha"), ("greeting",)),)
    assert not checked.result.plan.blocked


def test_a_scoped_apply_is_verified_over_its_documents_only() -> None:
    alpha, beta = make_doc("Alpha", greeting="new"), make_doc("Beta", greeting="new")
    provider = MemoryProvider(_live(), greetings={"c1": "old", "c2": "old"})
    selection = Selection([beta], [], everything=False, changed_since="HEAD~1", commit="a" * 40)
    checked = _verify(provider, [alpha, beta], selection=selection)
    assert checked.leftovers == (Leftover(_ref("Beta"), ("greeting",)),)
    assert provider.fetched == ["c2"]  # Alpha is outside the scope: not even read


def test_reference_warnings_stay_with_the_result_and_errors_raise() -> None:
    where = Location("campaigns/c.yaml", 4, 11)
    warning = Problem(where, "greeting: unusual", severity=Severity.WARNING)
    checked = _verify(MemoryProvider(_live(), problems=[warning]), [make_doc("Alpha")])
    assert checked.ok and checked.result.problems == [warning]
    error = Problem(where, "inbox: no such inbox 'x@y'")
    with pytest.raises(EngineError, match="fix the references"):
        _verify(MemoryProvider(_live(), problems=[error]), [make_doc("Alpha")])
