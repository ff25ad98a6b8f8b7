"""The campaigns the benchmarks plan and apply: mixed kinds, realistic sizes, deterministic.

Campaign ``i`` is ColdSend when ``i % 3 == 0``, easymail when 1 and Inbox when 2. Each one is
a YAML document (written to its own file) and the vendor requests that create exactly that
campaign, so a set can be seeded straight through the vendor APIs and then planned: the plan
must come out empty. With ``leads``, each ColdSend campaign also refers to a small leads CSV
(seeded through the leads upload), so its plan reads the campaign and one page of its leads;
benchmark 4 measures a large leads delta apart.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.harness import KEY
from reconciler.providers.inbox.syntax import compile_steps, normalize_schedule

KINDS = ("coldsend", "easymail", "inbox")
COLDSEND_MOUNT = "/coldsend/api/public/v1"
EASYMAIL_MOUNT = "/easymail/api/v1"
INBOX_MOUNT = "/inbox/api/v1"

# Seed data of the sandbox (shared/api/sandbox.md): fixed ids.
COLDSEND_INBOXES = {
    "alex@outbound.example": "11111111-1111-4111-8111-000000000001",
    "sam@outbound.example": "11111111-1111-4111-8111-000000000002",
}
EASYMAIL_IDENTITY = ("news@brand.example", "22222222-2222-4222-8222-000000000001")
EASYMAIL_LIST = ("Customers", "22222222-2222-4222-8222-000000000011")
INBOX_LINK = ("founder_x", "acct0000000000000000000001")
INBOX_LISTS = {
    "SaaS founders": "list0000000000000000000001",
    "Do not contact": "list0000000000000000000003",
}


@dataclass(frozen=True)
class Request:
    """One vendor request; ``then`` marks a step that needs the id the first request returned."""

    method: str
    path: str  # ``{id}`` is replaced by the created campaign's id
    body: Mapping[str, Any] | None
    csv: str | None = None  # a multipart leads upload instead of a JSON body


@dataclass(frozen=True)
class Campaign:
    """One benchmark campaign: its YAML, and the vendor requests that create it."""

    index: int
    kind: str
    name: str
    yaml: str
    requests: tuple[Request, ...]
    files: tuple[tuple[str, str], ...] = ()  # (path next to the YAML file, text)

    @property
    def file_name(self) -> str:
        return f"{self.kind}/{self.index:05d}.yaml"

    @property
    def create_calls(self) -> int:
        """Requests an apply needs to create it: one per vendor request, in sequence."""
        return len(self.requests)


def campaigns(
    count: int,
    *,
    prefix: str = "[bench]",
    busy: bool = False,
    leads: bool = False,
    kinds: tuple[str, ...] = KINDS,
) -> list[Campaign]:
    """``count`` campaigns; ``busy`` adds lifecycles the sandbox keeps progressing.

    With ``busy``, a quarter of the easymail campaigns are scheduled and a quarter of the Inbox
    ones active. The sandbox re-runs its background model over every such campaign on every
    request of that vendor, which then costs more than the 50 ms latency: see RESULTS.md.
    ``leads`` gives each ColdSend campaign a leads CSV; ``kinds`` picks the vendors (in turn).
    """
    builders = {"coldsend": _coldsend, "easymail": _easymail, "inbox": _inbox}
    return [builders[kinds[i % len(kinds)]](i, prefix, busy, leads) for i in range(count)]


def write(repo: Path, items: Iterable[Campaign], folder: str = "campaigns") -> Path:
    base = repo / folder
    for campaign in items:
        path = base / campaign.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(campaign.yaml, encoding="utf-8")
        for name, text in campaign.files:
            (path.parent / name).parent.mkdir(parents=True, exist_ok=True)
            (path.parent / name).write_text(text, encoding="utf-8")
    return base


def _yaml(document: Mapping[str, Any]) -> str:
    """JSON is YAML: exact, quoted strings, no surprises from YAML's implicit typing."""
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in document.items())


# -- ColdSend ----------------------------------------------------------------------------------


LEADS_PER_CAMPAIGN = 3


def _leads_csv(i: int) -> str:
    rows = [
        f"lead{i}-{n}@prospect.example,Lead{n},Company {i % 97}" for n in range(LEADS_PER_CAMPAIGN)
    ]
    return "email,first_name,company\n" + "".join(f"{row}\n" for row in rows)


