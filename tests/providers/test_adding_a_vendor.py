"""Adding a vendor is one folder and one registry line: a fake fourth vendor, registered by
that one line, is validated, schema'd, planned and applied by the unchanged CLI."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli.main import cli
from reconciler.providers import registry
from tests.support.fake_vendor.provider import LIVE

CAMP_YAML = """\
accounts:
  fake:
    provider: fake
    api_key_env: FAKE_API_KEY
"""


@pytest.fixture
def fake_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The one registry line a new vendor adds."""
    packages = (*registry.VENDOR_PACKAGES, "tests.support.fake_vendor")
    monkeypatch.setattr(registry, "VENDOR_PACKAGES", packages)
    monkeypatch.setenv("FAKE_API_KEY", "secret")
    registry.vendors.cache_clear()
    LIVE.clear()
    yield
    registry.vendors.cache_clear()


def _camp(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run camp in a repository holding camp.yaml and tmp_path's documents."""
    repo = tmp_path / "repo"
    (repo / "campaigns").mkdir(parents=True, exist_ok=True)
    (repo / "camp.yaml").write_text(CAMP_YAML)
    for doc in sorted(tmp_path.glob("*.yaml")):
        (repo / "campaigns" / doc.name).write_text(doc.read_text())
    with contextlib.chdir(repo):
        result = CliRunner().invoke(cli, ["--no-color", *args])
    return result.exit_code, result.output


def _write(tmp_path: Path, greeting: str) -> None:
    text = f"kind: fake/campaign\nname: Hello\ngreeting: {greeting}\n"
    (tmp_path / "hello.yaml").write_text(text)


def test_the_fourth_vendor_validates_plans_applies_and_converges(
    tmp_path: Path, fake_registered: None
) -> None:
    _write(tmp_path, "Hello, world")
    assert _camp(tmp_path, "validate") == (0, "OK: 1 campaign in 1 file valid\n")
    code, out = _camp(tmp_path, "plan", "--detailed-exitcode")
    assert code == 2 and "Hello" in out, out
    code, out = _camp(tmp_path, "apply", "--auto-approve")
    assert code == 0, out
    assert LIVE == {"fake-1": {"name": "Hello", "greeting": "Hello, world"}}
    assert _camp(tmp_path, "plan", "--detailed-exitcode")[0] == 0
    _write(tmp_path, "Hello again")
    code, out = _camp(tmp_path, "plan", "--detailed-exitcode")
    assert code == 2 and "greeting" in out, out


def test_the_fourth_vendor_has_its_schema_and_its_offline_checks(
    tmp_path: Path, fake_registered: None
) -> None:
    code, out = _camp(tmp_path, "schema")
    schemas = json.loads(out)
    assert code == 0 and "fake-campaign.schema.json" in schemas
    assert (
        "fake" in schemas["camp.schema.json"]["$defs"]["Account"]["properties"]["provider"]["enum"]
    )
    _write(tmp_path, "Good morning")
    code, out = _camp(tmp_path, "validate")
    assert code == 1 and "hello.yaml:3:11: error: greeting: does not mention" in out, out


def test_an_unregistered_provider_is_a_located_error(tmp_path: Path) -> None:
    code, out = _camp(tmp_path, "validate")
    assert code == 1 and "camp.yaml:3:15: error: accounts.fake.provider" in out, out
