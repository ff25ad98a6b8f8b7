"""Plan-time insight over the whole plan: overlap, shared capacity, forecast, compliance.

Each vendor describes its campaigns as ``Signals`` from data the plan already read (no extra
call); this module compares them across the campaigns of one account and attaches an
``Insight`` to each campaign of the plan, plus warnings a reviewer should see:

- a launch (launch, resume, schedule, send) sharing recipients with another campaign that is or
  will be sending after apply, one warning per pair;
- a lane (a ColdSend inbox) asked for more per day than it carries, and the share this
  campaign gets;
- a forecast beyond the vendor's bound (ColdSend: 45 days for a sequence);
- the vendor's compliance findings (e.g. a launch without an unsubscribe link).

What the plan could not compute without more calls (campaigns it lists but does not read) is
said in ``Insight.not_computed``, with the number of calls it would take. Guards on these
figures live in ``insight_guards``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from reconciler.engine import overlap
from reconciler.engine.forecast import forecast, lane_shares
from reconciler.plan.insight import Forecast, Insight, LaneShare, Overlap, Signals, number
from reconciler.plan.values import CampaignPlan, Plan

NAMED_PAIRS = 3  # overlapping campaigns named one by one in a launch's warnings

_Key = tuple[str, ...]


def add_insight(plan: Plan, signals: Sequence[Signals]) -> Plan:
    """The plan with each campaign's insight attached and its insight warnings added."""
    by_account: dict[str, list[Signals]] = defaultdict(list)
    for s in signals:
        by_account[s.account].append(s)
    found: dict[_Key, tuple[Insight, list[str]]] = {}
    for group in by_account.values():
        running = [s for s in group if s.running]
        shares = lane_shares(running)
        for s in group:
            if s.in_plan:
                found[s.key] = campaign_insight(s, running, shares.get(s.key, ()))
    return Plan(tuple(_attach(c, found) for c in plan.campaigns))


def _attach(c: CampaignPlan, found: Mapping[_Key, tuple[Insight, list[str]]]) -> CampaignPlan:
    key = (c.ref.account, c.ref.kind, c.ref.name, c.live_id or "")
    if key not in found:
        return c
    insight, warnings = found[key]
    return replace(c, insight=insight, warnings=(*c.warnings, *warnings))


def campaign_insight(
    me: Signals, running: Sequence[Signals], lanes: Sequence[LaneShare]
) -> tuple[Insight, list[str]]:
    """One campaign's insight and warnings, among the running campaigns of its account."""
    findings_warned = [f.message for f in me.findings if f.severity == "warning"]
    if not me.launching:
        insight = Insight(audience=me.audience, unsubscribe=me.unsubscribe, findings=me.findings)
        return insight, findings_warned
    others = [o for o in running if o.key != me.key and overlap.within_window(me, o)]
    known = [o for o in others if o.audience_known]
    pairs = [p for o in known if me.audience_known and (p := overlap.pair(me, o))]
    shared = overlap.union(me, known) if me.audience_known else 0
    predicted = forecast(me.workload, lanes) if me.workload else None
    insight = Insight(
        audience=me.audience,
        overlap=tuple(pairs),
        overlap_shared=shared,
        overlap_percent=overlap.percent(shared, overlap.audience_base(me)),
        forecast=predicted,
        unsubscribe=me.unsubscribe,
        findings=me.findings,
        not_computed=tuple(_not_computed(me, others, running)),
    )
    warnings = _overlap_warnings(me, pairs, shared)
    warnings += _capacity_warnings(predicted)
    return insight, warnings + findings_warned


def _overlap_warnings(me: Signals, pairs: Sequence[Overlap], shared: int) -> list[str]:
    """The largest overlaps one by one (``NAMED_PAIRS``), the others in one line: a launch
    among fifty running campaigns of one list is a warning to read, not fifty."""
    named = {id(p) for p in sorted(pairs, key=lambda p: -p.shared)[:NAMED_PAIRS]}
    warnings = [_pair_warning(me, p) for p in pairs if id(p) in named]  # in the plan's order
    if len(pairs) > len(named):
        base = overlap.audience_base(me)
        warnings.append(
            f"audience overlap with {len(pairs) - len(named)} more running campaigns; with all "
            f"{len(pairs)}, {number(shared)} of its {number(base)} recipients "
            f"({number(overlap.percent(shared, base))}%) are shared (the JSON plan lists each)"
        )
    return warnings


def _pair_warning(me: Signals, p: Overlap) -> str:
    whole = number(overlap.audience_base(me))
    who = f'{p.kind} "{p.name}" ({p.state})'
    if p.exact:
        examples = f": {', '.join(p.examples)}" if p.examples else ""
        return (
            f"audience overlap: shares {number(p.shared)} of its {whole} recipients "
            f"({number(p.percent)}%) with {who}{examples}"
        )
    return (
        f"expected audience overlap: up to {number(p.shared)} of its {whole} recipients "
        f"({number(p.percent)}%) with {who}, through {p.basis}"
    )


def _capacity_warnings(f: Forecast | None) -> list[str]:
    if f is None:
        return []
    out = [
        f"{lane.label} is asked for {number(lane.demand)}/day by {lane.campaigns} running "
        f"campaigns but carries {number(lane.capacity or 0)}/day: this one gets "
        f"{number(lane.allotted)}/day of the {number(lane.wanted)} it asks"
        for lane in f.lanes
        if lane.oversubscribed
    ]
    if f.per_day == 0:
        out.append(f"forecast: no sending capacity known for these {f.unit}: nothing would go out")
    if f.exceeds_bound:
        out.append(
            f"forecast: the sequence needs ~{f.finish_days} days to finish, more than the "
            f"{f.bound_days}-day bound ({number(f.messages)} {f.unit} at "
            f"{number(f.per_day or 0)} per sending day)"
        )
    return out


def _not_computed(me: Signals, others: Sequence[Signals], running: Sequence[Signals]) -> list[str]:
    out = []
    if not me.audience_known:
        out.append(
            f"overlap: this campaign's live audience is not read by this plan; it needs "
            f"{_calls(me.unread_calls)}: not computed"
        )
    unread = {o.key: o for o in others if not o.audience_known}
    capped = any(lane.capacity is not None for lane in me.lanes)
    lanes_unread = [o for o in running if o.key != me.key and not o.lanes_known]
    if capped:
        unread.update((o.key, o) for o in lanes_unread)
    if unread:
        what = "overlap and shared sending capacity" if capped and lanes_unread else "overlap"
        calls = sum(o.unread_calls for o in unread.values())
        s = "" if len(unread) == 1 else "s"
        where = (
            f"live campaign{s} not in the YAML"
            if not any(o.in_plan for o in unread.values())
            else f"campaign{s} whose audience this plan does not read"
        )
        out.append(
            f"{what} with {len(unread)} {where} ({_names(unread.values())}) needs "
            f"{_calls(calls)}: not computed"
        )
    return out


def _names(campaigns: Iterable[Signals]) -> str:
    names = [f'"{name}"' for name in sorted(s.name for s in campaigns)]
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _calls(n: int) -> str:
    return f"{number(n)} more call{'' if n == 1 else 's'}"
