"""The suite's own rules (tests/conftest.py) can fail: a skip fails the run, an xfail does not."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py").read_text()


def test_a_skipped_test_fails_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.replace('pytest_plugins = ["pytester"]', ""))
    pytester.makepyfile("import pytest\n\ndef test_x():\n    pytest.skip('hidden failure')\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*1 test(s) skipped; skips are failures here:*"])


def test_a_strict_xfail_does_not(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.replace('pytest_plugins = ["pytester"]', ""))
    pytester.makepyfile(
        "import pytest\n\n@pytest.mark.xfail(strict=True, reason='known')\n"
        "def test_x():\n    assert False\n"
    )
    assert pytester.runpytest("-p", "no:cacheprovider").ret == pytest.ExitCode.OK


def test_hypothesis_has_no_wall_clock_deadline() -> None:
    """A per-example deadline fails on a loaded CI machine, not on a slow change; speed lives
    in benchmarks/. (CI also derandomizes, asserted where the profile is loaded.)"""
    from hypothesis import settings

    assert settings().deadline is None
    assert settings.get_profile("ci").derandomize
