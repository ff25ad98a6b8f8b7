"""A vendor failure as one message that says where: the account, its host, and the line of
camp.yaml to check (the key variable for a rejected key, ``base_url`` for a host that does
not answer).

With two accounts of one vendor, ``coldsend: GET /campaigns → 401`` cannot say which key is
wrong; the ``ApiClient`` tags every error with its account and host, and this turns them into
``account 'cold_eu' (coldsend at https://…): …`` plus a hint naming the one variable.
"""

from __future__ import annotations

from pathlib import Path

from reconciler.config.loader import config_location
from reconciler.config.models import CampConfig
from reconciler.providers.http.errors import (
    Forbidden,
    ProviderError,
    TransportError,
    Unauthorized,
)


def vendor_failure(exc: ProviderError, config: CampConfig, config_path: Path) -> str:
    """``str(exc)`` led by the account and host, with a ``hint:`` line when one helps."""
    key = exc.account
    if key is None or key not in config.accounts:
        return str(exc) + _unknown_account_hint(exc, config)
    detail = str(exc).removeprefix(f"{exc.vendor}: ")
    message = f"account {key!r} ({exc.vendor} at {exc.host}): {detail}"
    hint = _hint(exc, key, config, config_path)
    return message + (f"\n  hint: {hint}" if hint else "")


def _hint(exc: ProviderError, key: str, config: CampConfig, config_path: Path) -> str:
    account = config.accounts[key]
    if isinstance(exc, Unauthorized | Forbidden):
        where = config_location(config_path, ["accounts", key, "api_key_env"])
        env = account.api_key_env
        fix = (
            f"the key in {env} was rejected: set {env} to a valid key"
            if isinstance(exc, Unauthorized)
            else f"the key in {env} may not do this: check its permissions at {exc.vendor}"
        )
        return f"{fix} (api_key_env of account {key!r}, {where})"
    if isinstance(exc, TransportError):
        if account.base_url:
            where = config_location(config_path, ["accounts", key, "base_url"])
            return f"check base_url of account {key!r} ({where}) and that {exc.host} is up"
        return f"{exc.host} is {exc.vendor}'s public API: check this machine's network or proxy"
    return ""


def _unknown_account_hint(exc: ProviderError, config: CampConfig) -> str:
    """An error raised outside an ``ApiClient``: name every key variable it may concern."""
    if not isinstance(exc, Unauthorized):
        return ""
    envs = sorted({a.api_key_env for a in config.accounts.values() if a.provider == exc.vendor})
    return f"\n  hint: check the API key in {' / '.join(envs)}" if envs else ""
