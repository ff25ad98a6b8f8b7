from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
)
from reconciler.render.plan_markdown import (
    COMMENT_MARGIN,
    GITHUB_LIMIT,
    md_prose,
    md_text,
    render_markdown,
)
from tests.render.conftest import big_plan

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CELL_SPLIT = re.compile(r"(?<!\\)\|")

SMALL_GOLDEN = """\
### camp plan

**1 to update**

| campaign | account | kind | actions | status | forecast |
| --- | --- | --- | --- | --- | --- |
| Weekly | mail | easymail/campaign | update | ready | — |

<details><summary><code>Weekly</code> — update (mail, easymail/campaign)</summary>

source: news.yaml:2:1 · live id: em\\_1 · status: draft

```diff
# update: 1 field
- subject: "Old"
+ subject: "New"
```

</details>"""


def _campaign(name: str, *actions: Action, warnings: tuple[str, ...] = ()) -> CampaignPlan:
    return CampaignPlan(
        CampaignRef("mail", "easymail/campaign", name),
        source="news.yaml:2:1",
        live_id="em_1",
        live_status="draft",
        fingerprint=None,
        actions=actions,
        warnings=warnings,
    )


def outside_fences(markdown: str) -> list[str]:
    """The lines outside fenced code blocks; fails when a fence is never closed."""
    lines, opened = [], ""
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if opened:
            closes = match and match.group(1)[0] == opened[0] and len(match.group(1)) >= len(opened)
            if closes and not line.strip().strip(opened[0]):
                opened = ""
            continue
        if match:
            opened = match.group(1)
            continue
        lines.append(line)
    assert not opened, "unclosed code fence"
    return lines


def assert_well_formed(markdown: str) -> None:
    lines = outside_fences(markdown)
    depth = 0
    for line in lines:
        for tag in re.findall(r"</?details(?: open)?>", line):
            depth += -1 if tag == "</details>" else 1
            assert depth in (0, 1), f"unbalanced or nested <details>: {line!r}"
    assert depth == 0
    table = [ln for ln in lines if ln.startswith("|")]
    if table:
        width = len(CELL_SPLIT.split(table[0]))
        assert all(len(CELL_SPLIT.split(row)) == width for row in table), "ragged table"


def test_small_plan_golden() -> None:
    change = FieldChange("subject", "Old", "New")
    plan = Plan.of([_campaign("Weekly", Action(ActionKind.UPDATE, (change,), summary="1 field"))])
    assert render_markdown(plan) == SMALL_GOLDEN


def test_representative_plan_summary_table_and_details(plan: Plan) -> None:
    md = render_markdown(plan)
    assert_well_formed(md)
    head = md.split("| campaign |")[0]
    assert "**1 to create** · **2 to update**" in head and "**1 to delete**" in head
    assert "⚠️ 2 irreversible actions · ⛔ 1 blocked action" in head
    assert "| Legacy drip | cold | coldsend/campaign | update | ⛔ blocked |" in md
    assert "| Spring promo | cold | coldsend/campaign | launch | ⚠️ irreversible |" in md
    assert "| Steady |" not in md  # unchanged, no warnings: nothing to review
    assert md.count("<details>") == 5 and md.count("<details open>") == 1  # the blocked one
    assert "#   audience size: 1,200" in md
    assert "-Our spring offer is here.\n+Our spring offer is live." in md
    assert "- ⛔ **update blocked**: ColdSend does not edit an ACTIVE campaign" in md
    assert "<br>hint: set state: paused first" in md
    assert "- **warning:** 2 live leads are not in leads.csv" in md
    assert "Output truncated" not in md


@pytest.mark.parametrize(
    "campaigns", [[], [_campaign("Same")], [_campaign("Same", warnings=("lead gone",))]]
)
def test_no_changes_form(campaigns: list[CampaignPlan]) -> None:
    md = render_markdown(Plan.of(campaigns))
    assert md.startswith("### camp plan\n\nNo changes. Live state matches the configuration.")
    assert ("lead gone" in md) is any(c.warnings for c in campaigns)
    assert_well_formed(md)


HOSTILE = "a | b `x` ``` </details> <script>*_[y](z)_*\n\n| c |"


def test_hostile_content_cannot_break_structure() -> None:
    body = f"line\n```\n</details>\n   ````\n{HOSTILE}\n"
    update = Action(
        ActionKind.UPDATE, (FieldChange("content", "line\n", body),), summary=HOSTILE
    ).block(HOSTILE, HOSTILE, guard=HOSTILE)
    plan = Plan.of([_campaign(HOSTILE, update, warnings=(HOSTILE,))])
    md = render_markdown(plan)
    assert_well_formed(md)
    assert not any("<script>" in line for line in outside_fences(md))
    assert "+```" in md and "+</details>" in md  # the body is shown verbatim inside the fence
    assert md_text(HOSTILE) in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("</details>", "&lt;/details&gt;"),
        ("`x`", "\\`x\\`"),
        ("one\ntwo", "one two"),
        ("a & b", "a &amp; b"),
        ("\x1b[31m", "\\\\x1b\\[31m"),
    ],
)
def test_md_text_escapes(text: str, escaped: str) -> None:
    assert md_text(text) == escaped


