"""Which provider class serves which ``provider:`` of camp.yaml, and its public base URL.

The only module that names concrete providers (by import path, loaded on first use, so a run
that touches one vendor never imports the others); the engine works with the ``Provider`` ABC.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from reconciler.providers.base import Provider
from reconciler.providers.profiles import VendorProfile, profile_for


@dataclass(frozen=True)
class ProviderSpec:
    cls: type[Provider]
    default_base_url: str
    profile: VendorProfile


_PATHS = {
    "coldsend": "reconciler.providers.coldsend",
    "easymail": "reconciler.providers.easymail",
    "inbox": "reconciler.providers.inbox",
}


def spec_for(provider: str) -> ProviderSpec:
    """The spec for a ``provider:`` value (validated by the config schema already).

    Each provider package exports ``PROVIDER`` (its class) and ``DEFAULT_BASE_URL``.
    """
    module = importlib.import_module(_PATHS[provider])
    return ProviderSpec(module.PROVIDER, module.DEFAULT_BASE_URL, profile_for(provider))
