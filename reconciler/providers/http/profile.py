"""What differs between vendors' HTTP conventions, as data (each vendor's ``profile.py`` holds its
own ``VendorProfile``).

Each profile answers the questions the client asks of a vendor: which headers carry the key,
how an error body reads, which failures are worth retrying and how long to wait. The answers
come straight from shared/api/{coldsend,easymail,inbox}.md; the client stays vendor-neutral.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from reconciler.providers.http.errors import FieldError

# A reset header below this is a count of seconds, not a unix time (some APIs send a delta).
_UNIX_TIME_FLOOR = 1_000_000_000
JITTER_RATIO = 0.25


class ErrorBody(NamedTuple):
    """The useful part of an error response: vendor code, message and per-field details."""

    code: str | None
    message: str | None
    details: tuple[FieldError, ...]


NO_ERROR_BODY = ErrorBody(None, None, ())


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _path(parts: object) -> str:
    """``["body", "variants", 0, "name"]`` → ``variants.0.name``; a string stays as it is."""
    if isinstance(parts, str):
        return parts
    if not isinstance(parts, list | tuple):
        return ""
    names = [str(p) for p in parts]
    if names and names[0] in {"body", "query", "path", "header"}:
        names = names[1:]
    return ".".join(names)


def parse_fastapi_error(body: object) -> ErrorBody:
    """ColdSend: ``{"detail": "msg"}`` or ``{"detail": [{"loc": [...], "msg": ...}]}``."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        items = [d for d in detail if isinstance(d, dict)]
        fields = tuple(FieldError(_path(d.get("loc")), str(d.get("msg", ""))) for d in items)
        return ErrorBody(None, None, fields)
    return ErrorBody(None, _text(detail), ())


def _envelope_details(details: object) -> tuple[FieldError, ...]:
    """easymail ``{field: [msgs]}`` and Inbox ``[{path, message}]`` to one flat form."""
    if isinstance(details, dict):
        return tuple(
            FieldError(str(field), str(msg))
            for field, msgs in details.items()
            for msg in (msgs if isinstance(msgs, list) else [msgs])
        )
    if isinstance(details, list):
        items = [d for d in details if isinstance(d, dict)]
        return tuple(FieldError(_path(d.get("path")), str(d.get("message", ""))) for d in items)
    return ()


def parse_error_envelope(body: object) -> ErrorBody:
    """easymail and Inbox: ``{"error": {"code", "message", "details"?}}``."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return NO_ERROR_BODY
    details = _envelope_details(error.get("details"))
    return ErrorBody(_text(error.get("code")), _text(error.get("message")), details)


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) else None


def retry_after(headers: Mapping[str, str], *, now: float) -> float | None:
    """Seconds from a ``Retry-After`` header: delta seconds or an HTTP date."""
    value = headers.get("retry-after")
    seconds = _seconds(value)
    if seconds is not None or value is None:
        return seconds
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return None


def until_reset(headers: Mapping[str, str], *, now: float) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (unix seconds; a small number is taken as a delta)."""
    reset = _seconds(headers.get("x-ratelimit-reset"))
    if reset is None:
        return None
    return reset - now if reset >= _UNIX_TIME_FLOOR else reset


def reset_at(headers: Mapping[str, str], *, now: float) -> float | None:
    """The unix time at which the rate-limit window resets, if the response says."""
    seconds = until_reset(headers, now=now)
    return None if seconds is None else now + seconds


@dataclass(frozen=True)
class RateLimits:
    """The request budget a vendor documents per key (or team); None: none documented.

    camp estimates a run's calls against it before spending them (``engine.budget``).
    """

    per_minute: int | None = None
    per_hour: int | None = None

    def describe(self) -> str:
        """``100/minute and 1,000/hour``"""
        parts = [f"{self.per_minute:,}/minute"] if self.per_minute else []
        parts += [f"{self.per_hour:,}/hour"] if self.per_hour else []
        return " and ".join(parts) or "no documented limit"


@dataclass(frozen=True, kw_only=True)
class VendorProfile:
    """One vendor's API root, auth, error shape, retry rules, wait rules and documented rate
    limits."""

    name: str
    base_url: str  # the public API root: the default when an account gives no ``base_url``
    auth_header: str
    auth_scheme: str | None
    parse_error: Callable[[object], ErrorBody]
    retry_statuses: frozenset[int]
    # (status, vendor code) pairs retried although the status alone is final.
    retry_codes: frozenset[tuple[int, str]] = frozenset()
    honours_retry_after: bool
    # Wait for X-RateLimit-Reset on a 429 when there is no Retry-After.
    waits_for_reset: bool
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    rate_limits: RateLimits = RateLimits()

    def __repr__(self) -> str:
        return f"VendorProfile({self.name!r})"

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """The header that carries the key; built per request, never stored on a client."""
        value = f"{self.auth_scheme} {api_key}" if self.auth_scheme else api_key
        return {self.auth_header: value}

    def is_retryable(self, status: int, code: str | None = None) -> bool:
        """True when the page says this error status is transient."""
        return status in self.retry_statuses or (status, code or "") in self.retry_codes

    def server_wait(self, *, status: int, headers: Mapping[str, str], now: float) -> float | None:
        """The wait the vendor asks for, if any; None means: back off exponentially."""
        if self.honours_retry_after:
            wait = retry_after(headers, now=now)
            if wait is not None:
                return max(wait, 0.0)
        if self.waits_for_reset and status == 429:
            wait = until_reset(headers, now=now)
            # A reset already past means our clocks disagree: back off instead of hammering.
            if wait is not None and wait > 0:
                return wait
        return None

    def backoff(self, *, attempt: int, rand: Callable[[], float]) -> float:
        """Exponential wait after failed attempt ``attempt`` (1, 2, 4, … s), plus up to 25 %.

        Jitter only adds, so the documented minimum waits still hold.
        """
        base = min(self.backoff_base * 2.0 ** (attempt - 1), self.backoff_cap)
        return base * (1 + JITTER_RATIO * rand())


SERVER_ERRORS = frozenset(range(500, 600))


def envelope_profile(
    name: str,
    base_url: str,
    *,
    rate_limits: RateLimits,
    waits_for_reset: bool,
    retry_codes: frozenset[tuple[int, str]] = frozenset(),
) -> VendorProfile:
    """The conventions easymail and Inbox share: a Bearer key, the ``{"error": …}`` envelope,
    429 and 5xx retried, Retry-After honoured; the rest is the vendor's own."""
    return VendorProfile(
        name=name,
        base_url=base_url,
        auth_header="Authorization",
        auth_scheme="Bearer",
        parse_error=parse_error_envelope,
        retry_statuses=frozenset({429}) | SERVER_ERRORS,
        retry_codes=retry_codes,
        honours_retry_after=True,
        waits_for_reset=waits_for_reset,
        rate_limits=rate_limits,
    )