def test_five_thousand_campaigns_fit_a_github_comment() -> None:
    md = render_markdown(big_plan(5000))
    assert len(md) <= GITHUB_LIMIT - COMMENT_MARGIN  # room for the workflow's marker line
    assert_well_formed(md)
    assert "**5,000 to create**" in md  # the totals always cover the whole plan
    assert re.search(r"_Output truncated: [\d,]+ of 5,000 campaigns listed in the table", md)
    assert md.rstrip().endswith("for the full plan._")


def test_details_are_dropped_whole_before_table_rows() -> None:
    plan = big_plan(400)
    md = render_markdown(plan, limit=40_000)
    assert len(md) <= 40_000
    assert_well_formed(md)
    shown = md.count("<details>") + md.count("<details open>")
    assert 0 < shown < 400
    assert f"_Output truncated: {shown} of 400 campaigns shown in detail;" in md
    assert md.count("\n| Campaign ") == 400  # the table is complete


def test_truncation_keeps_plan_order() -> None:
    md = render_markdown(big_plan(400), limit=40_000)
    names = re.findall(r"<code>(Campaign \d+)</code>", md)
    rows = re.findall(r"^\| (Campaign \d+) \|", md, flags=re.M)
    assert names == rows[: len(names)]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=120),
    limit=st.integers(min_value=0, max_value=30_000),
    name=st.text(max_size=12),
)
def test_property_never_over_limit_and_well_formed(n: int, limit: int, name: str) -> None:
    md = render_markdown(big_plan(n, name=name or "x"), limit=limit)
    assert len(md) <= limit
    if limit >= 1_000:  # below that only a bare heading can fit
        assert_well_formed(md)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("set `state: paused` first", "set <code>state: paused</code> first"),
        ("pin one with `id:` (a|b)", "pin one with <code>id:</code> (a\\|b)"),
        ("`<script>` and `*x*`", "<code>&lt;script&gt;</code> and <code>\\*x\\*</code>"),
        ("an odd ` backtick", "an odd \\` backtick"),
        ("no code", "no code"),
    ],
)
def test_prose_shows_backtick_spans_as_code(text: str, shown: str) -> None:
    assert md_prose(text) == shown


def test_hints_render_as_code_and_blocked_campaigns_open() -> None:
    update = Action(ActionKind.UPDATE, summary="1 field").block(
        "ColdSend does not edit an ACTIVE campaign", "set `state: paused` first"
    )
    md = render_markdown(Plan.of([_campaign("Weekly", update), _campaign("Other", update)]))
    assert "<br>hint: set <code>state: paused</code> first" in md
    assert md.count("<details open><summary>⛔") == 2 and "<details><summary>" not in md


@pytest.mark.parametrize(
    ("commit", "made_at", "line"),
    [
        (
            "0123456789abcdef0123456789abcdef01234567",
            datetime(2026, 3, 1, 9, 5, tzinfo=UTC),
            "<sub>Planned from commit 0123456789abcdef0123456789abcdef01234567 "
            "at 2026-03-01 09:05 UTC</sub>",
        ),
        (
            None,
            datetime(2026, 3, 1, 9, 5, tzinfo=UTC),
            "<sub>Planned at 2026-03-01 09:05 UTC</sub>",
        ),
        ("not a *sha*", None, "<sub>Planned from not a \\*sha\\*</sub>"),
    ],
)
def test_heading_says_which_commit_and_when(
    commit: str | None, made_at: datetime | None, line: str
) -> None:
    change = FieldChange("subject", "Old", "New")
    plan = Plan.of([_campaign("Weekly", Action(ActionKind.UPDATE, (change,), summary="1 field"))])
    md = render_markdown(plan, commit=commit, made_at=made_at)
    assert md.startswith(f"### camp plan\n\n{line}\n\n**1 to update**")
    assert render_markdown(Plan.of([]), commit=commit, made_at=made_at).startswith(
        f"### camp plan\n\n{line}\n\nNo changes."
    )


def test_the_default_limit_leaves_room_for_the_workflow_marker() -> None:
    md = render_markdown(big_plan(3000))
    comment = "<!-- camp-plan -->\n" + md + "\n"  # as examples/github/camp-plan.yml posts it
    assert len(comment) <= GITHUB_LIMIT


def test_a_create_shows_assignments_in_the_diff_fence() -> None:
    changes = (FieldChange("name", None, "Weekly"), FieldChange("content", None, "a\n\nb\n"))
    action = Action(ActionKind.CREATE, changes, summary="create draft campaign")
    md = render_markdown(Plan.of([_campaign("Weekly", action)]))
    assert (
        "# create draft campaign\n"
        '+ name    = "Weekly"\n'
        "+ content = <<-EOT\n"
        "+     a\n"
        "+\n"
        "+     b\n"
        "+ EOT\n"
    ) in md
