"""The easymail endpoints (shared/api/easymail.md): one handler per row of the contract's table.

Checks run in a fixed order: unknown campaign (404), body validation (422), a transition still
being processed (409 ``CAMPAIGN_TRANSITION_IN_PROGRESS``), the status rule (409), readiness
(422 ``CAMPAIGN_NOT_READY``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.easymail import progress, store
from reconciler.sandbox.easymail import validate as check
from reconciler.sandbox.easymail.markdown import flatten_markdown, render_html
from reconciler.sandbox.easymail.model import Campaign
from reconciler.sandbox.easymail.validate import ApiError, error_response
from reconciler.sandbox.store import OutboxEntry, iso_z
from reconciler.sandbox.vendor import SandboxContext

Handler = Callable[[Request], Awaitable[Response]]
EDITABLE = ("draft", "scheduled", "failed")
DELETABLE = ("draft", "sent", "failed", "canceled")
SENDABLE = ("draft", "failed", "scheduled")
CANCELABLE = ("queued", "sending")
_TESTABLE = ("sender_email", "subject", "content")
_LAYOUTS = ("styled", "multi-column")


def _answering(handler: Handler) -> Handler:
    """Turn an ApiError raised anywhere in ``handler`` into the vendor's error body."""

    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.details)

    return wrapped


