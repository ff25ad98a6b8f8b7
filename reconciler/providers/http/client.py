"""The one place where providers talk HTTP: auth, retries, pacing and error mapping.

``ApiClient`` wraps an injected ``httpx.AsyncClient`` for one vendor account. Every call goes
through ``request``, which adds the key, retries what the vendor's profile calls transient,
and turns every failure into a ``ProviderError`` (see ``errors``), so no httpx exception and no
response body ever reaches the engine.

Every attempt is logged at DEBUG (account, method, path, status, milliseconds, retry number)
and every wait at INFO, as ``progress`` events: never a header, a key, a query or a body.

Writes that are not idempotent (creates) are special: once the request may have reached the
server, a timeout, a dropped connection or a 5xx raises ``ResponseLost`` instead of sending it
again, because a second create would make a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import httpx

from reconciler.providers.http import paging
from reconciler.providers.http.errors import (
    ApiError,
    FieldError,
    InvalidResponse,
    ProviderError,
    ResponseLost,
    TransportError,
    error_class,
    scrub,
)
from reconciler.providers.http.pacing import ClientStats, Pacer, RateWindow
from reconciler.providers.http.paging import Params
from reconciler.providers.http.profile import ErrorBody, RateLimits, VendorProfile
from reconciler.providers.progress import HTTP_LOG, Exchange, Wait, report

# Multipart parts: name → (filename, content, content type), e.g. ColdSend's leads CSV.
Files = Mapping[str, tuple[str, bytes, str]]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
_E = TypeVar("_E", bound=ProviderError)


class _Failure(NamedTuple):
    """A request that got no usable answer, described without keeping the httpx exception."""

    reason: str
    sent: bool  # the request may have reached the server
    retryable: bool


_Wordings = dict[type[Exception], str]
# Our wording for each httpx failure, in three groups: (may it have been sent, retry it?).
# Looked up in this order, first match wins, so subclasses come before their bases.
_NEVER_SENT: _Wordings = {  # nothing reached the server: always safe to retry
    httpx.ConnectTimeout: "timed out connecting",
    httpx.PoolTimeout: "timed out waiting for a free connection",
    httpx.ConnectError: "could not connect",
    httpx.ProxyError: "proxy error",
}
_UNSENDABLE: _Wordings = {
    httpx.UnsupportedProtocol: "unsupported URL",
    httpx.InvalidURL: "invalid URL",
}
_MAYBE_SENT: _Wordings = {  # the server may have acted on it: retried only when idempotent
    httpx.ReadTimeout: "timed out waiting for the response",
    httpx.WriteTimeout: "timed out sending the request",
    httpx.RemoteProtocolError: "connection closed without a complete response",
    httpx.ReadError: "connection dropped while reading the response",
    httpx.WriteError: "connection dropped while sending the request",
    httpx.TransportError: "transport error",
}
_TRANSPORT_FAILURES: tuple[tuple[_Wordings, bool, bool], ...] = (
    (_NEVER_SENT, False, True),
    (_UNSENDABLE, False, False),
    (_MAYBE_SENT, True, True),
)


@dataclass(frozen=True)
class _Call:
    """One logical request, re-sent as is on each attempt."""

    method: str
    path: str
    params: Params | None
    json: Any
    files: Files | None
    data: Mapping[str, str] | None
    idempotent: bool


class ApiClient:
    """One vendor account over an injected ``httpx.AsyncClient``; safe for concurrent tasks.

    ``base_url`` is joined with each path; leave it empty when the ``AsyncClient`` already
    has the vendor's base URL. ``account`` names the camp.yaml account in log lines and on
    every error raised (with the host), so a message says which of two accounts failed.
    ``sleep``, ``clock`` and ``rand`` are seams for tests.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        profile: VendorProfile,
        api_key: str,
        base_url: str = "",
        account: str = "",
        max_attempts: int = 6,
        max_wait: float = 60.0,
        reserve: int = 2,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._client = client
        self._profile = profile
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self.account = account or profile.name
        self.host = _origin(base_url or str(client.base_url))
        self._max_attempts = max_attempts
        self._max_wait = max_wait
        self._timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._pacer = Pacer(
            reserve=reserve, max_wait=max_wait, clock=clock, sleep=sleep, on_wait=self._paced
        )
        self.stats = ClientStats()

    def __repr__(self) -> str:
        return f"ApiClient(vendor={self.vendor!r})"

    @property
    def vendor(self) -> str:
        """The vendor's name, as used in error messages."""
        return self._profile.name

    @property
    def rate_limits(self) -> RateLimits:
        """The limits the vendor documents (its profile)."""
        return self._profile.rate_limits

    def rate_window(self) -> RateWindow:
        """The current window's budget as the vendor's last answer reported it."""
        return self._pacer.window()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        files: Files | None = None,
        data: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send with retries; return a success response or raise a ``ProviderError``.

        ``idempotent`` defaults from the method: POST is not (a create must not be repeated
        blindly), everything else is. Pass ``idempotent=True`` for a POST that is safe to
        repeat, such as a state transition the caller re-checks.
        """
        method = method.upper()
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        call = _Call(method, path, params, json, files, data, idempotent=safe)
        attempt = 1
        while True:
            outcome = await self._send(call, attempt=attempt)
            if isinstance(outcome, httpx.Response):
                if outcome.status_code < 400:
                    return outcome
                wait = self._after_error_response(call, outcome, attempt=attempt)
                reason = _status_text(outcome.status_code)
            else:
                wait = self._after_failure(call, outcome, attempt=attempt)
                reason = outcome.reason
            rate_limit = isinstance(outcome, httpx.Response) and outcome.status_code == 429
            await self._wait_to_retry(
                call, wait, reason, attempt=attempt + 1, rate_limit=rate_limit
            )
            attempt += 1

    async def get_json(self, path: str, *, params: Params | None = None) -> Any:
        """GET and return the decoded JSON body."""
        response = await self.request("GET", path, params=params)
        return self._decode(response, method="GET", path=path)

    async def send_json(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Params | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send a JSON body and return the decoded JSON answer (None for an empty one)."""
        response = await self.request(method, path, json=json, params=params, idempotent=idempotent)
        return self._decode(response, method=method.upper(), path=path)

    def paginate(
        self, path: str, *, style: paging.PageStyle, params: Params | None = None
    ) -> AsyncIterator[Any]:
        """Yield every item of a paginated list, fetching pages as needed."""
        return paging.paginate(self, path, style=style, params=params)

    async def _send(self, call: _Call, *, attempt: int) -> httpx.Response | _Failure:
        """One attempt: pace, send, and note the budget; failures come back as values."""
        waited = await self._pacer.acquire()
        if waited:
            self.stats.paced += 1
            self.stats.pacing_wait += waited
        self.stats.requests += 1
        started = time.perf_counter()
        outcome: httpx.Response | _Failure
        try:
            outcome = await self._client.send(self._build(call))
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # Only a description leaves this block: the exception holds the request's headers.
            outcome = self._describe(exc)
        else:
            self._pacer.observe(outcome.headers)
        finally:
            self._pacer.release()
        if HTTP_LOG.isEnabledFor(logging.DEBUG):
            self._log_exchange(call, outcome, attempt, (time.perf_counter() - started) * 1000)
        return outcome

    def _log_exchange(
        self, call: _Call, outcome: httpx.Response | _Failure, attempt: int, ms: float
    ) -> None:
        exchange = Exchange(
            account=self.account,
            method=call.method,
            path=call.path.split("?", 1)[0],
            status=None if isinstance(outcome, _Failure) else outcome.status_code,
            failure=outcome.reason if isinstance(outcome, _Failure) else "",
            ms=ms,
            attempt=attempt,
        )
        report(exchange, level=logging.DEBUG)

    def _paced(self, seconds: float) -> None:
        """The pacer is about to hold every request until the vendor's window resets."""
        reason = "rate limit reached"
        report(Wait(account=self.account, vendor=self.vendor, seconds=seconds, reason=reason))

    def _build(self, call: _Call) -> httpx.Request:
        return self._client.build_request(
            call.method,
            self._base_url + call.path,
            params=call.params,
            json=call.json,
            files=call.files,
            data=call.data,
            headers=self._profile.auth_headers(self._api_key),
            timeout=self._timeout,
        )

    def _describe(self, exc: Exception) -> _Failure:
        wording, sent, retryable = _classify(exc)
        detail = scrub(str(exc), secrets=[self._api_key])
        reason = f"{wording}: {detail}" if detail else wording
        return _Failure(reason=reason, sent=sent, retryable=retryable)

    def _after_error_response(
        self, call: _Call, response: httpx.Response, *, attempt: int
    ) -> float:
        """Return how long to wait before retrying this error response, or raise it."""
        error = self._api_error(call, response, attempt=attempt)
        if error.status == 429:
            self.stats.rate_limited += 1
        if not call.idempotent and error.status >= 500:
            raise self._lost(call, reason=_lost_reason(error), status=error.status)
        if attempt >= self._max_attempts or not self._profile.is_retryable(
            error.status, error.code
        ):
            raise error
        wait = self._server_wait(response, attempt=attempt)
        if error.status == 429:
            self._pacer.hold(seconds=wait)
        return wait

    def _after_failure(self, call: _Call, failure: _Failure, *, attempt: int) -> float:
        """Return how long to wait before re-sending after a transport failure, or raise."""
        if failure.sent and not call.idempotent:
            raise self._lost(call, reason=failure.reason, status=None)
        if attempt >= self._max_attempts or not failure.retryable:
            error = TransportError(
                vendor=self.vendor,
                method=call.method,
                path=call.path,
                reason=failure.reason,
                attempts=attempt,
            )
            raise self._tag(error)
        return self._capped(self._profile.backoff(attempt=attempt, rand=self._rand))

    def _server_wait(self, response: httpx.Response, *, attempt: int) -> float:
        hint = self._profile.server_wait(
            status=response.status_code, headers=response.headers, now=self._clock()
        )
        if hint is None:
            hint = self._profile.backoff(attempt=attempt, rand=self._rand)
        return self._capped(hint)

    def _capped(self, seconds: float) -> float:
        return min(max(seconds, 0.0), self._max_wait)

    async def _wait_to_retry(
        self, call: _Call, seconds: float, reason: str, *, attempt: int, rate_limit: bool
    ) -> None:
        self.stats.retries += 1
        self.stats.retry_wait += seconds
        wait = Wait(
            account=self.account,
            vendor=self.vendor,
            seconds=seconds,
            reason=reason,
            request=f"{call.method} {call.path.split('?', 1)[0]}",
            attempt=attempt,
            max_attempts=self._max_attempts,
            rate_limit=rate_limit,
        )
        report(wait)
        await self._sleep(seconds)

    def _tag(self, error: _E) -> _E:
        """Name the account and host on the error: two accounts of one vendor differ there."""
        error.account, error.host = self.account, self.host
        return error

    def _api_error(self, call: _Call, response: httpx.Response, *, attempt: int) -> ApiError:
        """Map an error response to its class, keeping only the scrubbed vendor text."""
        code, message, details = self._scrubbed(self._error_body(response))
        error = error_class(response.status_code)(
            vendor=self.vendor,
            method=call.method,
            path=call.path,
            status=response.status_code,
            code=code,
            message=message,
            details=details,
            attempts=attempt,
        )
        return self._tag(error)

    def _scrubbed(self, body: ErrorBody) -> ErrorBody:
        """The vendor may echo the key back (in a message, even as a field name)."""

        def clean(text: str) -> str:
            return scrub(text, secrets=[self._api_key])

        return ErrorBody(
            clean(body.code) if body.code else None,
            clean(body.message) if body.message else None,
            tuple(FieldError(clean(field), clean(text)) for field, text in body.details),
        )

    def _error_body(self, response: httpx.Response) -> ErrorBody:
        try:
            body = response.json()
        except ValueError:
            return ErrorBody(None, _plain_text(response), ())
        return self._profile.parse_error(body)

    def _lost(self, call: _Call, *, reason: str, status: int | None) -> ResponseLost:
        self.stats.responses_lost += 1
        lost = ResponseLost(
            vendor=self.vendor, method=call.method, path=call.path, reason=reason, status=status
        )
        return self._tag(lost)

    def _decode(self, response: httpx.Response, *, method: str, path: str) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            pass
        invalid = InvalidResponse(
            vendor=self.vendor, method=method, path=path, reason="body is not JSON"
        )
        raise self._tag(invalid)


def _origin(url: str) -> str:
    """``https://api.vendor.example`` from a base URL: the host an error names."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _classify(exc: Exception) -> tuple[str, bool, bool]:
    """Our wording for an httpx failure, whether it may have been sent, and whether to retry."""
    for wordings, sent, retryable in _TRANSPORT_FAILURES:
        for kind, wording in wordings.items():
            if isinstance(exc, kind):
                return wording, sent, retryable
    return "HTTP client error", True, False


def _lost_reason(error: ApiError) -> str:
    """``503 Service Unavailable: <vendor text>``, the reason of a ``ResponseLost``."""
    summary = f": {error.message}" if error.message else ""
    return f"{error.status} {error.reason}{summary}"


def _plain_text(response: httpx.Response) -> str | None:
    """A non-JSON error body as the message; HTML error pages say nothing useful."""
    text = response.text.strip()
    return None if not text or text.startswith("<") else text
