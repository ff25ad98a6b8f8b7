"""An httpx transport that passes requests on and remembers what was sent, for tests that
assert the exact requests a provider makes (method, path below the vendor mount, JSON body)."""

from __future__ import annotations

import json
from typing import Any

import httpx

Sent = tuple[str, str, Any]


class Recorder(httpx.AsyncBaseTransport):
    """Wraps ``inner``; ``sent`` holds ``(method, path below mount, JSON body or None)``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, mount: str) -> None:
        self.inner = inner
        self.mount = mount
        self.sent: list[Sent] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        is_json = request.headers.get("content-type", "").startswith("application/json")
        body = json.loads(request.content) if is_json and request.content else None
        self.sent.append((request.method, request.url.path.removeprefix(self.mount), body))
        return await self.inner.handle_async_request(request)

    def writes(self) -> list[Sent]:
        return [s for s in self.sent if s[0] != "GET"]
