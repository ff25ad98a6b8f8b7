"""Shared value formatting for the plan renderers, so a value looks the same in every output.

Short values are shown inline (``old → new``); long or multi-line ones as a unified diff, because
a reviewer cannot spot a one-word edit in two 2,000-character strings printed side by side.
Everything that reaches a terminal or a PR comment first passes through ``clean``: campaign
names, bodies and vendor messages are untrusted, and an escape sequence or a bidi override in
them must be shown, not obeyed.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from reconciler.plan.values import Action, FieldChange, PlanFacts

UNSET = "(unset)"
INLINE_MAX = 60  # longer values are diffed line by line

# Invisible characters that reorder or hide text ("Trojan source"): shown escaped.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class ValueDiff:
    """How one field change is displayed: inline ``old``/``new``, or unified-diff ``lines``."""

    field: str
    old: str
    new: str
    lines: tuple[str, ...] = ()
    old_unset: bool = False
    new_unset: bool = False

    @property
    def is_inline(self) -> bool:
        return not self.lines


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def clean(text: str) -> str:
    """Escape control and bidi characters (keeps ``\\n`` and ``\\t``): no ANSI can get through."""
    if text.isprintable():
        return text
    return "".join(_escape_char(ch) for ch in text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if ch in "\n\t" or (code >= 0x20 and code != 0x7F and not 0x80 <= code < 0xA0):
        return f"\\u{code:04x}" if ch in _BIDI else ch
    return f"\\x{code:02x}"


def one_line(text: str) -> str:
    """A name or message squeezed onto one line (headers, table cells, summaries)."""
    return " ".join(clean(text).split())


def plain(value: Any) -> Any:
    """A JSON-able copy: tuples and sets become lists, unknown objects their ``str``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Set):
        return sorted((plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def inline(value: Any) -> str:
    """One-line form: strings quoted (whitespace visible), lists and mappings as compact JSON."""
    if value is None:
        return UNSET
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(plain(value), ensure_ascii=False)


def block(value: Any) -> list[str]:
    """Multi-line form for a unified diff: text by line, structures as indented JSON."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.splitlines()
    return json.dumps(plain(value), ensure_ascii=False, indent=2).splitlines()


def _is_long(old: Any, new: Any) -> bool:
    multiline = any(isinstance(v, str) and "\n" in v for v in (old, new))
    return multiline or max(len(inline(old)), len(inline(new))) > INLINE_MAX


def unified(field: str, old: Any, new: Any) -> list[str]:
    """``---``/``+++`` headers naming the field, then hunks; empty when the lines agree."""
    return list(
        difflib.unified_diff(
            block(old), block(new), f"{field} (live)", f"{field} (desired)", lineterm=""
        )
    )


def value_diff(change: FieldChange) -> ValueDiff:
    old, new = change.old, change.new
    lines = unified(change.field, old, new) if _is_long(old, new) else []
    return ValueDiff(
        field=change.field,
        old=inline(change.old),
        new=inline(change.new),
        lines=tuple(lines),  # no lines (a trailing-newline-only edit) falls back to inline
        old_unset=change.old is None,
        new_unset=change.new is None,
    )


def action_facts(action: Action, facts: PlanFacts) -> list[tuple[str, str]]:
    """The campaign facts shown under this action, e.g. ``("audience size", "1,200")``."""
    shown = facts.named(action.kind.meaning.facts)
    return [(name.replace("_", " "), f"{value:,}") for name, value in shown]


def summary_tail(action: Action) -> tuple[bool, str]:
    """The summary without the kind it repeats, and whether the kind starts it as a sentence.

    ``create campaign`` → ``(True, "campaign")`` (shown as ``create campaign``);
    ``launch: start sending`` → ``(False, "start sending")``; any other summary is kept whole.
    """
    kind, summary = action.kind.value, one_line(action.summary)
    if summary.startswith(kind + ":"):
        return False, summary[len(kind) + 1 :].strip()
    if summary.startswith(kind + " "):
        return True, summary[len(kind) + 1 :]
    return False, summary


def action_title(action: Action) -> str:
    """``create campaign``, ``launch (irreversible): start sending to 5 leads``: one line.

    An irreversible step always starts ``kind (irreversible)``, where a reviewer's eye (and
    a ``grep``) looks for it.
    """
    sentence, rest = summary_tail(action)
    if sentence and not action.irreversible:
        return f"{action.kind.value} {rest}"
    tag = " (irreversible)" if action.irreversible else ""
    return f"{action.kind.value}{tag}" + (f": {rest}" if rest else "")


def is_assignment(change: FieldChange) -> bool:
    """A field set from nothing: shown as Terraform shows an attribute, ``+ name = value``."""
    return change.old is None and change.new is not None


def assignment(field: str, value: Any, *, width: int) -> list[str]:
    """``field = value``, the ``=`` at column ``width``: scalars inline, multi-line text as an
    indented ``<<-EOT`` block, lists and mappings one item per line, as ``terraform plan`` does.

    Continuation lines are indented from the field name's column; the caller prefixes the
    first line with its ``+ `` and the others with as many spaces.
    """
    shown = _hcl(value, "")
    return [f"{field:<{width}} = {shown[0]}", *shown[1:]]


def _hcl(value: Any, pad: str) -> list[str]:
    """``value`` as lines; the first continues a ``name = `` line, the rest start at ``pad``."""
    if isinstance(value, str) and "\n" in value:
        body = value.splitlines()
        marker = "EOT"
        while marker in (line.strip() for line in body):
            marker += "_"
        inner = [f"{pad}    {line}" if line else "" for line in body]
        return [f"<<-{marker}", *inner, f"{pad}{marker}"]
    if _fits_inline(value):
        return [_inline_hcl(value)]
    deeper = pad + "    "
    if isinstance(value, Mapping):
        width = max(len(_hcl_key(k)) for k in value)
        lines = ["{"]
        for key, item in value.items():
            shown = _hcl(item, deeper)
            lines += [f"{deeper}{_hcl_key(key):<{width}} = {shown[0]}", *shown[1:]]
        return [*lines, pad + "}"]
    lines = ["["]
    for item in value:
        shown = _hcl(item, deeper)
        lines += [deeper + shown[0], *shown[1:]]
        lines[-1] += ","
    return [*lines, pad + "]"]


def _fits_inline(value: Any) -> bool:
    """Scalars always; a list or mapping of scalars when its one-line form is short."""
    if isinstance(value, str):
        return "\n" not in value
    if not isinstance(value, Mapping | list | tuple) or not value:
        return True
    items = value.values() if isinstance(value, Mapping) else value
    flat = all(not isinstance(v, Mapping | list | tuple) and _fits_inline(v) for v in items)
    return flat and len(_inline_hcl(value)) <= INLINE_MAX


def _inline_hcl(value: Any) -> str:
    if isinstance(value, Mapping) and value:
        pairs = ", ".join(f"{_hcl_key(k)} = {_inline_hcl(v)}" for k, v in value.items())
        return f"{{ {pairs} }}"
    return "null" if value is None else inline(value)


def _hcl_key(key: Any) -> str:
    text = str(key)
    return text if text.isidentifier() else json.dumps(text, ensure_ascii=False)


def fence_for(lines: list[str]) -> str:
    """A backtick fence longer than any backtick run in the body, so the body cannot close it."""
    longest = 0
    for line in lines:
        run = 0
        for ch in line:
            run = run + 1 if ch == "`" else 0
            longest = max(longest, run)
    return "`" * max(3, longest + 1)
