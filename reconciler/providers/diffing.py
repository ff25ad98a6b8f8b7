"""Field-level differences between a desired view and a live view.

Both sides are plain JSON-like values already normalised by the provider (vendor defaults
filled in, read-back forms applied, ids mapped to names), so equality here means "no change".
Only the keys present in the desired view are compared: a field the YAML omits is unmanaged.
Nested values are reported at their leaves (``variants[1].subject_template``) so a reviewer
sees exactly what moves, not a whole list replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.plan.values import FieldChange

MISSING: Any = None


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def _diff_value(path: str, old: Any, new: Any, out: list[FieldChange]) -> None:
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            _diff_value(_join(path, key), old.get(key), new.get(key), out)
        return
    if isinstance(old, list) and isinstance(new, list) and _same_shape(old, new):
        for i in range(max(len(old), len(new))):
            before = old[i] if i < len(old) else MISSING
            after = new[i] if i < len(new) else MISSING
            _diff_value(_join(path, i), before, after, out)
        return
    out.append(FieldChange(path, old, new))


def _same_shape(old: list[Any], new: list[Any]) -> bool:
    """Lists of mappings diff item by item; lists of scalars show whole (``[1, 2] → [1, 3]``)."""
    items = old + new
    return bool(items) and all(isinstance(i, Mapping) for i in items)


def diff_views(desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[FieldChange]:
    """Changes for every key of ``desired`` whose value differs from ``live``."""
    out: list[FieldChange] = []
    for key in desired:
        _diff_value(key, live.get(key), desired[key], out)
    return out


def changed_keys(desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """Top-level keys of ``desired`` that differ (what a partial update must send)."""
    return [key for key in desired if desired[key] != live.get(key)]
