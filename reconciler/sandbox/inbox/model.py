"""Pure building blocks of the Inbox emulator: ids, timestamps and the campaign shape.

Kept free of SQLite and Starlette so that the store, the validators and the background
progressions can share them without importing each other.
"""

from __future__ import annotations

import itertools
import secrets
import string
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

STATUSES = ("draft", "active", "paused", "completed")
DEFAULT_MESSAGES_PER_HOUR = 8
DEFAULT_SCHEDULE: JSON = {str(day): {"start": 540, "end": 1020} for day in range(1, 6)}

#: Order of the keys of a campaign on the wire (the contract's order).
CAMPAIGN_KEYS = [
    "id",
    "name",
    "description",
    "status",
    "enabled",
    "dryRun",
    "targetsCount",
    "contactedCount",
    "repliedCount",
    "completionRate",
    "replyRate",
    "messagesPerHour",
    "timezone",
    "schedule",
    "rebalancing",
    "syncingLeads",
    "scopeAssessedCount",
    "accountLinkIds",
    "rules",
    "sequence",
    "automations",
    "createdAt",
    "updatedAt",
    "pausedAt",
    "completedAt",
    "startedAt",
]

_ALPHABET = string.digits + string.ascii_lowercase
_counter = itertools.count()


def base36(number: int, width: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = _ALPHABET[rest] + digits
    return digits.rjust(width, "0")[-width:]


def new_id(now: datetime) -> str:
    """A 24-char cuid-like id: ``c`` + time + counter + randomness, ``^[0-9a-z]+$``.

    Ids made in one millisecond sort in creation order, which keeps the list order stable.
    """
    millis = int(now.timestamp() * 1000)
    noise = "".join(secrets.choice(_ALPHABET) for _ in range(11))
    return "c" + base36(millis, 8) + base36(next(_counter), 4) + noise


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``: strings of this form sort by time."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive ones are taken as UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def new_campaign(campaign_id: str, now: datetime) -> JSON:
    """The stored form of a fresh draft (rules by list id; derived rates are computed on read)."""
    stamp = iso(now)
    return {
        "id": campaign_id,
        "name": "",
        "description": None,
        "status": "draft",
        "enabled": False,
        "dryRun": False,
        "targetsCount": 0,
        "contactedCount": 0,
        "repliedCount": 0,
        "messagesPerHour": DEFAULT_MESSAGES_PER_HOUR,
        "timezone": "UTC",
        "schedule": {day: dict(window) for day, window in DEFAULT_SCHEDULE.items()},
        "rebalancing": False,
        "syncingLeads": False,
        "scopeAssessedCount": 0,
        "accountLinkIds": [],
        "rules": empty_rules(),
        "sequence": {"version": 0, "steps": []},
        "automations": [],
        "createdAt": stamp,
        "updatedAt": stamp,
        "pausedAt": None,
        "completedAt": None,
        "startedAt": None,
    }


def empty_rules() -> JSON:
    """Stored rules: list ids, not names (names are looked up when a campaign is read)."""
    return {
        "syncedListIds": [],
        "excludedListIds": [],
        "excludeContacted": False,
        "excludeMutuals": False,
    }


def rates(doc: JSON) -> tuple[float, float]:
    """(completionRate, replyRate), both 0–1 and rounded to 4 places."""
    targets, contacted = doc["targetsCount"], doc["contactedCount"]
    if doc["status"] == "completed":
        completion = 1.0
    else:
        completion = min(contacted, targets) / targets if targets else 0.0
    reply = doc["repliedCount"] / contacted if contacted else 0.0
    return round(completion, 4), round(reply, 4)


def render(doc: JSON, list_names: dict[str, str]) -> JSON:
    """The campaign as the API returns it: contract keys in order, rules with list names."""
    completion, reply = rates(doc)
    wire = dict(
        doc, completionRate=completion, replyRate=reply, rules=render_rules(doc, list_names)
    )
    return {key: wire[key] for key in CAMPAIGN_KEYS}


def render_rules(doc: JSON, list_names: dict[str, str]) -> JSON:
    rules = doc["rules"]

    def named(ids: list[str]) -> list[JSON]:
        return [{"listId": list_id, "listName": list_names.get(list_id)} for list_id in ids]

    return {
        "syncedLists": named(rules["syncedListIds"]),
        "excludedLists": named(rules["excludedListIds"]),
        "excludeContacted": rules["excludeContacted"],
        "excludeMutuals": rules["excludeMutuals"],
    }
