"""The plan as immutable values: what providers produce, the engine runs and renderers show.

A ``Plan`` holds one ``CampaignPlan`` per campaign in scope; each holds ordered ``Action`` s.
An action carries two things: the field-level ``changes`` a reviewer reads (old → new), and
the wire ``payload`` apply sends (typed by its vendor, ``plan.payload``), so that a saved plan
executes exactly what was reviewed. A campaign's ``facts`` are the numbers shown beside its
steps and read by the guards (``PlanFacts``).
A ``blocked`` action is one apply would refuse (vendor rule, guard, missing permission): the
plan shows it with a reason and a hint, and apply refuses the whole plan (exit 3).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from reconciler.plan.insight import Insight
from reconciler.plan.jsonform import JsonFields
from reconciler.plan.payload import Payload

_P = TypeVar("_P", bound=Payload)


class ActionKind(enum.Enum):
    """Kinds of action, in the order they run within one campaign."""

    CREATE = "create"
    PAUSE = "pause"
    UNSCHEDULE = "unschedule"
    UPDATE = "update"
    OVERWRITE_CONTENT = "overwrite-content"
    UPLOAD_LEADS = "upload-leads"
    CANCEL = "cancel"
    SCHEDULE = "schedule"
    LAUNCH = "launch"
    RESUME = "resume"
    SEND = "send"
    DELETE = "delete"

    @property
    def meaning(self) -> KindMeaning:
        return MEANING[self]

    @property
    def irreversible(self) -> bool:
        return MEANING[self].irreversible

    @property
    def rank(self) -> int:
        return _ORDER.index(self)


_ORDER = list(ActionKind)  # the order of the enum is the run order within one campaign


@dataclass(frozen=True)
class KindMeaning:
    """What one action kind means, everywhere it matters.

    ``irreversible``: labelled so in every format (a send cannot be taken back);
    ``changes_live``: counts toward ``max_change_percent``; ``reaches_audience``: counts toward
    ``max_recipients_per_launch`` (it starts or resumes sending to people); ``facts``: the
    ``PlanFacts`` attributes a reviewer needs beside it, shown under the step.
    """

    irreversible: bool = False
    changes_live: bool = True
    reaches_audience: bool = False
    facts: tuple[str, ...] = ()


_AUDIENCE = ("audience_size", "targets_count")
_GOES_OUT = KindMeaning(reaches_audience=True, facts=_AUDIENCE)

# The one table of action kinds (the engine's guards, the renderers and the JSON plan read it).
MEANING: dict[ActionKind, KindMeaning] = {
    ActionKind.CREATE: KindMeaning(changes_live=False),
    ActionKind.PAUSE: KindMeaning(),
    ActionKind.UNSCHEDULE: KindMeaning(),
    ActionKind.UPDATE: KindMeaning(facts=("targets_count",)),
    ActionKind.OVERWRITE_CONTENT: KindMeaning(irreversible=True),
    ActionKind.UPLOAD_LEADS: KindMeaning(facts=("leads_new", "leads_present")),
    ActionKind.CANCEL: KindMeaning(),
    ActionKind.SCHEDULE: _GOES_OUT,
    ActionKind.LAUNCH: KindMeaning(irreversible=True, reaches_audience=True, facts=_AUDIENCE),
    ActionKind.RESUME: _GOES_OUT,
    ActionKind.SEND: KindMeaning(irreversible=True, reaches_audience=True, facts=_AUDIENCE),
    ActionKind.DELETE: KindMeaning(irreversible=True),
}


@dataclass(frozen=True)
class PlanFacts(JsonFields):
    """Numbers about one campaign that a reviewer needs beside its steps (``KindMeaning.facts``
    names them) and the guards read; None where planning did not learn it, and then left out
    of every format (its JSON form holds only the facts that are set)."""

    audience_size: int | None = None  # whom a launch, send, schedule or resume reaches
    targets_count: int | None = None  # Inbox: the live campaign's targets
    leads_new: int | None = None  # ColdSend: rows the upload adds
    leads_present: int | None = None  # ColdSend: the CSV's leads already live

    def named(self, names: Iterable[str]) -> list[tuple[str, int]]:
        """The facts among ``names`` that are set, in that order."""
        values = ((name, getattr(self, name)) for name in names)
        return [(name, value) for name, value in values if value is not None]

    def to_json(self) -> dict[str, Any]:
        return {name: value for name, value in super().to_json().items() if value is not None}


@dataclass(frozen=True)
class FieldChange(JsonFields):
    """One field that differs: ``old`` is live (None when absent), ``new`` is desired."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Blocked(JsonFields):
    """Why apply would refuse an action, and what the user can do about it."""

    reason: str
    hint: str = ""
    guard: str | None = None  # set when a camp.yaml guard blocked it (lifted by --force)