class EasymailApi:
    """The handlers over one sandbox context; ``monotonic`` and ``window`` gate transitions."""

    def __init__(
        self, ctx: SandboxContext, *, monotonic: Callable[[], float], window: float
    ) -> None:
        self.ctx, self.db, self.monotonic, self.window = ctx, ctx.db, monotonic, window

    def routes(self) -> list[BaseRoute]:
        one = "/campaigns/{uuid}"
        table: Sequence[tuple[str, Handler, str]] = [
            ("/campaigns", self.list_campaigns, "GET"),
            ("/campaigns", self.create, "POST"),
            (one, self.get, "GET"),
            (one, self.patch, "PATCH"),
            (one, self.delete, "DELETE"),
            (one + "/send", self.send, "POST"),
            (one + "/schedule", self.schedule, "POST"),
            (one + "/unschedule", self.unschedule, "POST"),
            (one + "/cancel", self.cancel, "POST"),
            (one + "/test", self.test, "POST"),
            ("/sender-identities", self.identities, "GET"),
            ("/lists", self.lists, "GET"),
            ("/segments", self.segments, "GET"),
        ]
        return [Route(path, _answering(fn), methods=[method]) for path, fn, method in table]

    def admin_routes(self) -> list[BaseRoute]:
        edit = _answering(self.dashboard_edit)
        return [Route("/campaigns/{uuid}/dashboard-edit", edit, methods=["POST"])]

    # -- helpers ---------------------------------------------------------------------------

    def _now(self) -> float:
        return self.ctx.now().timestamp()

    def _campaign(self, request: Request) -> Campaign:
        found = store.load(self.db, request.path_params["uuid"])
        if found is None:
            raise ApiError(404, "RESOURCE_NOT_FOUND", "Campaign not found.")
        return found

    def _one(self, campaign: Campaign, status: int = 200) -> JSONResponse:
        return JSONResponse({"data": store.render(self.db, campaign)}, status_code=status)

    async def _body(self, request: Request, *, required: bool) -> dict[str, Any]:
        return check.parse_json_object(await request.body(), required=required)

    def _require(self, campaign: Campaign, allowed: tuple[str, ...], code: str) -> None:
        if campaign.status not in allowed:
            message = f"The campaign is {campaign.status}; this needs one of: {', '.join(allowed)}."
            raise ApiError(409, code, message)

    def _begin_transition(self, campaign: Campaign) -> None:
        """409 while the campaign's previous transition is still "being processed"."""
        last = campaign.transition_mono
        if last is not None and 0 <= self.monotonic() - last < self.window:
            message = "Another transition of this campaign is being processed; retry shortly."
            raise ApiError(409, "CAMPAIGN_TRANSITION_IN_PROGRESS", message)

    def _finish_transition(self, campaign: Campaign, status: str) -> JSONResponse:
        campaign.status, campaign.updated_at = status, self._now()
        campaign.transition_mono = self.monotonic()
        store.save(self.db, campaign)
        return self._one(campaign)

    def _require_ready(self, campaign: Campaign) -> None:
        missing = store.missing(self.db, campaign)
        if missing:
            message = "The campaign is not ready to send."
            raise ApiError(422, "CAMPAIGN_NOT_READY", message, {"missing": missing})

    # -- campaigns -------------------------------------------------------------------------

    async def list_campaigns(self, request: Request) -> Response:
        page, per_page, search, status, sort = check.campaign_query(request.query_params)
        found = list(store.load_all(self.db, (status,) if status else ()))
        if search:
            found = [c for c in found if search.casefold() in c.name.casefold()]
        found = _sorted(found, sort)
        items = [store.condense(c) for c in found[(page - 1) * per_page : page * per_page]]
        return _page(items, page, per_page, len(found))

    async def create(self, request: Request) -> Response:
        fields = check.campaign_fields(
            self.db, await self._body(request, required=True), create=True
        )
        now = self._now()
        campaign = Campaign(
            uuid=str(uuid.uuid4()), name="", created_at=now, updated_at=now, last_updated_at=now
        )
        _apply(campaign, fields)
        store.save(self.db, campaign)
        return self._one(campaign, 201)

    async def get(self, request: Request) -> Response:
        return self._one(self._campaign(request))

    async def patch(self, request: Request) -> Response:
        campaign = self._campaign(request)
        body = await self._body(request, required=True)
        fields = check.campaign_fields(self.db, body, create=False)
        self._require(campaign, EDITABLE, "CAMPAIGN_NOT_EDITABLE")
        overwriting = fields.get("overwrite") is True
        if "content" in fields and campaign.content_overwrite_required and not overwriting:
            message = "The body carries formatting Markdown can't hold; send overwrite: true."
            raise ApiError(409, "CONTENT_OVERWRITE_REQUIRED", message)
        before = asdict(campaign)
        _apply(campaign, fields)
        if asdict(campaign) != before:  # a PATCH that changes nothing leaves the stamps alone
            campaign.updated_at = campaign.last_updated_at = self._now()
            store.save(self.db, campaign)
        return self._one(campaign)

    async def delete(self, request: Request) -> Response:
        campaign = self._campaign(request)
        self._require(campaign, DELETABLE, "CAMPAIGN_NOT_DELETABLE")
        store.delete(self.db, campaign.uuid)
        return Response(status_code=204)

    # -- transitions -----------------------------------------------------------------------

    async def send(self, request: Request) -> Response:
        campaign = self._campaign(request)
        self._begin_transition(campaign)
        self._require(campaign, SENDABLE, "CAMPAIGN_NOT_SENDABLE")
        self._require_ready(campaign)
        progress.queue(self.db, campaign, self._now())
        campaign.scheduled_at = None  # sent now, not at the time it was scheduled for
        return self._finish_transition(campaign, "queued")

    async def schedule(self, request: Request) -> Response:
        campaign = self._campaign(request)
        at = check.scheduled_at(await self._body(request, required=True), self._now())
        self._begin_transition(campaign)
        self._require(campaign, SENDABLE, "CAMPAIGN_NOT_SENDABLE")
        self._require_ready(campaign)
        campaign.scheduled_at = at
        return self._finish_transition(campaign, "scheduled")

    async def unschedule(self, request: Request) -> Response:
        campaign = self._campaign(request)
        self._begin_transition(campaign)
        self._require(campaign, ("scheduled",), "CAMPAIGN_NOT_UNSCHEDULABLE")
        campaign.scheduled_at = None
        return self._finish_transition(campaign, "draft")

    async def cancel(self, request: Request) -> Response:
        campaign = self._campaign(request)
        self._begin_transition(campaign)
        self._require(campaign, CANCELABLE, "CAMPAIGN_NOT_CANCELABLE")
        return self._finish_transition(campaign, "canceled")

    async def test(self, request: Request) -> Response:
        """A preview to one address: any status, needs only subject, body and sender.

        The email lands in the sandbox's outbox; the campaign itself is left as it was.
        """
        campaign = self._campaign(request)
        to = check.recipient_email(await self._body(request, required=True))
        missing = [m for m in store.missing(self.db, campaign) if m in _TESTABLE]
        if missing:
            message = "A test needs a subject, a body and a sender identity."
            raise ApiError(422, "CAMPAIGN_NOT_TESTABLE", message, {"missing": missing})
        self.ctx.outbox.record(self._test_email(campaign, to))
        return JSONResponse({"data": {"sent": True}})

    def _test_email(self, campaign: Campaign, to: str) -> OutboxEntry:
        """What a test send delivers: the stored body, and its HTML (null for a multi-column
        dashboard layout, which has no Markdown form)."""
        sender = store.identity(self.db, campaign.from_identity)
        body = campaign.content
        return OutboxEntry(
            vendor="easymail",
            campaign_id=campaign.uuid,
            to=to,
            from_name=campaign.from_name,
            from_email=None if sender is None else sender[0],
            subject=campaign.subject,
            preheader=campaign.preheader,
            markdown=body,
            html=None if body is None else render_html(body),
            at=iso_z(self.ctx.now()),
        )

    # -- account resources -----------------------------------------------------------------

    async def identities(self, request: Request) -> Response:
        keys = ("uuid", "email", "from_name", "reply_to")
        items = [{k: row[k] for k in keys} for row in store.rows(self.db, "em_identities")]
        return _paged(request, items)

    async def lists(self, request: Request) -> Response:
        items = [
            {**row, "is_public": bool(row["is_public"])} for row in store.rows(self.db, "em_lists")
        ]
        return _paged(request, items)

    async def segments(self, request: Request) -> Response:
        return _paged(request, store.rows(self.db, "em_segments"))

    # -- admin -----------------------------------------------------------------------------

    async def dashboard_edit(self, request: Request) -> Response:
        """As if someone styled the body in the vendor's dashboard (shared/api/sandbox.md)."""
        campaign = self._campaign(request)
        layout = (await self._body(request, required=True)).get("layout")
        if layout not in _LAYOUTS:
            raise check.invalid({"layout": ["The layout field must be styled or multi-column."]})
        campaign.layout, campaign.content_overwrite_required = layout, True
        if layout == "multi-column":
            campaign.content, campaign.content_editable_via_api = None, False
        campaign.updated_at = campaign.last_updated_at = self._now()
        store.save(self.db, campaign)
        return self._one(campaign)


