"""The preview for programs: one JSON object with a ``version``, every campaign, its
recipients' messages (text, and HTML for an email), its findings and branch shares."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan.preview import CampaignPreview, Message, Preview, Recipient

JSON_VERSION = 1


def render_preview_json(preview: Preview) -> str:
    body = {
        "version": JSON_VERSION,
        "at": preview.at,
        "campaigns": [campaign_json(c) for c in preview.campaigns],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def campaign_json(c: CampaignPreview) -> dict[str, Any]:
    return {
        "account": c.account,
        "kind": c.kind,
        "name": c.name,
        "source": c.source,
        "facts": dict(c.facts),
        "notes": list(c.notes),
        "timeline": list(c.timeline),
        "recipients": [_recipient(r) for r in c.recipients],
        "findings": [
            {"location": f.location, "message": f.message, "hint": f.hint} for f in c.findings
        ],
        "branches": [
            {
                "location": s.location,
                "block": s.block,
                "reached": s.reached,
                "total": s.total,
                "branches": [{"label": b.label, "count": b.count} for b in s.branches],
            }
            for s in c.branches
        ],
    }


def _recipient(r: Recipient) -> dict[str, Any]:
    return {
        "label": r.label,
        "fields": dict(r.fields),
        "messages": [_message(m) for m in r.messages],
    }


def _message(m: Message) -> dict[str, Any]:
    return {
        "title": m.title,
        "subject": m.subject,
        "headers": dict(m.headers),
        "body": m.body,
        "html": m.html,
    }
