"""Fixtures of the sandbox core and ColdSend tests: a fresh in-process app per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from coldsend_helpers import KEY, ROOT, TestClient

from reconciler.sandbox import coldsend
from reconciler.sandbox.app import build_app


@pytest.fixture
def cold() -> Iterator[TestClient]:
    """A ColdSend-only sandbox, the client rooted at its mount and authenticated.

    Admin calls pass absolute URLs (``f"{ADMIN}/clock"``), which httpx leaves alone.
    """
    app = build_app(vendors=[coldsend.VENDOR], api_key=KEY)
    base_url = f"{ROOT}{coldsend.VENDOR.mount}"
    with TestClient(app, base_url=base_url, headers={"X-API-Key": KEY}) as client:
        yield client
