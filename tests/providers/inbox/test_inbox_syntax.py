from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.providers.inbox.syntax import (
    DAYS,
    InboxSyntaxError,
    compile_steps,
    decompile_steps,
    format_delay,
    friendly_schedule,
    normalize_schedule,
    parse_delay,
    parse_message,
)


def static(text: str) -> dict[str, Any]:
    return {"type": "static", "text": text}


def variable(name: str, fallback: str = "") -> dict[str, Any]:
    return {"type": "variable", "name": name, "fallback": fallback}


def variation(*options: str) -> dict[str, Any]:
    return {"type": "variation", "options": list(options)}


def message(*segments: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "data": {"segments": list(segments)}}


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("Hi", [static("Hi")]),
        (
            "Hey {{first-name|there}}, {Hi|Hello}!",
            [
                static("Hey "),
                variable("first-name", "there"),
                static(", "),
                variation("Hi", "Hello"),
                static("!"),
            ],
        ),
        ("{{username}}", [variable("username")]),
        ("{{custom_ab12}}", [variable("custom_ab12")]),
        ("{{last-name|Mr\\|Ms \\}x\\{}}", [variable("last-name", "Mr|Ms }x{")]),
        ("{|Hi |Hello }", [variation("", "Hi ", "Hello ")]),
        ("a | b \\{ok\\} \\\\", [static("a | b {ok} \\")]),
        ("{a\\|b|c\\}}", [variation("a|b", "c}")]),
        ("line one\nline two", [static("line one\nline two")]),
    ],
)
def test_parse_message(text: str, segments: list[dict[str, Any]]) -> None:
    assert parse_message(text) == segments
    assert decompile_steps([message(*segments)]) == [{"message": text}]


@pytest.mark.parametrize(
    ("text", "error", "col"),
    [
        ("", "empty message", 0),
        ("{Hi}", "a variation needs at least 2 options", 0),
        ("{}", "a variation needs at least 2 options", 0),
        ("x {Hi|Hello", "unclosed variation: expected `}`", 2),
        ("{{first-name", "unclosed variable: expected `}}`", 0),
        ("{{ first-name }}", "unknown variable ` first-name `", 0),
        ("{{firstname}}", "unknown variable `firstname`", 0),
        ("{{custom_}}", "unknown variable `custom_`", 0),
        ("{{first-name|}}", "empty fallback", 0),
        ("{{first-name|a|b}}", "`|` in a fallback", 14),
        ("a}b", "`}` without a matching `{`", 1),
        ("{a|{b}|c}", "`{` inside braces", 3),
        ("C:\\path", "invalid escape `\\p`", 2),
        ("a \\| b", "invalid escape `\\|`", 2),
        ("end\\", "invalid escape `\\`", 3),
    ],
)
def test_message_errors(text: str, error: str, col: int) -> None:
    with pytest.raises(InboxSyntaxError) as caught:
        compile_steps([{"message": text}])
    (issue,) = caught.value.issues
    assert (issue.path, issue.message, issue.col) == ((0, "message"), error, col)
    assert issue.hint


def test_error_position_in_a_multiline_message() -> None:
    with pytest.raises(InboxSyntaxError) as caught:
        parse_message("Hello\nthere {{nope}}")
    issue = caught.value.issues[0]
    assert (issue.line, issue.col) == (1, 6)
    assert issue.text_issue().line == 1


def test_compile_all_step_kinds() -> None:
    steps: list[dict[str, Any]] = [
        {"message": "Hi {{first-name}}"},
        {"delay": "30m"},
        {"delay": "12h"},
        {"delay": "2d"},
        {"like_tweet": True},
        {"type": "like-tweet", "data": {}, "id": "abc", "rank": 3},
    ]
    assert compile_steps(steps) == [
        message(static("Hi "), variable("first-name")),
        {"type": "delay", "data": {"delaySeconds": 1800, "unit": "minutes"}},
        {"type": "delay", "data": {"delaySeconds": 43200, "unit": "hours"}},
        {"type": "delay", "data": {"delaySeconds": 172800, "unit": "days"}},
        {"type": "like-tweet", "data": {}},
        {"type": "like-tweet", "data": {}},
    ]


