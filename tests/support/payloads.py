"""A payload's trip through a saved plan, for each vendor's payload tests."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan.payload import Payload
from reconciler.plan.values import Action, ActionKind, PayloadTypes


def written_and_read(
    kind: ActionKind, payload: Payload, payloads: PayloadTypes
) -> tuple[Any, Action]:
    """The payload's JSON as a saved plan holds it, and the action read back from that file."""
    written = json.loads(json.dumps(Action(kind, payload=payload).to_json()))
    return written["payload"], Action.from_json(written, payloads=payloads)
