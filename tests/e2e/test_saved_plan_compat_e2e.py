"""A plan file written before payloads and facts were typed still applies, exactly as planned.

``creates.json`` was written by ``camp plan --out`` at commit ece8ac4 from the campaign files
beside it (a new campaign of each vendor: a ColdSend create with leads and a launch, an Inbox
create and launch, two easymail creates, one scheduled). Applied now with ``--verify``, the
vendors must end up exactly as those files say: the re-plan finds nothing left to do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.conftest import Repo

BEFORE_TYPED = Path(__file__).parents[1] / "engine" / "fixtures" / "before-typed-payloads"


def test_a_plan_saved_before_typed_payloads_applies_and_converges(repo: Repo) -> None:
    shutil.copytree(BEFORE_TYPED / "campaigns", repo.root / "campaigns")
    shutil.copy(BEFORE_TYPED / "creates.json", repo.root / "plan.json")
    # The file is as old as it is; its age is not what this test is about.
    applied = repo.camp("apply", "plan.json", "--max-age", "1000000", "--verify")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    [cold] = repo.api("coldsend", "GET", "/campaigns").json()["campaigns"]
    assert cold["status"] == "ACTIVE" and cold["total_leads"] == 2
    news = {c["name"]: c for c in repo.api("easymail", "GET", "/campaigns").json()["data"]}
    assert news["[camp] December newsletter"]["status"] == "scheduled"
    assert news["[camp] December newsletter"]["scheduled_at"] == "2099-06-01T09:00:00Z"
    assert news["[camp] Styled"]["status"] == "draft"
    [dm] = repo.api("inbox", "GET", "/campaigns/v2").json()["data"]
    assert dm["status"].lower() == "active"
