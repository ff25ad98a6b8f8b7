"""Pagination strategies for the three vendors' list styles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.providers.coldsend.profile import PAGES as COLDSEND_PAGES
from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.easymail.profile import PAGES as EASYMAIL_PAGES
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import InvalidResponse
from reconciler.providers.http.paging import Cursor, PageNumbers, PageStyle
from reconciler.providers.http.profile import VendorProfile
from reconciler.providers.inbox.profile import PAGES as INBOX_PAGES
from reconciler.providers.inbox.profile import PROFILE as INBOX

Handler = Callable[[httpx.Request], dict[str, Any]]


def collect(
    handler: Handler,
    *,
    profile: VendorProfile,
    style: PageStyle,
    params: dict[str, str | int | float | bool | None] | None = None,
) -> tuple[list[Any], list[dict[str, str]]]:
    """All items paginate yields, and the query of every request it made."""
    queries: list[dict[str, str]] = []

    def respond(request: httpx.Request) -> httpx.Response:
        queries.append(dict(request.url.params))
        return httpx.Response(200, json=handler(request))

    async def main() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(respond)) as client:
            api = ApiClient(client, profile=profile, api_key="k", base_url="https://v.test")
            return [item async for item in api.paginate("/campaigns", style=style, params=params)]

    return asyncio.run(main()), queries


def test_coldsend_pages_until_has_next_is_false() -> None:
    def handler(request: httpx.Request) -> dict[str, Any]:
        page = int(request.url.params["page"])
        return {
            "success": True,
            "campaigns": [f"c{page}a", f"c{page}b"],
            "pagination": {"page": page, "limit": 2, "total": 5, "pages": 3, "has_next": page < 3},
        }

    style = PageNumbers(items_key="campaigns", size_param="limit", size=2)
    items, queries = collect(handler, profile=COLDSEND, style=style, params={"search": "[camp]"})
    assert items == ["c1a", "c1b", "c2a", "c2b", "c3a", "c3b"]
    assert queries == [{"search": "[camp]", "page": str(n), "limit": "2"} for n in (1, 2, 3)]


def test_easymail_pages_until_the_total_is_reached() -> None:
    def handler(request: httpx.Request) -> dict[str, Any]:
        page = int(request.url.params["page"])
        data = list(range((page - 1) * 100, min(page * 100, 250)))
        return {"data": data, "pagination": {"current_page": page, "per_page": 100, "total": 250}}

    items, queries = collect(handler, profile=EASYMAIL, style=EASYMAIL_PAGES)
    assert items == list(range(250))
    assert [q["page"] for q in queries] == ["1", "2", "3"]
    assert {q["per_page"] for q in queries} == {"100"}


def test_inbox_follows_the_cursor_until_it_is_null() -> None:
    cursors = {
        None: ({"id": "c2", "timestamp": "2024-05-01T10:00:00.000Z"}, ["a", "b"]),
        "c2": ({"id": "c3", "timestamp": "2024-04-01T10:00:00.000Z"}, ["c"]),
        "c3": (None, ["d"]),
    }

    def handler(request: httpx.Request) -> dict[str, Any]:
        next_cursor, data = cursors[request.url.params.get("cursorId")]
        return {"data": data, "nextCursor": next_cursor}

    items, queries = collect(handler, profile=INBOX, style=INBOX_PAGES)
    assert items == ["a", "b", "c", "d"]
    assert queries == [
        {"limit": "100"},
        {"limit": "100", "cursorId": "c2", "cursorTimestamp": "2024-05-01T10:00:00.000Z"},
        {"limit": "100", "cursorId": "c3", "cursorTimestamp": "2024-04-01T10:00:00.000Z"},
    ]


@pytest.mark.parametrize(
    ("pages", "calls"),
    [
        ([["a", "b"], ["c"]], 2),  # a short page ends the list
        ([["a", "b"], ["c", "d"], []], 3),  # so does an empty one
    ],
)
def test_page_numbers_without_metadata_stop_on_a_short_page(
    pages: list[list[str]], calls: int
) -> None:
    def handler(request: httpx.Request) -> dict[str, Any]:
        return {"items": pages[int(request.url.params["page"]) - 1]}

    style = PageNumbers(items_key="items", size=2)
    items, queries = collect(handler, profile=COLDSEND, style=style)
    assert items == [item for page in pages for item in page]
    assert len(queries) == calls


def test_a_cursor_that_does_not_move_is_an_invalid_response() -> None:
    def handler(request: httpx.Request) -> dict[str, Any]:
        return {"data": ["x"], "nextCursor": {"id": "same", "timestamp": "t"}}

    with pytest.raises(InvalidResponse, match="pagination did not advance"):
        collect(handler, profile=INBOX, style=Cursor())


def test_a_page_without_its_list_is_an_invalid_response() -> None:
    with pytest.raises(InvalidResponse, match="no list under 'campaigns'") as info:
        collect(lambda request: {"detail": "?"}, profile=COLDSEND, style=COLDSEND_PAGES)
    assert str(info.value).startswith("coldsend: GET /campaigns → unexpected response")
