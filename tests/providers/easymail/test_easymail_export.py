"""easymail ``camp import`` as a pure function: live view → YAML (+ Markdown file), and the
round trip through the real YAML writer, loader and planner is empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.engine.workspace import load_workspace
from reconciler.plan.values import CampaignPlan, CampaignRef
from reconciler.providers.base import Exported, LiveCampaign
from reconciler.providers.easymail.directory import Directory
from reconciler.providers.easymail.export import export_campaign
from reconciler.providers.easymail.planning import plan_easymail
from reconciler.render.yaml_doc import dump_document
from tests.providers.easymail.test_easymail_planning import CUSTOMERS, NOW, SEGMENT, directory, live

SOON = "2030-01-02T09:00:00Z"
RICH = (
    "# Title\n\n## Sub\n\nSome **bold**, *italic* and a [link](https://brand.example).\n\n"
    "- one\n- two\n  - nested\n\n1. first\n2. second\n\n"
    "> a quote\n> on two lines\n\n```python\nprint('hi')  # <b>not html</b>\n```\n\n"
    "    indented code\n\n---\n\n![logo](https://brand.example/logo.png)\nLine  \nbreak"
)
BARE: dict[str, Any] = {
    "subject": None,
    "from_name": None,
    "from_identity": None,
    "from_email": None,
    "content": None,
    "audience": {"list_uuid": None, "segment_uuid": None},
    "readiness": {"can_send": False, "missing": ["from_name", "subject"]},
}


def export(current: LiveCampaign, d: Directory | None = None) -> Exported:
    return export_campaign(
        current.view, current.status, "news", d or directory(), file_stem="news-stem"
    )


def round_trip(tmp_path: Path, current: LiveCampaign) -> tuple[Exported, CampaignPlan]:
    """Export, write as ``camp import`` does, load (validate) and plan against the same live."""
    exported = export(current)
    (tmp_path / "camp.yaml").write_text(
        "accounts:\n  news: {provider: easymail, api_key_env: EASYMAIL_API_KEY}\n"
    )
    folder = tmp_path / "campaigns"
    folder.mkdir(exist_ok=True)
    path = folder / "news-stem.yaml"
    path.write_text(dump_document(exported.document), encoding="utf-8")
    for name, text in exported.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ws = load_workspace(tmp_path / "camp.yaml", [path])
    assert not ws.errors, ws.errors
    [doc] = ws.campaigns
    ref = CampaignRef("news", "easymail/campaign", current.name)
    return exported, plan_easymail(ref, doc, current, directory(), NOW)


def assert_empty(p: CampaignPlan) -> None:
    assert p.actions == () and p.warnings == (), (p.actions, p.warnings)


def test_minimal_draft_is_name_and_state(tmp_path: Path) -> None:
    exported, p = round_trip(tmp_path, live(**BARE))
    assert exported.document == {
        "kind": "easymail/campaign",
        "account": "news",
        "name": "News",
        "state": "draft",
    }
    assert exported.files == {}
    assert_empty(p)


def test_full_draft_in_the_order_a_person_writes(tmp_path: Path) -> None:
    current = live(
        preheader="Read me",
        reply_to="help@brand.example",
        content=RICH,
        audience={"list_uuid": CUSTOMERS, "segment_uuid": SEGMENT},
    )
    exported, p = round_trip(tmp_path, current)
    assert list(exported.document) == [
        "kind",
        "account",
        "name",
        "state",
        "subject",
        "preheader",
        "from_name",
        "reply_to",
        "from_identity",
        "audience",
        "content_file",
    ]
    assert exported.document["audience"] == {"list": "Customers", "segment": "Active last 30 days"}
    assert exported.document["from_identity"] == "news@brand.example"
    assert exported.document["content_file"] == "news-stem.md"
    assert exported.files == {"news-stem.md": RICH}  # byte for byte
    assert_empty(p)


@pytest.mark.parametrize(
    ("body", "inline"),
    [
        ("Just one line.", True),
        ("A long single line. " * 10, False),
        ("# Hi\n\nBody\n", False),
        ("Windows\r\nline ends\r\n", True),  # a file read back would lose the \r
    ],
)
def test_body_inline_or_in_a_markdown_file(tmp_path: Path, body: str, inline: bool) -> None:
    exported, p = round_trip(tmp_path, live(content=body))
    if inline:
        assert exported.document["content"] == body and exported.files == {}
    else:
        assert "content" not in exported.document
        assert exported.files == {"news-stem.md": body}
    assert_empty(p)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("queued", "sent"),
        ("sending", "sent"),
        ("sent", "sent"),
        ("canceled", "canceled"),
        ("failed", None),  # unmanaged: no perpetual warning, no send planned
    ],
)
def test_state_from_the_live_status(tmp_path: Path, status: str, state: str | None) -> None:
    exported, p = round_trip(tmp_path, live(status, scheduled_at=SOON))
    assert exported.document.get("state") == state
    assert "scheduled_at" not in exported.document
    assert_empty(p)


def test_scheduled_keeps_its_time(tmp_path: Path) -> None:
    exported, p = round_trip(tmp_path, live("scheduled", scheduled_at="2030-01-02T10:00:00+01:00"))
    assert exported.document["state"] == "scheduled"
    assert exported.document["scheduled_at"] == SOON
    assert f"scheduled_at: '{SOON}'" in dump_document(exported.document)
    assert_empty(p)


@pytest.mark.parametrize(
    "fields",
    [
        {"content_overwrite_required": True},  # styled in the dashboard
        {"content": None, "content_overwrite_required": True, "content_editable_via_api": False},
        {"content": "Some `code` and <b>html</b>."},  # a read-back easymail would flatten
        {"content": ""},
    ],
)
def test_body_markdown_cannot_hold_is_left_out(tmp_path: Path, fields: dict[str, Any]) -> None:
    exported, p = round_trip(tmp_path, live(**fields))
    assert "content" not in exported.document and "content_file" not in exported.document
    assert exported.files == {}
    assert_empty(p)


def test_unset_and_unresolvable_values_are_left_out(tmp_path: Path) -> None:
    current = live(
        subject="",
        reply_to="",
        from_identity="33333333-3333-4333-8333-000000000009",
        from_email=None,
        audience={"list_uuid": "33333333-3333-4333-8333-000000000019", "segment_uuid": None},
    )
    exported, p = round_trip(tmp_path, current)
    for key in ("subject", "reply_to", "from_identity", "audience"):
        assert key not in exported.document
    assert_empty(p)


def test_a_list_name_two_lists_share_is_left_out() -> None:
    d = directory()
    d.lists.add({"uuid": "33333333-3333-4333-8333-000000000012", "name": "Customers"})
    assert "audience" not in export(live(), d).document
