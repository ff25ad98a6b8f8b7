"""What the loader needs to know of one campaign kind, without knowing any vendor.

Each vendor folder (``providers/<vendor>/``) describes its kind with a ``KindSpec``: the model
a document validates against and the offline checks that JSON Schema cannot express. The
loader gets the specs from the provider registry (passed in, so ``config`` never imports a
vendor); a fourth vendor adds a spec, not a branch in the loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reconciler.config.models import CampaignBase

if TYPE_CHECKING:
    from reconciler.config.context import DocContext


@dataclass(frozen=True)
class KindSpec:
    """One campaign kind: ``coldsend/campaign`` served by the ``coldsend`` provider.

    ``check`` runs the vendor's offline rules on a document the model accepted, reporting
    problems on the context, and returns what it prepared for planning (a leads file read,
    a Markdown body loaded, a sequence compiled): the document's ``prepared`` value.
    """

    kind: str
    provider: str
    model: type[CampaignBase]
    check: Callable[[DocContext, Any], object]


KindTable = tuple[KindSpec, ...]
"""Every registered kind, in registry order (hashable, so schema work can be cached on it)."""
