"""Lint ColdSend personalization (``subject_template``, ``email_content``) before anything is sent.

ColdSend renders an unknown variable as an empty string and shows Liquid mistakes only in the
sent email, so ``camp validate`` checks the template offline. The grammar (shared/api/coldsend.md):

- ``{{ var }}``: a standard field, a computed ``dn_*`` field, or a column of the leads CSV;
- ``{{ var | default: "x" }}``: a variable with a fallback (any name is then safe to send);
- ``{{a|b|c}}``: spintax, at least two non-empty options, never mixed with ``default:``;
- ``{% if x %}`` or ``{% unless x %}``, then optional ``{% elsif y %}`` branches and one
  ``{% else %}``, closed by ``{% endif %}`` or ``{% endunless %}``; conditions name variables too.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from reconciler.config.problems import Severity, TextIssue

STANDARD_FIELDS = frozenset({"first_name", "last_name", "company", "job_title", "email"})
COMPUTED_FIELDS = frozenset({"dn_time_of_day", "dn_day_of_week", "dn_day_name"})
BLOCK_TAGS = {"if": "endif", "unless": "endunless"}
ALL_TAGS = ("if", "unless", "elsif", "else", "endif", "endunless")

_TAG_START = re.compile(r"\{\{|\{%")
_STRAY_END = re.compile(r"\}\}|%\}")
_DEFAULT = re.compile(r"\s*default\s*:")
_FALLBACK = re.compile(r"""\s*default\s*:\s*(?:"[^"]*"|'[^']*')\s*""")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG_BODY = re.compile(r"(\S+)\s*(.*)", re.DOTALL)
_CONDITION_TOKEN = re.compile(r""""[^"]*"?|'[^']*'?|==|!=|<>|<=|>=|<|>|[^\s=!<>]+""")
_CONDITION_WORDS = frozenset(
    {"and", "or", "contains", "true", "false", "nil", "null", "empty", "blank"}
)


@dataclass
class _Block:
    tag: str
    offset: int
    has_else: bool = False


def lint_template(text: str, *, columns: frozenset[str] | None) -> list[TextIssue]:
    """Every issue in ``text``; ``columns`` are the leads CSV headers, None when unknown."""
    linter = _Linter(text, columns)
    linter.run()
    return linter.issues


def _strip_control(inner: str) -> str:
    """Drop Liquid's whitespace-control dashes (``{{- x -}}``) and the surrounding spaces."""
    inner = inner[1:] if inner.startswith("-") else inner
    inner = inner[:-1] if inner.endswith("-") else inner
    return inner.strip()


