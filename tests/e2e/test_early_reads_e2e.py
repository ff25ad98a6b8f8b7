"""List pages and look-ups start while the campaign files load; an invalid file still stops
the run before any campaign is read or anything written."""

from __future__ import annotations

from tests.e2e.conftest import Repo

COLD = """\
kind: coldsend/campaign
account: cold
name: "[camp] Early {i}"
"""


def test_an_invalid_file_stops_the_run_before_any_campaign_is_read(repo: Repo) -> None:
    for i in range(3):
        repo.write(f"campaigns/a{i}.yaml", COLD.format(i=i))
    assert repo.camp("apply", "--auto-approve").returncode == 0
    repo.write("campaigns/z-broken.yaml", COLD.format(i=9) + "sending_window_start: 99\n")
    repo.admin("DELETE", "/requests")
    for command in (["plan"], ["apply", "--auto-approve"]):
        done = repo.camp(*command)
        assert done.returncode == 1, done.stdout
        assert "z-broken.yaml:4:23: error: sending_window_start" in done.stderr
        assert "validation failed" in done.stderr
    paths = {e["path"].split("/v1", 1)[1] for e in repo.admin("GET", "/requests")}
    assert paths <= {"/campaigns", "/sender-accounts"}  # the early reads, nothing else
