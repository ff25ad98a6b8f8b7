"""Fixtures of the reliability tests: one sandbox subprocess per module, on loopback.

Each module that needs a sandbox gets its own (a free port on 127.0.0.1, stopped at the end
of the module); tests reset it (data, faults, request log) before use.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.harness import workspace
from tests.support.sandbox import SandboxProcess, start_sandbox

INBOX_PROBE = """\
kind: inbox/campaign
account: dm
name: "[camp] readiness probe"
account_links: [founder_x]
sequence:
  - message: "hello"
"""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxProcess]:
    with start_sandbox() as process:
        yield process


@pytest.fixture(scope="module")
def inbox_ready(sandbox: SandboxProcess) -> bool:
    """Whether the Inbox provider plans a simple campaign (it was being finished in parallel)."""
    with workspace(sandbox.base_url) as ws:
        ws.reset()
        ws.write("campaigns/probe.yaml", INBOX_PROBE)
        try:
            result = ws.run("plan", "--detailed-exitcode")
        except Exception:
            return False
        return result.code == 2 and "[camp] readiness probe" in result.stdout
