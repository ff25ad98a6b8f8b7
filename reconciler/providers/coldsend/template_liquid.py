"""ColdSend templates handed to a real Liquid engine (python-liquid) for what is Liquid.

python-liquid reads the vendor's spintax ``{{a|b}}`` as a filter expression and rejects it, and
its ``default`` filter keeps a whitespace-only value; so the parse of ``template_syntax`` goes
first: every variable and spintax becomes a placeholder output (``{{ __camp_3 }}``) whose text
camp computes, and the ``{% … %}`` tags stay for Liquid. Two rewrites make Liquid's semantics
the vendor's (shared/api/coldsend.md "How a message is rendered for one lead"): an empty value
is passed as ``nil``, so a bare variable is false when empty (Liquid's empty string is true),
and ``blank`` / ``empty`` in a condition become ``nil``, which every empty value then is.

Beside the output template, a *probe* holds the same tags with marker text in place of the
content: rendering it says which branches and which outputs one lead reaches. It depends only
on the values the conditions read, so the whole-CSV analysis renders it once per distinct
combination of them. python-liquid costs a quarter of a second to import: this module is
imported only when a template has tags or a message is rendered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from liquid import BoundTemplate, Environment
from liquid.builtin.content import Literal
from liquid.builtin.illegal import Illegal
from liquid.builtin.output import Output
from liquid.builtin.tags.if_tag import IfTag
from liquid.builtin.tags.unless_tag import UnlessTag
from liquid.exceptions import LiquidError

from reconciler.providers.coldsend.template_syntax import (
    Node,
    ParsedTemplate,
    Spin,
    Tag,
    Text,
    Variable,
    condition_tokens,
    is_condition_variable,
)

PLACEHOLDER = "__camp_{}"
_EMPTY_WORDS = frozenset({"blank", "empty"})


class TemplateError(Exception):
    """Liquid refused a condition (parse) or could not evaluate it (render) at ``offset``."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _VendorEnvironment(Environment):
    """Only what ColdSend supports: text, outputs, ``if`` (with elsif/else) and ``unless``;
    no filters (``default:`` is resolved before Liquid sees the template)."""

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        for tag in (Literal, Output, Illegal, IfTag, UnlessTag):
            self.add_tag(tag)


@cache
def _environment() -> Environment:
    return _VendorEnvironment()


@dataclass(frozen=True)
class Probe:
    """Which parts of the template one lead reaches, as marker sets."""

    template: BoundTemplate
    condition_names: tuple[str, ...]  # the root names the conditions read, the memo key


@dataclass(frozen=True)
class CompiledTemplate:
    """The output template (placeholders for ``slots``) and, when it has tags, its probe."""

    parsed: ParsedTemplate
    output: BoundTemplate
    slots: tuple[Variable | Spin, ...]
    probe: Probe | None


def liquid_condition(condition: str) -> str:
    """The condition with ``blank``/``empty`` read as ``nil`` (every empty value is ``nil``)."""
    out, pos = [], 0
    for token, offset in condition_tokens(condition):
        if token in _EMPTY_WORDS:
            out += [condition[pos:offset], "nil"]
            pos = offset + len(token)
    return "".join([*out, condition[pos:]])


def condition_names(parsed: ParsedTemplate) -> tuple[str, ...]:
    """The variables the conditions read (``company`` for ``company.size``), in order."""
    names: dict[str, None] = {}
    for node in parsed.nodes:
        if isinstance(node, Tag):
            for token, _ in condition_tokens(node.condition):
                if is_condition_variable(token):
                    names[token.split(".")[0]] = None
    return tuple(names)


def check_conditions(parsed: ParsedTemplate) -> list[TemplateError]:
    """Each condition Liquid cannot read, located at its tag (checked one by one so that the
    message points into the user's template, not into the translated one)."""
    errors = []
    for node in parsed.nodes:
        if isinstance(node, Tag) and node.tag in ("if", "unless", "elsif") and node.condition:
            source = f"{{% if {liquid_condition(node.condition)} %}}{{% endif %}}"
            try:
                _environment().from_string(source)
            except LiquidError as exc:
                errors.append(TemplateError(node.condition_offset, f"Liquid: {exc.message}"))
    return errors


def compile_template(parsed: ParsedTemplate) -> CompiledTemplate:
    """Compile a template without structural errors; raises ``TemplateError``."""
    errors = check_conditions(parsed)
    if errors:
        raise errors[0]
    slots: list[Variable | Spin] = []
    output: list[str] = []
    for node in parsed.nodes:
        output.append(_output_source(node, len(slots)))
        if isinstance(node, Variable | Spin):
            slots.append(node)
    probe = None
    if parsed.has_tags:
        probe = Probe(_compile("".join(_probe_source(parsed))), condition_names(parsed))
    return CompiledTemplate(parsed, _compile("".join(output)), tuple(slots), probe)


def render(compiled: CompiledTemplate, values: Mapping[str, Any], slots: Sequence[str]) -> str:
    """The message text: ``values`` for the conditions (empty ones as None), ``slots`` the text
    of each variable and spintax in order."""
    data = dict(values)
    data.update((PLACEHOLDER.format(i), text) for i, text in enumerate(slots))
    return _render(compiled.output, data, compiled.parsed)


def probe(compiled: CompiledTemplate, values: Mapping[str, Any]) -> frozenset[str]:
    """The markers one lead reaches: ``o<i>`` slot i, ``t`` visible text, ``b<k>`` branch k
    (numbered over if/unless/elsif/else tags in order), ``r<n>`` block n reached."""
    if compiled.probe is None:
        return frozenset()
    text = _render(compiled.probe.template, values, compiled.parsed)
    return frozenset(text.split(";")) - {""}


def _compile(source: str) -> BoundTemplate:
    try:
        return _environment().from_string(source)
    except LiquidError as exc:  # pragma: no cover - conditions were checked one by one
        raise TemplateError(0, f"Liquid: {exc.message}") from None


def _render(template: BoundTemplate, data: Mapping[str, Any], parsed: ParsedTemplate) -> str:
    try:
        return template.render(**data)
    except LiquidError as exc:
        tag = next((n for n in parsed.nodes if isinstance(n, Tag) and n.condition), None)
        raise TemplateError(tag.condition_offset if tag else 0, f"Liquid: {exc.message}") from None


def _dashes(trim: tuple[bool, bool]) -> tuple[str, str]:
    return ("-" if trim[0] else ""), ("-" if trim[1] else "")


def _tag_source(node: Tag) -> str:
    left, right = _dashes(node.trim)
    condition = f" {liquid_condition(node.condition)}" if node.condition else ""
    return f"{{%{left} {node.tag}{condition} {right}%}}"


def _output_source(node: Node, slot: int) -> str:
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Tag):
        return _tag_source(node)
    left, right = _dashes(node.trim)
    return f"{{{{{left} {PLACEHOLDER.format(slot)} {right}}}}}"


def _probe_source(parsed: ParsedTemplate) -> list[str]:
    out: list[str] = []
    slot = branch = 0
    for node in parsed.nodes:
        if isinstance(node, Text):
            out.append("t;" if node.text.strip() else "")
        elif isinstance(node, Variable | Spin):
            out.append(f"o{slot};")
            slot += 1
        elif node.tag in ("if", "unless"):
            out += [f"r{node.block};", _tag_source(node), f"b{branch};"]
            branch += 1
        elif node.tag in ("elsif", "else"):
            out += [_tag_source(node), f"b{branch};"]
            branch += 1
        else:
            out.append(_tag_source(node))
    return out
