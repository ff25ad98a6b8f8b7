"""A template against a whole leads CSV with known gaps: empty variables (count and rows), empty
texts, Liquid branch shares; and the same empty variables as located `camp validate` warnings."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from reconciler.engine.workspace import load_workspace
from reconciler.providers.coldsend.coverage import cover, empty_variable_issues
from reconciler.providers.coldsend.leads_csv import read_leads
from reconciler.providers.coldsend.rendering import Lead, computed_fields, leads_of
from reconciler.providers.coldsend.template_syntax import parse_template

# CSV line numbers (the header is line 1): company is empty on lines 4, 9 and 11 (line 11 only
# whitespace), city on 3, 4, 5, 6, 7, 8 and 12; first_name on 4.
ROWS = [
    ("a", "Ann", "Acme Inc", "Oslo"),
    ("b", "Bo", "Beta", ""),
    ("c", "", "", ""),
    ("d", "Di", "Delta Inc", ""),
    ("e", "Ed", "Echo", ""),
    ("f", "Fay", "Foxtrot", ""),
    ("g", "Gus", "Golf", ""),
    ("h", "Hal", "", "Rome"),
    ("i", "Ivy", "India Inc", "Paris"),
    ("j", "Jo", "   ", "Lima"),
    ("k", "Kim", "Kilo", ""),
]
NOW = computed_fields(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "UTC")


def write_csv(folder: Path) -> Path:
    lines = ["email,first_name,company,city"]
    lines += [f"{e}@example.com,{first},{company},{city}" for e, first, company, city in ROWS]
    path = folder / "leads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def leads(tmp_path: Path) -> list[Lead]:
    return leads_of(read_leads(write_csv(tmp_path), display_path="leads.csv"))


def test_empty_variables_are_counted_with_their_first_rows(tmp_path: Path) -> None:
    parsed = parse_template("Hi {{first_name}}, {{company}} in {{city}}. {{Hi|Hello}}")
    coverage = cover(parsed, leads(tmp_path), NOW, seed=0, where="x")
    assert coverage.total == 11
    assert {name: (t.count, t.rows) for name, t in coverage.empty.items()} == {
        "first_name": (1, [4]),
        "company": (3, [4, 9, 11]),
        "city": (7, [3, 4, 5, 6, 7]),
    }
    messages = [i.message for i in empty_variable_issues(coverage, parsed)]
    assert messages == [
        "`{{first_name}}` is empty for 1 of 11 leads (row 4): they get an empty string",
        "`{{company}}` is empty for 3 of 11 leads (rows 4, 9, 11): they get an empty string",
        "`{{city}}` is empty for 7 of 11 leads (rows 3, 4, 5, 6, 7…): they get an empty string",
    ]
    assert coverage.blank.count == 0


def test_a_fallback_or_a_guard_means_never_empty(tmp_path: Path) -> None:
    template = '{{company | default: "you"}} {% if city %}in {{city}}{% endif %}'
    coverage = cover(parse_template(template), leads(tmp_path), NOW, seed=0, where="x")
    assert coverage.empty == {}


def test_a_whole_text_renders_empty(tmp_path: Path) -> None:
    parsed = parse_template("{% if city %}{{city}}{% endif %}  {{company}}")
    coverage = cover(parsed, leads(tmp_path), NOW, seed=0, where="x")
    assert (coverage.blank.count, coverage.blank.rows) == (1, [4])


def test_branch_shares(tmp_path: Path) -> None:
    template = (
        '{% if company contains "Inc" %}corp{% elsif company %}'
        "{% unless city %}no city{% endunless %}{% else %}none{% endif %}"
    )
    coverage = cover(parse_template(template), leads(tmp_path), NOW, seed=0, where="x")
    outer, inner = coverage.blocks
    assert (outer.label, outer.reached) == ('{% if company contains "Inc" %}', 11)
    assert [(b.label, b.count) for b in outer.branches] == [
        ('{% if company contains "Inc" %}', 3),
        ("{% elsif company %}", 5),
        ("{% else %}", 3),
    ]
    assert (inner.label, inner.reached) == ("{% unless city %}", 5)
    assert [(b.label, b.count) for b in inner.branches] == [
        ("{% unless city %}", 5),
        ("no branch", 0),
    ]


def test_many_leads_with_few_distinct_conditions_render_the_probe_few_times(
    tmp_path: Path,
) -> None:
    rows = [f"l{i}@example.com,{'Acme' if i % 3 else ''}" for i in range(20_000)]
    (tmp_path / "big.csv").write_text("email,company\n" + "\n".join(rows), encoding="utf-8")
    many = leads_of(read_leads(tmp_path / "big.csv", display_path="big.csv"))
    parsed = parse_template("{% if company %}{{company}}{% else %}{{company}}{% endif %}")
    coverage = cover(parsed, many, NOW, seed=0, where="x")
    assert coverage.empty["company"].count == 6_667
    assert coverage.empty["company"].rows == [2, 5, 8, 11, 14]


CAMPAIGN = """\
kind: coldsend/campaign
account: cold
name: "[camp] Gaps campaign"
leads: leads.csv
variants:
  - variant_name: A
    subject_template: "About {{company}}"
    email_content: |
      Hi {{first_name | default: "there"}},
      {% if city %}See you in {{city}}.{% endif %}
      {{company}} looks great.
    distribution_percent: 100
"""


def test_validate_warns_where_the_variable_is_written(tmp_path: Path, monkeypatch: object) -> None:
    (tmp_path / "camp.yaml").write_text(
        textwrap.dedent(
            """\
            accounts:
              cold: {provider: coldsend, api_key_env: COLDSEND_API_KEY}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "campaigns").mkdir()
    write_csv(tmp_path / "campaigns")
    (tmp_path / "campaigns" / "gaps.yaml").write_text(CAMPAIGN, encoding="utf-8")
    ws = load_workspace(tmp_path / "camp.yaml", [tmp_path / "campaigns"])
    assert ws.errors == []
    found = sorted((p.location.line, p.location.col, p.message) for p in ws.warnings)
    assert found == [
        (
            7,
            30,
            "variants[0].subject_template: `{{company}}` is empty for 3 of 11 leads "
            "(rows 4, 9, 11): they get an empty string",
        ),
        (
            11,
            7,
            "variants[0].email_content: `{{company}}` is empty for 3 of 11 leads "
            "(rows 4, 9, 11): they get an empty string",
        ),
    ]