def test_all_step_errors_are_reported_at_once() -> None:
    steps: list[Any] = [{"message": "{Hi}"}, {"delay": "2 days"}, {"like_tweet": False}, "x"]
    with pytest.raises(InboxSyntaxError) as caught:
        compile_steps(steps)
    paths = [issue.path for issue in caught.value.issues]
    assert paths == [(0, "message"), (1, "delay"), (2, "like_tweet"), (3,)]


@pytest.mark.parametrize(
    "step",
    [
        {"message": "a", "delay": "2d"},
        {"type": "comment", "data": {}},
        {"type": "delay"},
        {"type": "delay", "data": {}, "extra": 1},
        {"message": 3},
    ],
)
def test_invalid_steps(step: dict[str, Any]) -> None:
    with pytest.raises(InboxSyntaxError, match="invalid"):
        compile_steps([{"message": "Hi"}, step])


def test_first_step_must_be_a_message() -> None:
    with pytest.raises(InboxSyntaxError, match="first step must be a message"):
        compile_steps([{"delay": "1d"}, {"message": "Hi"}])
    assert compile_steps([]) == []


@pytest.mark.parametrize(
    "wire",
    [
        message(static("a"), static("b")),  # adjacent statics: the short form would merge them
        message(static("")),
        message(),
        message(variable("first-name", None)),  # type: ignore[arg-type]
        message({"type": "variable", "name": "first-name"}),
        message(variable("nickname")),
        message(variation("only")),
        message({"type": "emoji", "text": "x"}),
        {"type": "delay", "data": {"delaySeconds": 90, "unit": "minutes"}},
        {"type": "delay", "data": {"delaySeconds": 0, "unit": "days"}},
        {"type": "delay", "data": {"delaySeconds": 60, "unit": "weeks"}},
        {"type": "like-tweet", "data": {"tweetId": "1"}},
        {"type": "mystery", "data": None},
    ],
)
def test_decompile_keeps_wire_steps_that_do_not_round_trip(wire: dict[str, Any]) -> None:
    assert decompile_steps([{"id": "s1", "rank": 0, **wire}]) == [wire]


def test_decompile_strips_ids_and_ranks() -> None:
    wire = [{"id": "a1", "rank": 0, **message(static("Hi"))}, {"id": "b2", "rank": 1, **message()}]
    assert decompile_steps(wire) == [{"message": "Hi"}, message()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", (1800, "minutes")), ("12h", (43200, "hours")), ("2d", (172800, "days"))],
)
def test_delays(text: str, expected: tuple[int, str]) -> None:
    assert parse_delay(text) == expected
    assert format_delay(*expected) == text


@pytest.mark.parametrize("text", ["", "0d", "02d", "2", "2w", "2 d", "-1h", "1.5h", "D"])
def test_invalid_delays(text: str) -> None:
    with pytest.raises(InboxSyntaxError, match="invalid delay"):
        parse_delay(text)


def test_format_delay_needs_whole_units() -> None:
    assert format_delay(7200, "minutes") == "120m"
    with pytest.raises(ValueError, match="cannot be written"):
        format_delay(90, "minutes")


@pytest.mark.parametrize(
    ("friendly", "wire"),
    [
        ({"mon": "09:00-17:00"}, {"1": {"start": 540, "end": 1020}}),
        ({"1": {"start": 540, "end": 1020}}, {"1": {"start": 540, "end": 1020}}),
        (
            {"SUN": "0:00-24:00", 6: "9:30-10:00"},
            {"0": {"start": 0, "end": 1440}, "6": {"start": 570, "end": 600}},
        ),
        ({}, {}),
    ],
)
def test_normalize_schedule(friendly: dict[Any, Any], wire: dict[str, Any]) -> None:
    assert normalize_schedule(friendly) == wire


