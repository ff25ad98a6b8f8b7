"""A YAML loader that remembers where every value came from.

``yaml.safe_load`` semantics (plain data, merge keys, no Python tags), with three additions that
every later error message depends on:

- each mapping and sequence is a ``LocatedDict`` / ``LocatedList`` that knows the location of its
  own start, of each key and of each value, so a problem found anywhere later (schema, pydantic,
  cross-field rule, plan) can point at ``campaigns/q1.yaml:14:5``;
- duplicate keys are an error (PyYAML silently keeps the last one);
- alias expansion is bounded, so a "billion laughs" document is refused instead of eating memory.

Timestamps stay strings: campaign fields carry ISO 8601 text to the vendor verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from reconciler.config.problems import Location, Problem

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader

    _BYTE_POSITIONS = True  # libyaml's reader errors count UTF-8 bytes, PyYAML's characters
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    _BYTE_POSITIONS = False

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES_PER_DOCUMENT = 200_000
# Deeper than any campaign needs; libyaml composes recursively in C (some 10,000 levels crash
# the process) and the builder in Python (a few hundred exhaust the recursion limit).
MAX_NESTING = 100
# Python refuses to print an int of more than 4,300 digits (about 14,000 bits).
_MAX_INT_BITS = 14_000

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_KNOWN_TAGS = _SCALAR_TAGS | {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Loader(_BaseLoader):
    """Safe loader whose resolver leaves timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class TextAnchor(NamedTuple):
    """Where a string value's text starts, so issues inside it can be located.

    For block scalars (``|`` and ``>``) the text starts on the line after the indicator, at
    ``indent``; for flow scalars it starts at the value (plus one for a quote).
    """

    location: Location
    block: bool
    indent: int
    quoted: bool

    def locate(self, line: int, col: int) -> Location:
        """Map a 0-based (line, col) inside the text onto the file."""
        loc = self.location
        if self.block:
            return Location(loc.file, loc.line + 1 + line, self.indent + col + 1)
        if line == 0:
            return Location(loc.file, loc.line, loc.col + col + (1 if self.quoted else 0))
        return Location(loc.file, loc.line + line, col + 1)


class LocatedDict(dict[str, Any]):
    """A mapping that knows where it, its keys and its values are."""

    location: Location
    key_locations: dict[str, Location]
    value_locations: dict[str, Location]
    text_anchors: dict[str, TextAnchor]

    def key_location(self, key: str) -> Location:
        return self.key_locations.get(key, self.location)

    def value_location(self, key: str) -> Location:
        return self.value_locations.get(key, self.location)


class LocatedList(list[Any]):
    """A sequence that knows where it and each of its items are."""

    location: Location
    item_locations: list[Location]
    text_anchors: dict[int, TextAnchor]

    def value_location(self, index: int) -> Location:
        if 0 <= index < len(self.item_locations):
            return self.item_locations[index]
        return self.location


@dataclass(frozen=True)
class Document:
    """One YAML document of a file: its data and where it starts."""

    data: Any
    location: Location
    index: int


