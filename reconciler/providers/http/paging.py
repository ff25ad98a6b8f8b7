"""Walking the vendors' paginated lists, one small strategy per pagination style.

- ``PageNumbers``: ``page`` plus a size parameter; stops on ``pagination.has_next``, once
  ``pagination.total`` is reached, or on a short page (ColdSend, easymail).
- ``Cursor``: ``nextCursor {id, timestamp}``, sent back as ``cursorId`` / ``cursorTimestamp``;
  stops when it is null (Inbox).

Each vendor's ``profile.py`` says which style (and page size) its lists use.

A list that does not advance (the same page asked twice) raises ``InvalidResponse`` rather
than looping forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from reconciler.providers.http.errors import InvalidResponse

Params = Mapping[str, str | int | float | bool | None]
_Query = dict[str, str | int | float | bool | None]


class _Getter(Protocol):
    """The part of ``ApiClient`` that pagination needs (avoids an import cycle)."""

    @property
    def vendor(self) -> str: ...

    async def get_json(self, path: str, *, params: Params | None = None) -> Any: ...


class PageStyle(Protocol):
    """How to ask for the first page, find the items, and ask for the next page."""

    @property
    def items_key(self) -> str: ...

    def first(self, params: Params) -> _Query: ...

    def next(self, body: Mapping[str, Any], sent: _Query, count: int) -> _Query | None: ...


@dataclass(frozen=True, kw_only=True)
class PageNumbers:
    """``?page=N&<size_param>=<size>``; ends on ``has_next``, ``total`` or a short page."""

    items_key: str
    size_param: str = "limit"
    size: int = 100

    def first(self, params: Params) -> _Query:
        return {**params, "page": 1, self.size_param: self.size}

    def next(self, body: Mapping[str, Any], sent: _Query, count: int) -> _Query | None:
        page = int(sent["page"] or 1)
        return {**sent, "page": page + 1} if count and self._more(body, page, count) else None

    def _more(self, body: Mapping[str, Any], page: int, count: int) -> bool:
        meta = body.get("pagination")
        meta = meta if isinstance(meta, dict) else {}
        if "has_next" in meta:
            return bool(meta["has_next"])
        size = meta.get("per_page") or meta.get("limit") or self.size
        total = meta.get("total")
        if isinstance(total, int) and isinstance(size, int):
            return page * size < total
        return count >= self.size


@dataclass(frozen=True, kw_only=True)
class Cursor:
    """Inbox: ``?limit=N`` then ``cursorId``/``cursorTimestamp`` from ``nextCursor``."""

    items_key: str = "data"
    size: int = 100

    def first(self, params: Params) -> _Query:
        return {**params, "limit": self.size}

    def next(self, body: Mapping[str, Any], sent: _Query, count: int) -> _Query | None:
        cursor = body.get("nextCursor")
        if not isinstance(cursor, dict) or cursor.get("id") is None:
            return None
        return {**sent, "cursorId": str(cursor["id"]), "cursorTimestamp": str(cursor["timestamp"])}


async def paginate(
    api: _Getter, path: str, *, style: PageStyle, params: Params | None = None
) -> AsyncIterator[Any]:
    """Yield the items of every page in order."""
    query: _Query | None = style.first(params or {})
    seen: set[tuple[tuple[str, Any], ...]] = set()
    while query is not None:
        key = tuple(sorted(query.items()))
        if key in seen:
            raise _invalid(api, path, "pagination did not advance")
        seen.add(key)
        body = await api.get_json(path, params=query)
        items = _items(api, path, body, style.items_key)
        for item in items:
            yield item
        query = style.next(body, query, len(items))


def _items(api: _Getter, path: str, body: Any, key: str) -> list[Any]:
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise _invalid(api, path, f"no list under {key!r}")
    return items


def _invalid(api: _Getter, path: str, reason: str) -> InvalidResponse:
    return InvalidResponse(vendor=api.vendor, method="GET", path=path, reason=reason)
