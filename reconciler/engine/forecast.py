"""Capacity forecast: shared sending resources split fairly, then days to reach and to finish.

A *lane* is a resource campaigns draw on per sending day (a ColdSend inbox). When the running
campaigns of an account ask a lane for more than its ``capacity``, the capacity is split
max-min fairly: a campaign asking less than an even share keeps what it asks, the rest is split
evenly among the others (what a round-robin sender does). A forecast then reads:

- per sending day = the sum of the campaign's shares over its lanes;
- days to reach everyone = ``ceil(recipients / per day)`` sending days;
- days to finish = the larger of ``ceil(messages / per day)`` sending days and the day the last
  recipient is reached plus ``tail_days`` (the waits between the steps of its sequence);
- sending days become calendar days as ``ceil(n × 7 / days per week)``.

These are estimates at a steady pace (no bounces, replies or holidays), on the safe side: every
follow-up is counted as if every recipient gets it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from reconciler.plan.insight import Forecast, Lane, LaneShare, Signals, Workload

K = TypeVar("K", bound=Hashable)
_EPSILON = 1e-9  # float noise must not add a day: ceil(3.0000000001) is 3 here


def fair_shares(wanted: Mapping[K, float], capacity: float | None) -> dict[K, float]:
    """Max-min fair split of ``capacity`` among ``wanted``; everyone gets all when it fits."""
    if capacity is None or sum(wanted.values()) <= capacity:
        return dict(wanted)
    out: dict[K, float] = {}
    remaining = capacity
    pending = sorted(wanted, key=lambda k: wanted[k])
    while pending:
        share = remaining / len(pending)
        smallest = pending[0]
        if wanted[smallest] > share:
            out.update(dict.fromkeys(pending, share))
            break
        out[smallest] = wanted[smallest]
        remaining -= wanted[smallest]
        pending.pop(0)
    return out


def lane_shares(running: Iterable[Signals]) -> dict[tuple[str, ...], tuple[LaneShare, ...]]:
    """Per campaign (``Signals.key``), its share of every lane it uses among ``running``."""
    users: dict[str, dict[tuple[str, ...], Lane]] = defaultdict(dict)
    for signals in running:
        for lane in signals.lanes:
            users[lane.key][signals.key] = lane
    out: dict[tuple[str, ...], list[LaneShare]] = defaultdict(list)
    for by_campaign in users.values():
        capacities = [lane.capacity for lane in by_campaign.values() if lane.capacity is not None]
        capacity = max(capacities) if capacities else None
        wanted = {key: lane.wanted for key, lane in by_campaign.items()}
        shares = fair_shares(wanted, capacity)
        demand = sum(wanted.values())
        for key, lane in by_campaign.items():
            share = LaneShare(
                label=lane.label,
                wanted=_round(lane.wanted),
                allotted=_round(shares[key]),
                demand=_round(demand),
                capacity=capacity,
                campaigns=len(by_campaign),
            )
            out[key].append(share)
    return {key: tuple(shares) for key, shares in out.items()}


def calendar_days(sending_days: int, days_per_week: int) -> int:
    """Sending days as calendar days at ``days_per_week`` sending days a week."""
    return math.ceil(sending_days * 7 / days_per_week - _EPSILON)


def forecast(work: Workload, lanes: Sequence[LaneShare]) -> Forecast:
    """The forecast of ``work`` at the lane shares it gets (a one-off send: no pace at all)."""
    base = Forecast(
        recipients=work.recipients,
        messages=work.messages,
        unit=work.unit,
        days_per_week=work.days_per_week,
        bound_days=work.bound_days,
        starts_at=work.starts_at,
        lanes=tuple(lanes),
    )
    if work.days_per_week <= 0:
        return base
    per_day = _round(sum(lane.allotted for lane in lanes))
    if per_day <= 0:
        return replace(base, per_day=0.0)
    reach = calendar_days(_days(work.recipients, per_day), work.days_per_week)
    finish = calendar_days(_days(work.messages, per_day), work.days_per_week)
    if work.recipients:
        finish = max(finish, reach + math.ceil(work.tail_days - _EPSILON))
    return replace(base, per_day=per_day, reach_days=reach, finish_days=finish)


def _days(amount: int, per_day: float) -> int:
    return math.ceil(amount / per_day - _EPSILON)


def _round(value: float) -> float:
    return round(value, 2)