# Action kind → how its vendor reads that kind's payload back from JSON (a saved plan); one
# table per vendor (``providers/<vendor>/payloads.py``), kept on its ``Vendor``.
PayloadTypes = Mapping[ActionKind, Callable[[Mapping[str, Any]], Payload]]


@dataclass(frozen=True)
class Action:
    """One step of a campaign's plan."""

    kind: ActionKind
    changes: tuple[FieldChange, ...] = ()
    payload: Payload | None = None  # what apply sends, in the planning vendor's type
    blocked: Blocked | None = None
    summary: str = ""

    @property
    def irreversible(self) -> bool:
        return self.kind.irreversible

    def payload_as(self, cls: type[_P]) -> _P:
        """``payload`` as the vendor's own type (a vendor executes only what it planned)."""
        if not isinstance(self.payload, cls):
            carried = type(self.payload).__name__
            raise TypeError(f"{self.kind.value} action carries {carried}, not {cls.__name__}")
        return self.payload

    def block(self, reason: str, hint: str = "", *, guard: str | None = None) -> Action:
        return replace(self, blocked=Blocked(reason, hint, guard))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "irreversible": self.irreversible,
            "summary": self.summary,
            "changes": [c.to_json() for c in self.changes],
            "blocked": self.blocked.to_json() if self.blocked else None,
            "payload": self.payload.to_json() if self.payload is not None else {},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, payloads: PayloadTypes) -> Action:
        """``payloads``: the table of the vendor that planned it (its campaign's kind says)."""
        kind = ActionKind(data["kind"])
        blocked = data.get("blocked")
        return cls(
            kind=kind,
            changes=tuple(FieldChange.from_json(c) for c in data["changes"]),
            payload=_read_payload(kind, data.get("payload"), payloads),
            blocked=Blocked.from_json(blocked) if blocked else None,
            summary=data.get("summary", ""),
        )


def _read_payload(
    kind: ActionKind, data: Mapping[str, Any] | None, payloads: PayloadTypes
) -> Payload | None:
    if not data:  # no payload is written as {}
        return None
    read = payloads.get(kind)
    if read is None:
        raise ValueError(f"a {kind.value} action carries no payload")
    return read(data)


@dataclass(frozen=True)
class CampaignRef(JsonFields):
    """Which campaign: account key, kind and name (the identity within an account)."""

    account: str
    kind: str
    name: str


