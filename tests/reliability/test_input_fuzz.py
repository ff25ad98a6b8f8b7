"""Bad input fuzzing: no file content makes camp raise, crash or print an unlocated error.

Hypothesis feeds the YAML loader (``load_documents``, and ``read_text`` on raw bytes), the
whole ``load_workspace`` and ``camp validate`` (in-process, on a generated repository) with
random bytes, random text (odd unicode included), mutations of the example campaigns of this
repository, token soup and deeply nested documents; and the leads CSV reader with random bytes
and mutated CSV. The contract:

- the loader raises nothing but ``YamlError``, whose problem is located (``file:line:col``);
- ``load_workspace`` and ``read_leads`` never raise: every finding is a ``Problem``;
- ``camp validate`` exits 0 or 1, never with a traceback, and each ``error:`` line it prints
  starts with ``file:line:col`` (only findings about a whole file, such as a missing leads
  file, name the file alone).

The crashes this found first are kept below as plain regression tests.
``CAMP_FUZZ_EXAMPLES`` (default 60; the CLI test runs a third of it) sets the examples per test.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reconciler.config.yamlload import YamlError, load_documents, read_text
from reconciler.engine.workspace import load_workspace
from reconciler.providers.coldsend.leads_csv import read_leads
from reconciler.providers.registry import kinds
from tests.reliability.harness import Workspace, camp_yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "campaigns").rglob("*.yaml"))]
SEEDS.append("\n---\n".join(SEEDS[:3]))
CSV_SEED = (ROOT / "campaigns/coldsend/leads/q1-founders.csv").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("CAMP_FUZZ_EXAMPLES", "60"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(
    max_examples=max(EXAMPLES // 3, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TOKENS = [
    ":", ": ", "- ", "-", "&a ", "*a", "<<: *a", "&a [*a]", "!!python/object:os.system ",
    "!!binary ", "!!set ", "!!int ", "!!float ", "!!bool ", "!custom ", "!!timestamp ", "\t",
    "{", "}", "[", "]", "'", '"', "|", ">-", "|+9", "---\n", "...\n", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "? ", "#", "\ufeff", "\x00", "\x07", "\u2028", "\u0085", "\r",
    "\r\n", "\x1b[31m", "é", "𝔘𝔫𝔦", "\U0001f600", "\u202e", "\u200b", "1e309", ".nan", "0x1F",
    "~", "null", "yes", "2026-13-45", "=", "@", "`", "\\", "\\u", "9" * 5000, "0x" + "f" * 4000,
    "1:" * 100 + "1", "  ", "\n", "\n  ", "name", "kind", "state", "leads", "../../etc/passwd",
    "/etc/passwd", "coldsend/campaign", "easymail/campaign", "inbox/campaign", "sequence",
    "message", "{{", "}}", "{Hey|", "delay: 0d", "content_file", "audience", "schedule",
]  # fmt: skip
UNICODE = st.text(st.characters(codec="utf-8"), max_size=300)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed file with a few characters, tokens or lines inserted, deleted or moved."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["token", "text", "delete", "line", "indent", "truncate"]))
        if op == "token":
            text = text[:where] + draw(st.sampled_from(TOKENS)) + text[where:]
        elif op == "text":
            text = text[:where] + draw(UNICODE) + text[where:]
        elif op == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)) :]
        elif op == "truncate":
            text = text[:where]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            if op == "line":  # duplicate or move a line
                j = draw(st.integers(0, len(lines) - 1))
                lines.insert(j, lines[i] if draw(st.booleans()) else lines.pop(i))
            else:
                lines[i] = " " * draw(st.integers(1, 9)) + lines[i]
            text = "".join(lines)
    return text


@st.composite
def nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 3000))
    shape = draw(st.sampled_from(["flow-seq", "flow-map", "block-map", "block-seq", "aliases"]))
    if shape == "flow-seq":
        return "[" * depth + "]" * depth
    if shape == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    if shape == "block-map":
        depth = min(depth, 400)
        return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "x\n"
    if shape == "block-seq":
        return "- " * depth + "x\n"
    # aliases: each anchor doubles the one before or refers to itself (the full "billion laughs"
    # is in tests/config/test_yamlload.py: refusing it takes seconds, too slow to draw often)
    layers = min(depth, 12)
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, layers)]
    return "\n".join(lines) + ("\nr: &r [*r]\n" if draw(st.booleans()) else "\n")


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["", "x", "founder_x", "Customers", "leads.csv", "2026-01-01", "active"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = sorted(
    {name for spec in kinds() for name in spec.model.model_fields}
    | {"variant_name", "subject_template", "step_number", "list", "segment", "message", "delay"}
    | {"like_tweet", "type", "data", "start", "end", "include_lists", "status_id"}
)


@st.composite
def type_confused(draw: st.DrawFn) -> str:
    """A valid seed document with values swapped for values of any type, at any depth."""
    data = yaml.safe_load(draw(st.sampled_from(SEEDS[:-1])))
    for _ in range(draw(st.integers(1, 4))):
        node: Any = data
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            key = draw(
                st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
            )
            if not isinstance(node[key], dict | list):
                break
            node = node[key]
        if isinstance(node, dict):
            node[draw(st.sampled_from(sorted(node) + FIELDS))] = draw(VALUES)
        elif isinstance(node, list):
            node.append(draw(VALUES))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


YAML_TEXT = st.one_of(
    type_confused(),
    UNICODE,
    mutated(SEEDS),
    nested(),
    st.lists(st.sampled_from(TOKENS)).map("".join),
)


def _assert_located(exc: YamlError, display: str) -> None:
    where = exc.problem.location
    assert where.file == display
    assert where.line >= 1 and where.col >= 1, str(exc.problem)


# -- the YAML loader ---------------------------------------------------------------------------


@FAST
@given(text=YAML_TEXT)
@example(text="a: &x [*x]")
@example(text="[" * 50_000 + "]" * 50_000)
def test_load_documents_raises_only_located_yaml_errors(text: str) -> None:
    try:
        load_documents(text, "campaigns/x.yaml")
    except YamlError as exc:
        _assert_located(exc, "campaigns/x.yaml")


@FAST
@given(data=st.binary(max_size=2000) | mutated(SEEDS).map(lambda t: t.encode("utf-8")))
def test_any_bytes_read_and_load_or_a_located_yaml_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(data)
        try:
            load_documents(read_text(str(path), "x.yaml"), "x.yaml")
        except YamlError as exc:
            _assert_located(exc, "x.yaml")


# -- the leads CSV reader ----------------------------------------------------------------------


CSV_TOKENS = [",", '"', '""', "\n", "\r\n", "\r", ";", "\t", "\ufeff", "email", "EMAIL", " ", "@"]


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from([CSV_SEED, "email\na@b.example\n", "email,first_name\n"]))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(CSV_TOKENS) | UNICODE)
        text = text[:where] + piece + text[where + draw(st.integers(0, 5)) :]
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = data.replace(b"\n", b"\xff\n", 1)  # one undecodable byte
    return data


@FAST
@given(data=st.binary(max_size=2000) | mutated_csv())
@example(data=b"\xef\xbb\xbfemail\na@b.example\n")
@example(data=b'email\n"unclosed\n')
def test_read_leads_never_raises_and_locates_its_findings(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leads.csv"
        path.write_bytes(data)
        result = read_leads(path, display_path="campaigns/leads.csv")
    for problem in result.problems:
        assert problem.location.file == "campaigns/leads.csv"
        summary = problem.message.endswith(" not shown")  # "N more rows with errors not shown"
        assert summary or problem.location.line >= 1, str(problem)
    assert all("@" in email for email in result.emails)


# -- the whole workspace, and `camp validate` --------------------------------------------------


@st.composite
def repository(draw: st.DrawFn) -> dict[str, bytes]:
    """Files of a user's repository: campaign YAML plus the files they may refer to."""
    files: dict[str, bytes] = {}
    for i in range(draw(st.integers(1, 3))):
        text = draw(YAML_TEXT)
        data = text.encode("utf-8") if draw(st.integers(0, 9)) else draw(st.binary(max_size=300))
        files[f"campaigns/c{i}.yaml"] = data
    files["campaigns/leads/q1-founders.csv"] = draw(mutated_csv())
    files["campaigns/december-newsletter.md"] = draw(UNICODE).encode("utf-8")
    return files


