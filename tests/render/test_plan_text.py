from __future__ import annotations

import re

import click
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reconciler.plan.values import (
    Action,
    ActionKind,
    CampaignPlan,
    CampaignRef,
    FieldChange,
    Plan,
)
from reconciler.render.plan_text import NO_CHANGES, render_text
from tests.render.conftest import big_plan, representative_plan

ANSI = re.compile(r"\x1b\[")

GOLDEN = """\
= coldsend/campaign "Evergreen" (cold, id cs_5, ACTIVE) — campaigns/evergreen.yaml:1:1
  warning: 2 live leads are not in leads.csv (camp never deletes leads)

! coldsend/campaign "Legacy drip" (cold, id cs_3, ACTIVE) — campaigns/legacy.yaml:4:1
  update: 1 field
    daily_limit_per_inbox: 20 → 40
    BLOCKED: ColdSend does not edit an ACTIVE campaign
    hint: set state: paused first

+ coldsend/campaign "Q1 outreach" (cold, new) — campaigns/q1.yaml:1:1
  create: new campaign
    + timezone              = "Europe/Berlin"
    + sending_days          = [1, 2, 3, 4, 5]
    + daily_limit_per_inbox = 30
    + enable_tracking       = false
    + inboxes               = ["ana@acme.test", "bo@acme.test"]
  upload-leads: add leads from leads.csv
    leads new: 120
    leads present: 0

~ coldsend/campaign "Spring promo" (cold, id cs_7, DRAFTED) — campaigns/spring.yaml:1:1
  launch (irreversible): start sending
    audience size: 1,200

- inbox/campaign "[camp] Old outreach" (ib, id ib_9, paused) — no YAML (pruned)
  delete (irreversible): pruned: no YAML names it

~ easymail/campaign "Newsletter March" (mail, id em_42, draft) — campaigns/news.yaml:1:1
  update: 2 fields
    subject: "March news" → "March news: spring"
    --- content (live)
    +++ content (desired)
    @@ -1,6 +1,6 @@
     Hi {{first_name}},

    -Our spring offer is here.
    +Our spring offer is live.
     Reply to book a call.

     Best,

Plan: 1 to create, 2 to update, 1 to upload-leads, 1 to launch (1 irreversible), \
1 to delete (1 irreversible), 1 blocked, 1 warning.
Apply would refuse this plan until the blocked actions are resolved."""


def _campaign(name: str, *actions: Action, **extra: object) -> CampaignPlan:
    fields: dict[str, object] = {"source": "c.yaml:1:1", "live_id": "x1", "live_status": "draft"}
    fields.update(extra)
    return CampaignPlan(
        CampaignRef("a", "coldsend/campaign", name),
        fingerprint=None,
        actions=actions,
        **fields,  # type: ignore[arg-type]
    )


def _action_lines(text: str) -> list[str]:
    """Lines naming an action (two-space indent, then a kind), colour stripped for matching."""
    kinds = "|".join(k.value for k in ActionKind)
    return [ln for ln in text.splitlines() if re.match(rf"  ({kinds})\b", click.unstyle(ln))]


def test_representative_plan_golden(plan: Plan) -> None:
    assert render_text(plan, color=False) == GOLDEN


@pytest.mark.parametrize(
    "campaigns",
    [[], [_campaign("Same")], [_campaign("A"), _campaign("B", live_id=None)]],
)
def test_no_changes(campaigns: list[CampaignPlan]) -> None:
    assert render_text(Plan.of(campaigns), color=False) == NO_CHANGES


def test_no_changes_still_shows_warnings() -> None:
    plan = Plan.of([_campaign("Same", warnings=("2 live leads not in the CSV",))])
    assert render_text(plan, color=False) == (
        '= coldsend/campaign "Same" (a, id x1, draft) — c.yaml:1:1\n'
        "  warning: 2 live leads not in the CSV\n\n" + NO_CHANGES
    )


