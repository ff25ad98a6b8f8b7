"""Wire accounts to providers: one HTTP client per account, keys read from the environment.

The only place an API key is read. It goes into the provider's ``ApiClient`` and nowhere else:
not into a message, a plan file or a log line.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from reconciler.config.loader import config_location
from reconciler.config.models import CampConfig
from reconciler.config.problems import Problem
from reconciler.providers.base import Provider
from reconciler.providers.http.client import ApiClient
from reconciler.providers.registry import vendor_for

DEFAULT_ATTEMPTS = 6


def max_attempts() -> int:
    """Attempts per request (``CAMP_MAX_ATTEMPTS``, default 6): fewer fail faster in CI."""
    raw = os.environ.get("CAMP_MAX_ATTEMPTS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_ATTEMPTS


class SessionError(Exception):
    """An account cannot be used (e.g. its key variable is unset): exit 1 with these problems,
    before anything is sent."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.message = message
        self.problems = problems
        super().__init__(message)


def require_keys(config: CampConfig, accounts: Iterable[str], config_path: Path) -> None:
    """Raise ``SessionError`` naming each unset ``api_key_env`` line, before any request."""
    problems = missing_keys(config, accounts, config_path)
    if problems:
        raise _keys_not_set(problems)


def _keys_not_set(problems: list[Problem]) -> SessionError:
    count = f"{len(problems)} API keys are" if len(problems) > 1 else "an API key is"
    return SessionError(f"{count} not set: nothing was sent", problems)


def missing_keys(config: CampConfig, accounts: Iterable[str], config_path: Path) -> list[Problem]:
    """One problem per account whose ``api_key_env`` variable is unset or empty, located at
    that ``api_key_env`` line of camp.yaml."""
    problems = []
    for key in accounts:
        env = config.accounts[key].api_key_env
        if not os.environ.get(env):
            problems.append(
                Problem(
                    config_location(config_path, ["accounts", key, "api_key_env"]),
                    f"accounts.{key}.api_key_env: environment variable {env} is not set "
                    f"(the API key of account {key!r})",
                    f"export {env}=... (for the sandbox: export {env}=sandbox-key)",
                )
            )
    return problems


@asynccontextmanager
async def open_providers(
    config: CampConfig,
    accounts: Iterable[str],
    *,
    parallelism: int,
    config_path: Path = Path("camp.yaml"),
) -> AsyncIterator[dict[str, Provider]]:
    """Providers for ``accounts``, their HTTP clients closed on exit."""
    accounts = sorted(set(accounts))
    problems = missing_keys(config, accounts, config_path)
    if problems:
        raise _keys_not_set(problems)
    limits = httpx.Limits(max_connections=max(parallelism, 1) * 2)
    tls = ssl.create_default_context()  # one for all clients: httpx builds one per client
    clients: list[httpx.AsyncClient] = []
    providers: dict[str, Provider] = {}
    try:
        for key in accounts:
            account = config.accounts[key]
            vendor = vendor_for(account.provider)
            client = httpx.AsyncClient(limits=limits, follow_redirects=False, verify=tls)
            clients.append(client)
            api = ApiClient(
                client,
                profile=vendor.profile,
                api_key=os.environ[account.api_key_env],
                base_url=account.base_url or vendor.profile.base_url,
                account=key,
                max_attempts=max_attempts(),
            )
            providers[key] = vendor.provider_class()(api=api, account=key)
        yield providers
    finally:
        for client in clients:
            await client.aclose()
