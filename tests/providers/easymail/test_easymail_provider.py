"""The easymail provider over HTTP: the exact requests it sends, against the sandbox app
(``httpx.ASGITransport``) and, for lost responses and conflicts, ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.plan.values import ActionKind, CampaignPlan
from reconciler.providers.base import ExecState, PlanOptions
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.easymail.provider import EasymailProvider
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import Conflict
from reconciler.providers.registry import vendor_for
from reconciler.sandbox.app import build_app
from reconciler.sandbox.easymail import EasymailVendor
from tests.providers.easymail.test_easymail_planning import CUSTOMERS, IDENTITY, READY, load_doc
from tests.support.recorder import Recorder, Sent

KEY = "sandbox-key"
ROOT = "http://sandbox.test"
MOUNT = "/easymail/api/v1"
OPTIONS = PlanOptions(now_iso="2000-01-01T00:00:00Z")


async def _no_sleep(seconds: float) -> None:
    return None


def provider_over(transport: httpx.AsyncBaseTransport) -> EasymailProvider:
    client = httpx.AsyncClient(transport=transport, base_url=ROOT + MOUNT)
    api = ApiClient(client, profile=EASYMAIL, api_key=KEY, sleep=_no_sleep)
    return EasymailProvider(api=api, account="news")


class Session:
    """The provider over an in-process sandbox, with admin calls beside it."""

    def __init__(self) -> None:
        self.app = build_app(vendors=[EasymailVendor(transition_window=0.0)], api_key=KEY)
        self.recorder = Recorder(httpx.ASGITransport(app=self.app), mount=MOUNT)
        self.provider = provider_over(self.recorder)

    async def admin(self, path: str, body: Any) -> None:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=ROOT) as client:
            (await client.post(f"/_sandbox{path}", json=body)).raise_for_status()

    async def plan(self, tmp_path: Path, body: str) -> CampaignPlan:
        doc = load_doc(tmp_path, body)
        assert await self.provider.resolve([doc]) == []
        found = [s for s in await self.provider.list_live() if s.name == doc.campaign.name]
        live = await self.provider.fetch(found[0], doc) if found else None
        return self.provider.plan(doc, live, OPTIONS)

    async def apply(self, plan: CampaignPlan) -> ExecState:
        state = ExecState(live_id=plan.live_id)
        for action in plan.actions:
            assert action.blocked is None, action.blocked
            await self.provider.execute(plan, action, state)
        return state


def run(scenario: Callable[[Session], Awaitable[None]]) -> None:
    asyncio.run(scenario(Session()))


def test_package_exports() -> None:
    vendor = vendor_for("easymail")
    assert vendor.provider_class() is EasymailProvider
    assert vendor.profile.base_url == "https://email.easy.tools/api/v1"


def test_create_then_plan_is_empty(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        plan = await s.plan(tmp_path, READY)
        state = await s.apply(plan)
        [post] = s.recorder.writes()
        assert post == (
            "POST",
            "/campaigns",
            {
                "name": "News",
                "subject": "Hello",
                "from_name": "Brand News",
                "from_identity": IDENTITY,
                "content": "# Hi\n\nBody\n",
                "list_uuid": CUSTOMERS,
            },
        )
        assert state.live_id is not None
        assert (await s.plan(tmp_path, READY)).actions == ()

    run(scenario)


def test_directory_is_read_once(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        await s.plan(tmp_path, READY)
        await s.plan(tmp_path, READY)
        reads = [path for method, path, _ in s.recorder.sent if path != "/campaigns"]
        assert reads == ["/sender-identities", "/lists", "/segments"]

    run(scenario)


def test_update_patches_only_changed_fields(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        await s.apply(await s.plan(tmp_path, READY + "preheader: Pre\n"))
        s.recorder.sent.clear()
        edited = READY.replace("Hello", "Hi again") + "preheader: null\n"
        plan = await s.plan(tmp_path, edited)
        await s.apply(plan)
        assert s.recorder.writes() == [
            ("PATCH", f"/campaigns/{plan.live_id}", {"subject": "Hi again", "preheader": None})
        ]
        assert (await s.plan(tmp_path, edited)).actions == ()

    run(scenario)


@pytest.mark.parametrize("layout", ["styled", "multi-column"])
def test_overwrite_patch_carries_overwrite(tmp_path: Path, layout: str) -> None:
    async def scenario(s: Session) -> None:
        state = await s.apply(await s.plan(tmp_path, READY))
        await s.admin(f"/easymail/campaigns/{state.live_id}/dashboard-edit", {"layout": layout})
        blocked = await s.plan(tmp_path, READY)
        assert [a.kind for a in blocked.actions] == [ActionKind.OVERWRITE_CONTENT]
        assert blocked.blocked
        s.recorder.sent.clear()
        allowed = READY + "overwrite: true\n"
        await s.apply(await s.plan(tmp_path, allowed))
        assert s.recorder.writes() == [
            (
                "PATCH",
                f"/campaigns/{state.live_id}",
                {"content": "# Hi\n\nBody\n", "overwrite": True},
            )
        ]
        assert (await s.plan(tmp_path, allowed)).actions == ()

    run(scenario)


def test_transitions_send_the_documented_requests(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        scheduled = READY + "state: scheduled\nscheduled_at: 2099-01-01T09:00:00+01:00\n"
        state = await s.apply(await s.plan(tmp_path, scheduled))
        path = f"/campaigns/{state.live_id}"
        await s.apply(await s.plan(tmp_path, READY + "state: draft\n"))
        await s.apply(await s.plan(tmp_path, READY + "state: sent\n"))
        await s.apply(await s.plan(tmp_path, READY + "state: canceled\n"))
        await s.apply(await s.plan(tmp_path, READY + "state: absent\n"))
        assert [(m, p, b) for m, p, b in s.recorder.writes()][1:] == [
            ("POST", f"{path}/schedule", {"scheduled_at": "2099-01-01T08:00:00Z"}),
            ("POST", f"{path}/unschedule", None),
            ("POST", f"{path}/send", None),
            ("POST", f"{path}/cancel", None),
            ("DELETE", path, None),
        ]

    run(scenario)


def _mock(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[EasymailProvider, list[Sent]]:
    sent: list[Sent] = []

    def record(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        sent.append((request.method, request.url.path.removeprefix(MOUNT), body))
        return handler(request)

    return provider_over(httpx.MockTransport(record)), sent


def _campaign(status: str) -> dict[str, Any]:
    return {"data": {"uuid": "c1", "name": "News", "status": status}}


def test_lost_create_response_adopts_by_name(tmp_path: Path) -> None:
    listing = {"data": [{"uuid": "c1", "name": "News", "status": "draft"}], "pagination": {}}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            raise httpx.ReadError("connection dropped", request=request)
        if request.method == "GET":
            return httpx.Response(200, json=listing)
        return httpx.Response(200, json=_campaign("draft"))

    provider, sent = _mock(handler)
    plan = provider.plan(load_doc(tmp_path, "subject: Hi\n"), None, OPTIONS)
    state = ExecState(live_id=None)
    asyncio.run(provider.execute(plan, plan.actions[0], state))
    body = {"name": "News", "subject": "Hi"}
    assert sent == [
        ("POST", "/campaigns", body),
        ("GET", "/campaigns", None),
        ("PATCH", "/campaigns/c1", body),
    ]
    assert state.live_id == "c1"
    assert state.notes == ["create response lost: adopted campaign c1"]


@pytest.mark.parametrize(("live_status", "accepted"), [("queued", True), ("draft", False)])
def test_send_conflict_is_fine_only_when_it_already_went_out(
    tmp_path: Path, live_status: str, accepted: bool
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            error = {"code": "CAMPAIGN_NOT_SENDABLE", "message": "no"}
            return httpx.Response(409, json={"error": error})
        return httpx.Response(200, json=_campaign(live_status))

    provider, sent = _mock(handler)
    plan = provider.plan(load_doc(tmp_path, "state: sent\n"), None, OPTIONS)
    send = next(a for a in plan.actions if a.kind is ActionKind.SEND)
    attempt = provider.execute(plan, send, ExecState(live_id="c1"))
    if accepted:
        asyncio.run(attempt)
    else:
        with pytest.raises(Conflict):
            asyncio.run(attempt)
    assert sent == [("POST", "/campaigns/c1/send", None), ("GET", "/campaigns/c1", None)]


def test_resolve_reports_unknown_names_with_locations(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        body = "from_identity: newz@brand.example\naudience: {list: customers, segment: Nope}\n"
        doc = load_doc(tmp_path, body)
        problems = await s.provider.resolve([doc])
        shown = [(p.location.line, p.location.col, p.message, p.hint) for p in problems]
        assert shown == [
            (
                3,
                16,
                "from_identity: no sender identity 'newz@brand.example' in easymail",
                "did you mean 'news@brand.example'?",
            ),
            (4, 18, "audience.list: no list 'customers' in easymail", "did you mean 'Customers'?"),
            (
                4,
                38,
                "audience.segment: no segment 'Nope' in easymail",
                "known: Active last 30 days",
            ),
        ]

    run(scenario)
