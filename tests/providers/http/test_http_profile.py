from __future__ import annotations

import pytest

from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.http.errors import FieldError
from reconciler.providers.http.profile import (
    ErrorBody,
    VendorProfile,
    parse_error_envelope,
    parse_fastapi_error,
    retry_after,
    until_reset,
)
from reconciler.providers.inbox.profile import PROFILE as INBOX
from reconciler.providers.registry import vendor_for

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("profile", "headers"),
    [
        (COLDSEND, {"X-API-Key": "k"}),
        (EASYMAIL, {"Authorization": "Bearer k"}),
        (INBOX, {"Authorization": "Bearer k"}),
    ],
)
def test_auth_headers(profile: VendorProfile, headers: dict[str, str]) -> None:
    assert profile.auth_headers("k") == headers


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"detail": "Campaign not found"}, ErrorBody(None, "Campaign not found", ())),
        (
            {"detail": [
                {"loc": ["body", "name"], "msg": "too short", "type": "value_error"},
                {"loc": ["body", "variants", 0, "distribution_percent"], "msg": "bad"},
                {"loc": ["query", "limit"], "msg": "too big"},
            ]},
            ErrorBody(None, None, (
                FieldError("name", "too short"),
                FieldError("variants.0.distribution_percent", "bad"),
                FieldError("limit", "too big"),
            )),
        ),
        ({"unexpected": True}, ErrorBody(None, None, ())),
        ("plain string", ErrorBody(None, None, ())),
        (None, ErrorBody(None, None, ())),
    ],
)  # fmt: skip
def test_coldsend_fastapi_errors(body: object, expected: ErrorBody) -> None:
    assert parse_fastapi_error(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": {"code": "RESOURCE_NOT_FOUND", "message": "Campaign not found"}},
            ErrorBody("RESOURCE_NOT_FOUND", "Campaign not found", ()),
        ),
        (  # easymail: {field: [messages]}
            {"error": {"code": "VALIDATION_ERROR", "message": "Invalid", "details": {
                "name": ["is required", "too long"], "reply_to": "not an email"}}},
            ErrorBody("VALIDATION_ERROR", "Invalid", (
                FieldError("name", "is required"),
                FieldError("name", "too long"),
                FieldError("reply_to", "not an email"),
            )),
        ),
        (  # Inbox: [{path, message}]
            {"error": {"code": "VALIDATION_ERROR", "message": "Invalid", "status": 422,
                       "details": [{"path": "schedule.1.end", "message": "must be > start"},
                                   {"path": ["steps", 0, "type"], "message": "bad type"}]}},
            ErrorBody("VALIDATION_ERROR", "Invalid", (
                FieldError("schedule.1.end", "must be > start"),
                FieldError("steps.0.type", "bad type"),
            )),
        ),
        ({"error": "nope"}, ErrorBody(None, None, ())),
        ([], ErrorBody(None, None, ())),
    ],
)  # fmt: skip
def test_error_envelopes(body: object, expected: ErrorBody) -> None:
    assert parse_error_envelope(body) == expected


RETRY_TABLE = [
    # status, code, coldsend, easymail, inbox
    (400, None, False, False, False),
    (401, None, False, False, False),
    (403, None, False, False, False),
    (404, None, False, False, False),
    (409, None, False, False, False),
    (409, "CAMPAIGN_NOT_EDITABLE", False, False, False),
    (409, "CAMPAIGN_TRANSITION_IN_PROGRESS", False, True, False),
    (413, None, False, False, False),
    (422, None, False, False, False),
    (429, None, True, True, True),
    (500, None, True, True, True),
    (501, None, False, True, True),
    (502, None, True, True, True),
    (503, None, True, True, True),
    (504, None, True, True, True),
]


@pytest.mark.parametrize(("status", "code", "coldsend", "easymail", "inbox"), RETRY_TABLE)
def test_is_retryable_exactly_per_vendor_page(
    status: int, code: str | None, coldsend: bool, easymail: bool, inbox: bool
) -> None:
    assert COLDSEND.is_retryable(status, code) is coldsend
    assert EASYMAIL.is_retryable(status, code) is easymail
    assert INBOX.is_retryable(status, code) is inbox


@pytest.mark.parametrize(
    ("profile", "status", "headers", "expected"),
    [
        (COLDSEND, 429, {"x-ratelimit-reset": str(int(NOW) + 7)}, 7.0),
        (COLDSEND, 429, {"retry-after": "3"}, None),  # ColdSend sends none: not honoured
        (COLDSEND, 429, {"x-ratelimit-reset": str(int(NOW) - 5)}, None),  # skewed clock
        (COLDSEND, 503, {"x-ratelimit-reset": str(int(NOW) + 7)}, None),  # reset is for 429s
        (COLDSEND, 429, {}, None),
        (EASYMAIL, 429, {"retry-after": "12"}, 12.0),
        (EASYMAIL, 429, {"x-ratelimit-reset": str(int(NOW) + 7)}, None),
        (EASYMAIL, 503, {"retry-after": "2"}, 2.0),
        (INBOX, 429, {"retry-after": "5", "x-ratelimit-reset": str(int(NOW) + 30)}, 5.0),
        (INBOX, 429, {"x-ratelimit-reset": str(int(NOW) + 30)}, 30.0),
        (INBOX, 500, {}, None),
    ],
)
def test_server_wait(
    profile: VendorProfile, status: int, headers: dict[str, str], expected: float | None
) -> None:
    assert profile.server_wait(status=status, headers=headers, now=NOW) == expected


@pytest.mark.parametrize(
    ("profile", "waits"),
    [
        (COLDSEND, [1, 2, 4, 8, 16, 16]),
        (EASYMAIL, [1, 2, 4, 8, 16, 32, 60, 60]),
        (INBOX, [1, 2, 4, 8, 16, 32, 60, 60]),
    ],
)
def test_exponential_backoff_without_jitter(profile: VendorProfile, waits: list[float]) -> None:
    got = [profile.backoff(attempt=n, rand=lambda: 0.0) for n in range(1, len(waits) + 1)]
    assert got == waits


def test_jitter_only_adds_up_to_a_quarter() -> None:
    assert COLDSEND.backoff(attempt=3, rand=lambda: 1.0) == 5.0
    assert COLDSEND.backoff(attempt=3, rand=lambda: 0.5) == 4.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        ("1.5", 1.5),
        ("Tue, 14 Nov 2023 22:13:40 GMT", 20.0),  # NOW is 22:13:20 that day
        ("soon", None),
        ("nan", None),
    ],
)
def test_retry_after_forms(value: str, expected: float | None) -> None:
    assert retry_after({"retry-after": value}, now=NOW) == expected


def test_small_reset_values_are_deltas() -> None:
    assert until_reset({"x-ratelimit-reset": "42"}, now=NOW) == 42.0
    assert until_reset({"x-ratelimit-reset": str(NOW + 42)}, now=NOW) == 42.0


def test_vendor_for() -> None:
    assert vendor_for("easymail").profile is EASYMAIL
    with pytest.raises(ValueError, match="unknown provider 'mailchimp'"):
        vendor_for("mailchimp")
