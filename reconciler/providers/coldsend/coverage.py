"""One template against every lead of the CSV: which variables render empty for whom, for whom
the whole text renders empty, and how many leads take each Liquid branch.

A sample shows what three leads get; a launch to 4,000 needs to know that ``{{company}}`` is
empty in 37 rows. What a lead reaches (branches, outputs, visible text) depends only on the
values its conditions read, so ``template_liquid``'s probe is rendered once per distinct
combination of them, not once per lead: a CSV of 100,000 rows stays fast. A template without
tags reaches everything and needs no Liquid at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.config.problems import Severity, TextIssue
from reconciler.providers.coldsend.rendering import Lead, SpinPicker, Values, variable_text
from reconciler.providers.coldsend.template_syntax import ParsedTemplate, Spin, Tag, Variable
from reconciler.providers.coldsend.templates import TextPositions

SHOWN_ROWS = 5  # row numbers listed in a message; the count covers them all


@dataclass
class Tally:
    """How many leads, and the CSV rows of the first few."""

    count: int = 0
    rows: list[int] = field(default_factory=list)

    def add(self, row: int) -> None:
        self.count += 1
        if len(self.rows) < SHOWN_ROWS:
            self.rows.append(row)

    def rows_text(self) -> str:
        more = "…" if self.count > len(self.rows) else ""
        label = "row" if self.count == 1 else "rows"
        return f"{label} {', '.join(map(str, self.rows))}{more}"


@dataclass(frozen=True)
class Branch:
    """One branch of an if/unless block (``{% else %}``, or ``no branch`` when none runs)."""

    label: str
    leads: int


@dataclass(frozen=True)
class BlockShare:
    """How the leads that reach one if/unless block split over its branches."""

    offset: int
    label: str  # the opening tag, as written
    reached: int
    branches: tuple[Branch, ...]


@dataclass
class Coverage:
    """What one template does across the CSV (``total`` leads)."""

    total: int
    empty: dict[str, Tally] = field(default_factory=dict)  # variable → leads it is empty for
    first_offset: dict[str, int] = field(default_factory=dict)  # where that variable is
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
    for name, tally in coverage.empty.items():
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
        self.memo: dict[tuple[object, ...], frozenset[str]] = {}
        self.branch_counts: dict[str, int] = {}
        self.block_counts: dict[str, int] = {}

    def run(self, leads: Sequence[Lead]) -> Coverage:
        coverage = Coverage(len(leads))
        for lead in leads:
            self._lead(lead, coverage)
        coverage.blocks = self._blocks()
        return coverage

    def _reached(self, lead: Lead) -> frozenset[str] | None:
        """The probe's markers for this lead; None when the template has no tags."""
        if self.compiled is None or self.compiled.probe is None:
            return None
        values = {**lead.values, **self.computed}
        key = tuple(values.get(name) for name in self.compiled.probe.condition_names)
        if key not in self.memo:
            from reconciler.providers.coldsend.template_liquid import probe

            self.memo[key] = probe(self.compiled, values)
        return self.memo[key]

    def _lead(self, lead: Lead, coverage: Coverage) -> None:
        reached = self._reached(lead)
        values = {**lead.values, **self.computed}
        visible = self.visible_text if reached is None else "t" in reached
        picker: SpinPicker | None = None
        for index, node in enumerate(self.slots):
            if reached is not None and f"o{index}" not in reached:
                continue
            if isinstance(node, Variable):
                text = variable_text(node, values)
                if not text.strip() and node.fallback is None:
                    coverage.first_offset.setdefault(node.name, node.start)
                    coverage.empty.setdefault(node.name, Tally()).add(lead.row)
            else:
                picker = picker or SpinPicker(self.seed, lead.email, self.where)
                text = picker(node)
            visible = visible or bool(text.strip())
        if not visible:
            coverage.blank.add(lead.row)
        for marker in reached or ():
            counts = self.branch_counts if marker[0] == "b" else self.block_counts
            counts[marker] = counts.get(marker, 0) + 1

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
        branches = [Branch(_label(self.parsed.text, tag), n) for tag, n in mine]
        taken = sum(n for _, n in mine)
        if not any(tag.tag == "else" for tag, _ in mine):
            branches.append(Branch("no branch", reached - taken))
        opener = mine[0][0]
        return BlockShare(opener.start, _label(self.parsed.text, opener), reached, tuple(branches))


def _label(text: str, tag: Tag) -> str:
    return " ".join(text[tag.start : tag.end].split())
