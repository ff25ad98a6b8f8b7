"""Retry-safe writes: a repeated transition or delete whose first attempt went through."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from reconciler.providers import crashsafe
from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import Conflict


def _api(status: int) -> ApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"detail": "Only ACTIVE campaigns can be paused"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://v")
    return ApiClient(client, profile=COLDSEND, api_key="k")


@pytest.mark.parametrize(("reached", "accepted"), [(True, True), (False, False)])
def test_a_refused_transition_is_success_only_when_live_shows_it_done(
    reached: bool, accepted: bool
) -> None:
    async def live_says() -> bool:
        return reached

    job = crashsafe.transition(_api(409), "/campaigns/1/pause", reached=live_says)
    if accepted:
        asyncio.run(job)
    else:
        with pytest.raises(Conflict):
            asyncio.run(job)


def test_deleting_what_is_already_gone_is_done() -> None:
    asyncio.run(crashsafe.delete(_api(404), "/campaigns/1"))
