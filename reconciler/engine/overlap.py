"""Audience overlap between a launch and the other campaigns that are, or will be, sending.

Two campaigns overlap through their ``members`` (exact identities: ColdSend lead emails, compared
lower-cased, so ``Ada@X.com`` and ``ada@x.com`` are one lead) or, when a vendor only knows sizes,
through the ``pools`` they share (an Inbox list, an easymail list or segment: the shared pools'
sizes are the *expected* overlap, an upper bound). A campaign with a time window (easymail: 72 h)
overlaps only with campaigns that go out within that window of it. Shares are of the launching
campaign's audience.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reconciler.plan.insight import Overlap, Pool, Signals

EXAMPLES = 3  # masked emails shown per pair


def mask(email: str) -> str:
    """``ada@example.com`` → ``a***@example.com``: enough to recognise, not to harvest."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}"


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole > 0 else 0.0


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def within_window(me: Signals, other: Signals) -> bool:
    """True unless both go out at known instants further apart than ``me``'s window."""
    if me.window_hours is None:
        return True
    mine, theirs = _instant(me.at), _instant(other.at)
    if mine is None or theirs is None:
        return True  # unknown time: the safe side is to compare them
    return abs((mine - theirs).total_seconds()) <= me.window_hours * 3600


def audience_base(me: Signals) -> int:
    """What shares are a percentage of: the members, else the audience, else the pools."""
    if me.members is not None:
        return len(me.members)
    if me.audience is not None:
        return me.audience
    return sum(p.size for p in me.pools or ())


def _shared_pools(me: Signals, other: Signals) -> list[Pool]:
    theirs = {p.key for p in other.pools or ()}
    return [p for p in me.pools or () if p.key in theirs]


def pair(me: Signals, other: Signals) -> Overlap | None:
    """What ``me`` shares with ``other``; None when nothing (or when either is not known)."""
    base = audience_base(me)
    if me.members is not None and other.members is not None:
        shared = me.members & other.members
        if not shared:
            return None
        examples = tuple(mask(e) for e in sorted(shared)[:EXAMPLES])
        return _overlap(other, len(shared), base, "leads", exact=True, examples=examples)
    if me.pools is not None and other.pools is not None:
        pools = _shared_pools(me, other)
        if not pools:
            return None
        count = min(sum(p.size for p in pools), base)
        basis = ", ".join(p.label for p in pools)
        return _overlap(other, count, base, basis, exact=False)
    return None


def _overlap(
    other: Signals,
    shared: int,
    base: int,
    basis: str,
    *,
    exact: bool,
    examples: tuple[str, ...] = (),
) -> Overlap:
    return Overlap(
        kind=other.kind,
        name=other.name,
        live_id=other.live_id,
        state=other.state,
        shared=shared,
        percent=percent(shared, base),
        basis=basis,
        exact=exact,
        examples=examples,
    )


def union(me: Signals, others: Sequence[Signals]) -> int:
    """Recipients of ``me`` shared with at least one of ``others`` (each counted once)."""
    if me.members is not None:
        everyone: set[str] = set()
        for other in others:
            if other.members is not None:
                everyone |= me.members & other.members
        return len(everyone)
    keys = {p.key for other in others for p in _shared_pools(me, other)}
    total = sum(p.size for p in me.pools or () if p.key in keys)
    return min(total, audience_base(me))
