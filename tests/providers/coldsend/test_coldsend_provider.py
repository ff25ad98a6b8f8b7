"""ColdSend provider: the exact requests it sends, in-process against the sandbox app."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.config.loader import CampaignDoc
from reconciler.engine.workspace import load_workspace
from reconciler.plan.values import ActionKind, CampaignPlan
from reconciler.providers.base import ExecState, LiveCampaign, PlanOptions
from reconciler.providers.coldsend.payloads import LeadsUpload
from reconciler.providers.coldsend.provider import ColdSendProvider
from reconciler.providers.http.client import ApiClient
from reconciler.providers.registry import vendor_for
from reconciler.sandbox.app import build_app
from reconciler.sandbox.coldsend import VENDOR
from tests.support.recorder import Recorder

MOUNT = "/coldsend/api/public/v1"
BASE = "http://sandbox" + MOUNT
ALEX = "11111111-1111-4111-8111-000000000001"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder(httpx.ASGITransport(app=build_app(vendors=[VENDOR])), mount=MOUNT)


@pytest.fixture
def provider(recorder: Recorder) -> Iterator[ColdSendProvider]:
    client = httpx.AsyncClient(transport=recorder)
    api = ApiClient(
        client, profile=vendor_for("coldsend").profile, api_key="sandbox-key", base_url=BASE
    )
    yield ColdSendProvider(api=api, account="cold")
    asyncio.run(client.aclose())


def _doc(tmp_path: Path, body: str, leads: str | None = None) -> CampaignDoc:
    (tmp_path / "camp.yaml").write_text(
        "accounts:\n  cold:\n    provider: coldsend\n    api_key_env: K\n"
    )
    (tmp_path / "c.yaml").write_text(
        "kind: coldsend/campaign\nname: '[camp] Unit test one'\n" + body
    )
    if leads is not None:
        (tmp_path / "leads.csv").write_text(leads)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "c.yaml"])
    assert not ws.errors, ws.errors
    return ws.campaigns[0]


async def _plan(
    provider: ColdSendProvider, doc: CampaignDoc
) -> tuple[CampaignPlan, LiveCampaign | None]:
    assert await provider.resolve([doc]) == []
    live = [s for s in await provider.list_live() if s.name == doc.campaign.name]
    fetched = await provider.fetch(live[0], doc) if live else None
    return provider.plan(doc, fetched, PlanOptions()), fetched


async def _apply(provider: ColdSendProvider, plan: CampaignPlan) -> ExecState:
    state = ExecState(live_id=plan.live_id)
    for action in plan.actions:
        await provider.execute(plan, action, state)
    return state


VARIANT = """\
variants:
  - variant_name: a
    subject_template: Hello
    email_content: Hi there, a short note.
    distribution_percent: 100
"""


def test_create_sends_post_then_one_put_for_the_rest(
    provider: ColdSendProvider, recorder: Recorder, tmp_path: Path
) -> None:
    doc = _doc(tmp_path, "timezone: Europe/Berlin\ninboxes: [Alex@Outbound.example]\n" + VARIANT)

    async def go() -> None:
        plan, _ = await _plan(provider, doc)
        assert [a.kind for a in plan.actions] == [ActionKind.CREATE]
        await _apply(provider, plan)

    asyncio.run(go())
    [(post, post_path, created), (put, put_path, configured)] = recorder.writes()
    assert (post, post_path) == ("POST", "/campaigns")
    assert created == {"name": "[camp] Unit test one", "timezone": "Europe/Berlin"}
    assert put == "PUT" and put_path.startswith("/campaigns/")
    assert configured == {
        "inbox_ids": [ALEX],
        "variants": [
            {
                "variant_name": "A",
                "subject_template": "Hello",
                "email_content": "Hi there, a short note.",
                "distribution_percent": 100,
            }
        ],
    }


def test_update_sends_only_the_changed_fields(
    provider: ColdSendProvider, recorder: Recorder, tmp_path: Path
) -> None:
    async def go() -> None:
        await _apply(
            provider, (await _plan(provider, _doc(tmp_path, "sending_window_end: 16\n")))[0]
        )
        recorder.sent.clear()
        doc = _doc(tmp_path, "sending_window_end: 18\nenable_tracking: false\n")
        plan, _ = await _plan(provider, doc)
        assert [c.field for a in plan.actions for c in a.changes] == ["sending_window_end"]
        await _apply(provider, plan)

    asyncio.run(go())
    [(method, _, body)] = recorder.writes()
    assert method == "PUT" and body == {"sending_window_end": 18}


def test_applied_campaign_plans_empty(provider: ColdSendProvider, tmp_path: Path) -> None:
    body = "timezone: Asia/Tokyo\nsending_days: [5, 1]\nstart_date: '2027-01-04'\n"
    body += "inboxes: [alex@outbound.example]\n" + VARIANT

    async def go() -> CampaignPlan:
        doc = _doc(tmp_path, body)
        await _apply(provider, (await _plan(provider, doc))[0])
        return (await _plan(provider, doc))[0]

    assert asyncio.run(go()).actions == ()


def test_leads_upload_only_new_emails_then_poll(
    provider: ColdSendProvider, recorder: Recorder, tmp_path: Path
) -> None:
    async def go() -> CampaignPlan:
        doc = _doc(tmp_path, "leads: leads.csv\n", "email,first_name\na@x.example,A\n")
        await _apply(provider, (await _plan(provider, doc))[0])
        recorder.sent.clear()
        doc = _doc(
            tmp_path, "leads: leads.csv\n", "email,first_name\nA@x.example,A\nb@x.example,B\n"
        )
        plan, _ = await _plan(provider, doc)
        await _apply(provider, plan)
        return plan

    plan = asyncio.run(go())
    upload = next(a for a in plan.actions if a.kind is ActionKind.UPLOAD_LEADS)
    assert upload.summary == "+1 lead (1 already present)"
    assert upload.payload == LeadsUpload(["email", "first_name"], [["b@x.example", "B"]])
    posts = [p for m, p, _ in recorder.sent if m == "POST"]
    assert len(posts) == 1 and posts[0].endswith("/leads")
    assert any(m == "GET" and "/leads/upload/" in p for m, p, _ in recorder.sent)


def test_unknown_inbox_is_reported_at_its_line(provider: ColdSendProvider, tmp_path: Path) -> None:
    doc = _doc(tmp_path, "inboxes:\n  - alex@outbound.example\n  - nobody@outbound.example\n")
    [problem] = asyncio.run(provider.resolve([doc]))
    assert str(problem.location).endswith("c.yaml:5:5")
    assert "no sender account 'nobody@outbound.example'" in problem.message
