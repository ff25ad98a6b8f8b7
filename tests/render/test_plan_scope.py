"""A scoped plan (``--changed-since``) says so first, in text, Markdown and JSON."""

from __future__ import annotations

import json

import pytest

from reconciler.plan.values import CampaignRef, Plan, PlanScope
from reconciler.render.plan_json import render_json
from reconciler.render.plan_markdown import render_markdown
from reconciler.render.plan_text import render_text
from reconciler.render.scope import scope_sentence

SHA = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
DOC = CampaignRef("news", "easymail/campaign", "[camp] December")
GONE = CampaignRef("dm", "inbox/campaign", "[camp] Old DM")


@pytest.mark.parametrize(
    ("scope", "sentence"),
    [
        (
            PlanScope("origin/main", SHA, (DOC,)),
            "Scoped plan: only the 1 campaign document changed since origin/main "
            "(1a2b3c4d5e6f). Campaigns outside this scope were not read: this is no drift "
            "check (a plan without --changed-since is).",
        ),
        (
            PlanScope("main", SHA, (DOC, DOC), (GONE,), pruned=True),
            "Scoped plan: only the 2 campaign documents changed since main (1a2b3c4d5e6f), "
            "and the campaigns of 1 document deleted since then (--prune). Campaigns outside "
            "this scope were not read: this is no drift check (a plan without "
            "--changed-since is).",
        ),
        (
            PlanScope("main", SHA, (), (GONE, GONE)),
            "Scoped plan: only the 0 campaign documents changed since main (1a2b3c4d5e6f); "
            "2 documents deleted since then left alone (--prune would delete their "
            "campaigns). Campaigns outside this scope were not read: this is no drift check "
            "(a plan without --changed-since is).",
        ),
        (
            PlanScope("main", SHA, (DOC,), everything=True),
            "camp.yaml changed since main (1a2b3c4d5e6f): every campaign document is in "
            "scope, as in a full plan (--changed-since).",
        ),
    ],
)
def test_the_sentence(scope: PlanScope, sentence: str) -> None:
    assert scope_sentence(scope) == sentence


def test_every_format_says_it_first() -> None:
    scope = PlanScope("origin/main", SHA, (DOC,))
    plan = Plan((), scope)
    assert render_text(plan, color=False).startswith(scope_sentence(scope) + "\n\n")
    assert render_markdown(plan).startswith("### camp plan\n\n> Scoped plan: only the 1 ")
    assert json.loads(render_json(plan))["scope"] == {
        "changed_since": "origin/main",
        "commit": SHA,
        "everything": False,
        "documents": [{"account": "news", "kind": "easymail/campaign", "name": "[camp] December"}],
        "deleted": [],
        "pruned": False,
    }


def test_a_revision_cannot_smuggle_terminal_escapes() -> None:
    sentence = scope_sentence(PlanScope("main\x1b[31m", SHA))
    assert "\x1b" not in sentence
