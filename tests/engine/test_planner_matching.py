"""The planner's matching: names, ``id:`` pins, duplicates, ``state: absent`` and prune
selection, on an in-memory provider (no HTTP)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

import pytest

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Location, Problem
from reconciler.engine.planner import STEP_EVERY, AccountScope, PlanResult, build_plan
from reconciler.plan.values import ActionKind, CampaignPlan
from reconciler.providers.base import LiveSummary, PlanOptions
from reconciler.providers.progress import EVENT_ATTR, Progress
from tests.support.memory_provider import MemoryProvider, make_doc


def _live(*rows: tuple[str, str]) -> list[LiveSummary]:
    return [LiveSummary(live_id, name, "ready") for live_id, name in rows]


def _plan(
    provider: MemoryProvider,
    docs: Sequence[CampaignDoc],
    *,
    prune: bool = False,
    prefix: str | None = None,
    pinned: frozenset[str] = frozenset(),
) -> PlanResult:
    scope = AccountScope(provider, docs, prune_prefix=prefix, pinned=pinned)
    return asyncio.run(build_plan({"acct": scope}, options=PlanOptions(), prune=prune))


def _by_name(result: PlanResult) -> dict[str, CampaignPlan]:
    return {c.ref.name: c for c in result.plan.campaigns}


def _kinds(plan: CampaignPlan) -> list[ActionKind]:
    return [a.kind for a in plan.actions]


def test_a_document_matches_the_live_campaign_of_its_name() -> None:
    provider = MemoryProvider(_live(("c1", "Alpha"), ("c2", "Beta")), greetings={"c1": "old"})
    result = _plan(provider, [make_doc("Alpha"), make_doc("Gamma")])
    assert result.problems == []
    plans = _by_name(result)
    assert plans["Alpha"].live_id == "c1" and _kinds(plans["Alpha"]) == [ActionKind.UPDATE]
    assert plans["Gamma"].live_id is None and _kinds(plans["Gamma"]) == [ActionKind.CREATE]
    assert "Beta" not in plans  # unnamed and no prune: left alone, not even read
    assert provider.fetched == ["c1"]
    assert result.live_counts == {"acct": 2}


def test_an_id_pin_wins_over_the_name_and_allows_a_rename() -> None:
    provider = MemoryProvider(_live(("c1", "Old name"), ("c2", "New name")))
    result = _plan(provider, [make_doc("New name", id="c1")])
    assert result.problems == []
    (plan,) = result.plan.campaigns
    assert plan.live_id == "c1"  # the pin, not c2 which carries the name
    assert plan.ref.name == "New name"
    assert provider.fetched == ["c1"]


def test_an_unknown_pinned_id_is_a_located_problem() -> None:
    provider = MemoryProvider(_live(("c1", "Alpha")))
    result = _plan(provider, [make_doc("Alpha", id="gone", file="campaigns/a.yaml")])
    (problem,) = result.problems
    assert problem.is_error
    assert "'gone'" in problem.message and "'acct'" in problem.message
    assert problem.location.file == "campaigns/a.yaml"
    assert problem.location.line == 3  # the `id:` value: kind, name, id
    assert result.plan.campaigns == ()


def test_two_live_campaigns_with_the_name_and_no_pin_block_naming_both() -> None:
    provider = MemoryProvider(_live(("c1", "Twin"), ("c2", "Twin"), ("c3", "Other")))
    result = _plan(provider, [make_doc("Twin")])
    assert result.problems == []
    (plan,) = result.plan.campaigns
    assert plan.blocked and plan.live_id is None
    (action,) = plan.actions
    assert action.blocked is not None
    assert "c1" in action.blocked.reason and "c2" in action.blocked.reason
    assert "c3" not in action.blocked.reason
    assert "id:" in action.blocked.hint
    assert provider.fetched == []  # neither candidate is read


def test_a_pin_resolves_a_duplicated_name() -> None:
    provider = MemoryProvider(_live(("c1", "Twin"), ("c2", "Twin")), greetings={"c2": "old"})
    (plan,) = _plan(provider, [make_doc("Twin", id="c2")]).plan.campaigns
    assert not plan.blocked and plan.live_id == "c2"
    assert _kinds(plan) == [ActionKind.UPDATE]


@pytest.mark.parametrize(("live_ids", "expected"), [((), []), (("c1",), [ActionKind.DELETE])])
def test_state_absent_with_a_pinned_id(
    live_ids: tuple[str, ...], expected: list[ActionKind]
) -> None:
    provider = MemoryProvider([LiveSummary(i, "Alpha", "ready") for i in live_ids])
    result = _plan(provider, [make_doc("Alpha", id="c1", state="absent")])
    assert result.problems == []
    (plan,) = result.plan.campaigns
    assert _kinds(plan) == expected


def test_prune_selects_only_unnamed_live_campaigns_inside_the_prefix() -> None:
    live = _live(
        ("c1", "[camp] kept"),  # named by a document
        ("c2", "[camp] stray"),  # inside the prefix, unnamed: pruned
        ("c3", "hand made"),  # outside the prefix
        ("c4", "[camp] pinned elsewhere"),  # pinned by a document of the account
        ("c5", "[camp] renamed"),  # claimed by a pin under another name
    )
    docs = [make_doc("[camp] kept"), make_doc("[camp] new name", id="c5")]
    provider = MemoryProvider(live)
    result = _plan(provider, docs, prune=True, prefix="[camp] ", pinned=frozenset({"c4"}))
    assert result.problems == [] and result.notes == []
    deletes = [c for c in result.plan.campaigns if ActionKind.DELETE in _kinds(c)]
    assert [(c.ref.name, c.live_id, c.source) for c in deletes] == [("[camp] stray", "c2", None)]


def test_without_prune_nothing_is_deleted() -> None:
    provider = MemoryProvider(_live(("c2", "[camp] stray")))
    result = _plan(provider, [], prune=False, prefix="[camp] ")
    assert result.plan.campaigns == ()


def test_prune_never_takes_the_candidates_of_a_duplicated_name() -> None:
    provider = MemoryProvider(_live(("c1", "[camp] twin"), ("c2", "[camp] twin")))
    result = _plan(provider, [make_doc("[camp] twin")], prune=True, prefix="[camp] ")
    (plan,) = result.plan.campaigns
    assert plan.blocked and ActionKind.DELETE not in _kinds(plan)


def test_prune_on_an_account_without_a_prefix_is_a_note() -> None:
    provider = MemoryProvider(_live(("c2", "[camp] stray")))
    result = _plan(provider, [], prune=True, prefix=None)
    assert result.plan.campaigns == ()
    assert result.notes == ["account 'acct' has no prune_prefix: --prune left it alone"]


def test_reference_problems_stop_the_plan() -> None:
    unresolved = Problem(Location("campaigns/c.yaml", 4, 11), "inbox: no such inbox 'x@y'")
    provider = MemoryProvider(_live(("c1", "Alpha")), problems=[unresolved])
    result = _plan(provider, [make_doc("Alpha"), make_doc("Beta")])
    assert result.problems == [unresolved]
    assert result.plan.campaigns == ()
    assert provider.fetched == []  # nothing read once references failed


def test_a_problem_in_one_account_stops_every_account() -> None:
    bad = MemoryProvider(problems=[Problem(Location("a.yaml"), "unresolved")], account="bad")
    good = MemoryProvider(_live(("c1", "Alpha")), account="good", greetings={"c1": "old"})
    scopes = {
        "bad": AccountScope(bad, [make_doc("X", account="bad")]),
        "good": AccountScope(good, [make_doc("Alpha", account="good")]),
    }
    result = asyncio.run(build_plan(scopes, options=PlanOptions()))
    assert len(result.problems) == 1
    assert result.plan.campaigns == ()


def test_the_reads_are_counted_in_a_few_progress_events_that_end_at_the_total(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A progress event per campaign read was a thousand log records (and redraws) between
    the reads; the count goes out at most every ``STEP_EVERY`` s, and the last one is whole."""
    names = [f"c{i}" for i in range(300)]
    provider = MemoryProvider(_live(*((f"id{i}", n) for i, n in enumerate(names))))
    docs = [make_doc(n) for n in names]
    with caplog.at_level(logging.INFO, logger="reconciler.progress"):
        started = time.monotonic()
        _plan(provider, docs)
        elapsed = time.monotonic() - started
    counts = [
        event.done
        for record in caplog.records
        if isinstance(event := getattr(record, EVENT_ATTR, None), Progress)
        and not event.finished
        and event.total == 300
    ]
    assert counts[-1] == 300 and counts == sorted(counts)
    assert len(counts) <= 3 + elapsed / STEP_EVERY, counts  # the 0, the first read, throttled
