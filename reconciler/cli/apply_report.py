"""What apply prints: one line per campaign, a summary, and --verify's perpetual-diff report."""

from __future__ import annotations

from collections.abc import Sequence

import click

from reconciler.engine.applier import CampaignOutcome
from reconciler.engine.verify import Leftover


def _name(outcome: CampaignOutcome) -> str:
    ref = outcome.plan.ref
    live = f", {outcome.live_id}" if outcome.live_id else ""
    return f'{ref.kind} "{ref.name}" ({ref.account}{live})'


def outcome_line(outcome: CampaignOutcome, *, color: bool) -> str:
    """``✓ name: create, upload-leads`` or ``✗ name: failed at update: …; skipped: launch``."""
    if outcome.ok:
        mark = click.style("✓", fg="green") if color else "✓"
        text = f"{mark} {_name(outcome)}: {', '.join(outcome.done)}"
    else:
        mark = click.style("✗", fg="red") if color else "✗"
        done = f"done: {', '.join(outcome.done)}; " if outcome.done else ""
        skipped = f"; skipped: {', '.join(outcome.skipped)}" if outcome.skipped else ""
        text = (
            f"{mark} {_name(outcome)}: {done}failed at {outcome.failed}: {outcome.error}{skipped}"
        )
    notes = "".join(f"\n    {note}" for note in outcome.notes)
    return text + notes


def summary_line(outcomes: Sequence[CampaignOutcome]) -> str:
    failed = sum(1 for o in outcomes if not o.ok)
    done = len(outcomes) - failed
    if not outcomes:
        return "Apply complete: nothing to do."
    if not failed:
        return f"Apply complete: {done} campaign{'s' if done != 1 else ''} changed."
    return (
        f"Apply finished with errors: {done} campaign{'s' if done != 1 else ''} changed, "
        f"{failed} failed. Re-run `camp apply` to converge the rest."
    )


def interrupted_line(finished: Sequence[CampaignOutcome], total: int) -> str:
    """What an interrupted apply leaves: the campaigns above are done, the rest may be halfway."""
    failed = sum(1 for o in finished if not o.ok)
    errors = f" ({failed:,} with errors)" if failed else ""
    return (
        f"Apply interrupted: {len(finished):,} of {total:,} campaign"
        f"{'s' if total != 1 else ''} finished{errors}, listed above; the others may be "
        "halfway. Re-run `camp apply` to converge."
    )


def verify_failures(leftovers: Sequence[Leftover]) -> list[str]:
    """Lines naming each field still different after apply: a perpetual-diff suspect."""
    return [
        f'verify: {x.ref.kind} "{x.ref.name}" ({x.ref.account}) still differs after apply: '
        f"{', '.join(x.fields)} (perpetual-diff suspect)"
        for x in leftovers
    ]