def _with_suggestion(name: str, candidates: Iterable[str], fix: str) -> str:
    """``fix``, preceded by a near-miss suggestion (the same name in another case first)."""
    ordered = sorted(candidates)
    close = [c for c in ordered if c.lower() == name.lower()]
    close = close or difflib.get_close_matches(name, ordered, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`? otherwise {fix}" if close else fix


class _Linter:
    """One left-to-right pass over the template; ``issues`` collects everything found."""

    def __init__(self, text: str, columns: frozenset[str] | None) -> None:
        self.text, self.columns = text, columns
        self.known = STANDARD_FIELDS | COMPUTED_FIELDS | (columns or frozenset())
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.stack: list[_Block] = []
        self.issues: list[TextIssue] = []

    def add(self, offset: int, message: str, hint: str, *, warning: bool = False) -> None:
        line = bisect_right(self.line_starts, offset) - 1
        col = offset - self.line_starts[line]
        severity = Severity.WARNING if warning else Severity.ERROR
        self.issues.append(TextIssue(line, col, message, hint, severity))

    def run(self) -> None:
        pos = 0
        while (match := _TAG_START.search(self.text, pos)) is not None:
            self._stray_closers(pos, match.start())
            pos = self._tag(match.start(), match.group())
        self._stray_closers(pos, len(self.text))
        for block in self.stack:
            end = BLOCK_TAGS[block.tag]
            message = f"`{{% {block.tag} %}}` is never closed"
            self.add(block.offset, message, f"close it with `{{% {end} %}}`")

    def _stray_closers(self, start: int, end: int) -> None:
        for match in _STRAY_END.finditer(self.text, start, end):
            opener = "{{" if match.group() == "}}" else "{%"
            message = f"`{match.group()}` without a matching `{opener}` is sent as literal text"
            self.add(match.start(), message, f"remove it or add the `{opener}`", warning=True)

    def _tag(self, start: int, opener: str) -> int:
        """Check the tag opened at ``start``; return where scanning resumes."""
        closer = "}}" if opener == "{{" else "%}"
        end = self.text.find(closer, start + 2)
        following = _TAG_START.search(self.text, start + 2)
        if end < 0 or (following is not None and following.start() < end):
            kind = "variable" if opener == "{{" else "tag"
            self.add(start, f"unclosed `{opener}`: the {kind} is never closed", f"add `{closer}`")
            return start + 2
        inner = self.text[start + 2 : end]
        if opener == "{{":
            self._expression(start, inner)
        else:
            self._liquid_tag(start, inner)
        return end + 2

    # -- {{ … }} -------------------------------------------------------------------------------

    def _expression(self, start: int, inner: str) -> None:
        body = _strip_control(inner)
        if not body:
            self.add(start, "empty `{{ }}`", "put a variable name inside, or remove the braces")
            return
        parts = body.split("|")
        if len(parts) == 1:
            self._variable(start + 2 + inner.find(body), body, in_condition=False)
        elif any(_DEFAULT.match(part) for part in parts[1:]):
            self._fallback(start, body, parts)
        else:
            self._spintax(start, body, parts)

    def _fallback(self, start: int, body: str, parts: list[str]) -> None:
        name = parts[0].strip()
        if len(parts) > 2:
            hint = 'use either spintax {{a|b}} or one fallback {{ var | default: "x" }}'
            self.add(start, f"`{{{{{body}}}}}` mixes spintax with `default:`", hint)
        elif not _FALLBACK.fullmatch(parts[1]):
            hint = f'quote the fallback: {{{{ {name} | default: "there" }}}}'
            self.add(start, f"`{{{{{body}}}}}`: the fallback must be a quoted string", hint)
        elif not _NAME.fullmatch(name) and name not in self.known:
            self._bad_name(start, name)
        elif name not in self.known and self.columns is not None:
            message = (
                f"`{name}` is not a lead field or leads CSV column: the fallback is always sent"
            )
            hint = _with_suggestion(name, self.known, f"add a `{name}` column to the leads CSV")
            self.add(start, message, hint, warning=True)

    def _spintax(self, start: int, body: str, parts: list[str]) -> None:
        options = [part.strip() for part in parts]
        if sum(1 for option in options if option) < 2:
            hint = "give at least two non-empty options, e.g. {{Hi|Hello}}"
            self.add(start, f"spintax `{{{{{body}}}}}` needs at least 2 non-empty options", hint)
        elif options[0] in self.known:
            message = f"`{{{{{body}}}}}` is spintax: `{options[0]}` is sent as literal text"
            hint = f'for a fallback write {{{{ {options[0]} | default: "{options[1]}" }}}}'
            self.add(start, message, hint, warning=True)

    def _variable(self, offset: int, name: str, *, in_condition: bool) -> None:
        if name in self.known:
            return
        if not _NAME.fullmatch(name):
            self._bad_name(offset, name)
            return
        effect = (
            "the condition is always false" if in_condition else "it would send an empty string"
        )
        fix = f"add a `{name}` column to the leads CSV"
        if not in_condition:
            fix += f' or give a fallback: {{{{ {name} | default: "…" }}}}'
        hint = _with_suggestion(name, self.known, fix)
        if self.columns is None:
            message = f"`{name}` is not a standard lead field: without that CSV column, {effect}"
            self.add(offset, message, hint, warning=True)
        else:
            message = f"`{name}` is neither a lead field nor a column of the leads CSV: {effect}"
            self.add(offset, message, hint)

    def _bad_name(self, offset: int, name: str) -> None:
        hint = "use letters, digits and `_`, or a leads CSV column exactly as in its header"
        self.add(offset, f"`{name}` is not a valid variable name", hint)

    # -- {% … %} -------------------------------------------------------------------------------

    def _liquid_tag(self, start: int, inner: str) -> None:
        body = _strip_control(inner)
        parts = _TAG_BODY.fullmatch(body)
        if parts is None:
            self.add(start, "empty `{% %}`", "write a tag such as `{% if company %}`, or remove it")
            return
        tag, args = parts.group(1), parts.group(2)
        args_offset = start + 2 + inner.find(body) + parts.start(2)
        if tag in BLOCK_TAGS:
            self._open(start, tag, args, args_offset)
        elif tag in ("elsif", "else"):
            self._branch(start, tag, args, args_offset)
        elif tag in BLOCK_TAGS.values():
            self._close(start, tag)
        else:
            hint = _with_suggestion(tag, ALL_TAGS, f"ColdSend supports {', '.join(ALL_TAGS)}")
            self.add(start, f"unsupported Liquid tag `{{% {body} %}}`", hint)

    def _open(self, start: int, tag: str, condition: str, offset: int) -> None:
        self.stack.append(_Block(tag, start))
        self._condition(start, tag, condition, offset)

    def _branch(self, start: int, tag: str, condition: str, offset: int) -> None:
        if not self.stack:
            hint = "remove it, or add `{% if … %}` before it"
            self.add(start, f"`{{% {tag} %}}` outside of an `{{% if %}}` block", hint)
            return
        block = self.stack[-1]
        if block.has_else:
            hint = (
                f"`{{% else %}}` must be the last branch before `{{% {BLOCK_TAGS[block.tag]} %}}`"
            )
            self.add(start, f"`{{% {tag} %}}` after `{{% else %}}`", hint)
        block.has_else = block.has_else or tag == "else"
        if tag == "elsif":
            self._condition(start, tag, condition, offset)

    def _close(self, start: int, tag: str) -> None:
        opener = next((b for b in reversed(self.stack) if BLOCK_TAGS[b.tag] == tag), None)
        if opener is None:
            wanted = "if" if tag == "endif" else "unless"
            hint = f"remove it, or add the `{{% {wanted} … %}}` it closes"
            self.add(start, f"`{{% {tag} %}}` without a matching `{{% {wanted} %}}`", hint)
            return
        while (block := self.stack.pop()) is not opener:
            end = BLOCK_TAGS[block.tag]
            message = f"`{{% {block.tag} %}}` is not closed before `{{% {tag} %}}`"
            self.add(block.offset, message, f"add `{{% {end} %}}` before the `{{% {tag} %}}`")

    def _condition(self, start: int, tag: str, condition: str, offset: int) -> None:
        if not condition:
            self.add(start, f"`{{% {tag} %}}` has no condition", f"write {{% {tag} company %}}")
            return
        for match in _CONDITION_TOKEN.finditer(condition):
            self._condition_token(match.group(), offset + match.start())

    def _condition_token(self, token: str, offset: int) -> None:
        if token[0] in "\"'":
            if len(token) < 2 or token[-1] != token[0]:
                self.add(offset, "unclosed quote in condition", f"close the string with {token[0]}")
        elif not (token in _CONDITION_WORDS or re.fullmatch(r"[=!<>]+|-?\d+(\.\d+)?", token)):
            self._variable(offset, token.split(".")[0], in_condition=True)  # `company.size`