@pytest.mark.parametrize(
    ("actions", "summary"),
    [
        ([ActionKind.CREATE], "Plan: 1 to create, 0 blocked."),
        ([ActionKind.CREATE, ActionKind.CREATE], "Plan: 2 to create, 0 blocked."),
        (
            [ActionKind.UPDATE, ActionKind.SEND, ActionKind.SEND],
            "Plan: 1 to update, 2 to send (2 irreversible), 0 blocked.",
        ),
        (
            [ActionKind.OVERWRITE_CONTENT],
            "Plan: 1 to overwrite-content (1 irreversible), 0 blocked.",
        ),
    ],
)
def test_summary_line_counts_and_plurals(actions: list[ActionKind], summary: str) -> None:
    plan = Plan.of([_campaign(f"c{i}", Action(k)) for i, k in enumerate(actions)])
    assert render_text(plan, color=False).splitlines()[-1] == summary


@pytest.mark.parametrize(("n", "word"), [(1, "1 warning."), (2, "2 warnings.")])
def test_warning_count_pluralised(n: int, word: str) -> None:
    warnings = tuple(f"w{i}" for i in range(n))
    plan = Plan.of([_campaign("c", Action(ActionKind.UPDATE), warnings=warnings)])
    assert render_text(plan, color=False).splitlines()[-1].endswith(f"0 blocked, {word}")


def test_guard_block_points_at_force() -> None:
    action = Action(ActionKind.UPDATE).block("42% > 30%", "review", guard="max_change_percent")
    text = render_text(Plan.of([_campaign("c", action)]), color=False)
    assert "    BLOCKED (guard max_change_percent): 42% > 30%" in text
    assert text.endswith("(--force lifts the guard blocks).")


def test_colour_adds_ansi_and_plain_has_none(plan: Plan) -> None:
    assert ANSI.search(render_text(plan, color=True))
    assert not ANSI.search(render_text(plan, color=False))
    assert click.unstyle(render_text(plan, color=True)) == render_text(plan, color=False)


@pytest.mark.parametrize("color", [True, False])
def test_every_irreversible_action_line_says_so(plan: Plan, color: bool) -> None:
    lines = _action_lines(render_text(plan, color=color))
    assert len(lines) == sum(len(c.actions) for c in plan.campaigns)
    for line in lines:
        kind = click.unstyle(line).split()[0].rstrip(":")
        assert ("irreversible" in line) is ActionKind(kind).irreversible


@pytest.mark.parametrize("color", [True, False])
def test_hostile_text_cannot_inject_escapes(color: bool) -> None:
    evil = "\x1b[2J\x1b]0;pwned\x07\u202eevil\x9b31m"
    change = FieldChange("content", "a\nb", f"a\n{evil}\nb")
    action = Action(ActionKind.UPDATE, (change,), summary=evil).block(evil, evil)
    plan = Plan.of([_campaign(evil, action, warnings=(evil,), source=evil)])
    text = click.unstyle(render_text(plan, color=color))
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text


def test_long_single_line_values_are_diffed() -> None:
    change = FieldChange("subject_template", "x" * 70, "x" * 69 + "y")
    text = render_text(Plan.of([_campaign("c", Action(ActionKind.UPDATE, (change,)))]), color=False)
    assert "    --- subject_template (live)\n    +++ subject_template (desired)\n" in text
    assert f"    -{'x' * 70}\n    +{'x' * 69}y" in text


def test_create_of_multi_line_text_is_an_indented_block() -> None:
    change = FieldChange("content", None, "one\n\ntwo\n")
    text = render_text(Plan.of([_campaign("c", Action(ActionKind.CREATE, (change,)))]), color=False)
    assert "\n    + content = <<-EOT\n          one\n\n          two\n      EOT\n" in text


def test_large_plan_is_deterministic_and_complete() -> None:
    plan = big_plan(300)
    text = render_text(plan, color=False)
    assert text == render_text(plan, color=False)
    assert text.count("\n+ ") + text.count("\n! ") + text.startswith(("+", "!")) == 300


