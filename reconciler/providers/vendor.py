"""One vendor as the registry sees it: its campaign kind, HTTP profile, provider class and
payload types.

Each vendor package's ``__init__`` builds one ``Vendor``. It is cheap to import (the model,
the offline checks and the profile): ``camp validate`` needs every vendor's kind, but the
provider class, which pulls in the HTTP stack, is imported only when a plan talks to that
vendor; likewise the preview renderer (``PreviewHook``), only when ``camp preview`` or a
Markdown plan renders that vendor's messages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconciler.config.kinds import KindSpec
from reconciler.plan.values import PayloadTypes
from reconciler.providers.http.profile import VendorProfile

if TYPE_CHECKING:
    from reconciler.config.loader import CampaignDoc
    from reconciler.plan.preview import CampaignPreview, PreviewOptions
    from reconciler.providers.base import Provider

PreviewFunction = Callable[["CampaignDoc", "PreviewOptions"], "CampaignPreview"]


@dataclass(frozen=True)
class PreviewHook:
    """How ``camp preview`` renders one vendor's campaigns, offline.

    ``render`` is ``"package.module:function"``: ``(doc, options) -> CampaignPreview``, from the
    document and what its offline checks prepared, never the network. ``content_fields`` are
    the top-level fields whose change alters what recipients read: a Markdown plan shows a
    rendered sample for a campaign whose plan changes one of them.
    """

    render: str
    content_fields: frozenset[str]

    def renderer(self) -> PreviewFunction:
        module, _, attribute = self.render.partition(":")
        function: PreviewFunction = getattr(importlib.import_module(module), attribute)
        return function


@dataclass(frozen=True)
class Vendor:
    """``provider`` is ``"package.module:ClassName"``, imported on first use; ``payloads``
    says which payload type each action kind carries (how a saved plan reads them back);
    ``preview`` is None for a vendor ``camp preview`` cannot render. The name comes from the
    kind and the public base URL is the profile's, so a vendor states each once."""

    kind: KindSpec
    profile: VendorProfile
    provider: str
    payloads: PayloadTypes
    preview: PreviewHook | None = None

    @property
    def name(self) -> str:
        """The provider name accounts use (``provider: coldsend``)."""
        return self.kind.provider

    def provider_class(self) -> type[Provider]:
        module, _, attribute = self.provider.partition(":")
        cls: type[Provider] = getattr(importlib.import_module(module), attribute)
        return cls
