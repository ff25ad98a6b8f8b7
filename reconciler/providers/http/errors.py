"""Errors raised by the providers' HTTP layer.

Every failure that crosses this layer is one of these, never an httpx exception, so that the
engine and the CLI can catch one root and print one line. The tree::

    ProviderError                 root: whatever went wrong talking to a vendor
    ├── ApiError                  the vendor answered with an error status (≥ 400)
    │   ├── BadRequest            400
    │   ├── Unauthorized          401: the API key was rejected
    │   ├── Forbidden             403
    │   ├── NotFound              404
    │   ├── Conflict              409: usually a status rule (e.g. "pause it first")
    │   ├── ValidationFailed      422: with per-field `details`
    │   ├── RateLimited           429: raised only once the retries are spent
    │   └── ServerError           5xx: raised only once the retries are spent
    ├── TransportError            no answer: connection refused, DNS, timeout, dropped connection
    ├── ResponseLost              a non-idempotent write may or may not have happened
    └── InvalidResponse           a success status with a body that is not the JSON we expect

Secrets never appear in these errors: they hold no request, response, header or httpx
exception (``__cause__`` and ``__context__`` stay empty), and the vendor's text is scrubbed of
the API key before it is stored, so ``str``, ``repr`` and ``args`` are safe to log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, NamedTuple

REDACTED = "***"
# Vendor text is the only thing kept from a response body; a cap protects logs from data blobs.
MAX_MESSAGE_CHARS = 500
_WHITESPACE = re.compile(r"\s+")


# Phrases Python versions disagree on (3.11 still says "Unprocessable Entity").
_RFC9110_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}


class FieldError(NamedTuple):
    """One per-field validation problem, in every vendor's shape normalised to (path, message)."""

    field_path: str
    message: str


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: an error is printed as one line."""
    return _WHITESPACE.sub(" ", text).strip()


def scrub(text: str, *, secrets: Iterable[str]) -> str:
    """Return ``text`` on one line, capped, with every occurrence of each secret redacted."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = one_line(text)
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return text


def strip_query(path: str) -> str:
    """Drop the query string: errors name the endpoint, not the arguments."""
    return path.split("?", 1)[0]


class ProviderError(Exception):
    """Root of the providers layer: the CLI catches this and prints ``str(err)``.

    ``account`` and ``host`` are set by the ``ApiClient`` that raised it (None otherwise): with
    two accounts of one vendor, the vendor's name alone does not say which key or URL is wrong.
    """

    account: str | None = None
    host: str | None = None

    def __init__(self, line: str, *, vendor: str, method: str, path: str) -> None:
        super().__init__(one_line(line))
        self.vendor = vendor
        self.method = method
        self.path = strip_query(path)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        # The keyword-only constructors cannot be replayed from ``args``: copy and pickle
        # rebuild from the stored fields instead.
        return (_rebuild, (type(self), self.args, self.__dict__))

    @property
    def endpoint(self) -> str:
        """``vendor: METHOD /path``, the common prefix of every message."""
        return f"{self.vendor}: {self.method} {self.path}"


def _field_text(detail: FieldError) -> str:
    return f"{detail.field_path}: {detail.message}" if detail.field_path else detail.message


def _rebuild(cls: type[ProviderError], args: tuple[Any, ...], fields: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(fields)
    return error


class ApiError(ProviderError):
    """The vendor answered with an error status; the status picks the subclass."""

    def __init__(
        self,
        *,
        vendor: str,
        method: str,
        path: str,
        status: int,
        code: str | None = None,
        message: str | None = None,
        details: Iterable[FieldError] = (),
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = tuple(details)
        self.attempts = attempts
        super().__init__("", vendor=vendor, method=method, path=path)
        self.args = (one_line(self._line()),)

    @property
    def reason(self) -> str:
        """The standard phrase for the status (``Conflict``), or ``Error`` for odd ones.

        RFC 9110's names, the same on every Python (3.13 renamed 422 and 413 in ``http``)."""
        if self.status in _RFC9110_PHRASES:
            return _RFC9110_PHRASES[self.status]
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    def _summary(self) -> str:
        message = self.message or ""
        # Vendors often repeat the first field problem in the message: say it once.
        fields = [text for text in map(_field_text, self.details) if text not in message]
        parts = [message.rstrip(".") if fields else message] if message else []
        return "; ".join(parts + fields)

    def _line(self) -> str:
        code = f" ({self.code})" if self.code else ""
        summary = self._summary()
        tail = f": {summary}" if summary else ""
        retried = f" (gave up after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{self.endpoint} → {self.status} {self.reason}{code}{tail}{retried}"


class BadRequest(ApiError):
    """400: the request was malformed for this vendor."""


class Unauthorized(ApiError):
    """401: the API key was rejected; the caller knows which env var it came from."""

    def _summary(self) -> str:
        vendor_text = super()._summary()
        return "the API key was rejected" + (f" ({vendor_text})" if vendor_text else "")


class Forbidden(ApiError):
    """403: the key is valid but may not touch this object."""


class NotFound(ApiError):
    """404: the object does not exist (or no longer does)."""


class Conflict(ApiError):
    """409: the object's live status forbids the change; ``code`` tells which rule (easymail)."""


class ValidationFailed(ApiError):
    """422: the vendor rejected field values; ``details`` lists ``(field_path, message)``."""


class RateLimited(ApiError):
    """429: still rate limited after every retry the vendor's rules allow."""


class ServerError(ApiError):
    """5xx: the vendor kept failing after every retry."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
    429: RateLimited,
}


def error_class(status: int) -> type[ApiError]:
    """The most specific class for a status; other 4xx (e.g. 413) stay plain ``ApiError``."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)


class TransportError(ProviderError):
    """No usable answer: connection refused, DNS failure, timeout or a dropped connection.

    ``reason`` is our own wording plus the scrubbed text of the underlying error; the httpx
    exception itself is not kept (it holds the request, headers included).
    """

    def __init__(
        self, *, vendor: str, method: str, path: str, reason: str, attempts: int = 1
    ) -> None:
        self.reason = reason
        self.attempts = attempts
        retried = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
        line = f"{vendor}: {method} {strip_query(path)} → {reason}{retried}"
        super().__init__(line, vendor=vendor, method=method, path=path)


class ResponseLost(ProviderError):
    """A non-idempotent write was sent but its outcome is unknown.

    Raised instead of retrying a create after a timeout, a dropped connection or a 5xx: the
    object may exist now, so the caller must look it up before trying again.
    ``status`` is the 5xx received, or None when no answer came at all.
    """

    def __init__(
        self, *, vendor: str, method: str, path: str, reason: str, status: int | None = None
    ) -> None:
        self.reason = reason
        self.status = status
        line = (
            f"{vendor}: {method} {strip_query(path)} → response lost ({reason}): the write may "
            "have happened; look the object up before retrying"
        )
        super().__init__(line, vendor=vendor, method=method, path=path)


class InvalidResponse(ProviderError):
    """A success status whose body is not what the vendor documents (not JSON, wrong shape)."""

    def __init__(self, *, vendor: str, method: str, path: str, reason: str) -> None:
        self.reason = reason
        line = f"{vendor}: {method} {strip_query(path)} → unexpected response: {reason}"
        super().__init__(line, vendor=vendor, method=method, path=path)
