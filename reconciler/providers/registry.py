"""Which provider class serves which ``provider:`` of camp.yaml, and its public base URL.

The only module that names concrete providers; the engine works with the ``Provider`` ABC.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.providers import coldsend
from reconciler.providers.base import Provider
from reconciler.providers.profiles import VendorProfile, profile_for


@dataclass(frozen=True)
class ProviderSpec:
    cls: type[Provider]
    default_base_url: str
    profile: VendorProfile


def spec_for(provider: str) -> ProviderSpec:
    """The spec for a ``provider:`` value (validated by the config schema already)."""
    return _SPECS[provider]


_SPECS: dict[str, ProviderSpec] = {
    "coldsend": ProviderSpec(
        coldsend.ColdSendProvider, coldsend.DEFAULT_BASE_URL, profile_for("coldsend")
    ),
}
