"""The plan as immutable values: what providers produce, the engine runs and renderers show.

A ``Plan`` holds one ``CampaignPlan`` per campaign in scope; each holds ordered ``Action`` s.
An action carries two things: the field-level ``changes`` a reviewer reads (old → new), and
the wire ``payload`` apply sends, so that a saved plan executes exactly what was reviewed.
A ``blocked`` action is one apply would refuse (vendor rule, guard, missing permission): the
plan shows it with a reason and a hint, and apply refuses the whole plan (exit 3).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from reconciler.plan.insight import Insight


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
    ``max_recipients_per_launch`` (it starts or resumes sending to people); ``facts``: the plan
    facts a reviewer needs beside it, shown under the step.
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
class FieldChange:
    """One field that differs: ``old`` is live (None when absent), ``new`` is desired."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Blocked:
    """Why apply would refuse an action, and what the user can do about it."""

    reason: str
    hint: str = ""
    guard: str | None = None  # set when a camp.yaml guard blocked it (lifted by --force)

    def to_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "hint": self.hint, "guard": self.guard}


@dataclass(frozen=True)
class Action:
    """One step of a campaign's plan."""

    kind: ActionKind
    changes: tuple[FieldChange, ...] = ()
    payload: Mapping[str, Any] = field(default_factory=dict)
    blocked: Blocked | None = None
    summary: str = ""

    @property
    def irreversible(self) -> bool:
        return self.kind.irreversible

    def block(self, reason: str, hint: str = "", *, guard: str | None = None) -> Action:
        return replace(self, blocked=Blocked(reason, hint, guard))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "irreversible": self.irreversible,
            "summary": self.summary,
            "changes": [c.to_json() for c in self.changes],
            "blocked": self.blocked.to_json() if self.blocked else None,
            "payload": dict(self.payload),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Action:
        blocked = data.get("blocked")
        return cls(
            kind=ActionKind(data["kind"]),
            changes=tuple(FieldChange(c["field"], c["old"], c["new"]) for c in data["changes"]),
            payload=data.get("payload", {}),
            blocked=Blocked(blocked["reason"], blocked["hint"], blocked.get("guard"))
            if blocked
            else None,
            summary=data.get("summary", ""),
        )


@dataclass(frozen=True)
class CampaignRef:
    """Which campaign: account key, kind and name (the identity within an account)."""

    account: str
    kind: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"account": self.account, "kind": self.kind, "name": self.name}


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
    facts: Mapping[str, Any] = field(default_factory=dict)  # e.g. audience size, leads counts
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
            "facts": dict(self.facts),
            "insight": self.insight.to_json() if self.insight else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CampaignPlan:
        return cls(
            ref=CampaignRef(data["account"], data["kind"], data["name"]),
            source=data.get("source"),
            live_id=data.get("live_id"),
            live_status=data.get("live_status"),
            fingerprint=data.get("fingerprint"),
            actions=tuple(Action.from_json(a) for a in data.get("actions", [])),
            warnings=tuple(data.get("warnings", [])),
            facts=data.get("facts", {}),
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
            return tuple(CampaignRef(r["account"], r["kind"], r["name"]) for r in data[key])

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
