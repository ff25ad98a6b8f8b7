"""The ColdSend endpoints (shared/api/coldsend.md): one handler per row of the contract's table.

Status rules, messages and shapes follow the contract page; where it is silent this module
decides and says so in a comment. Campaign lists are newest first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.coldsend import leads, progress, store
from reconciler.sandbox.coldsend.fields import validate_create, validate_update, window_errors
from reconciler.sandbox.coldsend.validate import (
    NOT_FOUND,
    STATUSES,
    Errors,
    detail,
    enum_member,
    invalid,
    json_body,
    ok,
    page_of,
    page_query,
)
from reconciler.sandbox.store import iso_z
from reconciler.sandbox.vendor import SandboxContext

ACTIVE_CONTENT = "Campaign is ACTIVE: pause it to change variants or sequences"
COMPLETED_LOCKED = "Campaign is COMPLETED and cannot be modified"
DELETE_RULE = "Only DRAFT or PAUSED campaigns can be deleted"
# Not documented by the vendor; decided here (contract: "else 409").
LAUNCH_REFUSED = "Campaign is {status} and cannot be launched"
PAUSE_RULE = "Only ACTIVE campaigns can be paused"
ACTIVATE_RULE = "Only PAUSED campaigns can be activated"

RunStep = Callable[[dict[str, Any], datetime], None]  # progress.start_run or progress.stop_run


def routes(ctx: SandboxContext) -> list[BaseRoute]:
    """ColdSend's routes, relative to its mount."""
    return ColdSendApi(ctx).routes()


