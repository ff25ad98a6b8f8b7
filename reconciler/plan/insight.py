"""Plan-time insight as values: who else gets a campaign, how long it takes, what it promises.

Two kinds of value live here, both vendor-neutral:

- **Signals** are what a vendor tells the engine about one campaign (its audience, the sending
  resources it draws on, the work a launch starts, its compliance findings). They are the
  engine's input, transient, never saved: a vendor computes them from its own data
  (``providers/<vendor>/insight.py``), the engine compares them across the whole plan.
- **Insight** is what the engine concluded for one campaign (overlap with other campaigns, the
  capacity forecast, findings, what it could not compute and why). It is attached to the
  ``CampaignPlan``, shown by every renderer and saved with the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.plan.jsonform import JsonFields

# -- signals: a vendor's input to the engine -------------------------------------------------


@dataclass(frozen=True)
class Pool:
    """An audience source known only by its size (an Inbox list, an easymail segment)."""

    key: str  # unique within the account, e.g. "list:<id>"
    label: str  # for people: "list 'Customers'"
    size: int


@dataclass(frozen=True)
class Lane:
    """A sending resource a campaign draws on each sending day (a ColdSend inbox, an X account).

    ``capacity`` is what the resource carries per day across every campaign using it (the
    inbox's ``daily_limit``); None when it is the campaign's alone or not known.
    """

    key: str  # unique within the account, e.g. "inbox:<id>"
    label: str  # "inbox alex@outbound.example"
    wanted: float  # messages per sending day the campaign asks of it
    capacity: float | None = None


@dataclass(frozen=True)
class Workload:
    """What a launch, resume, schedule or send sets going."""

    recipients: int  # people to reach once
    messages: int  # messages to send in all
    unit: str  # "emails", "DMs"
    days_per_week: int = 0  # sending days per week (0: a one-off send, no pace)
    tail_days: float = 0.0  # days from a recipient's first message to its last step
    bound_days: int | None = None  # the vendor's bound for the whole sequence, when it has one
    starts_at: str | None = None  # when sending starts, when the YAML or vendor says


@dataclass(frozen=True)
class Finding:
    """A compliance finding: ``warning`` (also a plan warning) or ``note`` (shown, not counted)."""

    severity: str
    code: str  # "unsubscribe-disabled", "mass-mail", …
    message: str

    def to_json(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Signals:
    """One campaign as the insight sees it (a campaign of the plan, or a live one it lists).

    The audience is ``members`` (exact identities, e.g. lower-cased lead emails) or ``pools``
    (named sources with sizes); both None means it is not known without ``unread_calls`` more
    requests. ``window_hours`` set: another campaign overlaps only when the two go out within
    that many hours of each other (``at``).
    """

    account: str
    kind: str
    name: str
    live_id: str | None
    state: str  # for people: "ACTIVE", "launches in this plan", "scheduled for …"
    running: bool  # is, or will be after apply, sending (or went out, for a one-off send)
    in_plan: bool = True  # False: a live campaign the plan lists but does not read
    launching: bool = False  # the plan launches, resumes, schedules or sends it
    audience: int | None = None
    members: frozenset[str] | None = None
    pools: tuple[Pool, ...] | None = None
    at: str | None = None
    window_hours: int | None = None
    lanes: tuple[Lane, ...] = ()
    lanes_known: bool = True
    workload: Workload | None = None
    unread_calls: int = 0
    unsubscribe: bool | None = None  # recipients get an unsubscribe link (None: not applicable)
    findings: tuple[Finding, ...] = ()

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.account, self.kind, self.name, self.live_id or "")

    @property
    def audience_known(self) -> bool:
        return self.members is not None or self.pools is not None


# -- insight: the engine's conclusions, saved with the plan ----------------------------------


@dataclass(frozen=True)
class Overlap(JsonFields):
    """Recipients one launch shares with one other running campaign."""

    kind: str
    name: str
    live_id: str | None
    state: str
    shared: int
    percent: float  # of the launching campaign's audience
    basis: str  # "leads" (counted), or the shared pools ("list 'Customers'": expected)
    exact: bool
    examples: tuple[str, ...] = ()  # masked: a***@example.com

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Overlap:
        return cls(**{**data, "examples": tuple(data.get("examples", ()))})


@dataclass(frozen=True)
class LaneShare(JsonFields):
    """One sending resource of a forecast: what the campaign asks, gets, and who else asks."""

    label: str
    wanted: float
    allotted: float
    demand: float  # summed over every running campaign using it
    capacity: float | None
    campaigns: int

    @property
    def oversubscribed(self) -> bool:
        return self.capacity is not None and self.demand > self.capacity


@dataclass(frozen=True)
class Forecast(JsonFields):
    """How long the work of a launch takes at the capacity it gets (days are calendar days)."""

    recipients: int
    messages: int
    unit: str
    per_day: float | None = None  # per sending day, after sharing; None: a one-off send
    days_per_week: int = 0
    reach_days: int | None = None  # until every recipient got the first message
    finish_days: int | None = None  # until the whole sequence is sent
    bound_days: int | None = None
    starts_at: str | None = None
    lanes: tuple[LaneShare, ...] = ()

    @property
    def exceeds_bound(self) -> bool:
        return (
            self.bound_days is not None
            and self.finish_days is not None
            and self.finish_days > self.bound_days
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Forecast:
        lanes = tuple(LaneShare.from_json(lane) for lane in data.get("lanes", ()))
        return cls(**{**data, "lanes": lanes})


@dataclass(frozen=True)
class Insight:
    """What the plan knows about one campaign beyond its changes."""

    audience: int | None = None
    overlap: tuple[Overlap, ...] = ()
    overlap_shared: int = 0  # recipients shared with any running campaign (union)
    overlap_percent: float = 0.0
    forecast: Forecast | None = None
    unsubscribe: bool | None = None
    findings: tuple[Finding, ...] = ()
    not_computed: tuple[str, ...] = ()  # what needs more calls, and how many

    def to_json(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "overlap": {
                "shared": self.overlap_shared,
                "percent": self.overlap_percent,
                "campaigns": [o.to_json() for o in self.overlap],
            },
            "forecast": self.forecast.to_json() if self.forecast else None,
            "unsubscribe": self.unsubscribe,
            "compliance": [f.to_json() for f in self.findings],
            "not_computed": list(self.not_computed),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Insight:
        overlap = data.get("overlap") or {}
        forecast = data.get("forecast")
        return cls(
            audience=data.get("audience"),
            overlap=tuple(Overlap.from_json(o) for o in overlap.get("campaigns", ())),
            overlap_shared=overlap.get("shared", 0),
            overlap_percent=overlap.get("percent", 0.0),
            forecast=Forecast.from_json(forecast) if forecast else None,
            unsubscribe=data.get("unsubscribe"),
            findings=tuple(Finding(**f) for f in data.get("compliance", ())),
            not_computed=tuple(data.get("not_computed", ())),
        )


def number(value: float) -> str:
    """``1,200``, ``33.3``, ``40``: one decimal at most, no trailing zero (text and Markdown)."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text
