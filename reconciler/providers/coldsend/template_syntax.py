"""ColdSend personalization parsed once: the nodes ``camp validate`` lints and ``camp preview``
renders.

The grammar (shared/api/coldsend.md "Personalization"):

- ``{{ var }}``: a variable; ``{{ var | default: "x" }}``: a variable with a fallback;
- ``{{a|b|c}}``: spintax, at least two non-empty options, never mixed with ``default:``;
- ``{% if x %}`` or ``{% unless x %}``, then optional ``{% elsif y %}`` branches and one
  ``{% else %}``, closed by ``{% endif %}`` or ``{% endunless %}``.

``parse_template`` turns a template into ``Text``, ``Variable``, ``Spin`` and ``Tag`` nodes,
interleaved with the ``SyntaxProblem`` s found at that point of the left-to-right scan (so the
linter reports in reading order). Only the structure is judged here; whether a name is a lead
field or a CSV column is the linter's business (``templates.py``), which knows the columns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

BLOCK_TAGS = {"if": "endif", "unless": "endunless"}
ALL_TAGS = ("if", "unless", "elsif", "else", "endif", "endunless")
CONDITION_WORDS = frozenset(
    {"and", "or", "contains", "true", "false", "nil", "null", "empty", "blank"}
)

_TAG_START = re.compile(r"\{\{|\{%")
_STRAY_END = re.compile(r"\}\}|%\}")
_DEFAULT = re.compile(r"\s*default\s*:")
_FALLBACK = re.compile(r"""\s*default\s*:\s*(?:"([^"]*)"|'([^']*)')\s*""")
_TAG_BODY = re.compile(r"(\S+)\s*(.*)", re.DOTALL)
_LITERAL_TOKEN = re.compile(r"[=!<>]+|-?\d+(\.\d+)?")
_CONDITION_TOKEN = re.compile(r""""[^"]*"?|'[^']*'?|==|!=|<>|<=|>=|<|>|[^\s=!<>]+""")


@dataclass(frozen=True)
class Text:
    """Literal text, sent as written."""

    start: int
    text: str


@dataclass(frozen=True)
class Variable:
    """``{{ name }}``, or ``{{ name | default: "x" }}`` (``fallback`` is then ``"x"``)."""

    start: int
    end: int
    body: str  # the inside, without whitespace-control dashes and outer spaces
    name: str
    name_offset: int
    fallback: str | None
    trim: tuple[bool, bool]  # Liquid whitespace control: ``{{-`` and ``-}}``


@dataclass(frozen=True)
class Spin:
    """``{{a|b|c}}``: one option per email, chosen at random; options are literal text."""

    start: int
    end: int
    body: str
    options: tuple[str, ...]
    trim: tuple[bool, bool]


@dataclass(frozen=True)
class Tag:
    """``{% if x %}`` … ``{% endif %}``; ``block`` numbers the if/unless block it belongs to
    (-1 when it belongs to none). ``condition`` is empty for tags whose arguments are not
    read (``else``, a branch outside any block)."""

    start: int
    end: int
    tag: str
    condition: str
    condition_offset: int
    trim: tuple[bool, bool]
    block: int


@dataclass(frozen=True)
class SyntaxProblem:
    """A structural problem at ``offset`` (0-based within the template)."""

    offset: int
    message: str
    hint: str
    warning: bool = False


Node = Text | Variable | Spin | Tag


@dataclass(frozen=True)
class ParsedTemplate:
    """A template's nodes and structural problems, in the order the scan met them."""

    text: str
    items: tuple[Node | SyntaxProblem, ...]

    @property
    def nodes(self) -> list[Node]:
        return [item for item in self.items if not isinstance(item, SyntaxProblem)]

    @property
    def problems(self) -> list[SyntaxProblem]:
        return [item for item in self.items if isinstance(item, SyntaxProblem)]

    @property
    def has_tags(self) -> bool:
        return any(isinstance(node, Tag) for node in self.items)


def parse_template(text: str) -> ParsedTemplate:
    """Every node and structural problem of ``text``."""
    parser = _Parser(text)
    parser.run()
    return ParsedTemplate(text, tuple(parser.items))


def condition_tokens(condition: str) -> Iterator[tuple[str, int]]:
    """The tokens of a condition (strings, operators, words) with their offsets in it."""
    for match in _CONDITION_TOKEN.finditer(condition):
        yield match.group(), match.start()


