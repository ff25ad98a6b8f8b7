"""One template against every lead of the CSV: which variables render empty for whom, for whom
the whole text renders empty, and how many leads take each Liquid branch.

A sample shows what three leads get; a launch to 4,000 needs to know that ``{{company}}`` is
empty in 37 rows. What a lead reaches (branches, outputs, visible text) depends only on the
values its conditions read, so the leads are grouped by those values and ``template_liquid``'s
probe is rendered once per group, not once per lead: a CSV of 100,000 rows stays fast. A
template without tags reaches everything and needs no Liquid at all.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.config.problems import Severity, TextIssue
from reconciler.plan.preview import BranchCount
from reconciler.providers.coldsend.rendering import Lead, SpinPicker, Values
from reconciler.providers.coldsend.template_syntax import ParsedTemplate, Spin, Tag, Variable
from reconciler.providers.coldsend.templates import TextPositions

SHOWN_ROWS = 5  # row numbers listed in a message; the count covers them all


@dataclass
class Tally:
    """How many leads, and the CSV rows of the first few."""

    count: int = 0
    rows: list[int] = field(default_factory=list)

    def add(self, row: int) -> None:
        """Count ``row``; keep the ``SHOWN_ROWS`` first rows, whatever order they come in."""
        self.count += 1
        if len(self.rows) < SHOWN_ROWS or row < self.rows[-1]:
            insort(self.rows, row)
            del self.rows[SHOWN_ROWS:]

    def rows_text(self) -> str:
        more = "…" if self.count > len(self.rows) else ""
        label = "row" if self.count == 1 else "rows"
        return f"{label} {', '.join(map(str, self.rows))}{more}"


@dataclass(frozen=True)
class BlockShare:
    """How the leads that reach one if/unless block split over its branches."""

    offset: int
    label: str  # the opening tag, as written
    reached: int
    branches: tuple[BranchCount, ...]  # each branch tag, and ``no branch`` when none runs


@dataclass
class Coverage:
    """What one template does across the CSV (``total`` leads)."""

    total: int
    empty: dict[str, Tally] = field(default_factory=dict)  # variable → leads it is empty for
    first_offset: dict[str, int] = field(default_factory=dict)  # its first empty occurrence
    blank: Tally = field(default_factory=Tally)  # leads for whom the whole text is empty
    blocks: tuple[BlockShare, ...] = ()


def cover(
    parsed: ParsedTemplate, leads: Sequence[Lead], computed: Values, *, seed: int, where: str
) -> Coverage:
    """Run ``parsed`` (free of errors) against every lead."""
    return _Coverer(parsed, computed, seed, where).run(leads)


def empty_variable_issues(coverage: Coverage, parsed: ParsedTemplate) -> list[TextIssue]:
    """One warning per variable without a fallback that renders empty for some lead, at its
    first occurrence in the template."""
    positions = TextPositions(parsed.text)
    issues = []
    for name, tally in sorted(coverage.empty.items(), key=lambda i: coverage.first_offset[i[0]]):
        message = (
            f"`{{{{{name}}}}}` is empty for {tally.count:,} of {coverage.total:,} leads "
            f"({tally.rows_text()}): they get an empty string"
        )
        hint = f'give a fallback: {{{{ {name} | default: "…" }}}}, or fill the column'
        offset = coverage.first_offset[name]
        issues.append(positions.issue(offset, message, hint, Severity.WARNING))
    return issues


class _Coverer:
    def __init__(self, parsed: ParsedTemplate, computed: Values, seed: int, where: str) -> None:
        self.parsed, self.computed, self.seed, self.where = parsed, computed, seed, where
        self.slots = [n for n in parsed.nodes if isinstance(n, Variable | Spin)]
        self.visible_text = any(
            n.text.strip() for n in parsed.nodes if not isinstance(n, Variable | Spin | Tag)
        )
        self.compiled = None
        if parsed.has_tags:
            from reconciler.providers.coldsend.template_liquid import compile_template

            self.compiled = compile_template(parsed)
        self.branch_counts: dict[str, int] = {}
        self.block_counts: dict[str, int] = {}

    def run(self, leads: Sequence[Lead]) -> Coverage:
        """Leads grouped by what their conditions read: each group reaches the same outputs."""
        coverage = Coverage(len(leads))
        for reached, group in self._groups(leads):
            self._group(reached, group, coverage)
        coverage.blocks = self._blocks()
        return coverage

    def _value(self, lead: Lead, name: str) -> object:
        """A field's value (None when missing or empty): computed fields, then the lead's."""
        return self.computed[name] if name in self.computed else lead.values.get(name)

    def _groups(self, leads: Sequence[Lead]) -> list[tuple[frozenset[str] | None, list[Lead]]]:
        """(probe markers, leads) per distinct combination of condition values; without tags
        one group reaches everything (markers None)."""
        if self.compiled is None or self.compiled.probe is None:
            return [(None, list(leads))]
        from reconciler.providers.coldsend.template_liquid import probe

        names = self.compiled.probe.condition_names
        groups: dict[tuple[object, ...], list[Lead]] = {}
        for lead in leads:
            groups.setdefault(tuple(self._value(lead, n) for n in names), []).append(lead)
        compiled = self.compiled
        return [(probe(compiled, dict(zip(names, k, strict=True))), g) for k, g in groups.items()]

    def _group(self, reached: frozenset[str] | None, group: list[Lead], coverage: Coverage) -> None:
        slots = [
            node
            for index, node in enumerate(self.slots)
            if reached is None or f"o{index}" in reached
        ]
        names = {
            n.name: n for n in reversed(slots) if isinstance(n, Variable) and n.fallback is None
        }
        for name, node in names.items():
            if name not in self.computed:
                self._count_empty(node, group, coverage)
        visible = self.visible_text if reached is None else "t" in reached
        if not visible and not any(_always_visible(node) for node in slots):
            for lead in group:
                if not self._visible(lead, slots):
                    coverage.blank.add(lead.row)
        for marker in reached or ():
            counts = self.branch_counts if marker[0] == "b" else self.block_counts
            counts[marker] = counts.get(marker, 0) + len(group)

    def _count_empty(self, node: Variable, group: list[Lead], coverage: Coverage) -> None:
        tally = coverage.empty.get(node.name) or Tally()
        before = tally.count
        for lead in group:
            if lead.values.get(node.name) is None:
                tally.add(lead.row)
        if tally.count > before:
            coverage.empty[node.name] = tally
            first = coverage.first_offset.get(node.name, node.start)
            coverage.first_offset[node.name] = min(first, node.start)

    def _visible(self, lead: Lead, slots: list[Variable | Spin]) -> bool:
        """Whether any output shows text for this lead (its spintax picked as in a preview)."""
        picker = SpinPicker(self.seed, lead.email, self.where)
        for node in slots:
            if isinstance(node, Spin):
                text = picker(node)
            else:
                value = self._value(lead, node.name)
                text = (node.fallback or "") if value is None else str(value)
            if text.strip():
                return True
        return False

    def _blocks(self) -> tuple[BlockShare, ...]:
        """Each block's split, in the order the blocks open (a nested one after its parent)."""
        groups: dict[int, list[tuple[Tag, int]]] = {}
        branch = 0
        for node in self.parsed.nodes:
            if isinstance(node, Tag) and node.tag in ("if", "unless", "elsif", "else"):
                count = self.branch_counts.get(f"b{branch}", 0)
                groups.setdefault(node.block, []).append((node, count))
                branch += 1
        return tuple(self._share(block, tags) for block, tags in groups.items())

    def _share(self, block: int, tags: list[tuple[Tag, int]]) -> BlockShare:
        mine = tags
        reached = self.block_counts.get(f"r{block}", 0)
        branches = [BranchCount(_label(self.parsed.text, tag), n) for tag, n in mine]
        taken = sum(n for _, n in mine)
        if not any(tag.tag == "else" for tag, _ in mine):
            branches.append(BranchCount("no branch", reached - taken))
        opener = mine[0][0]
        return BlockShare(opener.start, _label(self.parsed.text, opener), reached, tuple(branches))


def _label(text: str, tag: Tag) -> str:
    return " ".join(text[tag.start : tag.end].split())


def _always_visible(node: Variable | Spin) -> bool:
    """An output that shows text for every lead: a non-blank fallback, or spintax whose options
    all show something."""
    if isinstance(node, Spin):
        return all(option.strip() for option in node.options)
    return bool(node.fallback and node.fallback.strip())