_kinds = st.lists(st.sampled_from(list(ActionKind)), max_size=4, unique=True)
_names = st.text(min_size=1, max_size=20)
Spec = tuple[str, list[ActionKind], bool]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_names, _kinds, st.booleans()), max_size=8))
@example([("irreversible", [ActionKind.CREATE], False)])
def test_property_plain_output_never_has_ansi(spec: list[Spec]) -> None:
    campaigns = []
    for i, (name, kinds, blocked) in enumerate(spec):
        actions = [Action(k, (FieldChange("f", name, name + "!"),), summary=name) for k in kinds]
        if blocked and actions:
            actions[0] = actions[0].block(name, name)
        campaigns.append(_campaign(f"{name}{i}", *sorted(actions, key=lambda a: a.kind.rank)))
    plan = Plan.of(campaigns)
    text = render_text(plan, color=False)
    assert "\x1b" not in text
    irreversible = sum(a.irreversible for c in plan.campaigns for a in c.actions)
    tagged = [ln for ln in _action_lines(text) if re.match(r"  [a-z-]+ \(irreversible\)", ln)]
    assert len(tagged) == irreversible  # the tag after the kind (a summary may say the word)
    assert text.splitlines()[-1 - plan.blocked].startswith("Plan: " if plan.has_changes else "No")


def test_representative_fixture_is_stable() -> None:
    assert render_text(representative_plan(), color=True) == render_text(
        representative_plan(), color=True
    )


@pytest.mark.parametrize(
    ("kind", "summary", "line"),
    [
        (ActionKind.CREATE, "create campaign", "  create campaign"),
        (ActionKind.CREATE, "create campaign (as a draft)", "  create campaign (as a draft)"),
        (
            ActionKind.LAUNCH,
            "launch: start sending to 5 leads",
            "  launch (irreversible): start sending to 5 leads",
        ),
        (ActionKind.DELETE, "delete the campaign", "  delete (irreversible): the campaign"),
        (ActionKind.UPDATE, "1 field", "  update: 1 field"),
        (ActionKind.PAUSE, "", "  pause"),
        (ActionKind.UPDATE, "updated fields", "  update: updated fields"),  # not the word alone
    ],
)
def test_action_lines_never_repeat_the_kind(kind: ActionKind, summary: str, line: str) -> None:
    text = render_text(Plan.of([_campaign("c", Action(kind, summary=summary))]), color=False)
    assert text.splitlines()[1] == line


def test_a_create_reads_like_terraform_names_aligned_blocks_indented() -> None:
    variants = [
        {"variant_name": "A", "email_content": "Hi,\n\nBye\n", "distribution_percent": 100},
    ]
    changes = (
        FieldChange("name", None, "Q1"),
        FieldChange("sending_days", None, [1, 2]),
        FieldChange("schedule", None, {"mon": "09:00-17:00", "0": "10:00-12:00"}),
        FieldChange("variants", None, variants),
        FieldChange("tracking", True, None),  # cleared: stays old → new
    )
    action = Action(ActionKind.CREATE, changes, summary="create campaign")
    text = render_text(Plan.of([_campaign("c", action, live_id=None)]), color=False)
    assert text.split("\n", 1)[1].split("\n\nPlan:")[0] == (
        "  create campaign\n"
        '    + name         = "Q1"\n'
        "    + sending_days = [1, 2]\n"
        '    + schedule     = { mon = "09:00-17:00", "0" = "10:00-12:00" }\n'
        "    + variants     = [\n"
        "          {\n"
        '              variant_name         = "A"\n'
        "              email_content        = <<-EOT\n"
        "                  Hi,\n"
        "\n"
        "                  Bye\n"
        "              EOT\n"
        "              distribution_percent = 100\n"
        "          },\n"
        "      ]\n"
        "    tracking: true → (unset)"
    )


def test_a_text_holding_the_block_marker_gets_another() -> None:
    change = FieldChange("content", None, "a\nEOT\n")
    text = render_text(Plan.of([_campaign("c", Action(ActionKind.CREATE, (change,)))]), color=False)
    assert "+ content = <<-EOT_\n          a\n          EOT\n      EOT_" in text


def test_assignments_are_coloured_like_terraform_and_cleaned() -> None:
    change = FieldChange("subject", None, "\x1b[31mred")
    text = render_text(Plan.of([_campaign("c", Action(ActionKind.CREATE, (change,)))]), color=True)
    assert click.style("+", fg="green", bold=True) + " " in text
    assert 'subject = "\\u001b[31mred"' in text  # the escape is shown, not obeyed
