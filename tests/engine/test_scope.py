"""``--changed-since``: which documents a change since a git revision touches."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reconciler.engine.changes import git_changes
from reconciler.engine.errors import EngineError
from reconciler.engine.scope import ChangeScope, Selection
from reconciler.engine.workspace import load_workspace
from reconciler.plan.values import CampaignRef, PlanScope

CAMP_YAML = """\
accounts:
  cold: {provider: coldsend, api_key_env: K, prune_prefix: "[camp] "}
  news: {provider: easymail, api_key_env: K, prune_prefix: "[camp] "}
"""
COLD = """\
kind: coldsend/campaign
name: "[camp] {name}"
leads: leads/{name}.csv
"""
NEWS = """\
kind: easymail/campaign
name: "[camp] {name}"
subject: {subject}
content_file: {name}.md
"""


def _git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    done = subprocess.run(["git", *identity, *args], cwd=repo, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "camp.yaml").write_text(CAMP_YAML)
    campaigns = tmp_path / "campaigns"
    (campaigns / "leads").mkdir(parents=True)
    for name in ("one", "two"):
        (campaigns / "leads" / f"{name}.csv").write_text(f"email\n{name}@example.com\n")
        (campaigns / f"{name}.md").write_text(f"Hello {name}.\n")
    (campaigns / "cold.yaml").write_text(
        COLD.format(name="one") + "---\n" + COLD.format(name="two")
    )
    (campaigns / "news.yaml").write_text(NEWS.format(name="one", subject="Hi"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def _select(repo: Path, ref: str = "HEAD") -> tuple[list[str], list[str], Selection]:
    ws = load_workspace(repo / "camp.yaml", [repo / "campaigns"])
    assert not ws.errors, [str(p) for p in ws.errors]
    scope = ChangeScope(git_changes(repo, ref), repo / "camp.yaml")
    selection = scope.select(ws, [repo / "campaigns"])
    names = sorted(d.campaign.name for d in selection.docs)
    deleted = sorted(f"{x.ref.account}/{x.ref.name}" for x in selection.deleted)
    return names, deleted, selection


def test_nothing_changed_selects_nothing(repo: Path) -> None:
    assert _select(repo)[:2] == ([], [])


def test_an_edit_to_one_document_of_a_file_selects_that_document(repo: Path) -> None:
    cold = repo / "campaigns" / "cold.yaml"
    cold.write_text(cold.read_text().replace("leads/two.csv", "leads/two.csv\nstate: draft"))
    assert _select(repo)[:2] == (["[camp] two"], [])


def test_a_comment_only_edit_selects_nothing(repo: Path) -> None:
    cold = repo / "campaigns" / "cold.yaml"
    cold.write_text("# reviewed\n" + cold.read_text())
    assert _select(repo)[:2] == ([], [])


@pytest.mark.parametrize(
    ("edited", "selected"),
    [("campaigns/leads/one.csv", "[camp] one"), ("campaigns/one.md", "[camp] one")],
)
def test_an_edited_referenced_file_selects_the_documents_using_it(
    repo: Path, edited: str, selected: str
) -> None:
    with (repo / edited).open("a") as handle:
        handle.write("more@example.com\n" if edited.endswith(".csv") else "More.\n")
    assert _select(repo)[0] == [selected]


def test_untracked_files_count_as_changed(repo: Path) -> None:
    (repo / "campaigns" / "new.yaml").write_text(
        NEWS.format(name="one", subject="New").replace("[camp] one", "[camp] new")
    )
    assert _select(repo)[:2] == (["[camp] new"], [])


def test_deleted_documents_are_read_from_the_revision(repo: Path) -> None:
    (repo / "campaigns" / "news.yaml").unlink()
    cold = repo / "campaigns" / "cold.yaml"
    cold.write_text(COLD.format(name="one").replace("[camp] one", "[camp] renamed"))
    names, deleted, selection = _select(repo)
    assert names == ["[camp] renamed"]
    assert deleted == ["cold/[camp] one", "cold/[camp] two", "news/[camp] one"]
    scope = selection.plan_scope(["cold"], prune=True)
    assert scope.deleted == (
        CampaignRef("cold", "coldsend/campaign", "[camp] one"),
        CampaignRef("cold", "coldsend/campaign", "[camp] two"),
    )


def test_a_document_moved_to_another_file_is_not_deleted(repo: Path) -> None:
    (repo / "campaigns" / "news.yaml").rename(repo / "campaigns" / "moved.yaml")
    names, deleted, _ = _select(repo)
    assert (names, deleted) == ([], [])


def test_a_changed_camp_yaml_puts_every_document_in_scope(repo: Path) -> None:
    (repo / "camp.yaml").write_text(CAMP_YAML + "guards: {max_change_percent: 10}\n")
    names, _, selection = _select(repo)
    assert names == ["[camp] one", "[camp] one", "[camp] two"]
    assert selection.everything


def test_a_committed_change_counts_as_well(repo: Path) -> None:
    base = _git(repo, "rev-parse", "HEAD").strip()
    (repo / "campaigns" / "news.yaml").write_text(NEWS.format(name="one", subject="Bye"))
    _git(repo, "commit", "-qam", "edit")
    names, _, selection = _select(repo, base)
    assert names == ["[camp] one"]
    assert selection.commit == base


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", ""])
def test_an_unknown_revision_is_a_clear_error(repo: Path, ref: str) -> None:
    with pytest.raises(EngineError, match="names no commit of this repository"):
        git_changes(repo, ref)


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="needs a git repository"):
        git_changes(tmp_path, "HEAD")


def test_the_recorded_scope_selects_the_same_documents_again(repo: Path) -> None:
    cold = repo / "campaigns" / "cold.yaml"
    cold.write_text(cold.read_text().replace("leads/two.csv", "leads/two.csv\nstate: draft"))
    _, _, selection = _select(repo)
    scope = selection.plan_scope(["cold", "news"], prune=False)
    assert PlanScope.from_json(scope.to_json()) == scope
    ws = load_workspace(repo / "camp.yaml", [repo / "campaigns"])
    again = Selection.recorded(ws, scope)
    assert [d.campaign.name for d in again.docs] == ["[camp] two"]
