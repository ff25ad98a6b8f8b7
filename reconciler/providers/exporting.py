"""What every vendor's ``export`` shares: the head of an imported YAML document.

An imported file should read like one a person wrote, so only values that differ from the
vendor's create defaults are written; every value is the live view's own, which is what makes
the import → plan round trip empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def document_head(
    kind: str,
    view: Mapping[str, Any],
    account: str,
    *,
    state: str | None,
    defaults: Mapping[str, Any],
) -> dict[str, Any]:
    """``kind``, ``account``, ``name``, ``state`` (None: a live status with no state to ask
    for, left unmanaged), then each of ``defaults``' fields whose live value differs."""
    doc: dict[str, Any] = {"kind": kind, "account": account, "name": view["name"]}
    if state is not None:
        doc["state"] = state
    doc.update(
        (key, view.get(key)) for key, default in defaults.items() if view.get(key) != default
    )
    return doc
