"""Errors that say where: the account, its host and the one line of camp.yaml to check."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli.session import missing_keys
from reconciler.cli.vendor_errors import vendor_failure
from reconciler.config.models import CampConfig
from reconciler.config.references import display_path
from reconciler.engine.workspace import load_config
from reconciler.providers.http.errors import (
    Forbidden,
    NotFound,
    ProviderError,
    TransportError,
    Unauthorized,
)

CAMP_YAML = """\
accounts:
  cold:
    provider: coldsend
    api_key_env: COLDSEND_API_KEY
  cold_eu:
    provider: coldsend
    base_url: https://eu.coldsend.test/api
    api_key_env: COLDSEND_EU_API_KEY
"""


@pytest.fixture
def camp(tmp_path: Path) -> tuple[CampConfig, Path]:
    path = tmp_path / "camp.yaml"
    path.write_text(CAMP_YAML, encoding="utf-8")
    config, problems = load_config(path)
    assert config is not None, problems
    return config, path


def _tagged(error: ProviderError, account: str | None, host: str) -> ProviderError:
    error.account, error.host = account, host
    return error


def _unauthorized() -> ProviderError:
    return Unauthorized(vendor="coldsend", method="GET", path="/campaigns", status=401)


def test_a_rejected_key_names_the_account_the_host_and_the_one_variable(
    camp: tuple[CampConfig, Path],
) -> None:
    config, path = camp
    error = _tagged(_unauthorized(), "cold_eu", "https://eu.coldsend.test")
    assert vendor_failure(error, config, path) == (
        "account 'cold_eu' (coldsend at https://eu.coldsend.test): GET /campaigns → "
        "401 Unauthorized: the API key was rejected\n"
        "  hint: the key in COLDSEND_EU_API_KEY was rejected: set COLDSEND_EU_API_KEY to a "
        f"valid key (api_key_env of account 'cold_eu', {_shown(path)}:8:18)"
    )


def _shown(path: Path) -> str:
    return display_path(path)


def test_a_forbidden_key_points_at_its_permissions(camp: tuple[CampConfig, Path]) -> None:
    config, path = camp
    error = Forbidden(vendor="coldsend", method="DELETE", path="/campaigns/1", status=403)
    message = vendor_failure(_tagged(error, "cold", "https://api.coldsend.test"), config, path)
    assert message.startswith("account 'cold' (coldsend at https://api.coldsend.test): DELETE")
    assert "the key in COLDSEND_API_KEY may not do this" in message
    assert f"{_shown(path)}:4:18)" in message


@pytest.mark.parametrize(
    ("account", "hint"),
    [
        ("cold_eu", "check base_url of account 'cold_eu' ({where}:7:15)"),
        ("cold", "https://api.coldsend.test is coldsend's public API: check this machine's"),
    ],
)
def test_an_unreachable_host_is_named(
    camp: tuple[CampConfig, Path], account: str, hint: str
) -> None:
    config, path = camp
    host = "https://eu.coldsend.test" if account == "cold_eu" else "https://api.coldsend.test"
    error = TransportError(vendor="coldsend", method="GET", path="/campaigns", reason="refused")
    message = vendor_failure(_tagged(error, account, host), config, path)
    assert message.startswith(f"account {account!r} (coldsend at {host}): GET /campaigns → refused")
    assert hint.format(where=_shown(path)) in message


def test_other_errors_name_the_account_without_a_hint(camp: tuple[CampConfig, Path]) -> None:
    config, path = camp
    error = NotFound(vendor="coldsend", method="GET", path="/campaigns/9", status=404)
    message = vendor_failure(_tagged(error, "cold", "https://h"), config, path)
    assert message == "account 'cold' (coldsend at https://h): GET /campaigns/9 → 404 Not Found"


def test_an_error_from_no_account_falls_back_to_the_vendors_variables(
    camp: tuple[CampConfig, Path],
) -> None:
    config, path = camp
    message = vendor_failure(_unauthorized(), config, path)
    assert message.endswith("hint: check the API key in COLDSEND_API_KEY / COLDSEND_EU_API_KEY")


def test_a_missing_key_points_at_its_api_key_env_line(
    camp: tuple[CampConfig, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, path = camp
    monkeypatch.setenv("COLDSEND_API_KEY", "k")
    monkeypatch.delenv("COLDSEND_EU_API_KEY", raising=False)
    (problem,) = missing_keys(config, ["cold", "cold_eu"], path)
    assert str(problem.location) == f"{_shown(path)}:8:18"
    assert problem.message == (
        "accounts.cold_eu.api_key_env: environment variable COLDSEND_EU_API_KEY is not set "
        "(the API key of account 'cold_eu')"
    )
