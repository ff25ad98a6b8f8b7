"""The preview renderers: untrusted text escaped in every medium, and the plan comment's
previews cut first to stay within GitHub's limit."""

from __future__ import annotations

import json

from reconciler.plan.preview import (
    BranchCount,
    BranchShare,
    CampaignPreview,
    Finding,
    Message,
    PlanPreview,
    Preview,
    Recipient,
)
from reconciler.render.preview_html import render_preview_html
from reconciler.render.preview_json import render_preview_json
from reconciler.render.preview_markdown import render_preview_markdown, with_plan_previews
from reconciler.render.preview_text import render_preview_text

HOSTILE = '<img src=x onerror=alert(1)> </details> ``` \x1b[2J "quoted" & more'


def campaign(body: str = HOSTILE, *, name: str = "<b>Q1</b> | outreach") -> CampaignPreview:
    message = Message(title=f"Email 1 {HOSTILE}", body=body, subject=f"Hi {HOSTILE}")
    return CampaignPreview(
        account="cold",
        kind="coldsend/campaign",
        name=name,
        source="campaigns/q1.yaml:3:1",
        facts=(("leads", f"3 in {HOSTILE}"),),
        recipients=(Recipient(f"lead {HOSTILE}", (("company", HOSTILE),), (message,)),),
        findings=(Finding("campaigns/q1.yaml:9:5", f"`{{{{company}}}}` {HOSTILE}", "fill it"),),
        branches=(
            BranchShare(
                "campaigns/q1.yaml:10:1",
                "{% if company %}",
                4,
                5,
                (BranchCount("{% if company %}", 3), BranchCount("no branch", 1)),
            ),
        ),
    )


def preview(*campaigns: CampaignPreview) -> Preview:
    return Preview(at="2026-03-02T14:00:00+00:00", campaigns=campaigns)


def test_html_escapes_everything_untrusted_and_forbids_scripts() -> None:
    page = render_preview_html(preview(campaign()))
    assert "<img" not in page and "<b>Q1" not in page and "</details>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page


def test_html_keeps_an_easymail_body_as_markup() -> None:
    email = Message("Email", "# Hi", subject="S", html="<h1>Hi</h1>\n")
    c = CampaignPreview(
        "news", "easymail/campaign", "N", "x.yaml:1:1", recipients=(Recipient("all", (), (email,)),)
    )
    assert '<div class="body email-html"><h1>Hi</h1>' in render_preview_html(preview(c))


def test_text_shows_escape_sequences_and_shares() -> None:
    text = render_preview_text(preview(campaign()), color=False)
    assert "\x1b" not in text and "\\x1b[2J" in text
    assert "4 of 5 leads reach it: {% if company %} 3 (75%), no branch 1 (25%)" in text


def test_markdown_fences_bodies_so_they_cannot_close_the_details() -> None:
    md = render_preview_markdown(preview(campaign()))
    assert md.count("<details>") == md.count("</details>") - 1  # the body's own stays fenced
    assert "````text\n" in md  # a fence longer than the body's ``` run
    assert "<img" not in md.split("````text")[0]


def test_json_has_every_part() -> None:
    data = json.loads(render_preview_json(preview(campaign())))
    (c,) = data["campaigns"]
    assert data["version"] == 1
    assert c["recipients"][0]["messages"][0]["body"] == HOSTILE
    assert c["branches"][0]["branches"] == [
        {"label": "{% if company %}", "count": 3},
        {"label": "no branch", "count": 1},
    ]
    assert c["findings"][0]["hint"] == "fill it"


def test_plan_previews_fit_and_samples_are_cut_first() -> None:
    plan_md = "### camp plan\n\nsomething"
    previews = [
        PlanPreview(("content changes",), campaign("x" * 3000, name=f"c{i}")) for i in range(10)
    ]
    full = with_plan_previews(plan_md, previews, limit=1_000_000)
    assert full.count("<details><summary>Sample:") == 10
    cut = with_plan_previews(plan_md, previews, limit=20_000)
    assert len(cut) <= 20_000
    assert 0 < cut.count("<details><summary>Sample:") < 10
    assert all(f"**c{i}**" in cut for i in range(10))  # every campaign's head and warnings kept
    assert cut.count("{{company}}") == 10
    assert "_Samples cut to fit GitHub's limit" in cut
    tiny = with_plan_previews(plan_md, previews, limit=len(plan_md) + 200)
    assert (
        tiny.startswith(plan_md) and "previews left out" in tiny and len(tiny) <= len(plan_md) + 200
    )


def test_no_previews_leaves_the_plan_alone() -> None:
    assert with_plan_previews("### camp plan", []) == "### camp plan"
