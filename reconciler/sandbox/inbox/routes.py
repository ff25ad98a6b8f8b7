"""The Inbox endpoints (shared/api/inbox.md): one handler function per row, and their routes.

Handlers are ``async`` and do all their SQLite work without awaiting in between, so that
each request reads and writes the shared connection atomically on the event loop. Check
order: 404 (unknown campaign), then 409 (completed campaign), then the body (422), then
state rules that depend on the body (409).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.inbox import store
from reconciler.sandbox.inbox.model import (
    JSON,
    empty_rules,
    iso,
    new_campaign,
    new_id,
    parse_iso,
    render,
)
from reconciler.sandbox.inbox.progress import instant, refresh, settle_at
from reconciler.sandbox.inbox.steps import build_sequence, check_sequence
from reconciler.sandbox.inbox.validate import (
    InboxError,
    Problems,
    check_create,
    check_patch,
    check_rules,
    error_response,
    read_json,
)
from reconciler.sandbox.vendor import SandboxContext

Handler = Callable[[Request, SandboxContext], Awaitable[Response]]
DEFAULT_LIMIT, MAX_LIMIT = 50, 100


def _campaign(ctx: SandboxContext, row: store.Row, status: int = 200) -> Response:
    return JSONResponse(render(row.doc, store.list_names(ctx.db)), status_code=status)


def _for_change(ctx: SandboxContext, request: Request) -> store.Row:
    """The campaign a request is about to change, its background model brought up to date."""
    row = store.get(ctx.db, request.path_params["id"])
    refresh(ctx.db, row)
    return row


def _not_completed(row: store.Row) -> None:
    if row.doc["status"] == "completed":
        raise InboxError(409, "A completed campaign cannot be changed")


def _save(ctx: SandboxContext, row: store.Row, before: JSON, now: datetime) -> None:
    """Store the row; ``updatedAt`` moves only when the campaign really changed."""
    if row.doc != before:
        row.doc["updatedAt"] = iso(now)
    store.save(ctx.db, row)


def _snapshot(row: store.Row) -> JSON:
    return dict(json.loads(json.dumps(row.doc)))


# --- campaigns -------------------------------------------------------------------------------


async def create_campaign(request: Request, ctx: SandboxContext) -> Response:
    body = await read_json(request)
    db, now = ctx.db, ctx.now()
    clean = check_create(body, store.account_link_ids(db), store.list_names(db))
    row = store.Row(new_campaign(new_id(now), now))
    row.doc.update(name=clean["name"], accountLinkIds=clean["accountLinkIds"])
    row.doc["timezone"] = clean.get("timezone", "UTC")
    if "rules" in clean:
        _apply_rules(ctx, row, clean["rules"], now)
    store.insert(db, row)
    return _campaign(ctx, row, 201)


async def list_campaigns(request: Request, ctx: SandboxContext) -> Response:
    limit, after = _page_query(dict(request.query_params))
    docs = store.page(ctx.db, limit + 1, after)
    names = store.list_names(ctx.db)
    data = [render(doc, names) for doc in docs[:limit]]
    cursor = None
    if len(docs) > limit:
        cursor = {"id": docs[limit - 1]["id"], "timestamp": docs[limit - 1]["createdAt"]}
    return JSONResponse({"data": data, "nextCursor": cursor})


def _page_query(query: dict[str, str]) -> tuple[int, tuple[str, str] | None]:
    """``limit`` (1–100, default 50) and the cursor (``cursorId`` and ``cursorTimestamp``)."""
    problems = Problems()
    limit, after = DEFAULT_LIMIT, None
    if "limit" in query:
        text = query["limit"]
        if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_LIMIT:
            limit = int(text)
        else:
            problems.add("limit", "Expected an integer from 1 to 100")
    cursor_id, stamp = query.get("cursorId"), query.get("cursorTimestamp")
    if (cursor_id is None) != (stamp is None):
        missing = "cursorTimestamp" if stamp is None else "cursorId"
        problems.add(missing, "cursorId and cursorTimestamp go together")
    elif cursor_id is not None and stamp is not None:
        try:
            after = (iso(parse_iso(stamp)), cursor_id)
        except (ValueError, OverflowError):
            problems.add("cursorTimestamp", "Expected an ISO 8601 timestamp")
    problems.raise_if_any()
    return limit, after


async def get_campaign(request: Request, ctx: SandboxContext) -> Response:
    return _campaign(ctx, store.get(ctx.db, request.path_params["id"]))


async def patch_campaign(request: Request, ctx: SandboxContext) -> Response:
    row = _for_change(ctx, request)
    _not_completed(row)
    clean = check_patch(await read_json(request), store.account_link_ids(ctx.db))
    if row.doc["status"] == "active" and clean.get("accountLinkIds") == []:
        raise InboxError(409, "An active campaign needs at least one account link")
    before, now = _snapshot(row), ctx.now()
    if "automations" in clean:
        clean["automations"] = [
            {**item, "enabled": item.get("enabled", True)} for item in clean["automations"]
        ]
    old_links = set(row.doc["accountLinkIds"])
    row.doc.update(clean)
    if set(row.doc["accountLinkIds"]) != old_links:
        row.doc["rebalancing"], row.sim.rebalance_until = True, settle_at(now)
    _save(ctx, row, before, now)
    return _campaign(ctx, row)


async def delete_campaign(request: Request, ctx: SandboxContext) -> Response:
    row = store.get(ctx.db, request.path_params["id"])
    if row.doc["status"] not in ("draft", "paused", "completed"):
        raise InboxError(409, "Only a draft, paused or completed campaign can be deleted")
    store.delete(ctx.db, row.doc["id"])
    return Response(status_code=204)


# --- rules and sequence ----------------------------------------------------------------------


async def patch_rules(request: Request, ctx: SandboxContext) -> Response:
    row = _for_change(ctx, request)
    _not_completed(row)
    clean = check_rules(await read_json(request), store.list_names(ctx.db))
    before, now = _snapshot(row), ctx.now()
    _apply_rules(ctx, row, clean, now)
    _save(ctx, row, before, now)
    return JSONResponse({"success": True})


def _apply_rules(ctx: SandboxContext, row: store.Row, update: JSON, now: datetime) -> None:
    """Merge a rules update (omitted keeps, ``[]`` clears); a real change starts a lead sync."""
    rules = dict(empty_rules(), **row.doc["rules"])
    merged = dict(rules, **update)
    if merged == rules:
        return
    row.doc["rules"] = merged
    row.doc["targetsCount"] = targets_count(merged, store.list_counts(ctx.db))
    row.doc["syncingLeads"], row.sim.sync_until = True, settle_at(now)


def targets_count(rules: JSON, counts: dict[str, int]) -> int:
    """Leads in scope: the seed lists carry counts only, not members, so the union of synced
    lists minus the excluded ones is approximated by a sum minus a sum, floored at 0."""
    synced = sum(counts[list_id] for list_id in rules["syncedListIds"])
    excluded = sum(counts[list_id] for list_id in rules["excludedListIds"])
    return max(0, synced - excluded)


async def put_sequence(request: Request, ctx: SandboxContext) -> Response:
    row = _for_change(ctx, request)
    _not_completed(row)
    steps = check_sequence(await read_json(request))
    if row.doc["status"] == "active" and not steps:
        raise InboxError(409, "An active campaign's sequence cannot be emptied")
    before, now = _snapshot(row), ctx.now()
    row.doc["sequence"] = build_sequence(steps, row.doc["sequence"]["version"] + 1, now)
    _save(ctx, row, before, now)
    return JSONResponse(row.doc["sequence"])


# --- lifecycle -------------------------------------------------------------------------------


async def enable_campaign(request: Request, ctx: SandboxContext) -> Response:
    row = _for_change(ctx, request)
    doc = row.doc
    if doc["status"] not in ("draft", "paused"):
        raise InboxError(409, f"A {doc['status']} campaign cannot be enabled")
    problems = Problems()
    if not doc["sequence"]["steps"]:
        problems.add("sequence.steps", "The campaign has no sequence steps")
    if not doc["accountLinkIds"]:
        problems.add("accountLinkIds", "The campaign has no account links")
    problems.raise_if_any()
    before, now = _snapshot(row), ctx.now()
    doc.update(status="active", enabled=True, startedAt=iso(now))
    row.sim.progress_at = instant(now)
    _save(ctx, row, before, now)
    return _campaign(ctx, row)


async def disable_campaign(request: Request, ctx: SandboxContext) -> Response:
    row = _for_change(ctx, request)
    if row.doc["status"] != "active":
        raise InboxError(409, f"A {row.doc['status']} campaign cannot be disabled")
    before, now = _snapshot(row), ctx.now()
    row.doc.update(status="paused", enabled=False, pausedAt=iso(now))
    row.sim.progress_at, row.sim.credit = None, 0.0
    _save(ctx, row, before, now)
    return _campaign(ctx, row)


# --- team resources --------------------------------------------------------------------------


async def list_account_links(request: Request, ctx: SandboxContext) -> Response:
    return JSONResponse(store.account_links(ctx.db))


async def list_lists(request: Request, ctx: SandboxContext) -> Response:
    return JSONResponse(store.lead_lists(ctx.db))


# --- routing -----------------------------------------------------------------------------------

#: path (relative to the mount) → method → handler; the core answers a known path with an
#: unknown method with ``error(405, ...)``.
ROUTES: dict[str, dict[str, Handler]] = {
    "/campaigns/v2": {"POST": create_campaign, "GET": list_campaigns},
    "/campaigns/v2/{id}": {
        "GET": get_campaign,
        "PATCH": patch_campaign,
        "DELETE": delete_campaign,
    },
    "/campaigns/v2/{id}/rules": {"PATCH": patch_rules},
    "/campaigns/v2/{id}/sequence": {"PUT": put_sequence},
    "/campaigns/v2/{id}/enable": {"POST": enable_campaign},
    "/campaigns/v2/{id}/disable": {"POST": disable_campaign},
    "/account-links": {"GET": list_account_links},
    "/lists": {"GET": list_lists},
}


def routes(ctx: SandboxContext) -> list[BaseRoute]:
    """Inbox's routes, relative to its mount: one per path, dispatching on the method."""
    return [
        Route(path, _endpoint(methods, ctx), methods=list(methods))
        for path, methods in ROUTES.items()
    ]


def _endpoint(methods: Mapping[str, Handler], ctx: SandboxContext) -> Callable[..., Any]:
    """One Starlette endpoint for a path: dispatch on method, turn ``InboxError`` into a body."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is None:
            allow = {"Allow": ", ".join(methods)}
            return error_response(405, f"Method {request.method} not allowed", headers=allow)
        try:
            return await handler(request, ctx)
        except InboxError as problem:
            return error_response(problem.status, problem.message, details=problem.details)

    return endpoint
