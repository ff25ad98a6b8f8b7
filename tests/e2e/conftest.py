"""End-to-end fixtures: the real ``camp`` CLI as a subprocess against a sandbox on loopback.

One sandbox process per test module (a free port), reset before every test; each test gets
its own repository folder with a camp.yaml pointing at that sandbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.sandbox import SandboxProcess, start_sandbox

KEY = "sandbox-key"
ENV_KEYS = {"COLDSEND_API_KEY": KEY, "EASYMAIL_API_KEY": KEY, "INBOX_API_KEY": KEY}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxProcess]:
    with start_sandbox() as process:
        yield process


@dataclass
class Repo:
    """A user's repository: camp.yaml, campaign files, and a way to run camp in it."""

    root: Path
    sandbox: SandboxProcess

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def camp(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **ENV_KEYS, "NO_COLOR": "1", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "reconciler", *args],
            cwd=self.root,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def admin(self, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(method, self.sandbox.url(f"/_sandbox{path}"), json=json)
        response.raise_for_status()
        return response.json() if response.content else None

    def api(self, vendor: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Talk to a vendor API directly (as a dashboard user would)."""
        mounts = {
            "coldsend": ("/coldsend/api/public/v1", {"X-API-Key": KEY}),
            "easymail": ("/easymail/api/v1", {"Authorization": f"Bearer {KEY}"}),
            "inbox": ("/inbox/api/v1", {"Authorization": f"Bearer {KEY}"}),
        }
        mount, headers = mounts[vendor]
        return httpx.request(method, self.sandbox.url(mount + path), headers=headers, **kwargs)

    def writes(self) -> list[dict[str, Any]]:
        """Vendor requests other than GET since the log was last cleared."""
        log = self.admin("GET", "/requests")
        return [r for r in log if r["method"] != "GET"]


def camp_yaml(base_url: str, guards: str = "") -> str:
    return textwrap.dedent(
        f"""\
        accounts:
          cold:
            provider: coldsend
            base_url: {base_url}/coldsend/api/public/v1
            api_key_env: COLDSEND_API_KEY
            prune_prefix: "[camp] "
          news:
            provider: easymail
            base_url: {base_url}/easymail/api/v1
            api_key_env: EASYMAIL_API_KEY
            prune_prefix: "[camp] "
          dm:
            provider: inbox
            base_url: {base_url}/inbox/api/v1
            api_key_env: INBOX_API_KEY
            prune_prefix: "[camp] "
        """
    ) + textwrap.dedent(guards)


@pytest.fixture
def repo(sandbox: SandboxProcess, tmp_path: Path) -> Repo:
    httpx.post(sandbox.url("/_sandbox/reset")).raise_for_status()
    httpx.post(
        sandbox.url("/_sandbox/faults"),
        json={"latency_ms": 0, "error_rate": 0, "drop_rate": 0, "rate_limit_per_minute": None},
    ).raise_for_status()
    (tmp_path / "camp.yaml").write_text(camp_yaml(sandbox.base_url), encoding="utf-8")
    return Repo(tmp_path, sandbox)
