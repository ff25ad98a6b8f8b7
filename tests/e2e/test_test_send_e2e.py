"""``camp test-send`` end to end: the real CLI against the sandbox over loopback. A test email
goes out per address, nothing else is written, no status moves; a stale live campaign is
refused with exit 3 (nothing in the outbox); vendors without a test endpoint exit 1 pointing
to ``camp preview``. The sandbox's outbox (``GET /_sandbox/outbox``) holds what was sent."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import KEY, Repo

NAME = "[camp] Test-send newsletter"
CAMPAIGN = """\
kind: easymail/campaign
account: news
name: "{name}"
state: draft
subject: "{subject}"
preheader: What is new
from_name: Brand News
from_identity: news@brand.example
audience:
  list: Customers
content: |
  # Hello

  Some *news* and **bold**.
"""
COLDSEND = """\
kind: coldsend/campaign
account: cold
name: "[camp] Cold test-send"
variants:
  - variant_name: A
    subject_template: "Hi {{first_name}}"
    email_content: "Hello {{first_name | default: 'there'}}!"
    distribution_percent: 100
"""


def write(repo: Repo, subject: str = "December news") -> None:
    repo.write("campaigns/news.yaml", CAMPAIGN.format(name=NAME, subject=subject))


def live(repo: Repo) -> dict[str, Any]:
    (item,) = repo.api("easymail", "GET", "/campaigns").json()["data"]
    data: dict[str, Any] = repo.api("easymail", "GET", f"/campaigns/{item['uuid']}").json()["data"]
    return data


def requests(repo: Repo) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in repo.admin("GET", "/requests")]


def test_sends_one_test_per_address_and_changes_nothing_else(repo: Repo) -> None:
    write(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    before = live(repo)
    repo.admin("DELETE", "/requests")
    result = repo.camp(
        "test-send", "campaigns/news.yaml", "--to", "ada@example.com", "--to", "bo@example.org"
    )
    assert result.returncode == 0, result.stderr
    uuid = before["uuid"]
    assert result.stdout.splitlines() == [
        f"Sent a test of '{NAME}' ({uuid}) to ada@example.com.",
        f"Sent a test of '{NAME}' ({uuid}) to bo@example.org.",
    ]
    writes = [(m, p) for m, p in requests(repo) if m != "GET"]
    test_path = f"/easymail/api/v1/campaigns/{uuid}/test"
    assert writes == [("POST", test_path), ("POST", test_path)]
    after = live(repo)
    assert after["status"] == before["status"] == "draft"
    assert KEY not in result.stdout + result.stderr
    outbox = repo.admin("GET", "/outbox")
    assert [(e["vendor"], e["campaign_id"], e["to"]) for e in outbox] == [
        ("easymail", uuid, "ada@example.com"),
        ("easymail", uuid, "bo@example.org"),
    ]
    email = outbox[0]
    assert (email["subject"], email["preheader"]) == ("December news", "What is new")
    assert (email["from_name"], email["from_email"]) == ("Brand News", "news@brand.example")
    assert email["markdown"] == "# Hello\n\nSome *news* and **bold**.\n"


def test_the_outbox_email_is_what_camp_preview_shows(repo: Repo) -> None:
    write(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    assert repo.camp("test-send", "campaigns/news.yaml", "--to", "ada@example.com").returncode == 0
    (email,) = repo.admin("GET", "/outbox")
    shown = json.loads(repo.camp("preview", "--format", "json").stdout)
    (message,) = shown["campaigns"][0]["recipients"][0]["messages"]
    assert (message["subject"], message["body"], message["html"]) == (
        email["subject"],
        email["markdown"],
        email["html"],
    )


def test_a_stale_live_campaign_is_refused_with_exit_3_unless_as_live(repo: Repo) -> None:
    write(repo)
    assert repo.camp("apply", "--auto-approve").returncode == 0
    write(repo, subject="A new subject nobody applied")
    repo.admin("DELETE", "/requests")
    refused = repo.camp("test-send", "campaigns/news.yaml", "--to", "ada@example.com")
    assert refused.returncode == 3, refused.stderr
    assert "differs from the YAML in subject" in refused.stderr
    assert "run `camp apply` first, or pass --as-live" in refused.stderr
    assert all(method == "GET" for method, _ in requests(repo))
    assert repo.admin("GET", "/outbox") == []
    assert live(repo)["subject"] == "December news"
    forced = repo.camp("test-send", "campaigns/news.yaml", "--to", "ada@example.com", "--as-live")
    assert forced.returncode == 0, forced.stderr
    assert "the test shows the live subject, not the YAML's" in forced.stderr
    assert [m for m, _ in requests(repo) if m != "GET"] == ["POST"]


def test_a_campaign_not_live_yet_is_an_error(repo: Repo) -> None:
    write(repo)
    result = repo.camp("test-send", "campaigns/news.yaml", "--to", "ada@example.com")
    assert result.returncode == 1
    assert f"no live campaign with the name '{NAME}' in account 'news': it is not live yet" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_vendors_without_a_test_endpoint_point_to_preview(repo: Repo) -> None:
    repo.write("campaigns/cold.yaml", COLDSEND)
    result = repo.camp("test-send", "campaigns/cold.yaml", "--to", "ada@example.com")
    assert result.returncode == 1
    assert "coldsend has no test endpoint" in result.stderr
    assert "run `camp preview campaigns/cold.yaml`" in result.stderr
    assert repo.admin("GET", "/requests") == []


def test_addresses_are_validated_before_anything_is_sent(repo: Repo) -> None:
    write(repo)
    result = repo.camp("test-send", "campaigns/news.yaml", "--to", "not-an-address")
    assert result.returncode == 1
    assert "--to 'not-an-address' is not an email address" in result.stderr
    assert repo.admin("GET", "/requests") == []
