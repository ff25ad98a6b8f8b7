"""ColdSend rules that JSON Schema cannot express (shared/api/coldsend.md), plus content lint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reconciler.config.checks_common import check_timezone, parse_date_or_instant
from reconciler.config.context import DocContext
from reconciler.config.problems import Severity
from reconciler.config.references import display_path, resolve_file
from reconciler.config.schema_errors import dotted
from reconciler.providers.coldsend import compliance
from reconciler.providers.coldsend.leads_csv import LeadsFile, read_leads
from reconciler.providers.coldsend.model import ColdSendCampaign, Variant
from reconciler.providers.coldsend.rendering import Lead, computed_fields, leads_of
from reconciler.providers.coldsend.template_syntax import parse_template
from reconciler.providers.coldsend.templates import STANDARD_FIELDS, TextPositions, lint_template

MAX_TOTAL_WAIT_DAYS = 45
DEFAULT_WINDOW = (9, 0, 17, 0)  # the vendor's defaults: 09:00 to 17:00


@dataclass(frozen=True)
class ColdSendPrepared:
    """What planning needs beyond the model: the leads file, when named and readable."""

    leads: LeadsFile | None


def check_coldsend(ctx: DocContext, campaign: ColdSendCampaign) -> ColdSendPrepared:
    """Check one ColdSend document; return its leads file when it could be read."""
    check_timezone(ctx, campaign.timezone)
    _check_days(ctx, campaign.sending_days)
    _check_window(ctx, campaign)
    if campaign.start_date is not None and not parse_date_or_instant(campaign.start_date):
        ctx.error(["start_date"], f"{campaign.start_date!r} is not an ISO 8601 date", _ISO_HINT)
    leads = _read_leads(ctx, campaign.leads)
    audience = _Audience.of(leads, campaign.timezone)
    if campaign.variants is not None:
        _check_variants(ctx, ["variants"], campaign.variants, audience)
    _check_follow_ups(ctx, campaign, audience)
    _check_compliance(ctx, campaign, leads)
    return ColdSendPrepared(leads)


def _check_compliance(ctx: DocContext, c: ColdSendCampaign, leads: LeadsFile | None) -> None:
    """Warnings only: the campaign is valid, but may not keep outreach's basic promises."""
    if c.enable_unsubscribe is False and c.state == "active":
        ctx.warn(
            ["enable_unsubscribe"],
            "false on a campaign that launches: its recipients get no unsubscribe link",
            compliance.UNSUBSCRIBE_HINT,
        )
    if leads is not None and c.variants:
        note = compliance.mass_mail(len(leads.emails), [v.model_dump() for v in c.variants])
        if note:
            ctx.warn(["variants"], note, "personalise the first email with {{first_name}} etc.")


@dataclass(frozen=True)
class _Audience:
    """What template lint needs of the leads CSV: its columns as the vendor reads them
    (standard fields in any case, other columns by exact header) and, when it was read
    without errors, its leads, so a variable empty for some of them is a warning."""

    columns: frozenset[str] | None
    leads: list[Lead] | None = None
    timezone: str | None = None

    @classmethod
    def of(cls, leads: LeadsFile | None, timezone: str | None) -> _Audience:
        if leads is None:
            return cls(None)
        columns = frozenset(c.lower() if c.lower() in STANDARD_FIELDS else c for c in leads.columns)
        return cls(columns, leads_of(leads) if leads.ok and leads.rows else None, timezone)


_ISO_HINT = "write it as 2026-03-01 or 2026-03-01T09:00:00Z"


def _check_days(ctx: DocContext, days: list[int] | None) -> None:
    if days is not None and len(set(days)) != len(days):
        ctx.error(["sending_days"], "a day is listed twice", "list each day once (1=Mon … 7=Sun)")


