"""The team's account links and lead lists: names in the YAML, ids on the wire.

The YAML names account links by X username (case-insensitive, a leading ``@`` allowed) and
lead lists by name (exact, or case-insensitive when that picks one list). Both are read once
per plan (``GET /account-links``, ``GET /lists``); an unknown or ambiguous name is a located
problem with a did-you-mean, so the plan never sends an id it had to guess.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Problem
from reconciler.config.yamlload import LocatedDict, LocatedList
from reconciler.providers.inbox.model import InboxCampaign


def username_key(name: str) -> str:
    """X usernames are case-insensitive; ``@founder_x`` and ``Founder_X`` are one account."""
    return name.strip().lstrip("@").lower()


def first_of(obj: Mapping[str, Any], *names: str, default: Any = None) -> Any:
    """The first key present: vendor doc versions spell some fields differently."""
    for name in names:
        if name in obj:
            return obj[name]
    return default


@dataclass
class Directory:
    """Account links and lists of one Inbox team, indexed both ways."""

    link_ids: dict[str, str] = field(default_factory=dict)  # username key → id
    usernames: dict[str, str] = field(default_factory=dict)  # id → username key
    link_status: dict[str, str] = field(default_factory=dict)  # id → status
    list_names: dict[str, str] = field(default_factory=dict)  # id → name
    list_counts: dict[str, int] = field(default_factory=dict)  # id → leadsCount

    def add_links(self, links: Sequence[Mapping[str, Any]]) -> None:
        for link in links:
            link_id = str(link["id"])
            key = username_key(str(first_of(link, "username", "screenName", default=link_id)))
            self.link_ids[key] = link_id
            self.usernames[link_id] = key
            self.link_status[link_id] = str(link.get("status") or "")

    def add_lists(self, lists: Sequence[Mapping[str, Any]]) -> None:
        for item in lists:
            list_id = str(item["id"])
            self.list_names[list_id] = str(item.get("name") or list_id)
            count = first_of(item, "leadsCount", "leadCount", "count", default=0)
            self.list_counts[list_id] = count if isinstance(count, int) else 0

    def link_id(self, username: str) -> str | None:
        return self.link_ids.get(username_key(username))

    def list_ids(self, name: str) -> list[str]:
        """Ids of the lists called ``name``: exact matches, else case-insensitive ones."""
        exact = [i for i, n in self.list_names.items() if n == name]
        if exact:
            return exact
        return [i for i, n in self.list_names.items() if n.lower() == name.lower()]

    def list_id(self, name: str) -> str | None:
        found = self.list_ids(name)
        return found[0] if len(found) == 1 else None

    def canonical_list(self, name: str) -> str:
        """The vendor's spelling of a list name (the name itself when it is not unique)."""
        found = self.list_id(name)
        return self.list_names[found] if found else name

    def problems(self, doc: CampaignDoc) -> list[Problem]:
        """One located problem per unknown username or unknown/ambiguous list name."""
        campaign = doc.campaign
        assert isinstance(campaign, InboxCampaign)
        out = [
            self._unknown_link(doc.data, i, name)
            for i, name in enumerate(campaign.account_links or [])
            if self.link_id(name) is None
        ]
        rules = doc.data.get("rules")
        for key in ("include_lists", "exclude_lists"):
            names = rules.get(key) if isinstance(rules, LocatedDict) else None
            if isinstance(names, LocatedList):
                out += [
                    p for i, n in enumerate(names) if (p := self._list_problem(names, key, i, n))
                ]
        return out

    def _unknown_link(self, data: LocatedDict, index: int, name: str) -> Problem:
        known = sorted(self.link_ids)
        close = difflib.get_close_matches(username_key(name), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"linked accounts: {', '.join(known)}"
        where = data["account_links"].value_location(index)
        return Problem(
            where, f"account_links[{index}]: no linked X account {name!r} in Inbox", hint
        )

    def _list_problem(self, names: LocatedList, key: str, index: int, name: Any) -> Problem | None:
        found = self.list_ids(str(name))
        where = names.value_location(index)
        if len(found) == 1:
            return None
        if found:
            ids = ", ".join(sorted(found))
            message = f"rules.{key}[{index}]: {len(found)} lists are named {name!r} ({ids})"
            return Problem(where, message, "rename the duplicates in Inbox so each name is unique")
        known = sorted(set(self.list_names.values()))
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"lists: {', '.join(known)}"
        return Problem(where, f"rules.{key}[{index}]: no list {name!r} in Inbox", hint)
