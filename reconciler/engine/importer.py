"""``camp import``: live campaigns → YAML documents (and their files), ready to write.

Names become file stems (``[camp] Q1 founders`` → ``camp-q1-founders``); two live campaigns
with one name get their ids in the stem and an ``id:`` pin, so the next plan can tell them
apart. The round trip is the contract: the imported files plan empty.
"""

from __future__ import annotations

import asyncio
import fnmatch
import re
from collections import Counter
from dataclasses import dataclass

from reconciler.providers.base import Exported, LiveSummary, Provider
from reconciler.providers.progress import Phase, plural

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Imported:
    summary: LiveSummary
    stem: str
    exported: Exported


def slug(name: str) -> str:
    return _NOT_SLUG.sub("-", name.lower()).strip("-")[:60].strip("-") or "campaign"


def _stems(live: list[LiveSummary]) -> dict[str, str]:
    names = Counter(s.name for s in live)
    stems = Counter(slug(s.name) for s in live)
    out = {}
    for s in live:
        stem = slug(s.name)
        out[s.id] = f"{stem}-{s.id[:8]}" if names[s.name] > 1 or stems[stem] > 1 else stem
    return out


async def import_campaigns(
    provider: Provider, *, match: str = "*", parallelism: int = 8
) -> list[Imported]:
    """Every live campaign whose name matches ``match`` (a glob), exported."""
    account = provider.account
    phase = Phase(f"import {account}", f"{account}: listing live campaigns")
    live = [s for s in await provider.list_live() if fnmatch.fnmatchcase(s.name, match)]
    phase.count(len(live), text=f"{account}: exporting campaigns")
    stems = _stems(live)
    duplicated = {n for n, count in Counter(s.name for s in live).items() if count > 1}
    sem = asyncio.Semaphore(max(1, parallelism))

    async def one(summary: LiveSummary) -> Imported:
        async with sem:
            exported = await provider.export(summary, file_stem=stems[summary.id])
        phase.step()
        if summary.name in duplicated:
            document = {**exported.document}
            document = _with_id(document, summary.id)
            exported = Exported(document, exported.files, exported.notes)
        return Imported(summary, stems[summary.id], exported)

    results = await asyncio.gather(*(one(s) for s in live))
    phase.finish(f"{account}: exported {plural(len(live), 'campaign')} in {phase.elapsed}")
    return sorted(results, key=lambda i: (i.stem, i.summary.id))


def _with_id(document: dict[str, object], live_id: str) -> dict[str, object]:
    """Insert ``id:`` right after ``name:`` (where a reader looks for it)."""
    out: dict[str, object] = {}
    for key, value in document.items():
        out[key] = value
        if key == "name":
            out["id"] = live_id
    return out
