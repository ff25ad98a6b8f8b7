"""`camp import` for ColdSend: campaigns made in the vendor's dashboard, in every status,
import to YAML whose plan is empty."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Repo

ALEX = "11111111-1111-4111-8111-000000000001"
VARIANT = {
    "variant_name": "A",
    "subject_template": "Hi {{first_name}}",
    "email_content": "Hello {{first_name}},\n\nWe help {{company}} with {{pain}}.\n",
    "distribution_percent": 100,
}
LEADS = "email,first_name,company,pain\nada@x.example,Ada,Acme,churn\nbob@x.example,Bob,,\n"


def _make(repo: Repo, name: str, settings: dict[str, Any], *, leads: bool, launch: bool) -> str:
    created = repo.api("coldsend", "POST", "/campaigns", json={"name": name, **settings})
    campaign_id = str(created.json()["campaign_id"])
    repo.api(
        "coldsend",
        "PUT",
        f"/campaigns/{campaign_id}",
        json={"inbox_ids": [ALEX], "variants": [VARIANT]},
    )
    if leads:
        files = {"file": ("l.csv", LEADS.encode(), "text/csv")}
        job = repo.api("coldsend", "POST", f"/campaigns/{campaign_id}/leads", files=files).json()
        for _ in range(50):
            status = repo.api(
                "coldsend", "GET", f"/campaigns/{campaign_id}/leads/upload/{job['job_id']}"
            )
            if status.json()["status"] == "COMPLETED":
                break
            repo.admin("POST", "/clock", {"advance_seconds": 1})
    if launch:
        repo.api("coldsend", "PUT", f"/campaigns/{campaign_id}", json={"launch": True})
    return campaign_id


def test_import_round_trips_in_every_status(repo: Repo) -> None:
    _make(repo, "Dashboard draft one", {}, leads=False, launch=False)
    _make(
        repo,
        "Dashboard with leads",
        {"timezone": "Europe/Berlin", "enable_tracking": True},
        leads=True,
        launch=False,
    )
    _make(repo, "Dashboard launched", {"sending_days": [6, 7]}, leads=True, launch=True)
    paused = _make(repo, "Dashboard paused", {"daily_limit_per_inbox": 20}, leads=True, launch=True)
    repo.api("coldsend", "POST", f"/campaigns/{paused}/pause")
    done = _make(repo, "Dashboard completed", {}, leads=True, launch=True)
    repo.admin("POST", "/clock", {"advance_seconds": 90 * 86400})
    assert repo.api("coldsend", "GET", f"/campaigns/{done}").json()["status"] == "COMPLETED"

    imported = repo.camp("import", "--account", "cold", "--out", "campaigns/cold")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "Imported 5 campaigns from account 'cold'" in imported.stdout
    assert (repo.root / "campaigns/cold/dashboard-with-leads.leads.csv").is_file()
    text = (repo.root / "campaigns/cold/dashboard-with-leads.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schemas/coldsend-campaign.schema.json"
    )
    assert "timezone: Europe/Berlin" in text and "sending_window_start" not in text

    valid = repo.camp("validate", "campaigns/cold")
    assert valid.returncode == 0, valid.stdout
    plan = repo.camp("plan", "--detailed-exitcode", "campaigns/cold")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_import_never_overwrites_without_force(repo: Repo) -> None:
    _make(repo, "Dashboard draft one", {}, leads=False, launch=False)
    assert repo.camp("import", "--account", "cold").returncode == 0
    path = repo.root / "campaigns/cold/dashboard-draft-one.yaml"
    path.write_text("# mine\n")
    again = repo.camp("import", "--account", "cold")
    assert again.returncode == 1 and "already exist; nothing was written" in again.stderr
    assert path.read_text() == "# mine\n"
    forced = repo.camp("import", "--account", "cold", "--force")
    assert forced.returncode == 0 and "kind: coldsend/campaign" in path.read_text()


def test_import_match_and_duplicates_get_id_pins(repo: Repo) -> None:
    first = _make(repo, "Twin campaign", {}, leads=False, launch=False)
    second = _make(repo, "Twin campaign", {}, leads=False, launch=False)
    _make(repo, "Other campaign", {}, leads=False, launch=False)
    imported = repo.camp("import", "--account", "cold", "--match", "Twin*")
    assert imported.returncode == 0, imported.stderr
    files = sorted(p.name for p in (repo.root / "campaigns/cold").glob("*.yaml"))
    assert files == sorted([f"twin-campaign-{first[:8]}.yaml", f"twin-campaign-{second[:8]}.yaml"])
    assert repo.camp("plan", "--detailed-exitcode").returncode == 0
