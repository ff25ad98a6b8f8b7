"""ColdSend campaigns against shared/api/coldsend.md: create, list, get, update validation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from coldsend_helpers import (
    INBOX1,
    INBOX2,
    STEP,
    VARIANT,
    TestClient,
    create,
    detail,
    messages,
)

NOBODY = "9b2f0f55-0000-4000-8000-000000000000"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CAMPAIGN_KEYS = {
    "campaign_id", "name", "status", "timezone", "sending_days", "sending_window_start",
    "sending_window_start_minute", "sending_window_end", "sending_window_end_minute",
    "daily_limit_per_inbox", "start_date", "enable_tracking", "enable_unsubscribe", "inbox_ids",
    "variants", "sequences", "total_leads", "sent_count", "reply_count", "open_count",
    "bounce_count", "unsubscribe_count", "is_launch_ready", "missing_requirements",
    "created_at", "updated_at", "launched_at",
}  # fmt: skip
ENUM_MSG = (
    "value is not a valid enumeration member; "
    "permitted: 'NOT_OPENED', 'NOT_REPLIED', 'OPENED_BUT_NOT_REPLIED'"
)
UPDATE_KEYS = {
    "success", "message", "campaign_id", "name", "status", "is_launch_ready",
    "missing_requirements", "updated_at",
}  # fmt: skip


def test_create_answers_201_with_a_draft(cold: TestClient) -> None:
    response = cold.post("/campaigns", json={"name": "Product launch outreach"})
    body = response.json()
    assert response.status_code == 201
    assert set(body) == {"success", "message", "campaign_id", "name", "status", "created_at"}
    assert body["status"] == "DRAFT" and body["success"] is True
    assert STAMP.match(body["created_at"])


def test_created_campaign_has_the_exact_keys_and_defaults(cold: TestClient) -> None:
    campaign = cold.get(f"/campaigns/{create(cold)}").json()
    assert set(campaign) == CAMPAIGN_KEYS
    assert campaign["timezone"] == "America/New_York"
    assert campaign["sending_days"] == [1, 2, 3, 4, 5]
    assert (campaign["sending_window_start"], campaign["sending_window_end"]) == (9, 17)
    assert campaign["daily_limit_per_inbox"] is None and campaign["start_date"] is None
    assert campaign["enable_tracking"] is False and campaign["enable_unsubscribe"] is True
    assert campaign["missing_requirements"] == ["leads", "inboxes", "variants"]
    assert campaign["is_launch_ready"] is False and campaign["launched_at"] is None


def test_sending_days_come_back_sorted_and_start_date_in_utc(cold: TestClient) -> None:
    campaign_id = create(cold, sending_days=[5, 1, 3], start_date="2030-01-02T10:00:00+02:00")
    campaign = cold.get(f"/campaigns/{campaign_id}").json()
    assert campaign["sending_days"] == [1, 3, 5]
    assert campaign["start_date"] == "2030-01-02T08:00:00Z"


@pytest.mark.parametrize(
    ("fields", "loc", "msg"),
    [
        ({"name": "short"}, ("body", "name"), "ensure this value has at least 8 characters"),
        ({"name": "x" * 256}, ("body", "name"), "ensure this value has at most 255 characters"),
        (
            {"timezone": "America/Invalid"},
            ("body", "timezone"),
            "Invalid timezone: America/Invalid",
        ),
        (
            {"sending_window_start": 17, "sending_window_end": 9},
            ("body", "sending_window_end"),
            "sending_window_end must be after sending_window_start",
        ),
        (
            {
                "sending_window_start": 9,
                "sending_window_start_minute": 30,
                "sending_window_end": 9,
                "sending_window_end_minute": 30,
            },
            ("body", "sending_window_end"),
            "sending_window_end must be after sending_window_start",
        ),
        (
            {"sending_window_end": 24, "sending_window_end_minute": 5},
            ("body", "sending_window_end_minute"),
            "sending_window_end_minute must be 0 when sending_window_end is 24",
        ),
        ({"sending_days": []}, ("body", "sending_days"), "ensure this value has at least 1 items"),
        (
            {"sending_days": [1, 8]},
            ("body", "sending_days", 1),
            "ensure this value is less than or equal to 7",
        ),
        (
            {"sending_days": [1, 1]},
            ("body", "sending_days"),
            "sending_days must not contain duplicates",
        ),
        (
            {"sending_window_start": 24},
            ("body", "sending_window_start"),
            "ensure this value is less than or equal to 23",
        ),
        (
            {"sending_window_end": 0},
            ("body", "sending_window_end"),
            "ensure this value is greater than or equal to 1",
        ),
        (
            {"daily_limit_per_inbox": 101},
            ("body", "daily_limit_per_inbox"),
            "ensure this value is less than or equal to 100",
        ),
        (
            {"daily_limit_per_inbox": "5"},
            ("body", "daily_limit_per_inbox"),
            "value is not a valid integer",
        ),
        ({"start_date": "soon"}, ("body", "start_date"), "invalid datetime format"),
        (
            {"enable_tracking": "yes"},
            ("body", "enable_tracking"),
            "value could not be parsed to a boolean",
        ),
        ({"timezone": None}, ("body", "timezone"), "none is not an allowed value"),
    ],
)
def test_create_validation_errors(
    cold: TestClient, fields: dict[str, Any], loc: tuple[Any, ...], msg: str
) -> None:
    response = cold.post("/campaigns", json={"name": "Product launch outreach", **fields})
    assert messages(response) == [(loc, msg)]


def test_create_without_name_and_with_a_bad_body(cold: TestClient) -> None:
    assert messages(cold.post("/campaigns", json={})) == [(("body", "name"), "field required")]
    assert messages(cold.post("/campaigns", json=[1]))[0] == (
        ("body",),
        "value is not a valid dict",
    )
    broken = cold.post("/campaigns", content=b"{", headers={"content-type": "application/json"})
    assert detail(broken)[0]["type"] == "value_error.jsondecode"
    assert messages(cold.post("/campaigns")) == [(("body",), "field required")]


def test_create_collects_every_error(cold: TestClient) -> None:
    response = cold.post("/campaigns", json={"name": "short", "timezone": "Nowhere/City"})
    assert [loc for loc, _ in messages(response)] == [("body", "name"), ("body", "timezone")]


def test_list_paginates_and_filters(cold: TestClient) -> None:
    for n in range(3):
        create(cold, name=f"Spring outreach {n}")
    create(cold, name="Autumn newsletter")
    page = cold.get("/campaigns", params={"limit": 2, "page": 2}).json()
    assert page["pagination"] == {
        "page": 2, "limit": 2, "total": 4, "pages": 2, "has_next": False, "has_prev": True
    }  # fmt: skip
    assert len(page["campaigns"]) == 2 and page["success"] is True
    found = cold.get("/campaigns", params={"search": "SPRING"}).json()
    assert sorted(c["name"] for c in found["campaigns"]) == [
        f"Spring outreach {n}" for n in range(3)
    ]
    assert cold.get("/campaigns", params={"status": "ACTIVE"}).json()["campaigns"] == []
    item = found["campaigns"][0]
    assert set(item) == {
        "campaign_id", "name", "status", "created_at", "launched_at", "total_leads",
        "sent_count", "reply_count", "open_count", "bounce_count", "unsubscribe_count",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"limit": 101}, ("query", "limit")),
        ({"limit": 0}, ("query", "limit")),
        ({"page": 0}, ("query", "page")),
        ({"page": "x"}, ("query", "page")),
        ({"status": "RUNNING"}, ("query", "status")),
    ],
)
def test_list_rejects_bad_queries(
    cold: TestClient, params: dict[str, Any], loc: tuple[str, ...]
) -> None:
    assert [found for found, _ in messages(cold.get("/campaigns", params=params))] == [loc]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/pause"), ("POST", "/activate"),
        ("GET", "/leads"),
    ],
)  # fmt: skip
def test_unknown_campaign_is_404(cold: TestClient, method: str, path: str) -> None:
    kwargs: dict[str, Any] = {"json": {}} if method == "PUT" else {}
    response = cold.request(
        method, f"/campaigns/9b2f0f55-0000-4000-8000-000000000000{path}", **kwargs
    )
    assert (response.status_code, detail(response)) == (404, "Campaign not found")


def test_put_is_a_partial_update(cold: TestClient) -> None:
    campaign_id = create(cold, timezone="Europe/Berlin")
    response = cold.put(f"/campaigns/{campaign_id}", json={"name": "Renamed outreach"})
    assert set(response.json()) == UPDATE_KEYS and response.json()["status"] == "DRAFT"
    campaign = cold.get(f"/campaigns/{campaign_id}").json()
    assert (campaign["name"], campaign["timezone"]) == ("Renamed outreach", "Europe/Berlin")


def test_put_window_is_checked_against_the_merged_campaign(cold: TestClient) -> None:
    campaign_id = create(cold)
    response = cold.put(f"/campaigns/{campaign_id}", json={"sending_window_end": 8})
    assert messages(response) == [
        (("body", "sending_window_end"), "sending_window_end must be after sending_window_start")
    ]


def test_variants_are_upper_cased_and_lists_replace(cold: TestClient) -> None:
    campaign_id = create(cold)
    half = {**VARIANT, "distribution_percent": 50}
    body = {"variants": [half, {**half, "variant_name": "b"}], "inbox_ids": [INBOX1, INBOX2]}
    assert cold.put(f"/campaigns/{campaign_id}", json=body).status_code == 200
    cold.put(f"/campaigns/{campaign_id}", json={"inbox_ids": [INBOX2]})
    campaign = cold.get(f"/campaigns/{campaign_id}").json()
    assert [v["variant_name"] for v in campaign["variants"]] == ["A", "B"]
    assert campaign["inbox_ids"] == [INBOX2]
    assert campaign["missing_requirements"] == ["leads"]


def _variants(*percents: int, names: str = "ABCDE") -> list[dict[str, Any]]:
    return [
        {**VARIANT, "variant_name": n, "distribution_percent": p}
        for n, p in zip(names, percents, strict=False)
    ]


@pytest.mark.parametrize(
    ("body", "loc", "msg"),
    [
        (
            {"variants": _variants(60, 30)},
            ("body", "variants"),
            "Variant distributions must sum to 100%",
        ),
        (
            {"variants": _variants(20, 20, 20, 20, 20)},
            ("body", "variants"),
            "ensure this value has at most 4 items",
        ),
        (
            {"variants": _variants(50, 50, names="AA")},
            ("body", "variants"),
            "variant_name must be unique",
        ),
        (
            {"variants": _variants(50, 50, names="Aa")},
            ("body", "variants"),
            "variant_name must be unique",
        ),
        (
            {"variants": [{**VARIANT, "variant_name": "A1"}]},
            ("body", "variants", 0, "variant_name"),
            "variant_name must contain letters only",
        ),
        (
            {"variants": [{**VARIANT, "email_content": "short"}]},
            ("body", "variants", 0, "email_content"),
            "ensure this value has at least 10 characters",
        ),
        (
            {"variants": [{**VARIANT, "subject_template": ""}]},
            ("body", "variants", 0, "subject_template"),
            "ensure this value has at least 1 characters",
        ),
        (
            {"variants": [{**VARIANT, "distribution_percent": 101}]},
            ("body", "variants", 0, "distribution_percent"),
            "ensure this value is less than or equal to 100",
        ),
        (
            {
                "variants": [
                    {"variant_name": "A", "subject_template": "Hi", "email_content": "0123456789"}
                ]
            },
            ("body", "variants", 0, "distribution_percent"),
            "field required",
        ),
        ({"inbox_ids": []}, ("body", "inbox_ids"), "ensure this value has at least 1 items"),
        ({"inbox_ids": ["nope"]}, ("body", "inbox_ids", 0), "value is not a valid uuid"),
        ({"inbox_ids": [NOBODY]}, ("body", "inbox_ids", 0), f"Sender account not found: {NOBODY}"),
        (
            {"sequences": [{**STEP, "step_number": 3}]},
            ("body", "sequences"),
            "step_number values must be consecutive starting at 2",
        ),
        (
            {"sequences": [STEP, STEP]},
            ("body", "sequences"),
            "step_number values must be consecutive starting at 2",
        ),
        (
            {"sequences": [{**STEP, "step_number": n} for n in (2, 3, 4, 5)]},
            ("body", "sequences"),
            "ensure this value has at most 3 items",
        ),
        (
            {"sequences": [{**STEP, "step_number": n, "wait_days": 20} for n in (2, 3, 4)]},
            ("body", "sequences"),
            "the sum of wait_days must be at most 45",
        ),
        (
            {"sequences": [{**STEP, "wait_days": 31}]},
            ("body", "sequences", 0, "wait_days"),
            "ensure this value is less than or equal to 30",
        ),
        (
            {"sequences": [{**STEP, "wait_days": 0}]},
            ("body", "sequences", 0, "wait_days"),
            "ensure this value is greater than or equal to 1",
        ),
        (
            {"sequences": [{**STEP, "variants": []}]},
            ("body", "sequences", 0, "variants"),
            "ensure this value has at least 1 items",
        ),
        (
            {"sequences": [{**STEP, "variants": _variants(10)}]},
            ("body", "sequences", 0, "variants"),
            "Variant distributions must sum to 100%",
        ),
        (
            {"sequences": [{**STEP, "trigger_type": "OPENED"}]},
            ("body", "sequences", 0, "trigger_type"),
            ENUM_MSG,
        ),
        ({"launch": "yes"}, ("body", "launch"), "value could not be parsed to a boolean"),
    ],
)
def test_update_validation_errors(
    cold: TestClient, body: dict[str, Any], loc: tuple[Any, ...], msg: str
) -> None:
    assert messages(cold.put(f"/campaigns/{create(cold)}", json=body)) == [(loc, msg)]


def test_sequences_are_stored_in_step_order(cold: TestClient) -> None:
    campaign_id = create(cold)
    steps = [{**STEP, "step_number": 3, "trigger_type": "NOT_OPENED"}, STEP]
    assert cold.put(f"/campaigns/{campaign_id}", json={"sequences": steps}).status_code == 200
    stored = cold.get(f"/campaigns/{campaign_id}").json()["sequences"]
    assert [s["step_number"] for s in stored] == [2, 3]
    assert stored[0]["variants"][0]["variant_name"] == "A"