class ColdSendApi:
    """The endpoints, bound to the shared context."""

    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.db = ctx.db

    def routes(self) -> list[BaseRoute]:
        one = "/campaigns/{campaign_id}"
        return [
            Route("/campaigns", self.create, methods=["POST"]),
            Route("/campaigns", self.list_campaigns, methods=["GET"]),
            Route(one, self.get, methods=["GET"]),
            Route(one, self.update, methods=["PUT"]),
            Route(one, self.delete, methods=["DELETE"]),
            Route(one + "/pause", self.pause, methods=["POST"]),
            Route(one + "/activate", self.activate, methods=["POST"]),
            Route(one + "/leads", self.upload_leads, methods=["POST"]),
            Route(one + "/leads", self.list_leads, methods=["GET"]),
            Route(one + "/leads/upload/{job_id}", self.upload_status, methods=["GET"]),
            Route("/sender-accounts", self.sender_accounts, methods=["GET"]),
        ]

    def _campaign(self, request: Request) -> dict[str, Any] | None:
        return store.load(self.db, str(request.path_params["campaign_id"]))

    async def create(self, request: Request) -> Response:
        payload, errors = await json_body(request)
        settings, errors = (None, errors) if errors else validate_create(payload)
        if errors or settings is None:
            return invalid(errors)
        campaign = store.new_campaign(str(uuid.uuid4()), settings, self.ctx.now())
        store.insert(self.db, campaign)
        fields = ("campaign_id", "name", "status", "created_at")
        body = {"success": True, "message": "Campaign created successfully"}
        return ok({**body, **{key: campaign[key] for key in fields}}, 201)

    async def list_campaigns(self, request: Request) -> Response:
        errors = Errors()
        page, limit = page_query(request, errors, max_limit=100, default_limit=20)
        status = request.query_params.get("status")
        if status is not None:
            enum_member(errors, ("query", "status"), status, STATUSES)
        if errors:
            return invalid(errors)
        campaigns = store.load_all(self.db, status)
        search = request.query_params.get("search")
        if search:
            campaigns = [c for c in campaigns if search.lower() in c["name"].lower()]
        items = [store.list_item(c) for c in page_of(campaigns, page, limit)]
        pagination = store.pagination(page, limit, len(campaigns))
        return ok({"success": True, "campaigns": items, "pagination": pagination})

    async def get(self, request: Request) -> Response:
        campaign = self._campaign(request)
        if campaign is None:
            return detail(404, NOT_FOUND)
        return ok(store.campaign_view(campaign))

    async def update(self, request: Request) -> Response:
        payload, errors = await json_body(request)
        changes, errors = ({}, errors) if errors else validate_update(payload)
        if errors:
            return invalid(errors)
        campaign = self._campaign(request)
        if campaign is None:
            return detail(404, NOT_FOUND)
        refusal = _edit_refusal(campaign, changes)
        if refusal:
            return detail(409, refusal)
        errors = self._apply(campaign, changes)
        if errors:
            return invalid(errors)
        launch = changes.get("launch") is True
        message = self._maybe_launch(campaign) if launch else "Campaign updated successfully"
        return self._saved(campaign, message)

    def _apply(self, campaign: dict[str, Any], changes: dict[str, Any]) -> Errors:
        """Merge the sent fields; cross-field rules and inbox ids are checked on the result."""
        merged = {**campaign, **{k: v for k, v in changes.items() if k != "launch"}}
        errors = window_errors(merged)
        known = {a["inbox_id"] for a in store.sender_accounts(self.db)}
        for i, inbox_id in enumerate(changes.get("inbox_ids", [])):
            if inbox_id not in known:
                errors.add(
                    ("body", "inbox_ids", i), f"Sender account not found: {inbox_id}", "value_error"
                )
        if not errors:
            campaign.update(merged)
            campaign["updated_at"] = iso_z(self.ctx.now())
        return errors

    def _maybe_launch(self, campaign: dict[str, Any]) -> str:
        """DRAFT/FAILED → ACTIVE when ready; otherwise the campaign stays as it was."""
        if store.missing_requirements(campaign):
            return "Campaign is not ready to launch"
        now = self.ctx.now()
        campaign.update(status="ACTIVE", launched_at=iso_z(now), _run_elapsed=0.0)
        progress.start_run(campaign, now)
        return "Campaign launched successfully"

    def _saved(self, campaign: dict[str, Any], message: str) -> Response:
        store.save(self.db, campaign)
        view = store.campaign_view(campaign)
        keys = ("campaign_id", "name", "status", "is_launch_ready", "missing_requirements")
        body = {"success": True, "message": message, **{k: view[k] for k in keys}}
        return ok({**body, "updated_at": campaign["updated_at"]})

    def _campaign_in(
        self, request: Request, statuses: tuple[str, ...], refusal: str
    ) -> dict[str, Any] | Response:
        """The path's campaign if its status is one of ``statuses``, else the 404 or 409 answer."""
        campaign = self._campaign(request)
        if campaign is None:
            return detail(404, NOT_FOUND)
        if campaign["status"] not in statuses:
            return detail(409, refusal)
        return campaign

    def _switch(
        self, campaign: dict[str, Any], status: str, run: RunStep, message: str
    ) -> Response:
        """Start or stop the campaign's run now, give it ``status`` and answer as an update."""
        now = self.ctx.now()
        run(campaign, now)
        campaign.update(status=status, updated_at=iso_z(now))
        return self._saved(campaign, message)

    async def pause(self, request: Request) -> Response:
        campaign = self._campaign_in(request, ("ACTIVE",), PAUSE_RULE)
        if isinstance(campaign, Response):
            return campaign
        return self._switch(campaign, "PAUSED", progress.stop_run, "Campaign paused successfully")

    async def activate(self, request: Request) -> Response:
        """PAUSED → ACTIVE; a PAUSED campaign stripped of a requirement stays PAUSED (as launch)."""
        campaign = self._campaign_in(request, ("PAUSED",), ACTIVATE_RULE)
        if isinstance(campaign, Response):
            return campaign
        if store.missing_requirements(campaign):
            return self._saved(campaign, "Campaign is not ready to launch")
        message = "Campaign activated successfully"
        return self._switch(campaign, "ACTIVE", progress.start_run, message)

    async def delete(self, request: Request) -> Response:
        campaign = self._campaign_in(request, ("DRAFT", "PAUSED"), DELETE_RULE)
        if isinstance(campaign, Response):
            return campaign
        store.delete(self.db, campaign["campaign_id"])
        return Response(status_code=204)

    async def upload_leads(self, request: Request) -> Response:
        body = await request.body()
        parts = leads.form_parts(request.headers.get("content-type", ""), body)
        if "file" not in parts:
            errors = Errors()
            errors.add(("body", "file"), "field required", "value_error.missing")
            return invalid(errors)
        campaign = self._campaign(request)
        if campaign is None:
            return detail(404, NOT_FOUND)
        if campaign["status"] == "COMPLETED":
            return detail(409, "Leads cannot be uploaded to a COMPLETED campaign")
        try:
            rows = leads.read_csv(parts["file"], leads.parse_mapping(parts.get("mapping")))
        except leads.UploadError as refused:
            if isinstance(refused.detail, str):
                return detail(refused.status, refused.detail)
            return invalid(refused.detail)
        job_id = leads.create_job(self.db, campaign["campaign_id"], rows, self.ctx.now())
        return ok({"success": True, "job_id": job_id, "status": "PENDING"}, 202)

    async def upload_status(self, request: Request) -> Response:
        campaign_id, job_id = (
            str(request.path_params["campaign_id"]),
            str(request.path_params["job_id"]),
        )
        job = leads.load_job(self.db, campaign_id, job_id)
        if job is None:
            return detail(404, "Upload job not found")
        return ok(leads.job_view(job))

    async def list_leads(self, request: Request) -> Response:
        errors = Errors()
        page, limit = page_query(request, errors, max_limit=1000, default_limit=100)
        if errors:
            return invalid(errors)
        campaign = self._campaign(request)
        if campaign is None:
            return detail(404, NOT_FOUND)
        rows = leads.list_leads(self.db, campaign["campaign_id"])
        pagination = store.pagination(page, limit, len(rows))
        return ok({"success": True, "leads": page_of(rows, page, limit), "pagination": pagination})

    async def sender_accounts(self, request: Request) -> Response:
        errors = Errors()
        page, limit = page_query(request, errors, max_limit=100, default_limit=20)
        if errors:
            return invalid(errors)
        accounts = store.sender_accounts(self.db)
        pagination = store.pagination(page, limit, len(accounts))
        body = {"success": True, "sender_accounts": page_of(accounts, page, limit)}
        return ok({**body, "pagination": pagination})


def _edit_refusal(campaign: dict[str, Any], changes: dict[str, Any]) -> str | None:
    """The 409 text when the campaign's status forbids these changes."""
    status = campaign["status"]
    if status == "COMPLETED":
        return COMPLETED_LOCKED
    if changes.get("launch") is True and status in ("ACTIVE", "PAUSED"):
        return LAUNCH_REFUSED.format(status=status)
    if status == "ACTIVE" and ("variants" in changes or "sequences" in changes):
        return ACTIVE_CONTENT
    return None
