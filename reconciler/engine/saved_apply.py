"""Apply a saved plan (``camp apply FILE``): the file is the approval, but only while it is true.

``load`` reads the file and refuses (``Refused``: exit 3, nothing written) one that was
altered, is older than ``max_age`` or holds a blocked action; a file that is not a camp plan at
all is an ``EngineError``. The caller opens providers for ``SavedApply.accounts``; then
``check_fresh`` re-reads every campaign the plan touches and refuses when any moved since. What
is left is an ordinary apply (``engine.applier``), and ``applied`` hands ``--verify``
(``engine.verify``) what the plan covered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from reconciler.config.loader import Workspace
from reconciler.config.models import CampConfig
from reconciler.engine import savedplan
from reconciler.engine.applier import refuse_blocked
from reconciler.engine.budget import BudgetPolicy
from reconciler.engine.errors import EngineError, Refused
from reconciler.engine.freshness import check_fresh
from reconciler.engine.savedplan import DEFAULT_MAX_AGE
from reconciler.engine.scope import Selection
from reconciler.engine.verify import Applied
from reconciler.plan.values import Plan
from reconciler.providers.base import Provider


@dataclass(frozen=True)
class SavedApply:
    """A plan file that passed every check the file alone allows: ``source`` is its path (the
    start of every message about it), ``paths`` the campaign paths it was planned from
    (``--verify`` loads them again)."""

    source: Path
    plan: Plan
    prune: bool
    paths: tuple[Path, ...]

    def accounts(self, config: CampConfig, config_path: Path) -> list[str]:
        """The accounts the plan changes (none: nothing to do); ``EngineError`` for one that
        camp.yaml (``config_path``) no longer has."""
        accounts = sorted({c.ref.account for c in self.plan.changed})
        unknown = [a for a in accounts if a not in config.accounts]
        if unknown:
            raise EngineError(f"{self.source}: account {unknown[0]!r} is not in {config_path}")
        return accounts

    async def check_fresh(
        self, providers: Mapping[str, Provider], budget: BudgetPolicy | None = None
    ) -> list[str]:
        """Re-read what the plan touches: the request budget's notes, or ``Refused`` with one
        reason per campaign that moved since the plan was made."""
        fresh = await check_fresh(self.plan, providers, budget)
        if fresh.stale:
            raise Refused(
                f"{self.source}: refused: live state moved since the plan was made; "
                "nothing was applied",
                fresh.stale,
                hint="run `camp plan` again",
            )
        return fresh.notes

    def applied(self, ws: Workspace, config: CampConfig) -> Applied:
        """What the plan covered, over today's documents: what ``--verify`` plans again."""
        selection = Selection.recorded(ws, self.plan.scope) if self.plan.scope else None
        return Applied(ws, config, self.prune, selection)


def load(
    path: Path, *, max_age: timedelta = DEFAULT_MAX_AGE, now: datetime | None = None
) -> SavedApply:
    """Read and check a plan file: ``EngineError`` when it is no camp plan, ``Refused`` when it
    must not be applied (altered, older than ``max_age``, a blocked action)."""
    try:
        saved = savedplan.load(path, max_age=max_age, now=now)
    except savedplan.PlanFileError as exc:
        raise EngineError(f"{path}: {exc}") from None
    except savedplan.PlanRefused as exc:
        raise Refused(f"{path}: refused: {exc}; nothing was applied") from None
    refuse_blocked(saved.plan, source=path)
    return SavedApply(path, saved.plan, saved.prune, saved.paths)