class YamlError(Exception):
    """A located problem that stops loading a file."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _loc(display: str, mark: Any) -> Location:
    return Location(display, mark.line + 1, mark.column + 1)


class _Builder:
    """Turns composed nodes into located Python values, enforcing the safety rules."""

    def __init__(self, display: str, lines: list[str]) -> None:
        self.display = display
        self.lines = lines
        self.nodes = 0
        self.scalars = yaml.constructor.SafeConstructor()  # per document: it caches every node
        self.open: set[int] = set()  # the collections being built: the path to this node

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            self._admit(node)
            if node.tag == _STR:
                return node.value  # the common case: no constructor needed
            return self._scalar(node)
        if id(node) in self.open:
            raise YamlError(
                Problem(
                    _loc(self.display, node.start_mark),
                    "recursive alias: this value contains itself",
                    "an alias (*name) may not point at a collection that holds the alias",
                )
            )
        if len(self.open) >= MAX_NESTING:
            raise _too_deep(self.display, node.start_mark)
        self.open.add(id(node))
        try:
            return self._build(node)
        finally:
            self.open.discard(id(node))

    def _admit(self, node: yaml.Node) -> None:
        """Count the value against the budget and refuse tags plain data never needs."""
        self.nodes += 1
        if self.nodes > MAX_NODES_PER_DOCUMENT:
            raise YamlError(
                Problem(
                    _loc(self.display, node.start_mark),
                    f"document holds more than {MAX_NODES_PER_DOCUMENT:,} values "
                    "(too large, or anchors/aliases expansion refused)",
                    "split the file, or remove the repeated aliases and write the values out",
                )
            )
        if node.tag not in _KNOWN_TAGS:
            raise YamlError(
                Problem(
                    _loc(self.display, node.start_mark),
                    f"unsupported YAML tag {node.tag!r}",
                    "campaign files hold plain data: remove the tag",
                )
            )

    def _build(self, node: yaml.Node) -> Any:
        self._admit(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        assert isinstance(node, yaml.SequenceNode)
        return self._sequence(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.scalars.construct_object(node, deep=True)
        except (ValueError, LookupError, TypeError, ArithmeticError, yaml.YAMLError):
            # ``!!int x``, ``!!bool maybe``, or a number past Python's 4,300-digit limit
            raise self._unreadable(node) from None
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            raise self._unreadable(node)  # 0x… or 1:2:3… that no message could ever print
        return value

    def _unreadable(self, node: yaml.Node) -> YamlError:
        kind = str(node.tag).rsplit(":", 1)[-1]
        text = str(node.value)
        shown = text if len(text) <= 40 else text[:40] + "…"
        return YamlError(
            Problem(
                _loc(self.display, node.start_mark),
                f"cannot read {shown!r} as {kind}",
                f"quote it to make it a string, or write a valid {kind}",
            )
        )

    def _anchor(self, node: yaml.Node) -> TextAnchor | None:
        if node.tag != _STR or not isinstance(node, yaml.ScalarNode):
            return None
        block = node.style in ("|", ">")
        indent = 0
        if block:
            first = node.start_mark.line + 1
            text = self.lines[first] if first < len(self.lines) else ""
            indent = len(text) - len(text.lstrip(" "))
        quoted = node.style in ("'", '"')
        return TextAnchor(_loc(self.display, node.start_mark), block, indent, quoted)

    def _sequence(self, node: yaml.SequenceNode) -> LocatedList:
        out = LocatedList()
        out.location = _loc(self.display, node.start_mark)
        out.item_locations = []
        out.text_anchors = {}
        for i, child in enumerate(node.value):
            out.append(self.build(child))
            out.item_locations.append(_loc(self.display, child.start_mark))
            anchor = self._anchor(child)
            if anchor:
                out.text_anchors[i] = anchor
        return out

    def _mapping(self, node: yaml.MappingNode) -> LocatedDict:
        out = LocatedDict()
        out.location = _loc(self.display, node.start_mark)
        out.key_locations, out.value_locations, out.text_anchors = {}, {}, {}
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_pairs(value_node))
                continue
            self._put(out, key_node, value_node, explicit=True)
        for key_node, value_node in merged:
            self._put(out, key_node, value_node, explicit=False)
        return out

    def _merge_pairs(self, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise YamlError(
                    Problem(
                        _loc(self.display, source.start_mark),
                        "a merge key (<<) must refer to a mapping",
                        "use `<<: *anchor` where the anchor names a mapping",
                    )
                )
            pairs.extend(source.value)
        return pairs

    def _put(
        self, out: LocatedDict, key_node: yaml.Node, value_node: yaml.Node, *, explicit: bool
    ) -> None:
        key = self.build(key_node)
        if not isinstance(key, str):
            key = str(key).lower() if isinstance(key, bool) else str(key)
        where = _loc(self.display, key_node.start_mark)
        if key in out:
            if not explicit:
                return  # explicit keys override merged ones, as in YAML's merge spec
            first = out.key_locations[key]
            raise YamlError(
                Problem(
                    where,
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    "each key may appear once per mapping: remove or rename one of them",
                )
            )
        out[key] = self.build(value_node)
        out.key_locations[key] = where
        out.value_locations[key] = _loc(self.display, value_node.start_mark)
        anchor = self._anchor(value_node)
        if anchor:
            out.text_anchors[key] = anchor


def _syntax_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    where = _loc(display, mark) if mark else Location(display)
    problem = exc.problem or "invalid YAML"
    hint = "check indentation, quoting and the `key: value` form on that line"
    if "'\\t'" in problem or "\t" in problem or "tab" in problem:
        problem = "tab character used for indentation"
        hint = "YAML allows only spaces for indentation: replace tabs with spaces"
    elif exc.context:
        opened = exc.context_mark
        started = (
            f" (started at line {opened.line + 1})"
            if opened and mark and opened.line != mark.line
            else ""
        )
        problem = f"{exc.context}{started}, {problem}"
    return Problem(where, f"invalid YAML: {problem}", hint)


def load_documents(text: str, display: str) -> list[Document]:
    """Parse every document of ``text``; ``display`` is the path shown in messages."""
    lines = text.splitlines()
    try:
        if _could_be_deep(text):
            _refuse_deep_nesting(text, display)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        if _is_depth_limit(exc):  # PyYAML >= 6.0.4 stops deep flows before camp's own count
            raise _too_deep(display, exc.problem_mark) from None
        _refuse_tab_indentation(lines, display)
        raise YamlError(_syntax_problem(display, exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(_reader_problem(display, text, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(Location(display), f"invalid YAML: {exc}")) from None
    docs = []
    for index, node in enumerate(nodes):
        data = _Builder(display, lines).build(node)
        docs.append(Document(data, _loc(display, node.start_mark), index))
    return docs


def _reader_problem(display: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses (e.g. a control character), at its line and column.

    libyaml reports the position as a UTF-8 byte offset (PyYAML's own reader: characters).
    """
    before = text[: exc.position]
    if _BYTE_POSITIONS:
        encoded = text.encode("utf-8", "surrogatepass")
        before = encoded[: exc.position].decode("utf-8", "ignore")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    char = exc.character
    shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    return Problem(
        Location(display, line, col),
        f"invalid YAML: unacceptable character {shown}: {exc.reason}",
        "remove the character (or write it as an escape inside a double-quoted string)",
    )


