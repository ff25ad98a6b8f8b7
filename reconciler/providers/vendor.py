"""One vendor as the registry sees it: its campaign kind, HTTP profile and provider class.

Each vendor package's ``__init__`` builds one ``Vendor``. It is cheap to import (the model,
the offline checks and the profile): ``camp validate`` needs every vendor's kind, but the
provider class, which pulls in the HTTP stack, is imported only when a plan talks to that
vendor.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconciler.config.kinds import KindSpec
from reconciler.providers.http.profile import VendorProfile

if TYPE_CHECKING:
    from reconciler.providers.base import Provider


@dataclass(frozen=True)
class Vendor:
    """``provider`` is ``"package.module:ClassName"``, imported on first use."""

    name: str
    kind: KindSpec
    profile: VendorProfile
    default_base_url: str
    provider: str

    def provider_class(self) -> type[Provider]:
        module, _, attribute = self.provider.partition(":")
        cls: type[Provider] = getattr(importlib.import_module(module), attribute)
        return cls
