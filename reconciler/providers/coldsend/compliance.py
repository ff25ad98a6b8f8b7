"""ColdSend compliance lint: the basic promises of outreach, checked at validate and plan time.

- ``enable_unsubscribe: false`` on a campaign that launches: its recipients get no
  unsubscribe link (ColdSend's default is ``true``). A warning; ``require_unsubscribe: true``
  in camp.yaml makes it a blocked launch.
- A first email (every variant of it) with no ``{{``-variable at all, to more than 500 leads:
  the same text to everyone is mass mail, not outreach. A note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MASS_MAIL_LEADS = 500

UNSUBSCRIBE_HINT = (
    "drop `enable_unsubscribe: false` (ColdSend's default is true); camp.yaml's "
    "`require_unsubscribe: true` blocks such a launch"
)


def impersonal_variants(variants: Sequence[Mapping[str, Any]]) -> list[str]:
    """Names of the first email's variants with no ``{{``-variable in subject or body."""
    return [
        str(v.get("variant_name") or "?")
        for v in variants
        if "{{" not in f"{v.get('subject_template') or ''}{v.get('email_content') or ''}"
    ]


def mass_mail(leads: int, variants: Sequence[Mapping[str, Any]]) -> str | None:
    """The note for a personal-looking campaign that is really mass mail, or None."""
    names = impersonal_variants(variants)
    if leads <= MASS_MAIL_LEADS or not names:
        return None
    which = ", ".join(names)
    return (
        f"first email variant {which} has no {{{{variable}}}} at all and goes to {leads:,} leads "
        f"(more than {MASS_MAIL_LEADS}): mass mail, not outreach"
    )


def no_unsubscribe(verb: str, leads: int | None) -> str:
    reach = f" to {leads:,} leads" if leads is not None else ""
    return f"enable_unsubscribe: false: the {verb} sends{reach} without an unsubscribe link"