def _apply(campaign: Campaign, fields: Mapping[str, Any]) -> None:
    """Write validated fields; content is stored flattened and replaces any dashboard body."""
    for field, value in fields.items():
        if field == "overwrite":
            continue
        if field == "content":
            campaign.content = None if value is None else flatten_markdown(value)
            campaign.layout = None
            campaign.content_editable_via_api, campaign.content_overwrite_required = True, False
            continue
        setattr(campaign, field, value)


def _sorted(campaigns: list[Campaign], sort: str) -> list[Campaign]:
    """Sorted by ``sort``; ties keep creation order (newest first when descending)."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    ordered = list(reversed(campaigns)) if descending else campaigns

    def value(campaign: Campaign) -> Any:
        return campaign.name.casefold() if key == "name" else int(getattr(campaign, key))

    return sorted(ordered, key=value, reverse=descending)


def _page(items: list[dict[str, Any]], page: int, per_page: int, total: int) -> JSONResponse:
    pagination = {"current_page": page, "per_page": per_page, "total": total}
    return JSONResponse({"data": items, "pagination": pagination})


def _paged(request: Request, items: list[dict[str, Any]]) -> JSONResponse:
    page, per_page = check.page_query(request.query_params)
    return _page(items[(page - 1) * per_page : page * per_page], page, per_page, len(items))
