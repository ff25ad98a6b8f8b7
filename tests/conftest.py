"""Suite-wide rules: folder markers for the inner loop, and no silent skips.

- ``e2e``: tests/e2e/ (the CLI as a subprocess against a sandbox on loopback);
  ``slow``: tests/reliability/ (property, soak and fuzz runs) and the distribution build.
  ``pytest -m "not e2e and not slow"`` is the fast inner loop; ./scripts/test runs all.
- A skipped test fails the run: a skip hides a failure (a missing dependency, a provider that
  regressed). Expected failures are written ``xfail(strict=True)`` with their reason instead.
- Hypothesis explores new examples on a developer's machine, but runs derandomized in CI
  (``CI`` set): a property failure there is reproducible, never a flake of one lucky draw.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: a wall-clock limit in a unit test fails on a loaded machine, not on
# a slow change (speed targets live in benchmarks/). CI also derandomizes: no flaky examples.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

pytest_plugins = ["pytester"]  # tests/test_suite_rules.py runs this file's rules on a toy suite

TESTS = Path(__file__).resolve().parent
SLOW_FILES = {"test_distribution.py"}
_skipped: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.resolve().relative_to(TESTS).parts
        if parts[0] == "e2e":
            item.add_marker(pytest.mark.e2e)
        if parts[0] == "reliability" or item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and exitstatus == 0:
        names = "\n  ".join(sorted(set(_skipped)))
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            message = f"{len(set(_skipped))} test(s) skipped; skips are failures here:\n  {names}"
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
