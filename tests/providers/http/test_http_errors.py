from __future__ import annotations

import copy
import pickle
import string
from typing import TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.providers.http.errors import (
    REDACTED,
    ApiError,
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    InvalidResponse,
    NotFound,
    ProviderError,
    RateLimited,
    ResponseLost,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
    error_class,
    scrub,
)


class Where(TypedDict):
    vendor: str
    method: str
    path: str


WHERE: Where = {"vendor": "coldsend", "method": "PUT", "path": "/campaigns/abc"}


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequest),
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (409, Conflict),
        (422, ValidationFailed),
        (429, RateLimited),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
        (413, ApiError),
        (418, ApiError),
    ],
)
def test_error_class_per_status(status: int, cls: type[ApiError]) -> None:
    assert error_class(status) is cls


@pytest.mark.parametrize(
    "cls",
    [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed, RateLimited,
     ServerError],
)  # fmt: skip
def test_every_api_error_is_a_provider_error(cls: type[ApiError]) -> None:
    assert issubclass(cls, ApiError)
    assert issubclass(cls, ProviderError)


@pytest.mark.parametrize("cls", [TransportError, ResponseLost, InvalidResponse])
def test_non_status_errors_are_not_api_errors(cls: type[ProviderError]) -> None:
    assert issubclass(cls, ProviderError)
    assert not issubclass(cls, ApiError)


def test_conflict_reads_as_one_line() -> None:
    message = "Campaign is ACTIVE: pause it to change variants or sequences"
    err = Conflict(status=409, message=message, **WHERE)
    expected = f"coldsend: PUT /campaigns/abc → 409 Conflict: {message}"
    assert str(err) == expected
    assert err.args == (expected,)
    assert repr(err) == f"Conflict({expected!r})"


def test_vendor_code_is_shown_in_brackets() -> None:
    err = Conflict(
        vendor="easymail", method="PATCH", path="/campaigns/u1", status=409,
        code="CAMPAIGN_NOT_EDITABLE", message="Campaign is sent",
    )  # fmt: skip
    assert str(err) == (
        "easymail: PATCH /campaigns/u1 → 409 Conflict (CAMPAIGN_NOT_EDITABLE): Campaign is sent"
    )


def test_path_loses_its_query_string() -> None:
    err = NotFound(vendor="inbox", method="GET", path="/campaigns/v2?cursorId=x", status=404)
    assert err.path == "/campaigns/v2"
    assert str(err) == "inbox: GET /campaigns/v2 → 404 Not Found"


def test_unauthorized_says_the_key_was_rejected() -> None:
    err = Unauthorized(status=401, message="Invalid or revoked API key", **WHERE)
    assert str(err).endswith(
        "401 Unauthorized: the API key was rejected (Invalid or revoked API key)"
    )
    assert str(Unauthorized(status=401, **WHERE)).endswith(": the API key was rejected")


def test_validation_details_are_listed_after_the_message() -> None:
    details = [FieldError("name", "too short"), FieldError("variants.0.subject_template", "empty")]
    err = ValidationFailed(status=422, message="Invalid", details=details, **WHERE)
    assert err.details == tuple(details)
    assert str(err).endswith(
        "422 Unprocessable Content: Invalid; name: too short; variants.0.subject_template: empty"
    )


def test_attempts_are_mentioned_once_retries_were_spent() -> None:
    err = ServerError(status=503, message="down", attempts=6, **WHERE)
    assert str(err).endswith("503 Service Unavailable: down (gave up after 6 attempts)")


def test_multi_line_vendor_text_becomes_one_line() -> None:
    err = BadRequest(status=400, message="first\n  second\tthird", **WHERE)
    assert "\n" not in str(err)
    assert str(err).endswith("400 Bad Request: first second third")


def test_transport_error_line() -> None:
    err = TransportError(reason="could not connect", attempts=3, **WHERE)
    assert str(err) == "coldsend: PUT /campaigns/abc → could not connect (gave up after 3 attempts)"


def test_response_lost_tells_the_caller_to_look_up_first() -> None:
    err = ResponseLost(
        vendor="coldsend", method="POST", path="/campaigns", reason="500 Internal Server Error",
        status=500,
    )  # fmt: skip
    assert err.status == 500
    assert str(err) == (
        "coldsend: POST /campaigns → response lost (500 Internal Server Error): the write may "
        "have happened; look the object up before retrying"
    )


def test_invalid_response_line() -> None:
    err = InvalidResponse(reason="body is not JSON", **WHERE)
    assert str(err) == "coldsend: PUT /campaigns/abc → unexpected response: body is not JSON"


def test_scrub_redacts_every_occurrence() -> None:
    assert (
        scrub("key k3y-123 and again k3y-123", secrets=["k3y-123"])
        == f"key {REDACTED} and again {REDACTED}"
    )


def test_scrub_ignores_an_empty_secret_and_caps_length() -> None:
    text = scrub("x" * 2000, secrets=[""])
    assert len(text) == 500
    assert text.endswith("…")


@given(
    key=st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=8, max_size=40),
    before=st.text(max_size=50),
    after=st.text(max_size=50),
)
def test_scrub_never_leaves_the_key(key: str, before: str, after: str) -> None:
    assert key not in scrub(f"{before}{key}{after}{key}", secrets=[key])


@pytest.mark.parametrize(
    "err",
    [
        ValidationFailed(status=422, details=[FieldError("name", "short")], attempts=2, **WHERE),
        TransportError(reason="could not connect", **WHERE),
        ResponseLost(reason="timed out", status=None, **WHERE),
    ],
)
def test_errors_survive_copy_and_pickle(err: ProviderError) -> None:
    for clone in (copy.copy(err), pickle.loads(pickle.dumps(err))):
        assert type(clone) is type(err)
        assert str(clone) == str(err)
        assert vars(clone) == vars(err)


def test_field_problems_already_in_the_message_are_not_repeated() -> None:
    details = [FieldError("ids", "at least one"), FieldError("name", "empty")]
    err = ValidationFailed(
        status=422, message="Invalid: ids: at least one.", details=details, **WHERE
    )
    assert str(err).endswith("422 Unprocessable Content: Invalid: ids: at least one; name: empty")