def _coldsend(i: int, prefix: str, busy: bool, leads: bool) -> Campaign:
    name = f"{prefix} cold outreach {i:05d}"
    settings = {
        "timezone": ("Europe/London", "America/New_York", "Asia/Tokyo")[i % 9 // 3],
        "sending_days": [1, 2, 3, 4, 5] if i % 2 else [2, 4],
        "sending_window_start": 8,
        "sending_window_start_minute": 30,
        "sending_window_end": 16,
        "daily_limit_per_inbox": 20 + i % 50,
        "enable_tracking": bool(i % 2),
    }
    inboxes = list(COLDSEND_INBOXES)[: 1 + i % 2]
    variants = [
        {
            "variant_name": "A",
            "subject_template": f'Quick question for {{{{company | default: "your team"}}}} #{i}',
            "email_content": (
                'Hi {{first_name | default: "there"}},\n\n'
                f"We help teams like yours ship onboarding twice as fast (note {i}).\n"
                "Worth a short call next week?\n"
            ),
            "distribution_percent": 50,
        },
        {
            "variant_name": "B",
            "subject_template": f'Onboarding at {{{{company | default: "your team"}}}} #{i}',
            "email_content": "Hi there,\n\nOne question about onboarding: how long does it take?\n",
            "distribution_percent": 50,
        },
    ]
    sequences = [
        {
            "step_number": 2,
            "trigger_type": "NOT_REPLIED",
            "wait_days": 3,
            "variants": [
                {
                    "variant_name": "A",
                    "subject_template": "Re: quick question",
                    "email_content": "Just bumping this up in case it got buried.\n",
                    "distribution_percent": 100,
                }
            ],
        }
    ]
    document: dict[str, Any] = {"kind": "coldsend/campaign", "account": "cold", "name": name}
    if i % 2:
        document["state"] = "draft"
    document |= {**settings, "inboxes": inboxes, "variants": variants, "sequences": sequences}
    configure = {
        "inbox_ids": [COLDSEND_INBOXES[email] for email in inboxes],
        "variants": variants,
        "sequences": sequences,
    }
    requests = [
        Request("POST", f"{COLDSEND_MOUNT}/campaigns", {"name": name, **settings}),
        Request("PUT", f"{COLDSEND_MOUNT}/campaigns/{{id}}", configure),
    ]
    files: tuple[tuple[str, str], ...] = ()
    if leads:
        csv_name = f"leads/{i:05d}.csv"
        document["leads"] = csv_name
        files = ((csv_name, _leads_csv(i)),)
        upload = Request("POST", f"{COLDSEND_MOUNT}/campaigns/{{id}}/leads", None, _leads_csv(i))
        requests.append(upload)
    return Campaign(i, "coldsend", name, _yaml(document), tuple(requests), files)


# -- easymail ----------------------------------------------------------------------------------


def _easymail(i: int, prefix: str, busy: bool, leads: bool) -> Campaign:
    name = f"{prefix} newsletter {i:05d}"
    content = (
        f"## Issue {i}\n\n"
        "What shipped this month, in **three** bullets:\n\n"
        "- faster imports\n- a new [API](https://brand.example/api)\n- your year in numbers\n\n"
        "> Reply to this email: a human reads every reply.\n"
    )
    fields = {
        "subject": f"What shipped in issue {i}",
        "preheader": "Faster imports, a new API and your year in numbers",
        "from_name": "Brand News",
        "reply_to": "support@brand.example",
    }
    document: dict[str, Any] = {"kind": "easymail/campaign", "account": "news", "name": name}
    scheduled = busy and i % 4 == 1
    if scheduled:
        document["state"] = "scheduled"
    elif i % 2:
        document["state"] = "draft"
    document |= {
        **fields,
        "from_identity": EASYMAIL_IDENTITY[0],
        "audience": {"list": EASYMAIL_LIST[0]},
        "content": content,
    }
    body = {
        "name": name,
        **fields,
        "from_identity": EASYMAIL_IDENTITY[1],
        "list_uuid": EASYMAIL_LIST[1],
        "content": content,
    }
    requests = [Request("POST", f"{EASYMAIL_MOUNT}/campaigns", body)]
    if scheduled:
        at = f"2031-{1 + i % 12:02d}-15T09:00:00Z"
        document["scheduled_at"] = at
        path = f"{EASYMAIL_MOUNT}/campaigns/{{id}}/schedule"
        requests.append(Request("POST", path, {"scheduled_at": at}))
    return Campaign(i, "easymail", name, _yaml(document), tuple(requests))


# -- Inbox -------------------------------------------------------------------------------------


def _inbox(i: int, prefix: str, busy: bool, leads: bool) -> Campaign:
    name = f"{prefix} founders DM {i:05d}"
    schedule = {"mon": "09:00-17:00", "wed": "09:00-17:00", "fri": "09:00-12:00"}
    sequence: list[dict[str, Any]] = [
        {"message": f"{{Hey|Hi}} {{{{first-name|there}}}}, saw your post #{i}. Curious?"},
        {"delay": "2d"},
        {"like_tweet": True},
        {"delay": "12h"},
        {"message": "No worries if not, {{first-name|friend}}."},
    ]
    document: dict[str, Any] = {"kind": "inbox/campaign", "account": "dm", "name": name}
    active = busy and i % 4 == 3
    document["state"] = "active" if active else "draft"
    document |= {
        "description": f"Warm intro number {i}",
        "timezone": "America/Los_Angeles",
        "account_links": [INBOX_LINK[0]],
        "messages_per_hour": 1 + i % 25,
        "schedule": schedule,
        "rules": {
            "include_lists": ["SaaS founders"],
            "exclude_lists": ["Do not contact"],
            "exclude_contacted": True,
            "exclude_mutuals": False,
        },
        "sequence": sequence,
    }
    create = {
        "name": name,
        "accountLinkIds": [INBOX_LINK[1]],
        "timezone": "America/Los_Angeles",
        "rules": {
            "syncedListIds": [INBOX_LISTS["SaaS founders"]],
            "excludedListIds": [INBOX_LISTS["Do not contact"]],
            "excludeContacted": True,
            "excludeMutuals": False,
        },
    }
    patch = {
        "description": f"Warm intro number {i}",
        "messagesPerHour": 1 + i % 25,
        "schedule": normalize_schedule(schedule),
    }
    path = f"{INBOX_MOUNT}/campaigns/v2"
    requests = [
        Request("POST", path, create),
        Request("PATCH", f"{path}/{{id}}", patch),
        Request("PUT", f"{path}/{{id}}/sequence", {"steps": compile_steps(sequence)}),
    ]
    if active:
        requests.append(Request("POST", f"{path}/{{id}}/enable", None))
    return Campaign(i, "inbox", name, _yaml(document), tuple(requests))


# -- seeding -----------------------------------------------------------------------------------


def _headers(path: str) -> dict[str, str]:
    if path.startswith(COLDSEND_MOUNT):
        return {"X-API-Key": KEY}
    return {"Authorization": f"Bearer {KEY}"}


def _created_id(path: str, body: Any) -> str:
    if path.startswith(COLDSEND_MOUNT):
        return str(body["campaign_id"])
    if path.startswith(EASYMAIL_MOUNT):
        return str(body["data"]["uuid"])
    return str(body["id"])


async def _seed_one(client: httpx.AsyncClient, campaign: Campaign) -> None:
    campaign_id = ""
    for request in campaign.requests:
        path = request.path.replace("{id}", campaign_id)
        if request.csv is not None:
            files = {"file": ("leads.csv", request.csv.encode(), "text/csv")}
            response = await client.post(path, files=files, headers=_headers(path))
        else:
            response = await client.request(
                request.method, path, json=request.body, headers=_headers(path)
            )
        if response.status_code >= 400:
            raise RuntimeError(
                f"seeding {campaign.name!r}: {request.method} {path} → "
                f"{response.status_code} {response.text[:300]}"
            )
        if not campaign_id:
            campaign_id = _created_id(path, response.json())


async def _seed(base_url: str, items: list[Campaign], concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0) as client:
        queue = iter(items)

        async def worker() -> None:
            for campaign in queue:
                await _seed_one(client, campaign)

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def seed(base_url: str, items: list[Campaign], *, concurrency: int = 8) -> None:
    """Create ``items`` through the vendor APIs directly (the caller sets latency to 0 first)."""
    asyncio.run(_seed(base_url, items, concurrency))


def edited(campaign: Campaign) -> Campaign:
    """The same campaign with one field changed: a plan of it is one update (one write)."""
    yaml = (
        campaign.yaml.replace("Quick question for", "A quick question for")
        .replace("What shipped in issue", "What we shipped in issue")
        .replace("Warm intro number", "Warmer intro number")
    )
    return Campaign(
        campaign.index, campaign.kind, campaign.name, yaml, campaign.requests, campaign.files
    )
