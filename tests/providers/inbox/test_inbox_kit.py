"""Shared pieces of the Inbox provider tests: an in-process sandbox, a request recorder, docs.

No tests here: the provider talks to ``reconciler.sandbox`` through ``httpx.ASGITransport``, and
every request it sends (method, path below the mount, JSON body) is recorded for assertions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
from starlette.applications import Starlette

from reconciler.config.loader import CampaignDoc
from reconciler.engine.workspace import load_workspace
from reconciler.plan.values import CampaignPlan
from reconciler.providers.base import ExecState, LiveCampaign, PlanOptions
from reconciler.providers.http.client import ApiClient
from reconciler.providers.inbox.profile import PROFILE as INBOX
from reconciler.providers.inbox.provider import InboxProvider
from reconciler.sandbox import inbox
from reconciler.sandbox.app import build_app
from tests.support.recorder import Recorder

KEY = "sandbox-key"
ROOT = "http://sandbox.test"
MOUNT = "/inbox/api/v1"
LINK_1 = "acct0000000000000000000001"
SAAS, CUSTOMERS, DNC = (f"list000000000000000000000{i}" for i in (1, 2, 3))
T = TypeVar("T")

CAMP_YAML = """\
accounts:
  dm:
    provider: inbox
    api_key_env: INBOX_API_KEY
"""


def sandbox_app() -> Starlette:
    return build_app(vendors=[inbox.VENDOR], api_key=KEY)


def run(
    scenario: Callable[[InboxProvider, Recorder], Awaitable[T]],
    transport: httpx.AsyncBaseTransport,
) -> T:
    """Run ``scenario`` with a fresh provider whose requests go through ``transport``."""

    async def main() -> T:
        recorder = Recorder(transport, mount=MOUNT)
        async with httpx.AsyncClient(transport=recorder) as client:
            api = ApiClient(client, profile=INBOX, api_key=KEY, base_url=ROOT + MOUNT)
            return await scenario(InboxProvider(api=api, account="dm"), recorder)

    return asyncio.run(main())


def asgi(app: Starlette) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=app)


def load_doc(tmp_path: Path, text: str) -> CampaignDoc:
    """One valid Inbox document, loaded as ``camp plan`` loads it."""
    (tmp_path / "camp.yaml").write_text(CAMP_YAML)
    (tmp_path / "c.yaml").write_text(text)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert not ws.errors, [str(p) for p in ws.errors]
    [doc] = ws.campaigns
    return doc


async def plan_one(provider: InboxProvider, doc: CampaignDoc) -> CampaignPlan:
    """What the engine does for one document: list, resolve, match by name, fetch, plan."""
    live = [s for s in await provider.list_live() if s.name == doc.campaign.name]
    problems = await provider.resolve([doc])
    assert not problems, [str(p) for p in problems]
    fetched: LiveCampaign | None = await provider.fetch(live[0], doc) if live else None
    return provider.plan(doc, fetched, PlanOptions())


async def apply_one(provider: InboxProvider, plan: CampaignPlan) -> ExecState:
    state = ExecState(live_id=plan.live_id)
    for action in plan.actions:
        assert action.blocked is None, action.blocked
        await provider.execute(plan, action, state)
    return state