def _workspace(folder: str, files: dict[str, bytes]) -> Workspace:
    ws = Workspace(Path(folder), "http://127.0.0.1:9")  # validate never connects
    ws.write("camp.yaml", camp_yaml(ws.base_url))
    for relative, data in files.items():
        ws.write_bytes(relative, data)
    return ws


@FAST
@given(files=repository())
def test_load_workspace_never_raises(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ws = _workspace(folder, files)
        loaded = load_workspace(ws.root / "camp.yaml", [ws.root / "campaigns"])
    assert loaded.files == sum(name.endswith(".yaml") for name in files)
    for problem in loaded.problems:
        if problem.location.file.endswith(".yaml") and problem.is_error:
            assert problem.location.line >= 1, str(problem)


ERROR_LINE = re.compile(r"^(?P<file>\S[^:]*?)(?::(?P<line>\d+):(?P<col>\d+))?: error: ", re.M)
WHOLE_FILE = ("not found", "cannot read", "is larger than", "is empty", " not shown")


@CLI
@given(files=repository())
def test_validate_exits_0_or_1_with_located_errors(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = _workspace(folder, files).run("validate")
    assert result.code in (0, 1), result.text
    assert "Traceback" not in result.text
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert (result.code == 1) == bool(errors), result.stdout
    for line in errors:
        match = ERROR_LINE.match(line)
        assert match, line
        if match["line"] is None:
            assert any(part in line for part in WHOLE_FILE), line


# -- crashes found by the fuzzing, kept as regression tests ------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: &x [*x]\n", "x.yaml:1:4", "recursive alias"),
        ("kind: &k {a: *k}\n", "x.yaml:1:7", "recursive alias"),
        ("[" * 400 + "]" * 400, "x.yaml:1:101", "nested more than 100 levels"),
        ("n: " + "9" * 5000 + "\n", "x.yaml:1:4", "cannot read '9999"),
        ("n: 0x" + "f" * 4000 + "\n", "x.yaml:1:4", "cannot read '0xff"),
        ("n: !!int abc\n", "x.yaml:1:4", "cannot read 'abc' as int"),
        ("n: !!bool maybe\n", "x.yaml:1:4", "cannot read 'maybe' as bool"),
        ("n: !!float x\n", "x.yaml:1:4", "cannot read 'x' as float"),
        ("!!int\n", "x.yaml:1:1", "cannot read '' as int"),
        ("é: 1\nb: \x07\n", "x.yaml:2:4", "unacceptable character U+0007"),
    ],
)
def test_former_crashes_are_located_yaml_errors(text: str, where: str, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_documents(text, "x.yaml")
    assert str(caught.value.problem).startswith(f"{where}: error: ")
    assert message in caught.value.problem.message


@pytest.mark.parametrize("depth", [101, 400, 999, 1000, 1001, 5000, 100_000])
@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{a: ", "}")])
def test_deep_flows_are_one_located_nesting_error(depth: int, opener: str, closer: str) -> None:
    """Whichever layer stops a deep flow (camp's count, or PyYAML's own limit since 6.0.4), the
    user reads one located error with camp's message, never a parser's wording."""
    with pytest.raises(YamlError) as caught:
        load_documents(opener * depth + closer * depth, "x.yaml")
    problem = caught.value.problem
    assert problem.location.file == "x.yaml" and problem.location.line == 1, str(problem)
    assert problem.location.col > 100, str(problem)
    assert problem.message == "values are nested more than 100 levels deep", str(problem)


def test_a_campaign_nested_to_the_limit_validates_without_a_traceback(tmp_path: Path) -> None:
    ws = _workspace(str(tmp_path), {})
    ws.write("campaigns/deep.yaml", "kind: coldsend/campaign\nname: " + "[" * 99 + "]" * 99)
    result = ws.run("validate")
    assert result.code == 1 and "deep.yaml:2:7: error:" in result.stdout, result.text


@pytest.mark.parametrize("kind", ["[]", "{}", "[coldsend/campaign]"])
def test_a_list_or_mapping_as_kind_is_a_located_error(tmp_path: Path, kind: str) -> None:
    ws = _workspace(str(tmp_path), {})
    ws.write("campaigns/c.yaml", f"kind: {kind}\nname: x\n")
    result = ws.run("validate")
    assert result.code == 1 and "c.yaml:1:7: error:" in result.stdout, result.text
