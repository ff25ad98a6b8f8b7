"""The preview as immutable values: what each campaign's recipients get, rendered offline.

Vendors build these (``providers/<vendor>/preview.py``), the engine collects them
(``engine/preview.py``) and the renderers show them (``render/preview_*.py``): they live here,
below both, like the plan's values. Every text in them is untrusted (campaign content, lead
data); each renderer escapes for its own medium.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PreviewOptions:
    """What ``camp preview`` was asked for (validated by the CLI and the engine)."""

    at: datetime  # the moment of sending, for computed fields (aware)
    leads: tuple[str, ...] = ()  # --lead emails, as typed
    sample: int = 3
    seed: int = 0
    spin_all: bool = False
    variables: Mapping[str, str] = field(default_factory=dict)  # --var NAME=VALUE


@dataclass(frozen=True)
class Message:
    """One message as its recipient gets it: ``body`` is the text the vendor sends (plain
    text, or the stored Markdown of an email), ``html`` its rendering when it has one."""

    title: str
    body: str
    subject: str | None = None
    headers: tuple[tuple[str, str], ...] = ()  # from, reply-to, preheader…
    html: str | None = None


@dataclass(frozen=True)
class Recipient:
    """The messages one recipient gets (a lead of the CSV, or sample values)."""

    label: str
    fields: tuple[tuple[str, str], ...] = ()  # the values personalization read
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A whole-audience warning, located in the campaign's files."""

    location: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class BranchCount:
    label: str
    count: int


@dataclass(frozen=True)
class BranchShare:
    """How the leads that reach one Liquid block split over its branches."""

    location: str
    block: str
    reached: int
    total: int
    branches: tuple[BranchCount, ...]


@dataclass(frozen=True)
class CampaignPreview:
    """One campaign's rendered messages and what holds for its whole audience."""

    account: str
    kind: str
    name: str
    source: str
    facts: tuple[tuple[str, str], ...] = ()  # timezone, sending windows, audience…
    recipients: tuple[Recipient, ...] = ()
    timeline: tuple[str, ...] = ()  # an Inbox sequence, step by step
    findings: tuple[Finding, ...] = ()
    branches: tuple[BranchShare, ...] = ()
    notes: tuple[str, ...] = ()
    leads_found: frozenset[str] = frozenset()  # the --lead emails this campaign has (lower)
    variables: frozenset[str] = frozenset()  # the --var names this campaign reads


@dataclass(frozen=True)
class Preview:
    """Every campaign in scope, in the order of their files."""

    at: str
    campaigns: tuple[CampaignPreview, ...]


@dataclass(frozen=True)
class PlanPreview:
    """One rendered sample shown under a Markdown plan: why (``content changes``, ``launch``…)
    and the campaign's preview cut to its first recipient."""

    reasons: tuple[str, ...]
    preview: CampaignPreview