def _check_window(ctx: DocContext, c: ColdSendCampaign) -> None:
    start_h = c.sending_window_start if c.sending_window_start is not None else DEFAULT_WINDOW[0]
    start_m = c.sending_window_start_minute or 0
    end_h = c.sending_window_end if c.sending_window_end is not None else DEFAULT_WINDOW[2]
    end_m = c.sending_window_end_minute or 0
    if end_h == 24 and end_m:
        ctx.error(
            ["sending_window_end_minute"],
            "must be 0 when sending_window_end is 24",
            "24:00 is the end of the day: set sending_window_end_minute: 0",
        )
    if (end_h, end_m) <= (start_h, start_m):
        field = "sending_window_end" if c.sending_window_end is not None else "sending_window_start"
        ctx.error(
            [field],
            "sending_window_end must be after sending_window_start "
            f"({end_h:02d}:{end_m:02d} is not after {start_h:02d}:{start_m:02d})",
            "omitted window fields take the vendor defaults (09:00 to 17:00)",
        )


def _read_leads(ctx: DocContext, written: str | None) -> LeadsFile | None:
    if written is None:
        return None
    path = resolve_file(ctx, ["leads"], written)
    if path is None:
        return None
    leads = read_leads(path, display_path=display_path(path))
    ctx.problems.extend(leads.problems)
    return leads


def _check_variants(
    ctx: DocContext, path: list[Any], variants: Sequence[Variant], audience: _Audience
) -> None:
    if variants and sum(v.distribution_percent for v in variants) != 100:
        total = sum(v.distribution_percent for v in variants)
        ctx.error(
            path,
            f"Variant distributions must sum to 100% (they sum to {total}%)",
            "adjust distribution_percent so the variants add up to exactly 100",
        )
    seen: dict[str, int] = {}
    for i, variant in enumerate(variants):
        name = variant.variant_name.upper()
        if name in seen:
            ctx.error(
                [*path, i, "variant_name"],
                f"variant {name!r} is already defined (item {seen[name]})",
                "names are upper-cased by ColdSend and must be unique per list",
            )
        seen.setdefault(name, i)
        for field in ("subject_template", "email_content"):
            _check_template(ctx, [*path, i, field], getattr(variant, field), audience)


def _check_template(ctx: DocContext, path: list[Any], text: str, audience: _Audience) -> None:
    """Lint, then what only Liquid and the leads can tell: a condition Liquid cannot read (an
    error), a variable without fallback that is empty for some leads (a warning)."""
    issues = lint_template(text, columns=audience.columns)
    ctx.text_issues(path, issues)
    if any(issue.severity is Severity.ERROR for issue in issues) or "{" not in text:
        return
    from reconciler.providers.coldsend.coverage import cover, empty_variable_issues
    from reconciler.providers.coldsend.template_liquid import TemplateError

    parsed = parse_template(text)
    try:
        if audience.leads is not None:
            now = computed_fields(datetime.now(UTC), audience.timezone)
            coverage = cover(parsed, audience.leads, now, seed=0, where=dotted(path))
            ctx.text_issues(path, empty_variable_issues(coverage, parsed))
        elif parsed.has_tags:
            from reconciler.providers.coldsend.template_liquid import compile_template

            compile_template(parsed)
    except TemplateError as exc:
        hint = "compare with `==`, `!=` or `contains`; join conditions with `and` / `or`"
        error = TextPositions(text).issue(exc.offset, exc.message, hint, Severity.ERROR)
        ctx.text_issues(path, [error])


def _check_follow_ups(ctx: DocContext, c: ColdSendCampaign, audience: _Audience) -> None:
    if not c.sequences:
        return
    numbers = [s.step_number for s in c.sequences]
    expected = list(range(2, 2 + len(numbers)))
    if sorted(numbers) != expected or len(set(numbers)) != len(numbers):
        ctx.error(
            ["sequences"],
            f"step numbers {numbers} must be consecutive from 2",
            f"number the follow-ups {', '.join(map(str, expected))}",
        )
    total = sum(s.wait_days for s in c.sequences)
    if total > MAX_TOTAL_WAIT_DAYS:
        ctx.error(
            ["sequences"],
            f"wait_days add up to {total} days; ColdSend allows at most {MAX_TOTAL_WAIT_DAYS}",
            "shorten the waits between follow-ups",
        )
    for i, step in enumerate(c.sequences):
        _check_variants(ctx, ["sequences", i, "variants"], step.variants, audience)