@pytest.mark.parametrize(
    ("friendly", "message"),
    [
        ({"funday": "09:00-17:00"}, "unknown day 'funday'"),
        ({"7": "09:00-17:00"}, "unknown day '7'"),
        ({"mon": "17:00-09:00"}, "must start before it ends"),
        ({"mon": "09:00-09:00"}, "must start before it ends"),
        ({"mon": {"start": 0, "end": 1441}}, "must start before it ends"),
        ({"mon": {"start": -1, "end": 10}}, "must start before it ends"),
        ({"mon": {"start": "9", "end": 10}}, "must start before it ends"),
        ({"mon": {"start": 1}}, "invalid window"),
        ({"mon": "9-17"}, "invalid window"),
        ({"mon": "24:00-24:30"}, "invalid time 24:30"),
        ({"mon": "09:60-10:00"}, "invalid time 09:60"),
        ({"mon": "09:00-10:00", "1": "11:00-12:00"}, "day mon is given twice"),
    ],
)
def test_invalid_schedules(friendly: dict[Any, Any], message: str) -> None:
    with pytest.raises(InboxSyntaxError, match=message.replace("(", r"\(")):
        normalize_schedule(friendly)


def test_friendly_schedule() -> None:
    wire = {"5": {"start": 540, "end": 1440}, "0": {"start": 0, "end": 61}}
    assert friendly_schedule(wire) == {"sun": "00:00-01:01", "fri": "09:00-24:00"}
    assert list(friendly_schedule(wire)) == ["sun", "fri"]


# -- properties ------------------------------------------------------------------------------

NAMES = st.sampled_from(["first-name", "last-name", "username", "custom_x1", "custom_0abc"])
TEXT = st.text(alphabet=st.sampled_from("ab {}|\\\n:é"), max_size=8)
WIRE_SEGMENT = st.one_of(
    st.builds(static, TEXT),
    st.builds(variable, NAMES, TEXT),
    st.lists(TEXT, min_size=2, max_size=4).map(lambda options: variation(*options)),
)
WIRE_STEP = st.one_of(
    st.lists(WIRE_SEGMENT, max_size=5).map(lambda segments: message(*segments)),
    st.builds(
        lambda n, unit: {"type": "delay", "data": {"delaySeconds": n, "unit": unit}},
        st.integers(min_value=0, max_value=10**7),
        st.sampled_from(["minutes", "hours", "days"]),
    ),
    st.just({"type": "like-tweet", "data": {}}),
)


def _canonical(segments: list[dict[str, Any]]) -> bool:
    """Wire segments the short form can spell: no empty or adjacent static texts."""
    kinds = [s["type"] for s in segments]
    adjacent = any(a == b == "static" for a, b in itertools.pairwise(kinds))
    return bool(segments) and not adjacent and all(s.get("text") != "" for s in segments)


SHORT_MESSAGE = st.lists(WIRE_SEGMENT, min_size=1, max_size=5).filter(_canonical)
SHORT_STEP = st.one_of(
    SHORT_MESSAGE.map(lambda segments: decompile_steps([message(*segments)])[0]),
    st.builds(
        lambda n, suffix: {"delay": f"{n}{suffix}"},
        st.integers(min_value=1, max_value=999),
        st.sampled_from("mhd"),
    ),
    st.just({"like_tweet": True}),
)


@given(st.lists(WIRE_STEP, max_size=6))
def test_compile_of_decompile_is_identity(steps: list[dict[str, Any]]) -> None:
    wire = [message(static("Hi")), *steps]  # the vendor's sequences start with a message
    with_ids = [{"id": f"s{i}", "rank": i, **step} for i, step in enumerate(wire)]
    assert compile_steps(decompile_steps(with_ids)) == wire


@given(SHORT_MESSAGE)
def test_canonical_messages_always_get_the_short_form(segments: list[dict[str, Any]]) -> None:
    (step,) = decompile_steps([message(*segments)])
    assert "message" in step


@given(st.lists(SHORT_STEP, max_size=6))
def test_decompile_of_compile_is_identity(short: list[dict[str, Any]]) -> None:
    steps = [{"message": "Hi"}, *short]
    assert decompile_steps(compile_steps(steps)) == steps


WINDOW = st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda w: w[0] < w[1])
WIRE_SCHEDULE = st.dictionaries(
    st.sampled_from([str(d) for d in range(7)]),
    WINDOW.map(lambda w: {"start": w[0], "end": w[1]}),
)


@given(WIRE_SCHEDULE)
def test_schedule_round_trip(wire: dict[str, dict[str, int]]) -> None:
    friendly = friendly_schedule(wire)
    assert set(friendly) <= set(DAYS)
    assert normalize_schedule(friendly) == wire
    assert friendly_schedule(normalize_schedule(friendly)) == friendly
