"""The plan for machines: ``camp plan --format json``, one JSON object with a stable schema.

Schema, version 1 (keys always present, in this order; new keys may be added within a
version, a removed or renamed key bumps ``version``)::

    {
      "version": 1,
      "scope": null | {           # set by --changed-since: the plan covers only these
        "changed_since": str, "commit": str,   # the revision as written, and its SHA
        "everything": bool,       # camp.yaml changed: every document is in scope
        "documents": [{"account", "kind", "name"}],   # the documents planned
        "deleted": [{"account", "kind", "name"}],     # documents deleted since the revision
        "pruned": bool            # ... planned as deletes (--prune)
      },
      "summary": {
        "changes": bool,          # any campaign has an action
        "blocked": bool,          # apply would refuse the plan (exit 3)
        "counts": {"create": int, "pause": int, ..., "delete": int}
                                  # every action kind, in run order, 0 when absent
      },
      "campaigns": [              # every campaign in scope, unchanged ones too,
        {                         # ordered by (account, kind, name, live_id)
          "account": str,         # account key from camp.yaml
          "kind": str,            # "coldsend/campaign" | "easymail/campaign" | "inbox/campaign"
          "name": str,
          "source": str | null,   # "campaigns/q1.yaml:3:1"; null for a pruned live campaign
          "live_id": str | null,  # null when the campaign does not exist yet
          "live_status": str | null,
          "actions": [str],       # kinds in run order, e.g. ["update", "launch"]; [] = unchanged
          "blocked": bool,        # at least one action is blocked
          "irreversible": bool,   # at least one action is launch, send, overwrite-content or delete
          "changes": [            # field-level changes, in action order
            {"action": str, "field": str, "old": any | null, "new": any | null}
          ],                      # old null: unset live; values are JSON (tuples → lists)
          "blocked_reasons": [
            {"action": str, "reason": str, "hint": str, "guard": str | null}
          ],                      # guard: the camp.yaml guard that blocked it (--force lifts it)
          "warnings": [str],
          "facts": {str: int},    # sorted by key, only those set: audience_size, leads_new, …
          "insight": {            # plan-time insight (README "Plan-time insight")
            "audience": int | null,
            "overlap": {"shared": int, "percent": float, "campaigns": [
              {"kind", "name", "live_id", "state", "shared", "percent", "basis", "exact",
               "examples": [str]}]},
            "forecast": null | {"recipients", "messages", "unit", "per_day", "days_per_week",
              "reach_days", "finish_days", "bound_days", "starts_at",
              "lanes": [{"label", "wanted", "allotted", "demand", "capacity", "campaigns"}]},
            "unsubscribe": bool | null,
            "compliance": [{"severity": "warning" | "note", "code": str, "message": str}],
            "not_computed": [str]
          }
        }
      ]
    }

Action kinds are the ``ActionKind`` values: create, pause, unschedule, update,
overwrite-content, upload-leads, cancel, schedule, launch, resume, send, delete. The wire
``payload`` of an action is never emitted: it belongs to saved plans, not to display.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan.values import ActionKind, CampaignPlan, Plan
from reconciler.render.diffs import plain
from reconciler.render.insight import insight_json

JSON_VERSION = 1


def render_json(plan: Plan) -> str:
    """The plan as indented JSON text (UTF-8 safe, no trailing newline)."""
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False, allow_nan=False)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The schema above as Python values, for callers that embed it in a larger document."""
    counts = plan.counts()
    return {
        "version": JSON_VERSION,
        "scope": plan.scope.to_json() if plan.scope else None,
        "summary": {
            "changes": plan.has_changes,
            "blocked": plan.blocked,
            "counts": {kind.value: counts.get(kind.value, 0) for kind in ActionKind},
        },
        "campaigns": [_campaign(c) for c in plan.campaigns],
    }


def _campaign(campaign: CampaignPlan) -> dict[str, Any]:
    return {
        **campaign.ref.to_json(),
        "source": campaign.source,
        "live_id": campaign.live_id,
        "live_status": campaign.live_status,
        "actions": [a.kind.value for a in campaign.actions],
        "blocked": campaign.blocked,
        "irreversible": any(a.irreversible for a in campaign.actions),
        "changes": _changes(campaign),
        "blocked_reasons": _blocked_reasons(campaign),
        "warnings": list(campaign.warnings),
        "facts": dict(sorted(campaign.facts.to_json().items())),
        "insight": insight_json(campaign.insight),
    }


def _changes(campaign: CampaignPlan) -> list[dict[str, Any]]:
    return [
        {"action": a.kind.value, "field": c.field, "old": plain(c.old), "new": plain(c.new)}
        for a in campaign.actions
        for c in a.changes
    ]


def _blocked_reasons(campaign: CampaignPlan) -> list[dict[str, Any]]:
    return [
        {"action": a.kind.value, **a.blocked.to_json()}
        for a in campaign.actions
        if a.blocked is not None
    ]