def is_condition_variable(token: str) -> bool:
    """True when a condition token names a variable (not a string, number, operator or word)."""
    return not (token[0] in "\"'" or token in CONDITION_WORDS or _LITERAL_TOKEN.fullmatch(token))


def with_suggestion(name: str, candidates: Iterable[str], fix: str) -> str:
    """``fix``, preceded by a near-miss suggestion (the same name in another case first)."""
    ordered = sorted(candidates)
    close = [c for c in ordered if c.lower() == name.lower()]
    close = close or difflib.get_close_matches(name, ordered, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`? otherwise {fix}" if close else fix


def _strip_control(inner: str) -> tuple[str, tuple[bool, bool]]:
    """Drop Liquid's whitespace-control dashes (``{{- x -}}``) and the surrounding spaces."""
    trim = (inner.startswith("-"), inner.endswith("-") and len(inner) > 1)
    inner = inner[1:] if trim[0] else inner
    inner = inner[:-1] if trim[1] else inner
    return inner.strip(), trim


@dataclass
class _Block:
    tag: str
    offset: int
    number: int
    has_else: bool = False


@dataclass
class _Parser:
    """One left-to-right pass; ``items`` collects nodes and problems as they are met."""

    text: str
    items: list[Node | SyntaxProblem] = field(default_factory=list)
    stack: list[_Block] = field(default_factory=list)
    blocks: int = 0

    def problem(self, offset: int, message: str, hint: str, *, warning: bool = False) -> None:
        self.items.append(SyntaxProblem(offset, message, hint, warning))

    def run(self) -> None:
        pos = 0
        while (match := _TAG_START.search(self.text, pos)) is not None:
            self._literal(pos, match.start())
            pos = self._tag(match.start(), match.group())
        self._literal(pos, len(self.text))
        for block in self.stack:
            end = BLOCK_TAGS[block.tag]
            message = f"`{{% {block.tag} %}}` is never closed"
            self.problem(block.offset, message, f"close it with `{{% {end} %}}`")

    def _literal(self, start: int, end: int) -> None:
        for match in _STRAY_END.finditer(self.text, start, end):
            opener = "{{" if match.group() == "}}" else "{%"
            message = f"`{match.group()}` without a matching `{opener}` is sent as literal text"
            self.problem(match.start(), message, f"remove it or add the `{opener}`", warning=True)
        if end > start:
            self.items.append(Text(start, self.text[start:end]))

    def _tag(self, start: int, opener: str) -> int:
        """Read the tag opened at ``start``; return where scanning resumes."""
        closer = "}}" if opener == "{{" else "%}"
        end = self.text.find(closer, start + 2)
        following = _TAG_START.search(self.text, start + 2)
        if end < 0 or (following is not None and following.start() < end):
            kind = "variable" if opener == "{{" else "tag"
            self.problem(
                start, f"unclosed `{opener}`: the {kind} is never closed", f"add `{closer}`"
            )
            self.items.append(Text(start, opener))
            return start + 2
        inner = self.text[start + 2 : end]
        if opener == "{{":
            self._expression(start, end + 2, inner)
        else:
            self._liquid_tag(start, end + 2, inner)
        return end + 2

    # -- {{ … }} -------------------------------------------------------------------------------

    def _expression(self, start: int, end: int, inner: str) -> None:
        body, trim = _strip_control(inner)
        if not body:
            self.problem(start, "empty `{{ }}`", "put a variable name inside, or remove the braces")
            return
        parts = body.split("|")
        if len(parts) == 1:
            offset = start + 2 + inner.find(body)
            self.items.append(Variable(start, end, body, body, offset, None, trim))
        elif any(_DEFAULT.match(part) for part in parts[1:]):
            self._fallback(start, end, body, parts, trim)
        else:
            self._spintax(start, end, body, parts, trim)

    def _fallback(
        self, start: int, end: int, body: str, parts: list[str], trim: tuple[bool, bool]
    ) -> None:
        name = parts[0].strip()
        quoted = _FALLBACK.fullmatch(parts[1]) if len(parts) == 2 else None
        if len(parts) > 2:
            hint = 'use either spintax {{a|b}} or one fallback {{ var | default: "x" }}'
            self.problem(start, f"`{{{{{body}}}}}` mixes spintax with `default:`", hint)
        elif quoted is None:
            hint = f'quote the fallback: {{{{ {name} | default: "there" }}}}'
            self.problem(start, f"`{{{{{body}}}}}`: the fallback must be a quoted string", hint)
        else:
            fallback = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            self.items.append(Variable(start, end, body, name, start, fallback, trim))

    def _spintax(
        self, start: int, end: int, body: str, parts: list[str], trim: tuple[bool, bool]
    ) -> None:
        options = tuple(part.strip() for part in parts)
        if sum(1 for option in options if option) < 2:
            hint = "give at least two non-empty options, e.g. {{Hi|Hello}}"
            self.problem(
                start, f"spintax `{{{{{body}}}}}` needs at least 2 non-empty options", hint
            )
        else:
            self.items.append(Spin(start, end, body, options, trim))

    # -- {% … %} -------------------------------------------------------------------------------

    def _liquid_tag(self, start: int, end: int, inner: str) -> None:
        body, trim = _strip_control(inner)
        parts = _TAG_BODY.fullmatch(body)
        if parts is None:
            self.problem(
                start, "empty `{% %}`", "write a tag such as `{% if company %}`, or remove it"
            )
            return
        tag, args = parts.group(1), parts.group(2)
        args_offset = start + 2 + inner.find(body) + parts.start(2)
        node = Tag(start, end, tag, args, args_offset, trim, -1)
        if tag in BLOCK_TAGS:
            self._open(node)
        elif tag in ("elsif", "else"):
            self._branch(node)
        elif tag in BLOCK_TAGS.values():
            self._close(node)
        else:
            hint = with_suggestion(tag, ALL_TAGS, f"ColdSend supports {', '.join(ALL_TAGS)}")
            self.problem(start, f"unsupported Liquid tag `{{% {body} %}}`", hint)

    def _open(self, node: Tag) -> None:
        block = _Block(node.tag, node.start, self.blocks)
        self.blocks += 1
        self.stack.append(block)
        self._needs_condition(node)
        self.items.append(_in_block(node, block.number))

    def _branch(self, node: Tag) -> None:
        if not self.stack:
            hint = "remove it, or add `{% if … %}` before it"
            self.problem(node.start, f"`{{% {node.tag} %}}` outside of an `{{% if %}}` block", hint)
            self.items.append(_in_block(node, -1, condition=""))
            return
        block = self.stack[-1]
        if block.has_else:
            closer = BLOCK_TAGS[block.tag]
            hint = f"`{{% else %}}` must be the last branch before `{{% {closer} %}}`"
            self.problem(node.start, f"`{{% {node.tag} %}}` after `{{% else %}}`", hint)
        block.has_else = block.has_else or node.tag == "else"
        if node.tag == "elsif":
            self._needs_condition(node)
            self.items.append(_in_block(node, block.number))
        else:
            self.items.append(_in_block(node, block.number, condition=""))

    def _close(self, node: Tag) -> None:
        tag = node.tag
        opener = next((b for b in reversed(self.stack) if BLOCK_TAGS[b.tag] == tag), None)
        if opener is None:
            wanted = "if" if tag == "endif" else "unless"
            hint = f"remove it, or add the `{{% {wanted} … %}}` it closes"
            self.problem(node.start, f"`{{% {tag} %}}` without a matching `{{% {wanted} %}}`", hint)
            self.items.append(_in_block(node, -1, condition=""))
            return
        while (block := self.stack.pop()) is not opener:
            end = BLOCK_TAGS[block.tag]
            message = f"`{{% {block.tag} %}}` is not closed before `{{% {tag} %}}`"
            self.problem(block.offset, message, f"add `{{% {end} %}}` before the `{{% {tag} %}}`")
        self.items.append(_in_block(node, opener.number, condition=""))

    def _needs_condition(self, node: Tag) -> None:
        if not node.condition:
            tag = node.tag
            self.problem(
                node.start, f"`{{% {tag} %}}` has no condition", f"write {{% {tag} company %}}"
            )


def _in_block(node: Tag, block: int, *, condition: str | None = None) -> Tag:
    text = node.condition if condition is None else condition
    return Tag(node.start, node.end, node.tag, text, node.condition_offset, node.trim, block)
