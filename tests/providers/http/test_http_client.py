"""ApiClient against httpx.MockTransport: error mapping, retries, writes, secrets."""

from __future__ import annotations

import asyncio
import string
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.providers.coldsend.profile import PROFILE as COLDSEND
from reconciler.providers.easymail.profile import PROFILE as EASYMAIL
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import (
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
)
from reconciler.providers.http.profile import VendorProfile
from reconciler.providers.inbox.profile import PROFILE as INBOX

KEY = "sk_live_9f8e7d6c5b4a3210"
NOW = 1_700_000_000.0
BASE = "https://vendor.test/api/v1"

Step = Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A clock that only moves when the client sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = NOW
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Script:
    """A MockTransport handler that plays its steps in order; the last one repeats."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        return step(request)


def reply(status: int, body: Any = None, *, headers: dict[str, str] | None = None) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return step


def fail(kind: type[httpx.TransportError], message: str = "boom") -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise kind(message, request=request)

    return step


_last: dict[str, ApiClient] = {}


def last_api() -> ApiClient:
    """The client that the latest ``run`` built, to read its stats."""
    return _last["api"]


def run(
    script: Script,
    call: Callable[[ApiClient], Awaitable[Any]],
    *,
    profile: VendorProfile = COLDSEND,
    fake: FakeTime | None = None,
    **options: Any,
) -> Any:
    """Build an ApiClient over the script and run one call on a fresh event loop."""
    fake = fake or FakeTime()

    async def main() -> Any:
        transport = httpx.MockTransport(script)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            settings = {"rand": lambda: 0.0, **options}
            api = ApiClient(
                client, profile=profile, api_key=KEY, sleep=fake.sleep, clock=fake.clock,
                **settings,
            )  # fmt: skip
            _last["api"] = api
            return await call(api)

    return asyncio.run(main())


def get(path: str = "/campaigns") -> Callable[[ApiClient], Awaitable[httpx.Response]]:
    return lambda api: api.request("GET", path)


def create(path: str = "/campaigns") -> Callable[[ApiClient], Awaitable[httpx.Response]]:
    return lambda api: api.request("POST", path, json={"name": "[camp] Spring launch"})


def raised(script: Script, call: Callable[[ApiClient], Awaitable[Any]], **kw: Any) -> Any:
    with pytest.raises(ProviderError) as info:
        run(script, call, **kw)
    return info.value


def chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def assert_no_secret(exc: BaseException, secret: str = KEY) -> None:
    for link in chain(exc):
        texts = [str(link), repr(link), repr(link.args), repr(getattr(link, "__notes__", []))]
        texts += [repr(value) for value in vars(link).values()]
        assert not [text for text in texts if secret in text]
    assert exc.__cause__ is None
    assert exc.__context__ is None


# --- auth and success ---


@pytest.mark.parametrize(
    ("profile", "header", "value"),
    [
        (COLDSEND, "x-api-key", KEY),
        (EASYMAIL, "authorization", f"Bearer {KEY}"),
        (INBOX, "authorization", f"Bearer {KEY}"),
    ],
)
def test_auth_header_is_added_per_request(profile: VendorProfile, header: str, value: str) -> None:
    script = Script(reply(200, {"ok": True}))
    response = run(script, get(), profile=profile)
    assert response.status_code == 200
    assert script.requests[0].headers[header] == value
    assert str(script.requests[0].url) == f"{BASE}/campaigns"


def test_base_url_joins_onto_a_shared_client() -> None:
    script = Script(reply(200, {"data": []}))
    run(script, get("/campaigns?x=1"), base_url="https://other.test/easymail/api/v1/")
    assert str(script.requests[0].url) == "https://other.test/easymail/api/v1/campaigns?x=1"


def test_get_json_and_send_json_decode() -> None:
    script = Script(reply(200, {"data": [1]}), reply(204))
    assert run(script, lambda api: api.get_json("/lists")) == {"data": [1]}
    assert run(script, lambda api: api.send_json("DELETE", "/campaigns/1")) is None


def test_a_success_body_that_is_not_json_is_an_invalid_response() -> None:
    err = raised(Script(reply(200, "<html>oops</html>")), lambda api: api.get_json("/lists"))
    assert type(err) is InvalidResponse
    assert str(err) == "coldsend: GET /lists → unexpected response: body is not JSON"


# --- every status to its class, in each vendor's error shape ---

MAPPING = [
    (COLDSEND, 400, {"detail": "Bad input"}, BadRequest, None, "Bad input", ()),
    (COLDSEND, 401, {"detail": "Invalid or revoked API key"}, Unauthorized, None,
     "Invalid or revoked API key", ()),
    (COLDSEND, 403, {"detail": "Forbidden"}, Forbidden, None, "Forbidden", ()),
    (COLDSEND, 404, {"detail": "Campaign not found"}, NotFound, None, "Campaign not found", ()),
    (COLDSEND, 409, {"detail": "Only DRAFT or PAUSED campaigns can be deleted"}, Conflict, None,
     "Only DRAFT or PAUSED campaigns can be deleted", ()),
    (COLDSEND, 413, {"detail": "Too many rows"}, ApiError, None, "Too many rows", ()),
    (COLDSEND, 422, {"detail": [{"loc": ["body", "name"], "msg": "ensure this value has at least 8 "
     "characters", "type": "value_error"}]}, ValidationFailed, None, None,
     (FieldError("name", "ensure this value has at least 8 characters"),)),
    (COLDSEND, 429, {"detail": "Rate limit exceeded. Retry after 5 seconds."}, RateLimited, None,
     "Rate limit exceeded. Retry after 5 seconds.", ()),
    (COLDSEND, 500, {"detail": "Internal error"}, ServerError, None, "Internal error", ()),
    (COLDSEND, 502, "<html><body>Bad gateway</body></html>", ServerError, None, None, ()),
    (EASYMAIL, 401, {"error": {"code": "UNAUTHENTICATED", "message": "Token invalid"}},
     Unauthorized, "UNAUTHENTICATED", "Token invalid", ()),
    (EASYMAIL, 404, {"error": {"code": "RESOURCE_NOT_FOUND", "message": "Not found"}}, NotFound,
     "RESOURCE_NOT_FOUND", "Not found", ()),
    (EASYMAIL, 409, {"error": {"code": "CONTENT_OVERWRITE_REQUIRED", "message": "Set overwrite"}},
     Conflict, "CONTENT_OVERWRITE_REQUIRED", "Set overwrite", ()),
    (EASYMAIL, 422, {"error": {"code": "VALIDATION_ERROR", "message": "The given data was invalid",
     "details": {"name": ["The name field is required."]}}}, ValidationFailed, "VALIDATION_ERROR",
     "The given data was invalid", (FieldError("name", "The name field is required."),)),
    (EASYMAIL, 429, {"error": {"code": "RATE_LIMITED", "message": "Slow down"}}, RateLimited,
     "RATE_LIMITED", "Slow down", ()),
    (EASYMAIL, 503, "Service temporarily unavailable", ServerError, None,
     "Service temporarily unavailable", ()),
    (INBOX, 401, {"error": {"code": "UNAUTHORIZED", "message": "Bad token", "status": 401}},
     Unauthorized, "UNAUTHORIZED", "Bad token", ()),
    (INBOX, 403, {"error": {"code": "FORBIDDEN", "message": "Not your team", "status": 403}},
     Forbidden, "FORBIDDEN", "Not your team", ()),
    (INBOX, 404, {"error": {"code": "NOT_FOUND", "message": "No campaign", "status": 404}},
     NotFound, "NOT_FOUND", "No campaign", ()),
    (INBOX, 409, {"error": {"code": "CONFLICT", "message": "Campaign is completed", "status": 409}},
     Conflict, "CONFLICT", "Campaign is completed", ()),
    (INBOX, 422, {"error": {"code": "VALIDATION_ERROR", "message": "Invalid", "status": 422,
     "details": [{"path": "messagesPerHour", "message": "Must be at most 25"}]}},
     ValidationFailed, "VALIDATION_ERROR", "Invalid",
     (FieldError("messagesPerHour", "Must be at most 25"),)),
    (INBOX, 429, {"error": {"code": "RATE_LIMITED", "message": "Too many", "status": 429}},
     RateLimited, "RATE_LIMITED", "Too many", ()),
    (INBOX, 500, {"error": {"code": "INTERNAL", "message": "Oops", "status": 500}}, ServerError,
     "INTERNAL", "Oops", ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("profile", "status", "body", "cls", "code", "message", "details"), MAPPING
)
def test_error_status_maps_to_its_class(
    profile: VendorProfile,
    status: int,
    body: Any,
    cls: type[ApiError],
    code: str | None,
    message: str | None,
    details: tuple[FieldError, ...],
) -> None:
    err = raised(Script(reply(status, body)), get("/campaigns/c1?expand=1"), profile=profile,
                 max_attempts=1)  # fmt: skip
    assert type(err) is cls
    assert (err.vendor, err.method, err.path) == (profile.name, "GET", "/campaigns/c1")
    assert (err.status, err.code, err.message, err.details) == (status, code, message, details)
    assert str(err).startswith(f"{profile.name}: GET /campaigns/c1 → {status} ")


def test_conflict_message_as_the_cli_prints_it() -> None:
    body = {"detail": "Campaign is ACTIVE: pause it to change variants or sequences"}
    err = raised(Script(reply(409, body)), lambda api: api.request("PUT", "/campaigns/c1"))
    assert str(err) == (
        "coldsend: PUT /campaigns/c1 → 409 Conflict: "
        "Campaign is ACTIVE: pause it to change variants or sequences"
    )


# --- retries and waits ---


def test_coldsend_429_waits_until_the_reset_header() -> None:
    fake = FakeTime()
    limited = reply(429, {"detail": "Rate limit exceeded"}, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 7)})  # fmt: skip
    script = Script(limited, reply(200, {}))
    assert run(script, get(), fake=fake).status_code == 200
    assert fake.sleeps == [7.0]
    assert len(script.requests) == 2
    stats = last_api().stats
    assert (stats.requests, stats.retries, stats.rate_limited, stats.retry_wait) == (2, 1, 1, 7.0)


def test_coldsend_429_without_reset_backs_off_1_2_4_8_16() -> None:
    fake = FakeTime()
    script = Script(*[reply(429, {"detail": "Rate limit exceeded"})] * 5, reply(200, {}))
    run(script, get(), fake=fake)
    assert fake.sleeps == [1, 2, 4, 8, 16]


def test_backoff_has_jitter() -> None:
    fake = FakeTime()
    script = Script(reply(503, {}), reply(503, {}), reply(200, {}))
    run(script, get(), fake=fake, rand=lambda: 1.0)
    assert fake.sleeps == [1.25, 2.5]


@pytest.mark.parametrize(("profile", "seconds"), [(EASYMAIL, 3.0), (INBOX, 5.0)])
def test_retry_after_is_honoured(profile: VendorProfile, seconds: float) -> None:
    fake = FakeTime()
    limited = reply(429, {"error": {"code": "RATE_LIMITED"}}, headers={
        "Retry-After": str(int(seconds)), "X-RateLimit-Remaining": "0"})  # fmt: skip
    script = Script(limited, reply(200, {}))
    run(script, get(), profile=profile, fake=fake)
    assert fake.sleeps == [seconds]


def test_inbox_429_without_retry_after_waits_for_the_reset() -> None:
    fake = FakeTime()
    limited = reply(429, {}, headers={"X-RateLimit-Reset": str(int(NOW) + 9)})
    run(Script(limited, reply(200, {})), get(), profile=INBOX, fake=fake)
    assert fake.sleeps == [9.0]


def test_long_server_waits_are_capped() -> None:
    fake = FakeTime()
    limited = reply(429, {}, headers={"Retry-After": "600"})
    run(Script(limited, reply(200, {})), get(), profile=EASYMAIL, fake=fake, max_wait=60.0)
    assert fake.sleeps == [60.0]


@pytest.mark.parametrize("profile", [COLDSEND, EASYMAIL, INBOX])
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_then_succeed(profile: VendorProfile, status: int) -> None:
    fake = FakeTime()
    script = Script(reply(status, {}), reply(status, {}), reply(200, {"ok": 1}))
    assert run(script, get(), profile=profile, fake=fake).json() == {"ok": 1}
    assert fake.sleeps == [1, 2]


@pytest.mark.parametrize(
    ("profile", "retried"), [(COLDSEND, False), (EASYMAIL, True), (INBOX, True)]
)
def test_501_is_retried_only_where_every_5xx_is(profile: VendorProfile, retried: bool) -> None:
    script = Script(reply(501, {}), reply(200, {}))
    if retried:
        run(script, get(), profile=profile)
    else:
        assert type(raised(script, get(), profile=profile)) is ServerError
    assert len(script.requests) == (2 if retried else 1)


TRANSITION = {"error": {"code": "CAMPAIGN_TRANSITION_IN_PROGRESS", "message": "Busy"}}


@pytest.mark.parametrize(
    ("profile", "retried"), [(COLDSEND, False), (EASYMAIL, True), (INBOX, False)]
)
def test_transition_in_progress_is_retried_only_for_easymail(
    profile: VendorProfile, retried: bool
) -> None:
    script = Script(reply(409, TRANSITION), reply(200, {}))
    send = lambda api: api.request("POST", "/campaigns/c1/send")  # noqa: E731
    if retried:
        assert run(script, send, profile=profile).status_code == 200
    else:
        assert type(raised(script, send, profile=profile)) is Conflict
    assert len(script.requests) == (2 if retried else 1)


@pytest.mark.parametrize("profile", [COLDSEND, EASYMAIL, INBOX])
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 422])
def test_final_4xx_is_never_retried(profile: VendorProfile, status: int) -> None:
    fake = FakeTime()
    script = Script(reply(status, {}), reply(200, {}))
    raised(script, get(), profile=profile, fake=fake)
    assert len(script.requests) == 1
    assert fake.sleeps == []


@pytest.mark.parametrize(("status", "cls"), [(429, RateLimited), (503, ServerError)])
def test_gives_up_after_max_attempts(status: int, cls: type[ApiError]) -> None:
    fake = FakeTime()
    script = Script(reply(status, {"detail": "still failing"}))
    err = raised(script, get(), fake=fake, max_attempts=4)
    assert type(err) is cls
    assert err.attempts == 4
    assert str(err).endswith("still failing (gave up after 4 attempts)")
    assert len(script.requests) == 4
    assert fake.sleeps == [1, 2, 4]


@pytest.mark.parametrize(
    "kind", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.ReadError,
             httpx.RemoteProtocolError, httpx.PoolTimeout, httpx.WriteError],
)  # fmt: skip
def test_idempotent_requests_retry_connection_errors(kind: type[httpx.TransportError]) -> None:
    fake = FakeTime()
    script = Script(fail(kind), reply(200, {}))
    assert run(script, get(), fake=fake).status_code == 200
    assert fake.sleeps == [1]


def test_connection_errors_give_up_as_transport_error() -> None:
    script = Script(fail(httpx.ConnectError, "[Errno 111] Connection refused"))
    err = raised(script, get(), max_attempts=3)
    assert type(err) is TransportError
    assert str(err) == (
        "coldsend: GET /campaigns → could not connect: [Errno 111] Connection refused "
        "(gave up after 3 attempts)"
    )
    assert len(script.requests) == 3


def test_an_unsupported_url_is_not_retried() -> None:
    script = Script(fail(httpx.UnsupportedProtocol, "Request URL has an unsupported protocol"))
    assert type(raised(script, get())) is TransportError
    assert len(script.requests) == 1


# --- non-idempotent writes ---


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        (fail(httpx.RemoteProtocolError, "Server disconnected"),
         "connection closed without a complete response: Server disconnected"),
        (fail(httpx.ReadError, ""), "connection dropped while reading the response"),
        (fail(httpx.ReadTimeout, "timed out"), "timed out waiting for the response: timed out"),
        (fail(httpx.WriteTimeout, ""), "timed out sending the request"),
        (reply(500, {"detail": "Internal error"}), "500 Internal Server Error: Internal error"),
        (reply(503, {}), "503 Service Unavailable"),
    ],
)  # fmt: skip
def test_create_whose_outcome_is_unknown_raises_response_lost(step: Step, reason: str) -> None:
    fake = FakeTime()
    script = Script(step, reply(201, {"campaign_id": "c1"}))
    err = raised(script, create(), fake=fake)
    assert type(err) is ResponseLost
    assert err.reason == reason
    assert len(script.requests) == 1
    assert fake.sleeps == []
    assert last_api().stats.responses_lost == 1


@pytest.mark.parametrize(
    "step",
    [fail(httpx.ConnectError), fail(httpx.ConnectTimeout), fail(httpx.PoolTimeout),
     reply(429, {"detail": "Rate limit exceeded"})],
)  # fmt: skip
def test_create_is_retried_when_the_server_surely_did_not_act(step: Step) -> None:
    script = Script(step, reply(201, {"campaign_id": "c1"}))
    assert run(script, create()).status_code == 201
    assert len(script.requests) == 2


def test_a_post_marked_idempotent_is_retried_after_5xx() -> None:
    script = Script(reply(503, {}), reply(200, {}))
    call = lambda api: api.request("POST", "/campaigns/c1/pause", idempotent=True)  # noqa: E731
    assert run(script, call).status_code == 200


def test_put_is_idempotent_by_default() -> None:
    script = Script(fail(httpx.ReadTimeout), reply(200, {}))
    assert run(script, lambda api: api.request("PUT", "/campaigns/c1", json={})).status_code == 200


def test_a_patch_marked_non_idempotent_is_not_retried() -> None:
    script = Script(fail(httpx.ReadError), reply(200, {}))
    call = lambda api: api.request("PATCH", "/x", json={}, idempotent=False)  # noqa: E731
    assert type(raised(script, call)) is ResponseLost


def test_multipart_upload_is_resent_whole() -> None:
    bodies: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return reply(503 if len(bodies) == 1 else 202, {"job_id": "j"})(request)

    files = {"file": ("leads.csv", b"email\na@example.com\n", "text/csv")}
    call = lambda api: api.request(  # noqa: E731
        "POST", "/campaigns/c1/leads", files=files, data={"mapping": "{}"}, idempotent=True
    )
    assert run(Script(record), call).status_code == 202
    assert len(bodies) == 2
    assert b"a@example.com" in bodies[1]


# --- secrets ---

ECHOES = [
    (COLDSEND, 400, {"detail": f"Bad header X-API-Key: {KEY}"}),
    (COLDSEND, 401, {"detail": f"Invalid or revoked API key {KEY}"}),
    (COLDSEND, 422, {"detail": [{"loc": ["body", KEY], "msg": f"value {KEY} is bad"}]}),
    (EASYMAIL, 401, {"error": {"code": "UNAUTHENTICATED", "message": f"Bearer {KEY} rejected"}}),
    (EASYMAIL, 422, {"error": {"code": KEY, "message": "x", "details": {"k": [f"got {KEY}"]}}}),
    (INBOX, 401, {"error": {"code": "UNAUTHORIZED", "message": f"token {KEY}", "status": 401}}),
    (INBOX, 422, {"error": {"code": "VALIDATION_ERROR", "message": "x",
                            "details": [{"path": "name", "message": f"no {KEY}"}]}}),
    (INBOX, 503, f"upstream said {KEY}"),
]  # fmt: skip


@pytest.mark.parametrize(("profile", "status", "body"), ECHOES)
def test_a_vendor_message_echoing_the_key_is_scrubbed(
    profile: VendorProfile, status: int, body: Any
) -> None:
    err = raised(Script(reply(status, body)), get(), profile=profile, max_attempts=1)
    assert_no_secret(err)
    assert "***" in str(err)


@pytest.mark.parametrize(
    ("step", "call"),
    [
        (fail(httpx.ConnectError, f"refused for {KEY}"), get()),
        (fail(httpx.ReadError, f"dropped {KEY}"), create()),
        (fail(httpx.ReadTimeout, f"slow {KEY}"), get()),
        (reply(500, {"detail": f"crash while using {KEY}"}), create()),
    ],
)
def test_transport_failures_keep_no_trace_of_the_key(
    step: Step, call: Callable[[ApiClient], Awaitable[Any]]
) -> None:
    err = raised(Script(step), call, max_attempts=2)
    assert isinstance(err, TransportError | ResponseLost)
    assert_no_secret(err)


def test_the_client_repr_hides_the_key() -> None:
    run(Script(reply(200, {})), get())
    assert repr(last_api()) == "ApiClient(vendor='coldsend')"


@settings(max_examples=30, deadline=None)
@given(key=st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=12, max_size=40))
def test_any_key_echoed_anywhere_is_scrubbed(key: str) -> None:
    body = {"error": {"code": "VALIDATION_ERROR", "message": f"{key}!",
                      "details": [{"path": key, "message": key}]}}  # fmt: skip

    async def main() -> None:
        transport = httpx.MockTransport(reply(422, body))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            api = ApiClient(client, profile=INBOX, api_key=key)
            with pytest.raises(ValidationFailed) as info:
                await api.request("GET", "/campaigns/v2")
        assert_no_secret(info.value, key)

    asyncio.run(main())
