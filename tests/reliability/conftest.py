"""Fixtures of the reliability tests: one sandbox subprocess per module, on loopback.

Each module that needs a sandbox gets its own (a free port on 127.0.0.1, stopped at the end
of the module); tests reset it (data, faults, request log) before use.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.sandbox import SandboxProcess, start_sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxProcess]:
    with start_sandbox() as process:
        yield process
