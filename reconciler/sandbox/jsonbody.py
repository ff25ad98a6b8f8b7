"""Request bodies as JSON, with hostile nesting refused before it can reach a 500.

``json.loads`` recurses once per nesting level, so a body like ``{"a":{"a":…`` a thousand
levels deep raises ``RecursionError``, which no vendor handler expects. Every body is first
measured (strings skipped, brackets counted) and refused beyond :data:`MAX_DEPTH` levels as an
ordinary :class:`json.JSONDecodeError`, which each vendor already turns into its own 422.
No real request comes close: the deepest contract body (an Inbox sequence) has six levels.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64
# A JSON string (an unterminated one runs to the end) or one bracket; everything else is skipped.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def loads(raw: bytes) -> object:
    """``json.loads(raw)``; a ``ValueError`` (``JSONDecodeError`` when it is the nesting) if bad."""
    deep = _too_deep_at(raw)
    if deep is not None:
        raise _nesting_error(raw, deep)
    try:
        return json.loads(raw)
    except RecursionError:  # a backstop: the measure above should have refused it
        raise _nesting_error(raw, 0) from None


def _too_deep_at(raw: bytes) -> int | None:
    """Offset of the bracket that opens level ``MAX_DEPTH + 1``, None when there is none."""
    depth = 0
    for token in _TOKEN.finditer(raw):
        char = token.group()[:1]
        if char in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif char in (b"]", b"}"):
            depth -= 1
    return None


def _nesting_error(raw: bytes, offset: int) -> json.JSONDecodeError:
    text = raw.decode("utf-8", "replace")
    return json.JSONDecodeError(f"Nesting deeper than {MAX_DEPTH} levels", text, offset)
