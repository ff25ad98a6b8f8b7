"""Offline Inbox rules: each bad input named after its failure, the message with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.engine.workspace import load_workspace
from reconciler.providers.inbox.checks import InboxPrepared

CAMP = "accounts:\n  dm:\n    provider: inbox\n    api_key_env: INBOX_API_KEY\n"
HEAD = "kind: inbox/campaign\nname: DM\n"


def _problems(tmp_path: Path, name: str, body: str) -> list[str]:
    (tmp_path / "camp.yaml").write_text(CAMP)
    (tmp_path / name).write_text(HEAD + body)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / name])
    return [str(p)[str(p).index(name) :] for p in ws.problems]


BAD = [
    ("bad-timezone.yaml", "timezone: Europe/Berln\n", "3:11: error: timezone: 'Europe/Berln'"),
    (
        "backwards-window.yaml",
        'schedule:\n  mon: "17:00-09:00"\n',
        "4:8: error: schedule.mon: window '17:00-09:00' must start before it ends",
    ),
    (
        "bad-minutes.yaml",
        'schedule:\n  tue: "09:75-17:00"\n',
        "4:8: error: schedule.tue: invalid time 09:75",
    ),
    (
        "day-given-twice.yaml",
        'schedule:\n  mon: "09:00-10:00"\n  "1": "11:00-12:00"\n',
        "5:8: error: schedule.1: day mon is given twice",
    ),
    (
        "first-step-not-a-message.yaml",
        "sequence:\n  - delay: 2d\n  - message: hi\n",
        "4:5: error: sequence[0]: the first step must be a message",
    ),
    (
        "one-option-variation.yaml",
        'sequence:\n  - message: "Hello {there}"\n',
        "4:21: error: sequence[0].message: a variation needs at least 2 options",
    ),
    (
        "unknown-variable.yaml",
        "sequence:\n  - message: Hi {{first_name}}, hello\n",
        "4:17: error: sequence[0].message: unknown variable `first_name`",
    ),
    (
        "unknown-variable-on-line-two.yaml",
        "sequence:\n  - message: |\n      Hi,\n      see {{nick}}\n",
        "6:11: error: sequence[0].message: unknown variable `nick`",
    ),
    (
        "raw-delay-not-whole.yaml",
        "sequence:\n  - message: hi\n  - {type: delay, data: {delaySeconds: 90, unit: hours}}\n",
        "5:40: error: sequence[1].data.delaySeconds: delaySeconds must be a positive whole",
    ),
    (
        "raw-unknown-variable.yaml",
        "sequence:\n  - type: message\n    data:\n      segments:\n"
        "        - {type: variable, name: nick, fallback: ''}\n",
        "7:11: error: sequence[0].data.segments[0]: unknown variable 'nick'",
    ),
    (
        "account-twice.yaml",
        "account_links: [founder_x, '@Founder_X']\n",
        "3:28: error: account_links[1]: account '@Founder_X' is listed twice",
    ),
]


@pytest.mark.parametrize(("name", "body", "expected"), BAD)
def test_bad_inbox_documents(tmp_path: Path, name: str, body: str, expected: str) -> None:
    problems = _problems(tmp_path, name, body)
    assert any(p.startswith(f"{name}:{expected}") for p in problems), problems


def test_a_list_both_included_and_excluded_is_a_warning(tmp_path: Path) -> None:
    body = "rules:\n  include_lists: [A, B]\n  exclude_lists: [B]\n"
    [problem] = _problems(tmp_path, "overlap.yaml", body)
    assert problem.startswith("overlap.yaml:5:19: warning: rules.exclude_lists[0]: list 'B'")


def test_valid_document_returns_the_wire_forms(tmp_path: Path) -> None:
    body = 'schedule:\n  "1": {start: 540, end: 600}\n  sun: "00:00-24:00"\nsequence:\n'
    body += "  - message: 'Hi {{first-name|you}} \\{x\\}'\n  - delay: 30m\n  - like_tweet: true\n"
    (tmp_path / "camp.yaml").write_text(CAMP)
    (tmp_path / "ok.yaml").write_text(HEAD + body)
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "ok.yaml"])
    assert ws.problems == []
    [doc] = ws.campaigns
    assert doc.prepared_as(InboxPrepared).schedule == {
        "0": {"start": 0, "end": 1440},
        "1": {"start": 540, "end": 600},
    }
    segments = [
        {"type": "static", "text": "Hi "},
        {"type": "variable", "name": "first-name", "fallback": "you"},
        {"type": "static", "text": " {x}"},
    ]
    assert doc.prepared_as(InboxPrepared).sequence == [
        {"type": "message", "data": {"segments": segments}},
        {"type": "delay", "data": {"delaySeconds": 1800, "unit": "minutes"}},
        {"type": "like-tweet", "data": {}},
    ]