@dataclass(frozen=True)
class CampaignPlan:
    """Everything planned for one campaign, with where it came from and what it was based on."""

    ref: CampaignRef
    source: str | None  # "campaigns/q1.yaml:3:1", None for a pruned live campaign
    live_id: str | None
    live_status: str | None
    fingerprint: str | None  # of the live object the plan was computed from
    actions: tuple[Action, ...] = ()
    warnings: tuple[str, ...] = ()
    facts: PlanFacts = field(default_factory=PlanFacts)
    insight: Insight | None = None  # overlap, forecast, compliance (engine.insight)

    @property
    def blocked(self) -> bool:
        return any(a.blocked for a in self.actions)

    @property
    def has_changes(self) -> bool:
        return bool(self.actions)

    def with_actions(self, actions: tuple[Action, ...]) -> CampaignPlan:
        return replace(self, actions=tuple(sorted(actions, key=lambda a: a.kind.rank)))

    def to_json(self) -> dict[str, Any]:
        return {
            **self.ref.to_json(),
            "source": self.source,
            "live_id": self.live_id,
            "live_status": self.live_status,
            "fingerprint": self.fingerprint,
            "actions": [a.to_json() for a in self.actions],
            "warnings": list(self.warnings),
            "facts": self.facts.to_json(),
            "insight": self.insight.to_json() if self.insight else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, payloads: PayloadTypes) -> CampaignPlan:
        """``payloads``: the payload table of the vendor serving ``data["kind"]``."""
        return cls(
            ref=CampaignRef.from_json(data),
            source=data.get("source"),
            live_id=data.get("live_id"),
            live_status=data.get("live_status"),
            fingerprint=data.get("fingerprint"),
            actions=tuple(Action.from_json(a, payloads=payloads) for a in data.get("actions", [])),
            warnings=tuple(data.get("warnings", [])),
            facts=PlanFacts.from_json(data.get("facts", {})),
            insight=Insight.from_json(data["insight"]) if data.get("insight") else None,
        )


@dataclass(frozen=True)
class PlanScope:
    """A plan limited to what changed since a git revision (``--changed-since``).

    ``documents`` are the campaigns planned (their YAML or a file they refer to differs);
    ``deleted`` those whose document is gone since the revision, planned as deletes only with
    ``--prune`` (``pruned``). ``everything``: camp.yaml itself changed, so every document is
    in scope. Campaigns outside the scope were not read: the plan is no drift check.
    """

    changed_since: str  # the revision as the user wrote it
    commit: str  # the full SHA it named
    documents: tuple[CampaignRef, ...] = ()
    deleted: tuple[CampaignRef, ...] = ()
    pruned: bool = False
    everything: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "changed_since": self.changed_since,
            "commit": self.commit,
            "everything": self.everything,
            "documents": [r.to_json() for r in self.documents],
            "deleted": [r.to_json() for r in self.deleted],
            "pruned": self.pruned,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanScope:
        def refs(key: str) -> tuple[CampaignRef, ...]:
            return tuple(CampaignRef.from_json(r) for r in data[key])

        return cls(
            changed_since=str(data["changed_since"]),
            commit=str(data["commit"]),
            documents=refs("documents"),
            deleted=refs("deleted"),
            pruned=bool(data["pruned"]),
            everything=bool(data["everything"]),
        )


@dataclass(frozen=True)
class Plan:
    """The whole plan, in a deterministic order (account, kind, name); ``scope`` says when it
    covers only some documents (``--changed-since``)."""

    campaigns: tuple[CampaignPlan, ...]
    scope: PlanScope | None = None

    @classmethod
    def of(cls, campaigns: list[CampaignPlan], scope: PlanScope | None = None) -> Plan:
        key = lambda c: (c.ref.account, c.ref.kind, c.ref.name, c.live_id or "")  # noqa: E731
        return cls(tuple(sorted(campaigns, key=key)), scope)

    def scoped(self, scope: PlanScope | None) -> Plan:
        return replace(self, scope=scope)

    @property
    def changed(self) -> tuple[CampaignPlan, ...]:
        return tuple(c for c in self.campaigns if c.has_changes)

    @property
    def blocked(self) -> bool:
        return any(c.blocked for c in self.campaigns)

    @property
    def has_changes(self) -> bool:
        return any(c.has_changes for c in self.campaigns)

    def counts(self) -> dict[str, int]:
        """Actions per kind, e.g. ``{"create": 400, "launch": 2}``, in run order."""
        out: dict[str, int] = {}
        for kind in ActionKind:
            n = sum(1 for c in self.campaigns for a in c.actions if a.kind is kind)
            if n:
                out[kind.value] = n
        return out
