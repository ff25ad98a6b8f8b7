"""``camp preview`` for ColdSend: every variant of every step, for sample leads of the CSV, and
what holds across the whole CSV (empty variables, empty texts, Liquid branch shares).

The hook the registry names (``Vendor.preview``); it reads only the document and what the
offline checks prepared (the leads file), never the network.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from reconciler.config.context import DocContext
from reconciler.config.loader import CampaignDoc
from reconciler.config.problems import Location, TextIssue
from reconciler.config.references import display_path
from reconciler.config.schema_errors import dotted
from reconciler.plan.preview import (
    BranchShare,
    CampaignPreview,
    Finding,
    Message,
    PreviewOptions,
    Recipient,
)
from reconciler.providers.coldsend.checks import ColdSendPrepared
from reconciler.providers.coldsend.coverage import Coverage, cover, empty_variable_issues
from reconciler.providers.coldsend.model import ColdSendCampaign, Variant
from reconciler.providers.coldsend.rendering import (
    DEFAULT_TIMEZONE,
    Lead,
    SpinPicker,
    computed_fields,
    leads_of,
    render_message,
)
from reconciler.providers.coldsend.template_liquid import (
    CompiledTemplate,
    TemplateError,
    compile_template,
)
from reconciler.providers.coldsend.template_syntax import Tag, Variable, parse_template
from reconciler.providers.coldsend.templates import TextPositions

_TRIGGERS = {
    "NOT_OPENED": "if not opened",
    "NOT_REPLIED": "if not replied",
    "OPENED_BUT_NOT_REPLIED": "if opened but not replied",
}
_DAYS = ("", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NO_LEADS = "a lead with every field empty"


@dataclass(frozen=True)
class _Template:
    """One ``subject_template`` or ``email_content`` and where it sits in the YAML."""

    path: tuple[Any, ...]
    compiled: CompiledTemplate

    @property
    def where(self) -> str:
        return dotted(list(self.path))


@dataclass(frozen=True)
class _Step:
    title: str
    variants: tuple[tuple[Variant, _Template, _Template], ...]


def preview_coldsend(doc: CampaignDoc, options: PreviewOptions) -> CampaignPreview:
    """The campaign's messages for its sample leads, and its whole-CSV findings."""
    campaign = doc.campaign_as(ColdSendCampaign)
    ctx = DocContext(doc.data, doc.yaml_path, doc.yaml_path.parent, display_path(doc.yaml_path))
    steps = list(_steps(campaign))
    leads_file = doc.prepared_as(ColdSendPrepared).leads
    leads = leads_of(leads_file) if leads_file is not None else None
    computed = computed_fields(options.at, campaign.timezone)
    chosen, notes = _sample(leads, options)
    recipients = tuple(_recipient(lead, steps, computed, options) for lead in chosen)
    findings: list[Finding] = []
    shares: list[BranchShare] = []
    for template in (t for step in steps for _, *pair in step.variants for t in pair):
        if leads:
            coverage = cover(
                template.compiled.parsed, leads, computed, seed=options.seed, where=template.where
            )
            findings += _findings(ctx, template, coverage)
            shares += _shares(ctx, template, coverage)
    return CampaignPreview(
        account=doc.account,
        kind=doc.kind,
        name=campaign.name,
        source=str(doc.location),
        facts=_facts(campaign, leads, options, computed),
        recipients=recipients,
        findings=tuple(findings),
        branches=tuple(shares),
        notes=tuple(notes),
        leads_found=frozenset(lead.email.lower() for lead in chosen if options.leads),
    )


def _steps(campaign: ColdSendCampaign) -> Iterator[_Step]:
    if campaign.variants:
        yield _step("Email 1", ("variants",), campaign.variants)
    for index, follow_up in enumerate(campaign.sequences or []):
        when = f"{follow_up.wait_days} days later, {_TRIGGERS[follow_up.trigger_type]}"
        title = f"Follow-up {follow_up.step_number} ({when})"
        yield _step(title, ("sequences", index, "variants"), follow_up.variants)


def _step(title: str, path: tuple[Any, ...], variants: Sequence[Variant]) -> _Step:
    return _Step(
        title,
        tuple(
            (
                variant,
                _compiled((*path, i, "subject_template"), variant.subject_template),
                _compiled((*path, i, "email_content"), variant.email_content),
            )
            for i, variant in enumerate(variants)
        ),
    )


def _compiled(path: tuple[Any, ...], text: str) -> _Template:
    """Validation has passed, so the template parses and its conditions compile."""
    return _Template(path, compile_template(parse_template(text)))


def _sample(leads: list[Lead] | None, options: PreviewOptions) -> tuple[list[Lead], list[str]]:
    """The leads to render: those named with --lead, else a seeded sample of the CSV."""
    if leads is None:
        note = "no leads CSV: rendered for a lead whose fields are all empty (fallbacks show)"
        return [Lead("", 0, {})], [note]
    if options.leads:
        wanted = {email.lower() for email in options.leads}
        chosen = [lead for lead in leads if lead.email.lower() in wanted]
        return chosen, [] if chosen else ["none of the --lead emails is in this campaign's leads"]
    count = min(options.sample, len(leads))
    picked = sorted(random.Random(options.seed).sample(range(len(leads)), count))
    return [leads[i] for i in picked], []


