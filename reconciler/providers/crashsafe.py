"""Writes that stay safe when an answer is lost and the write is tried again.

Creates are never blindly sent again: when ``ApiClient`` raises ``ResponseLost`` (timeout
after sending, dropped connection, 5xx), the campaign may exist now. Look it up by its
(unique) name: one match is adopted, none means the create did not happen and is safe to
send again, several means someone else is creating too — stop and name them rather than
guess. Transitions and deletes may be repeated: a refusal that only says "already done" is
success.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from reconciler.providers.base import ExecState
from reconciler.providers.http.client import ApiClient
from reconciler.providers.http.errors import Conflict, NotFound, ProviderError, ResponseLost

ATTEMPTS = 3


async def create_or_adopt(
    *,
    vendor: str,
    path: str,
    name: str,
    send: Callable[[], Awaitable[Any]],
    id_of: Callable[[Any], str],
    find_by_name: Callable[[str], Awaitable[list[str]]],
    state: ExecState,
) -> tuple[str, bool]:
    """``(campaign id, adopted)``; ``adopted`` tells the caller to re-send the settings."""
    for _ in range(ATTEMPTS):
        try:
            return id_of(await send()), False
        except ResponseLost:
            found = await find_by_name(name)
        if len(found) == 1:
            state.notes.append(f"create response lost: adopted campaign {found[0]}")
            return found[0], True
        if len(found) > 1:
            raise ProviderError(
                f"{vendor}: POST {path} → response lost, and {len(found)} campaigns are now "
                f"named {name!r} ({', '.join(found)}): pin one with `id:` and delete the others",
                vendor=vendor,
                method="POST",
                path=path,
            )
    raise ProviderError(
        f"{vendor}: POST {path} → no answer after {ATTEMPTS} attempts, and no campaign named "
        f"{name!r} exists",
        vendor=vendor,
        method="POST",
        path=path,
    )


async def transition(
    api: ApiClient,
    path: str,
    *,
    json: Any = None,
    reached: Callable[[], Awaitable[bool]],
) -> None:
    """POST a state transition (pause, enable, send…), retried like any idempotent call.

    A retried transition whose first attempt went through is refused with 409: that is
    success when ``reached()`` (a fresh read of the live status) says the target holds.
    """
    try:
        await api.send_json("POST", path, json=json, idempotent=True)
    except Conflict:
        if not await reached():
            raise


async def delete(api: ApiClient, path: str) -> None:
    """DELETE; a 404 means an earlier (retried or concurrent) delete already did it."""
    try:
        await api.request("DELETE", path)
    except NotFound:
        return
