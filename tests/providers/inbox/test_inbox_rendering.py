"""Inbox messages and timelines as a preview shows them (shared/api/inbox.md segments)."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.providers.inbox.rendering import (
    MAX_COMBINATIONS,
    message_texts,
    sending_windows,
    timeline,
    variables_of,
)
from reconciler.providers.inbox.syntax import compile_steps, normalize_schedule, parse_message


@pytest.mark.parametrize(
    ("message", "values", "expected"),
    [
        ("Hi {{first-name|there}}!", {}, ["Hi there!"]),
        ("Hi {{first-name|there}}!", {"first-name": "Ada"}, ["Hi Ada!"]),
        ("Hi {{first-name|there}}!", {"first-name": "  "}, ["Hi there!"]),
        ("Hi {{last-name}}.", {}, ["Hi ."]),
        ("{Hey|Hi} {{username|you}}", {"username": "ada"}, ["Hey ada", "Hi ada"]),
        ("{a|b} {c|d|e}", {}, ["a c", "a d", "a e", "b c", "b d", "b e"]),
        (r"\{literal\} {x|} y", {}, ["{literal} x y", "{literal}  y"]),
    ],
)
def test_every_text_a_message_can_be(
    message: str, values: dict[str, str], expected: list[str]
) -> None:
    texts, total = message_texts(parse_message(message), values)
    assert (texts, total) == (expected, len(expected))


def test_variations_inline_and_capped() -> None:
    segments = parse_message("{a|b} {c|d} {e|f} {g|h}")
    texts, total = message_texts(segments, {})
    assert (len(texts), total) == (MAX_COMBINATIONS, 16)
    assert message_texts(segments, {}, inline=True) == (["[a | b] [c | d] [e | f] [g | h]"], 16)


def test_variables_in_order_with_fallbacks() -> None:
    segments = parse_message("{{first-name|there}} {{custom_abc1}} {{first-name|x}}")
    assert variables_of(segments) == [("first-name", "there"), ("custom_abc1", "")]


def test_timeline() -> None:
    steps: list[dict[str, Any]] = [
        {"message": "Hi"},
        {"delay": "2d"},
        {"like_tweet": True},
        {"delay": "1h"},
        {"delay": "30m"},
        {"message": "Bye"},
    ]
    assert timeline(compile_steps(steps)) == [
        "message 1",
        "wait 2 days",
        "like their latest tweet",
        "wait 1 hour",
        "wait 30 minutes",
        "message 2",
    ]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (None, "Mon–Fri 09:00–17:00"),
        (
            {
                "mon": "09:00-17:00",
                "tue": "09:00-17:00",
                "wed": "09:00-17:00",
                "fri": "09:00-12:00",
            },
            "Mon–Wed 09:00–17:00, Fri 09:00–12:00",
        ),
        ({"sun": "10:00-24:00", "sat": "10:00-24:00"}, "Sat–Sun 10:00–24:00"),
        ({}, "no sending day"),
    ],
)
def test_sending_windows(schedule: dict[str, str] | None, expected: str) -> None:
    wire = normalize_schedule(schedule) if schedule is not None else None
    assert sending_windows(wire) == expected
