"""Every run makes the minimum calls, for every vendor: pinned request by request.

A plan of a campaign that exists reads its account's list page, the look-ups its references
need (once), and the campaign itself only when the list item is not the whole campaign
(Inbox's is, inbox.md), plus ColdSend's leads when the YAML manages leads. A saved plan's
freshness check and ``camp import`` follow the same rule. The in-process sandbox answers;
every request is recorded.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from starlette.applications import Starlette

from reconciler.config.loader import Workspace
from reconciler.engine import facade
from reconciler.engine.applier import apply_plan
from reconciler.engine.freshness import check_fresh
from reconciler.engine.importer import import_campaigns
from reconciler.engine.planner import PlanResult
from reconciler.engine.workspace import load_workspace
from reconciler.providers.base import Provider
from reconciler.providers.http.client import ApiClient
from reconciler.providers.registry import vendor_for
from reconciler.sandbox.app import build_app
from tests.support.recorder import Recorder

T = TypeVar("T")
KEY = "sandbox-key"
MOUNTS = {
    "coldsend": "/coldsend/api/public/v1",
    "easymail": "/easymail/api/v1",
    "inbox": "/inbox/api/v1",
}
ACCOUNTS = {"coldsend": "cold", "easymail": "news", "inbox": "dm"}
DOCS = {
    "coldsend": """\
kind: coldsend/campaign
name: "[camp] Minimum calls"
inboxes: [alex@outbound.example]
leads: leads.csv
variants:
  - {variant_name: A, subject_template: Hello, email_content: "Hi there, a short note.",
     distribution_percent: 100}
""",
    "easymail": """\
kind: easymail/campaign
name: "[camp] Minimum calls"
subject: Hello
from_identity: news@brand.example
audience: {list: Customers}
content: "Hello there."
""",
    "inbox": """\
kind: inbox/campaign
name: "[camp] Minimum calls"
account_links: [founder_x]
rules: {include_lists: [SaaS founders]}
sequence:
  - message: Hello there
""",
}
LOOKUPS = {
    "coldsend": ["GET /sender-accounts"],
    "easymail": ["GET /sender-identities", "GET /lists", "GET /segments"],
    "inbox": ["GET /account-links", "GET /lists"],
}
LIST = {"coldsend": "GET /campaigns", "easymail": "GET /campaigns", "inbox": "GET /campaigns/v2"}
# What reading one campaign costs when its list item is not the whole campaign.
READ = {
    "coldsend": ["GET /campaigns/{id}"],
    "easymail": ["GET /campaigns/{id}"],
    "inbox": [],
}
LEADS = {"coldsend": ["GET /campaigns/{id}/leads"], "easymail": [], "inbox": []}
_ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-z]{20,})(?=/|$)")


def _workspace(tmp_path: Path, vendor: str, text: str) -> Workspace:
    account = ACCOUNTS[vendor]
    (tmp_path / "camp.yaml").write_text(
        f"accounts:\n  {account}:\n    provider: {vendor}\n    api_key_env: K\n"
    )
    (tmp_path / "leads.csv").write_text("email,first_name\nada@example.com,Ada\n")
    (tmp_path / "c.yaml").write_text(text)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert not ws.errors, [str(p) for p in ws.errors]
    return ws


def _run(
    app: Starlette, vendor: str, job: Callable[[Provider], Awaitable[T]]
) -> tuple[T, Counter[str]]:
    """``job`` with a fresh provider (nothing cached); the requests it sent, by shape."""
    mount = MOUNTS[vendor]
    recorder = Recorder(httpx.ASGITransport(app=app), mount=mount)

    async def main() -> T:
        async with httpx.AsyncClient(transport=recorder) as client:
            profile = vendor_for(vendor).profile
            api = ApiClient(client, profile=profile, api_key=KEY, base_url="http://sb" + mount)
            provider = vendor_for(vendor).provider_class()(api=api, account=ACCOUNTS[vendor])
            return await job(provider)

    result = asyncio.run(main())
    return result, Counter(
        f"{method} {_ID.sub('/{id}', path)}" for method, path, _ in recorder.sent
    )


async def _plan(ws: Workspace, provider: Provider) -> PlanResult:
    assert ws.config is not None
    providers = {provider.account: provider}
    return await facade.make_plan(ws, ws.config, providers, prune=False, force=False, parallelism=8)


@pytest.fixture
def app() -> Starlette:
    return build_app(api_key=KEY)


@pytest.fixture(params=list(MOUNTS))
def vendor(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def ws(tmp_path: Path, vendor: str) -> Workspace:
    return _workspace(tmp_path, vendor, DOCS[vendor])


@pytest.fixture
def live(app: Starlette, ws: Workspace, vendor: str) -> Workspace:
    """``ws`` once its campaign exists (created through the engine)."""

    async def create(provider: Provider) -> None:
        result = await _plan(ws, provider)
        outcomes = await apply_plan(result.plan, {provider.account: provider})
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]

    _run(app, vendor, create)
    return ws


def test_a_no_op_plan_reads_the_list_the_lookups_and_only_what_the_list_lacks(
    app: Starlette, vendor: str, live: Workspace
) -> None:
    result, sent = _run(app, vendor, lambda p: _plan(live, p))
    assert not result.plan.has_changes
    expected = [LIST[vendor], *LOOKUPS[vendor], *READ[vendor], *LEADS[vendor]]
    assert sent == Counter(expected)


def test_a_new_campaign_costs_the_list_and_the_lookups_only(
    app: Starlette, vendor: str, ws: Workspace
) -> None:
    _, sent = _run(app, vendor, lambda p: _plan(ws, p))
    assert sent == Counter([LIST[vendor], *LOOKUPS[vendor]])


def test_a_saved_plan_check_reads_no_more_than_the_fingerprints_need(
    tmp_path: Path, app: Starlette, vendor: str, live: Workspace
) -> None:
    edited = _workspace(tmp_path, vendor, DOCS[vendor].replace("Hello", "Hello again", 1))
    result, _ = _run(app, vendor, lambda p: _plan(edited, p))
    assert result.plan.has_changes
    fresh, sent = _run(app, vendor, lambda p: check_fresh(result.plan, {p.account: p}))
    assert fresh.stale == []
    assert sent == Counter([LIST[vendor], *LOOKUPS[vendor], *READ[vendor]])


def test_import_reads_the_list_the_lookups_and_only_what_the_list_lacks(
    app: Starlette, vendor: str, live: Workspace
) -> None:
    imported, sent = _run(app, vendor, lambda p: import_campaigns(p))
    assert [i.summary.name for i in imported] == ["[camp] Minimum calls"]
    assert sent == Counter([LIST[vendor], *LOOKUPS[vendor], *READ[vendor], *LEADS[vendor]])