def _recipient(
    lead: Lead, steps: Sequence[_Step], computed: dict[str, object], options: PreviewOptions
) -> Recipient:
    values = {**lead.values, **computed}
    messages = []
    for step in steps:
        for variant, subject, body in step.variants:
            name = variant.variant_name.upper()
            title = f"{step.title} · variant {name} ({variant.distribution_percent}%)"
            messages.append(
                Message(
                    title=title,
                    subject=_render(subject, values, lead, options),
                    body=_render(body, values, lead, options),
                )
            )
    label = f"{lead.email} (row {lead.row})" if lead.row else _NO_LEADS
    return Recipient(label, _fields_read(steps, values), tuple(messages))


def _render(
    template: _Template, values: dict[str, object], lead: Lead, options: PreviewOptions
) -> str:
    pick = SpinPicker(options.seed, lead.email, template.where, every=options.spin_all)
    try:
        return render_message(template.compiled, values, pick)
    except TemplateError as exc:
        return f"(ColdSend cannot render this for this lead: {exc.message})"


def _fields_read(steps: Sequence[_Step], values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """The lead's values of every field the templates read, in first-use order."""
    names: dict[str, None] = {}
    for step in steps:
        for _, *templates in step.variants:
            for template in templates:
                names.update(dict.fromkeys(_names(template.compiled)))
    shown = [(name, values.get(name)) for name in names if not name.startswith("dn_")]
    return tuple((name, "(empty)" if value is None else str(value)) for name, value in shown)


def _names(compiled: CompiledTemplate) -> Iterator[str]:
    for node in compiled.parsed.nodes:
        if isinstance(node, Variable):
            yield node.name
        elif isinstance(node, Tag) and compiled.probe is not None:
            yield from compiled.probe.condition_names


def _facts(
    campaign: ColdSendCampaign,
    leads: list[Lead] | None,
    options: PreviewOptions,
    computed: dict[str, object],
) -> tuple[tuple[str, str], ...]:
    timezone = campaign.timezone or DEFAULT_TIMEZONE
    days = campaign.sending_days or [1, 2, 3, 4, 5]
    start = (
        f"{campaign.sending_window_start or 9:02d}:{campaign.sending_window_start_minute or 0:02d}"
    )
    end_hour = campaign.sending_window_end if campaign.sending_window_end is not None else 17
    end = f"{end_hour:02d}:{campaign.sending_window_end_minute or 0:02d}"
    at = options.at.astimezone(ZoneInfo(timezone))
    facts = [
        ("sending", f"{', '.join(_DAYS[d] for d in sorted(days))} {start}–{end} ({timezone})"),
        ("inboxes", ", ".join(campaign.inboxes or []) or "(not set)"),
        ("leads", f"{len(leads):,} in {campaign.leads}" if leads is not None else "(no leads CSV)"),
        ("sent at", f"{at:%Y-%m-%d %H:%M} {timezone}: " + _computed_text(computed)),
        ("spintax", _spin_text(options)),
    ]
    return tuple(facts)


def _computed_text(computed: dict[str, object]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in computed.items())


def _spin_text(options: PreviewOptions) -> str:
    if options.spin_all:
        return "every option shown [a | b] (--spin all)"
    return f"one pick per lead, seeded (--seed {options.seed})"


# -- whole CSV ---------------------------------------------------------------------------------


def _findings(ctx: DocContext, template: _Template, coverage: Coverage) -> list[Finding]:
    parsed = template.compiled.parsed
    issues = empty_variable_issues(coverage, parsed)
    if coverage.blank.count:
        what = "subject" if template.path[-1] == "subject_template" else "email"
        message = (
            f"the whole {what} renders empty for {coverage.blank.count:,} of "
            f"{coverage.total:,} leads ({coverage.blank.rows_text()})"
        )
        issues.append(TextIssue(0, 0, message, "give its variables fallbacks"))
    found = []
    for issue in issues:
        where = _location(ctx, template.path, issue.line, issue.col)
        found.append(Finding(str(where), f"{template.where}: {issue.message}", issue.hint))
    return found


def _shares(ctx: DocContext, template: _Template, coverage: Coverage) -> list[BranchShare]:
    positions = TextPositions(template.compiled.parsed.text)
    shares = []
    for block in coverage.blocks:
        line, col = positions.line_col(block.offset)
        shares.append(
            BranchShare(
                location=str(_location(ctx, template.path, line, col)),
                block=block.label,
                reached=block.reached,
                total=coverage.total,
                branches=block.branches,
            )
        )
    return shares


def _location(ctx: DocContext, path: tuple[Any, ...], line: int, col: int) -> Location:
    return ctx.text_location(list(path), line, col)
