"""The vendors camp knows: one line each.

The only module that names concrete vendors. Each entry is a package under
``reconciler/providers/`` whose ``__init__`` exports ``VENDOR`` (a ``Vendor``); the engine and
the loader work from what this module returns and never import a vendor themselves. Adding a
vendor is a new folder and one line here (README, "Adding a vendor").
"""

from __future__ import annotations

import importlib
from functools import cache

from reconciler.config.kinds import KindTable
from reconciler.providers.vendor import Vendor

VENDOR_PACKAGES = (
    "reconciler.providers.coldsend",
    "reconciler.providers.easymail",
    "reconciler.providers.inbox",
)


@cache
def vendors() -> dict[str, Vendor]:
    """``provider:`` value → vendor, in registry order."""
    found = (importlib.import_module(path).VENDOR for path in VENDOR_PACKAGES)
    return {vendor.name: vendor for vendor in found}


def kinds() -> KindTable:
    """Every campaign kind, for the loader and the schemas."""
    return tuple(vendor.kind for vendor in vendors().values())


def vendor_for(provider: str) -> Vendor:
    """The vendor for a ``provider:`` value (the loader has checked that it is registered)."""
    try:
        return vendors()[provider]
    except KeyError:
        known = ", ".join(vendors())
        raise ValueError(f"unknown provider {provider!r}: expected one of {known}") from None


def vendor_for_kind(kind: str) -> Vendor:
    """The vendor serving a campaign kind (``coldsend/campaign``)."""
    for vendor in vendors().values():
        if vendor.kind.kind == kind:
            return vendor
    raise ValueError(f"unknown campaign kind {kind!r}")
