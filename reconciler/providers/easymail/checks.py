"""easymail rules that JSON Schema cannot express (shared/api/easymail.md), plus Markdown lint."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reconciler.config.checks_common import parse_instant
from reconciler.config.context import DocContext
from reconciler.config.problems import Location, Problem, Severity, TextIssue
from reconciler.config.references import display_path, resolve_file
from reconciler.providers.easymail.markdown import lint_markdown
from reconciler.providers.easymail.model import EasymailCampaign

MAX_CONTENT_CHARS = 65_000


@dataclass(frozen=True)
class EasymailPrepared:
    """What planning needs beyond the model: the Markdown body, inline or from content_file."""

    content: str | None


def check_easymail(ctx: DocContext, campaign: EasymailCampaign) -> EasymailPrepared:
    """Check one easymail document; return its Markdown body (inline or from content_file)."""
    return EasymailPrepared(_checked_content(ctx, campaign))


def _checked_content(ctx: DocContext, campaign: EasymailCampaign) -> str | None:
    _check_schedule(ctx, campaign)
    if campaign.audience is not None and not (campaign.audience.list or campaign.audience.segment):
        ctx.error(
            ["audience"], "names neither a list nor a segment", "set audience.list or .segment"
        )
    if campaign.content_file is not None and "content" in campaign.model_fields_set:
        ctx.error(
            ["content_file"],
            "content and content_file are both set",
            "keep one: inline `content`, or `content_file` pointing at a Markdown file",
        )
        return None
    if campaign.content_file is not None:
        return _read_content_file(ctx, campaign.content_file)
    if campaign.content is not None:
        ctx.text_issues(["content"], _as_errors(lint_markdown(campaign.content)))
    return campaign.content


def _as_errors(issues: list[TextIssue]) -> list[TextIssue]:
    """Markdown the vendor drops is an error: the stored body would differ from the YAML, and
    every later plan would show that difference again."""
    return [replace(issue, severity=Severity.ERROR) for issue in issues]


def _check_schedule(ctx: DocContext, c: EasymailCampaign) -> None:
    if c.state == "scheduled" and c.scheduled_at is None:
        ctx.error(
            ["state"],
            "`scheduled` needs a scheduled_at time",
            "add scheduled_at: 2026-12-01T09:00:00Z",
        )
    if c.scheduled_at is not None and parse_instant(c.scheduled_at) is None:
        ctx.error(
            ["scheduled_at"],
            f"{c.scheduled_at!r} is not an ISO 8601 instant with a timezone",
            "write it as 2026-12-01T09:00:00Z (or with an offset such as +01:00)",
        )
    if c.scheduled_at is not None and c.state not in ("scheduled", None):
        ctx.warn(
            ["scheduled_at"],
            f"is ignored with state: {c.state}",
            "remove it or set state: scheduled",
        )


def _read_content_file(ctx: DocContext, written: str) -> str | None:
    path = resolve_file(ctx, ["content_file"], written)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        ctx.error(["content_file"], f"cannot read {written!r} as UTF-8 text", "save it as UTF-8")
        return None
    if len(text) > MAX_CONTENT_CHARS:
        ctx.error(
            ["content_file"],
            f"{written!r} has {len(text):,} characters; easymail allows {MAX_CONTENT_CHARS:,}",
            "shorten the body",
        )
    shown = display_path(path)
    for issue in _as_errors(lint_markdown(text)):
        where = Location(shown, issue.line + 1, issue.col + 1)
        ctx.problems.append(Problem(where, issue.message, issue.hint, issue.severity))
    return text