def _too_deep(display: str, mark: Any) -> YamlError:
    return YamlError(
        Problem(
            _loc(display, mark),
            f"values are nested more than {MAX_NESTING} levels deep",
            "campaign files need only a few levels: flatten the structure",
        )
    )


def _is_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """PyYAML's own nesting limit (its scanner's, since 6.0.4) means what camp's means: one
    message for both, whichever layer notices first."""
    return "nesting depth" in (exc.problem or "")


def _could_be_deep(text: str) -> bool:
    """Every nesting level needs one of ``[ { - : ?``; most files have too few to be deep, and
    skip the extra pass over the parser events."""
    markers = sum(text.count(c) for c in "[{-:?")
    return markers > MAX_NESTING


def _refuse_deep_nesting(text: str, display: str) -> None:
    """Count nesting on the parser's events (no recursion) before anything composes them."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _too_deep(display, event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _refuse_tab_indentation(lines: list[str], display: str) -> None:
    """Tabs at the start of a line make PyYAML's message cryptic: say it plainly instead."""
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(line) - len(stripped) + 1
            raise YamlError(
                Problem(
                    Location(display, number, col),
                    "tab character used for indentation",
                    "YAML allows only spaces for indentation: replace tabs with spaces",
                )
            )


def read_text(path: str, display: str) -> str:
    """Read a YAML file as UTF-8, refusing huge or undecodable files with a located problem."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(Problem(Location(display), f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(
            Problem(
                Location(display),
                f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                "split it into several files; put long bodies in content files",
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            Problem(Location(display, line, 1), "file is not valid UTF-8", "save it as UTF-8")
        ) from None
