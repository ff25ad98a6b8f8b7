"""End-to-end fixtures: the real ``camp`` CLI as a subprocess against a sandbox on loopback.

One sandbox process per test module (a free port), reset before every test; each test gets
its own repository folder with a camp.yaml pointing at that sandbox. A reset keeps the
sandbox clock (it only moves forward), so after a test that advanced it the module's sandbox
is started again: every test begins at real time, as its campaign files' dates assume.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.sandbox import SandboxProcess, start_sandbox

KEY = "sandbox-key"
ENV_KEYS = {"COLDSEND_API_KEY": KEY, "EASYMAIL_API_KEY": KEY, "INBOX_API_KEY": KEY}


#: How far ahead of real time the sandbox clock may be and still count as not advanced.
CLOCK_SLACK = timedelta(seconds=30)


class ModuleSandbox:
    """The module's sandbox process, started again whenever its clock was advanced."""

    def __init__(self) -> None:
        self.process = start_sandbox()

    def at_real_time(self) -> SandboxProcess:
        clock = httpx.get(self.process.url("/_sandbox/clock"))
        clock.raise_for_status()
        if datetime.fromisoformat(clock.json()["now"]) > datetime.now(UTC) + CLOCK_SLACK:
            self.process.stop()
            self.process = start_sandbox()
        return self.process


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[ModuleSandbox]:
    holder = ModuleSandbox()
    try:
        yield holder
    finally:
        with holder.process:  # stops the one running now (any earlier one was stopped)
            pass


@pytest.fixture
def sandbox(module_sandbox: ModuleSandbox) -> SandboxProcess:
    return module_sandbox.at_real_time()


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
