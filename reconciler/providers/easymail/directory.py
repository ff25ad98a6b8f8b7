"""The account's sender identities, lists and segments: the ids behind the YAML's names.

The YAML names a sender by its email address and an audience by list and segment names
(shared/spec.md); the API wants uuids. ``Directory`` holds both directions, so planning can
turn names into uuids for the wire and live uuids back into names for comparison, and knows
each list's and segment's ``contacts_count`` for the blast-radius fact.

Names are matched exactly (case included): a list shown back under a differently cased name
would be a perpetual diff. A name two lists share is ambiguous and reported, never guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Location, Problem
from reconciler.config.yamlload import LocatedDict
from reconciler.providers.easymail.model import EasymailCampaign


@dataclass(frozen=True)
class Named:
    """A list or segment: its uuid, its name and how many contacts it reaches."""

    uuid: str
    name: str
    contacts: int


@dataclass
class Table:
    """Lists or segments, by uuid and by name."""

    label: str  # "list" or "segment"
    by_uuid: dict[str, Named] = field(default_factory=dict)

    def add(self, item: Mapping[str, Any]) -> None:
        count = item.get("contacts_count")
        contacts = count if isinstance(count, int) else 0
        named = Named(str(item["uuid"]), str(item["name"]), contacts)
        self.by_uuid[named.uuid] = named

    def named(self, name: str) -> list[Named]:
        return [n for n in self.by_uuid.values() if n.name == name]

    def uuid_of(self, name: str | None) -> str | None:
        found = self.named(name) if name is not None else []
        return found[0].uuid if len(found) == 1 else None

    def name_of(self, uuid: str | None) -> str | None:
        """The name of a live uuid; an unknown uuid stays as it is (it still differs)."""
        if uuid is None:
            return None
        known = self.by_uuid.get(uuid)
        return known.name if known else uuid

    def contacts_of(self, name: str | None) -> int:
        found = self.named(name) if name is not None else []
        return found[0].contacts if len(found) == 1 else 0


@dataclass
class Directory:
    """Everything of the account that the YAML refers to by name."""

    identity_ids: dict[str, str] = field(default_factory=dict)  # email (lower) → uuid
    identity_emails: dict[str, str] = field(default_factory=dict)  # uuid → email (lower)
    lists: Table = field(default_factory=lambda: Table("list"))
    segments: Table = field(default_factory=lambda: Table("segment"))

    def add_identity(self, item: Mapping[str, Any]) -> None:
        email, uuid = str(item["email"]).lower(), str(item["uuid"])
        self.identity_ids[email] = uuid
        self.identity_emails[uuid] = email

    def identity_email(self, uuid: str | None, fallback: Any = None) -> str | None:
        """The sender email of a live ``from_identity`` uuid (the object's ``from_email``
        when the identity is no longer listed)."""
        if uuid is None:
            return None
        known = self.identity_emails.get(uuid)
        if known:
            return known
        return str(fallback).lower() if fallback else uuid

    def table(self, key: str) -> Table:
        return self.lists if key == "list" else self.segments


def resolve_problems(directory: Directory, docs: Iterable[CampaignDoc]) -> list[Problem]:
    """One located problem per sender email, list or segment name that names nothing."""
    problems: list[Problem] = []
    for doc in docs:
        campaign = doc.campaign
        assert isinstance(campaign, EasymailCampaign)
        identity = campaign.from_identity
        if identity is not None and identity.lower() not in directory.identity_ids:
            problems.append(_unknown_identity(directory, doc, identity))
        audience = campaign.audience
        for key in ("list", "segment"):
            name = getattr(audience, key) if audience is not None else None
            if name is not None:
                problems += _audience_problem(directory.table(key), doc, key, name)
    return problems


def _unknown_identity(directory: Directory, doc: CampaignDoc, email: str) -> Problem:
    known = sorted(directory.identity_ids)
    close = difflib.get_close_matches(email.lower(), known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"sender identities: {', '.join(known)}"
    where = doc.data.value_location("from_identity")
    return Problem(where, f"from_identity: no sender identity {email!r} in easymail", hint)


def _audience_problem(table: Table, doc: CampaignDoc, key: str, name: str) -> list[Problem]:
    found = table.named(name)
    if len(found) == 1:
        return []
    where = _audience_location(doc, key)
    field_name = f"audience.{key}"
    if found:
        ids = ", ".join(n.uuid for n in found)
        message = f"{field_name}: {len(found)} {table.label}s are named {name!r} ({ids})"
        return [Problem(where, message, f"rename all but one {table.label} in easymail")]
    names = sorted({n.name for n in table.by_uuid.values()})
    return [
        Problem(
            where, f"{field_name}: no {table.label} {name!r} in easymail", _suggest(names, name)
        )
    ]


def _suggest(names: list[str], wanted: str) -> str:
    by_folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(wanted.casefold(), list(by_folded), n=1)
    if close:
        return f"did you mean {by_folded[close[0]]!r}?"
    return f"known: {', '.join(names)}" if names else "the account has none"


def _audience_location(doc: CampaignDoc, key: str) -> Location:
    audience = doc.data.get("audience")
    if isinstance(audience, LocatedDict):
        return audience.value_location(key)
    return doc.data.value_location("audience")
