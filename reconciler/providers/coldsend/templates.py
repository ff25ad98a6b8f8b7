"""Lint ColdSend personalization (``subject_template``, ``email_content``) before anything is sent.

ColdSend renders an unknown variable as an empty string and shows Liquid mistakes only in the
sent email, so ``camp validate`` checks the template offline. The template is parsed once by
``template_syntax`` (the same parse ``camp preview`` renders); this module adds what needs the
leads CSV: every variable and condition must name a standard field, a computed ``dn_*`` field
or a column of the leads CSV, unless it carries a ``default:``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reconciler.config.problems import Severity, TextIssue
from reconciler.providers.coldsend.template_syntax import (
    Spin,
    SyntaxProblem,
    Tag,
    Variable,
    condition_tokens,
    is_condition_variable,
    parse_template,
    with_suggestion,
)

STANDARD_FIELDS = frozenset({"first_name", "last_name", "company", "job_title", "email"})
COMPUTED_FIELDS = frozenset({"dn_time_of_day", "dn_day_of_week", "dn_day_name"})

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def lint_template(text: str, *, columns: frozenset[str] | None) -> list[TextIssue]:
    """Every issue in ``text``; ``columns`` are the leads CSV headers, None when unknown."""
    linter = _Linter(text, columns)
    linter.run()
    return linter.issues


class TextPositions:
    """0-based offsets of a text → 0-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset) - 1
        return line, offset - self.line_starts[line]

    def issue(self, offset: int, message: str, hint: str, severity: Severity) -> TextIssue:
        line, col = self.line_col(offset)
        return TextIssue(line, col, message, hint, severity)


class _Linter:
    """Walks the parsed template in reading order; ``issues`` collects everything found."""

    def __init__(self, text: str, columns: frozenset[str] | None) -> None:
        self.parsed = parse_template(text)
        self.columns = columns
        self.known = STANDARD_FIELDS | COMPUTED_FIELDS | (columns or frozenset())
        self.positions = TextPositions(text)
        self.issues: list[TextIssue] = []

    def add(self, offset: int, message: str, hint: str, *, warning: bool = False) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.issues.append(self.positions.issue(offset, message, hint, severity))

    def run(self) -> None:
        for item in self.parsed.items:
            if isinstance(item, SyntaxProblem):
                self.add(item.offset, item.message, item.hint, warning=item.warning)
            elif isinstance(item, Variable):
                self._variable_node(item)
            elif isinstance(item, Spin):
                self._spintax(item)
            elif isinstance(item, Tag):
                for token, offset in condition_tokens(item.condition):
                    self._condition_token(token, item.condition_offset + offset)

    def _variable_node(self, node: Variable) -> None:
        if node.fallback is None:
            self._variable(node.name_offset, node.name, in_condition=False)
        elif not _NAME.fullmatch(node.name) and node.name not in self.known:
            self._bad_name(node.start, node.name)
        elif node.name not in self.known and self.columns is not None:
            name = node.name
            message = (
                f"`{name}` is not a lead field or leads CSV column: the fallback is always sent"
            )
            hint = with_suggestion(name, self.known, f"add a `{name}` column to the leads CSV")
            self.add(node.start, message, hint, warning=True)

    def _spintax(self, node: Spin) -> None:
        first = node.options[0]
        if first in self.known:
            message = f"`{{{{{node.body}}}}}` is spintax: `{first}` is sent as literal text"
            hint = f'for a fallback write {{{{ {first} | default: "{node.options[1]}" }}}}'
            self.add(node.start, message, hint, warning=True)

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
        hint = with_suggestion(name, self.known, fix)
        if self.columns is None:
            message = f"`{name}` is not a standard lead field: without that CSV column, {effect}"
            self.add(offset, message, hint, warning=True)
        else:
            message = f"`{name}` is neither a lead field nor a column of the leads CSV: {effect}"
            self.add(offset, message, hint)

    def _bad_name(self, offset: int, name: str) -> None:
        hint = "use letters, digits and `_`, or a leads CSV column exactly as in its header"
        self.add(offset, f"`{name}` is not a valid variable name", hint)

    def _condition_token(self, token: str, offset: int) -> None:
        if token[0] in "\"'":
            if len(token) < 2 or token[-1] != token[0]:
                self.add(offset, "unclosed quote in condition", f"close the string with {token[0]}")
        elif is_condition_variable(token):
            self._variable(offset, token.split(".")[0], in_condition=True)  # `company.size`
