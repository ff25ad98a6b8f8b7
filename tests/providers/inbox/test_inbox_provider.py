"""The Inbox provider against the in-process sandbox: the exact requests it sends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.plan.values import ActionKind
from reconciler.providers.base import ExecState, PlanOptions
from reconciler.providers.inbox.payloads import NewCampaign
from reconciler.providers.inbox.provider import InboxProvider
from tests.providers.inbox.test_inbox_kit import (
    CUSTOMERS,
    DNC,
    LINK_1,
    SAAS,
    Recorder,
    apply_one,
    asgi,
    load_doc,
    plan_one,
    run,
    sandbox_app,
)

FULL = """\
kind: inbox/campaign
name: Founders
description: Warm intro
timezone: Europe/Berlin
account_links: ["@Founder_X"]
messages_per_hour: {mph}
schedule:
  mon: "09:00-17:00"
  "3": {{start: 600, end: 720}}
rules:
  include_lists: [SaaS founders, existing customers]
  exclude_lists: [Do not contact]
  exclude_contacted: {contacted}
sequence:
  - message: "{{Hey|Hi}} {{{{first-name|there}}}}!"
  - delay: 2d
  - like_tweet: true
"""
STEPS = [
    {
        "type": "message",
        "data": {
            "segments": [
                {"type": "variation", "options": ["Hey", "Hi"]},
                {"type": "static", "text": " "},
                {"type": "variable", "name": "first-name", "fallback": "there"},
                {"type": "static", "text": "!"},
            ]
        },
    },
    {"type": "delay", "data": {"delaySeconds": 172_800, "unit": "days"}},
    {"type": "like-tweet", "data": {}},
]


def _full(mph: int = 6, contacted: str = "true") -> str:
    return FULL.format(mph=mph, contacted=contacted)


def test_create_sends_the_contract_requests_then_plans_empty(tmp_path: Path) -> None:
    doc = load_doc(tmp_path, _full())

    async def scenario(provider: InboxProvider, rec: Recorder) -> tuple[Any, Any]:
        plan = await plan_one(provider, doc)
        assert [a.kind for a in plan.actions] == [ActionKind.CREATE]
        state = await apply_one(provider, plan)
        writes = rec.writes()
        return state.live_id, (writes, (await plan_one(provider, doc)).actions)

    live_id, (writes, again) = run(scenario, asgi(sandbox_app()))
    path = f"/campaigns/v2/{live_id}"
    assert writes == [
        (
            "POST",
            "/campaigns/v2",
            {
                "name": "Founders",
                "accountLinkIds": [LINK_1],
                "timezone": "Europe/Berlin",
                "rules": {
                    "syncedListIds": [CUSTOMERS, SAAS],
                    "excludedListIds": [DNC],
                    "excludeContacted": True,
                },
            },
        ),
        (
            "PATCH",
            path,
            {
                "description": "Warm intro",
                "messagesPerHour": 6,
                "schedule": {"1": {"start": 540, "end": 1020}, "3": {"start": 600, "end": 720}},
            },
        ),
        ("PUT", f"{path}/sequence", {"steps": STEPS}),
    ]
    assert again == ()


def test_a_live_campaign_is_read_from_the_list_without_a_get_by_id(tmp_path: Path) -> None:
    """The list items are whole campaigns (inbox.md): planning one that exists costs the
    list page and the two look-ups, nothing per campaign."""
    doc = load_doc(tmp_path, _full())
    app = sandbox_app()
    run(lambda p, r: _create(p, doc), asgi(app))

    async def again(provider: InboxProvider, rec: Recorder) -> list[Any]:
        assert (await plan_one(provider, doc)).actions == ()
        return [(method, path) for method, path, _ in rec.sent]

    assert sorted(run(again, asgi(app))) == [
        ("GET", "/account-links"),
        ("GET", "/campaigns/v2"),
        ("GET", "/lists"),
    ]


def _edit(tmp_path: Path, first: str, second: str) -> list[Any]:
    """Create from ``first``, then apply ``second``; the writes of the second apply."""
    app = sandbox_app()
    run(lambda p, r: _create(p, load_doc(tmp_path, first)), asgi(app))
    doc = load_doc(tmp_path, second)

    async def edit(provider: InboxProvider, rec: Recorder) -> list[Any]:
        await apply_one(provider, await plan_one(provider, doc))
        assert (await plan_one(provider, doc)).actions == ()
        return [(m, "/".join(p.split("/")[4:]), b) for m, p, b in rec.writes()]

    return run(edit, asgi(app))


async def _create(provider: InboxProvider, doc: Any) -> None:
    await apply_one(provider, await plan_one(provider, doc))


def test_a_setting_change_patches_only_that_field(tmp_path: Path) -> None:
    assert _edit(tmp_path, _full(), _full(mph=9)) == [("PATCH", "", {"messagesPerHour": 9})]


def test_a_rule_change_patches_only_that_rule(tmp_path: Path) -> None:
    writes = _edit(tmp_path, _full(), _full(contacted="false"))
    assert writes == [("PATCH", "rules", {"excludeContacted": False})]


def test_a_sequence_change_puts_the_whole_sequence(tmp_path: Path) -> None:
    second = _full().replace("delay: 2d", "delay: 12h")
    [(method, where, body)] = _edit(tmp_path, _full(), second)
    assert (method, where) == ("PUT", "sequence")
    assert body["steps"][1] == {"type": "delay", "data": {"delaySeconds": 43_200, "unit": "hours"}}


def test_lifecycle_requests(tmp_path: Path) -> None:
    app = sandbox_app()
    for state in ("active", "paused", "active", "paused", "absent"):
        doc = load_doc(
            tmp_path, _full().replace("name: Founders", f"name: Founders\nstate: {state}")
        )
        run(lambda p, r, d=doc: _create(p, d), asgi(app))  # type: ignore[misc]
    log = [(e["method"], e["path"]) for e in app.state.sandbox.log.entries if e["method"] != "GET"]
    campaign = log[0]  # the create
    assert campaign == ("POST", "/inbox/api/v1/campaigns/v2")
    verbs = [path.rsplit("/", 1)[-1] if m == "POST" else m for m, path in log[3:]]
    assert verbs == ["enable", "disable", "enable", "disable", "DELETE"]


def test_a_lost_create_response_adopts_the_campaign_by_name() -> None:
    created: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            created.append("c1")
            raise httpx.ReadError("connection reset", request=request)
        data = [{"id": "c1", "name": "Founders", "status": "draft"}] if created else []
        return httpx.Response(200, json={"data": data, "nextCursor": None})

    async def scenario(provider: InboxProvider, rec: Recorder) -> ExecState:
        state = ExecState(live_id=None)
        payload = {"create": {"name": "Founders", "accountLinkIds": [LINK_1]}, "sequence": None}
        live_id, adopted = await provider.create_or_adopt("Founders", payload["create"], state)
        assert (live_id, adopted) == ("c1", True)
        return state

    state = run(scenario, httpx.MockTransport(handler))
    assert state.notes == ["create response lost: adopted campaign c1"]
    assert created == ["c1"]  # the POST was never re-sent


# -- round trip through the vendor --------------------------------------------------------------

WORD = st.text(alphabet="abcXYZ ,.!?'", min_size=1, max_size=8)
VARIABLE = st.builds(
    lambda name, fallback: "{{" + name + ("|" + fallback if fallback else "") + "}}",
    st.sampled_from(["first-name", "last-name", "username", "custom_7x"]),
    st.one_of(st.just(""), WORD),
)
VARIATION = st.lists(WORD, min_size=2, max_size=3).map(lambda o: "{" + "|".join(o) + "}")
MESSAGE = st.lists(st.one_of(WORD, VARIABLE, VARIATION), min_size=1, max_size=4).map("".join)
STEP = st.one_of(
    MESSAGE.map(lambda m: {"message": m}),
    st.builds(lambda n, u: {"delay": f"{n}{u}"}, st.integers(1, 90), st.sampled_from("mhd")),
    st.just({"like_tweet": True}),
)
SEQUENCE = st.tuples(MESSAGE.map(lambda m: {"message": m}), st.lists(STEP, max_size=4))


def _yaml_steps(steps: list[dict[str, Any]]) -> str:
    return "".join(f"  - {json.dumps(step)}\n" for step in steps)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SEQUENCE)
def test_desired_sequence_equals_the_live_one_after_a_put(
    tmp_path: Path, generated: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    first, rest = generated
    text = "kind: inbox/campaign\nname: Roundtrip\naccount_links: [founder_x]\nsequence:\n"
    doc = load_doc(tmp_path, text + _yaml_steps([first, *rest]))

    async def scenario(provider: InboxProvider, rec: Recorder) -> tuple[Any, Any, Any]:
        plan = await plan_one(provider, doc)
        await apply_one(provider, plan)
        [summary] = await provider.list_live()
        live = await provider.fetch(summary, doc)
        again = provider.plan(doc, live, PlanOptions()).actions
        return live.view["sequence"], plan.actions[0].payload_as(NewCampaign).sequence, again

    live_steps, desired_steps, actions = run(scenario, asgi(sandbox_app()))
    assert live_steps == desired_steps
    assert actions == ()
