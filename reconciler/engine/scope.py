"""Which documents a plan covers with ``--changed-since REF``: those a change touches.

A document is in scope when a file it refers to (leads CSV, ``content_file``) differs from
REF, or when its YAML file does and the document itself is not one REF already had word for
word in a changed file (so an edit to one document of a multi-document file scopes that one,
and a document moved to another file none). Documents that
REF had and the working tree no longer has (file deleted, document removed, campaign
renamed) are *deleted*: their account and name come from the YAML at REF, and with
``--prune`` they name the only live campaigns a scoped prune may delete. A change to
camp.yaml (accounts, guards, prune prefixes) puts every document in scope: the plan is then a
full one.

``includes`` runs in the loader's thread (documents are tested as they load, so their
account's live reads can start early); it only reads git and caches under a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.config.loader import YAML_SUFFIXES, CampaignDoc, Workspace
from reconciler.config.models import CampConfig
from reconciler.config.yamlload import LocatedDict, YamlError, load_documents
from reconciler.engine.changes import GitChanges
from reconciler.plan.values import CampaignRef, PlanScope
from reconciler.providers.registry import kinds


@dataclass(frozen=True)
class Deleted:
    """A document REF had and the working tree has not: the campaign it named."""

    ref: CampaignRef
    pinned_id: str | None


@dataclass(frozen=True)
class Selection:
    """The documents a scoped plan covers and the deleted ones it may prune."""

    docs: list[CampaignDoc]
    deleted: list[Deleted]
    everything: bool
    changed_since: str
    commit: str

    @classmethod
    def recorded(cls, ws: Workspace, scope: PlanScope) -> Selection:
        """The scope a saved plan recorded, over today's documents (``apply --verify``)."""
        wanted = set(scope.documents)
        docs = [
            d
            for d in ws.campaigns
            if scope.everything or CampaignRef(d.account, d.kind, d.campaign.name) in wanted
        ]
        deleted = [Deleted(ref, None) for ref in scope.deleted]
        return cls(docs, deleted, scope.everything, scope.changed_since, scope.commit)

    def plan_scope(self, accounts: Sequence[str], *, prune: bool) -> PlanScope:
        """What the plan says of its scope, for the accounts it covers (deleted documents of
        every account when they are only mentioned, not pruned)."""
        docs = [d for d in self.docs if d.account in accounts]
        return PlanScope(
            changed_since=self.changed_since,
            commit=self.commit,
            documents=tuple(CampaignRef(d.account, d.kind, d.campaign.name) for d in docs),
            deleted=tuple(x.ref for x in self.deleted if not prune or x.ref.account in accounts),
            pruned=prune,
            everything=self.everything,
        )


class ChangeScope:
    """Decides, document by document, whether the changes since REF touch it."""

    def __init__(self, changes: GitChanges, config_path: Path) -> None:
        self.changes = changes
        self.everything = changes.differs(config_path)
        self._old: dict[Path, list[Any] | None] = {}
        self._before: dict[tuple[str, str], list[Any]] | None = None
        self._lock = threading.Lock()

    def includes(self, doc: CampaignDoc) -> bool:
        if self.everything or any(self.changes.differs(f) for f in doc.files):
            return True
        if not self.changes.differs(doc.yaml_path):
            return False
        twins = self._documents_before().get(_key(doc.data) or ("", ""), [])
        return doc.data not in twins

    def _documents_before(self) -> dict[tuple[str, str], list[Any]]:
        """Every document of every changed YAML file at REF, by (kind, name)."""
        with self._lock:
            if self._before is None:
                before: dict[tuple[str, str], list[Any]] = {}
                for path in sorted(self.changes.changed):
                    if path.suffix in YAML_SUFFIXES:
                        for data in self._old_documents(path) or []:
                            key = _key(data)
                            if key is not None:
                                before.setdefault(key, []).append(data)
                self._before = before
            return self._before

    def old_documents(self, path: Path) -> list[Any] | None:
        """The documents of ``path`` at REF as plain data ([] when it did not exist there);
        None when they cannot be read (then all its documents count as changed)."""
        with self._lock:
            return self._old_documents(path)

    def _old_documents(self, path: Path) -> list[Any] | None:
        path = path.resolve()
        if path not in self._old:
            self._old[path] = _parse(self.changes.old_text(path), str(path))
        return self._old[path]

    def select(self, ws: Workspace, paths: Sequence[Path]) -> Selection:
        """The documents of ``ws`` in scope, and those deleted under ``paths`` since REF."""
        docs = [d for d in ws.campaigns if self.includes(d)]
        deleted = [] if ws.config is None else self._deleted(ws, ws.config, paths)
        changes = self.changes
        return Selection(docs, deleted, self.everything, changes.ref, changes.commit)

    def _deleted(self, ws: Workspace, config: CampConfig, paths: Sequence[Path]) -> list[Deleted]:
        roots = [p.resolve() for p in paths]
        names = {(d.account, d.campaign.name) for d in ws.campaigns}
        pinned = {d.campaign.id for d in ws.campaigns if d.campaign.id}
        found: dict[CampaignRef, Deleted] = {}
        for path in sorted(self.changes.changed):
            if path.suffix not in YAML_SUFFIXES or not _under(path, roots):
                continue
            for data in self.old_documents(path) or []:
                gone = _identity(data, config)
                if gone is None or (gone.ref.account, gone.ref.name) in names:
                    continue
                if gone.pinned_id is None or gone.pinned_id not in pinned:
                    found.setdefault(gone.ref, gone)
        return list(found.values())


def _parse(text: str | None, display: str) -> list[Any] | None:
    if text is None:
        return []
    try:
        return [doc.data for doc in load_documents(text, display)]
    except YamlError:
        return None


def _key(data: Any) -> tuple[str, str] | None:
    """(kind, name) of a document, when both are strings."""
    if not isinstance(data, LocatedDict):
        return None
    kind, name = data.get("kind"), data.get("name")
    return (kind, name) if isinstance(kind, str) and isinstance(name, str) else None


def _under(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _identity(data: Any, config: CampConfig) -> Deleted | None:
    """The campaign an old document named: kind, account (or the kind's only account), name."""
    if not isinstance(data, LocatedDict):
        return None
    kind, name, account = data.get("kind"), data.get("name"), data.get("account")
    provider = {spec.kind: spec.provider for spec in kinds()}.get(str(kind))
    if provider is None or not isinstance(name, str):
        return None
    if account is None:
        keys = [k for k, a in config.accounts.items() if a.provider == provider]
        account = keys[0] if len(keys) == 1 else None
    spec = config.accounts.get(account) if isinstance(account, str) else None
    if spec is None or spec.provider != provider:
        return None
    pinned = data.get("id")
    ref = CampaignRef(str(account), str(kind), name)
    return Deleted(ref, pinned if isinstance(pinned, str) else None)
