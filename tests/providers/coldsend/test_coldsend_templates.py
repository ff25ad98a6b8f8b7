from __future__ import annotations

import pytest

from reconciler.config.problems import Severity, TextIssue
from reconciler.providers.coldsend.templates import lint_template

COLUMNS = frozenset({"city", "Plan Name"})


def summary(issues: list[TextIssue]) -> list[tuple[int, int, str, str]]:
    return [(i.line, i.col, i.severity.value, i.message) for i in issues]


@pytest.mark.parametrize(
    "text",
    [
        "Hi {{first_name}}, greetings from {{ company }}",
        "{{email}} {{last_name}} {{job_title}} {{city}}",
        "Good {{dn_time_of_day}} on this {{dn_day_name}} ({{dn_day_of_week}})",
        'Hi {{ nickname | default: "there" }}'.replace("nickname", "city"),
        "Hi {{first_name | default: 'there'}}",
        "{{I noticed|I saw that}} you are {{hiring|growing|scaling}}",
        "{% if company %}at {{company}}{% else %}there{% endif %}",
        "{% unless city %}hello{% endunless %}",
        "{% if city == 'Berlin' %}Hallo{% elsif city != \"Paris\" and company %}Hi{% endif %}",
        "{% if company.size > 0 %}x{% endif %}",
        "{%- if company -%}\n  x\n{%- endif -%}",
        "{% if company %}{% unless city %}a{% else %}b{% endunless %}{% endif %}",
        "{{ Plan Name }}",
        "plain text with { single } braces and 100% {percent}",
        "",
    ],
)
def test_clean_templates(text: str) -> None:
    assert lint_template(text, columns=COLUMNS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi {{ compnay }}",
            (0, 6, "error", "`compnay` is neither a lead field nor a column of the leads CSV:"),
        ),
        ("{{ first_name", (0, 0, "error", "unclosed `{{`: the variable is never closed")),
        ("a {% if city", (0, 2, "error", "unclosed `{%`: the tag is never closed")),
        ("{{ a {{city}}", (0, 0, "error", "unclosed `{{`: the variable is never closed")),
        ("{{ }}", (0, 0, "error", "empty `{{ }}`")),
        ("{% %}", (0, 0, "error", "empty `{% %}`")),
        ("x\n  {% if city %}y", (1, 2, "error", "`{% if %}` is never closed")),
        ("{% unless city %}y", (0, 0, "error", "`{% unless %}` is never closed")),
        ("y\n{% endif %}", (1, 0, "error", "`{% endif %}` without a matching `{% if %}`")),
        ("{% endunless %}", (0, 0, "error", "`{% endunless %}` without a matching `{% unless %}`")),
        ("{% else %}", (0, 0, "error", "`{% else %}` outside of an `{% if %}` block")),
        ("{% elsif city %}", (0, 0, "error", "`{% elsif %}` outside of an `{% if %}` block")),
        (
            "{% if city %}a{% else %}b{% elsif company %}c{% endif %}",
            (0, 25, "error", "`{% elsif %}` after `{% else %}`"),
        ),
        (
            "{% if city %}a{% unless company %}b{% endif %}",
            (0, 14, "error", "`{% unless %}` is not closed before `{% endif %}`"),
        ),
        ("{% if %}x{% endif %}", (0, 0, "error", "`{% if %}` has no condition")),
        ("{% for x in y %}", (0, 0, "error", "unsupported Liquid tag `{% for x in y %}`")),
        (
            "{% if compny %}x{% endif %}",
            (0, 6, "error", "`compny` is neither a lead field nor a column of the leads CSV:"),
        ),
        ("{% if city == 'x %}a{% endif %}", (0, 14, "error", "unclosed quote in condition")),
        ("{{a|b|default: 'x'}}", (0, 0, "error", "`{{a|b|default: 'x'}}` mixes spintax with")),
        ("{{Hi|}}", (0, 0, "error", "spintax `{{Hi|}}` needs at least 2 non-empty options")),
        ("{{ | }}", (0, 0, "error", "spintax `{{|}}` needs at least 2 non-empty options")),
        (
            "{{ city | default: there }}",
            (0, 0, "error", "`{{city | default: there}}`: the fallback must be a quoted string"),
        ),
        ("{{ first name }}", (0, 3, "error", "`first name` is not a valid variable name")),
        (
            "{{first_name|there}}",
            (0, 0, "warning", "`{{first_name|there}}` is spintax: `first_name` is sent as literal"),
        ),
        (
            '{{ nickname | default: "you" }}',
            (0, 0, "warning", "`nickname` is not a lead field or leads CSV column: the fallback"),
        ),
        ("done }} here", (0, 5, "warning", "`}}` without a matching `{{` is sent as literal text")),
        ("50 %} off", (0, 3, "warning", "`%}` without a matching `{%` is sent as literal text")),
    ],
)
def test_single_issue(text: str, expected: tuple[int, int, str, str]) -> None:
    (issue,) = summary(lint_template(text, columns=COLUMNS))
    assert issue[:3] == expected[:3]
    assert issue[3].startswith(expected[3])


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("{{ compnay }}", "did you mean `company`? otherwise add a `compnay` column"),
        ("{{ City }}", "did you mean `city`?"),
        (
            "{{ zzz }}",
            'add a `zzz` column to the leads CSV or give a fallback: {{ zzz | default: "…" }}',
        ),
        ("{% if x %}", "close it with `{% endif %}`"),
        ("{% endfi %}", "did you mean `endif`?"),
        ("{% if city %}{% else %}{% else %}{% endif %}", "must be the last branch"),
        ("{{first_name|there}}", 'for a fallback write {{ first_name | default: "there" }}'),
    ],
)
def test_hints(text: str, hint: str) -> None:
    issues = lint_template(text, columns=COLUMNS)
    assert any(hint in issue.hint for issue in issues), [i.hint for i in issues]


def test_unknown_leads_make_unknown_variables_warnings() -> None:
    issues = lint_template("{{ city }} {{ first_name }} {% if plan %}x{% endif %}", columns=None)
    assert summary(issues) == [
        (0, 3, "warning", issues[0].message),
        (0, 34, "warning", issues[1].message),
    ]
    assert issues[0].message.startswith("`city` is not a standard lead field")
    assert "the condition is always false" in issues[1].message


def test_fallback_on_unknown_column_is_silent_when_leads_unknown() -> None:
    assert lint_template('{{ nickname | default: "you" }}', columns=None) == []


def test_positions_are_zero_based_within_the_text() -> None:
    text = "Hello,\n\nline three {{ nope }}\n{% if city %}"
    issues = lint_template(text, columns=COLUMNS)
    assert [(i.line, i.col) for i in issues] == [(2, 14), (3, 0)]


def test_every_problem_is_reported() -> None:
    text = "{{ a }} {{ b }} {% endif %} {% if c %}"
    issues = lint_template(text, columns=frozenset())
    assert len(issues) == 5
    assert all(i.severity is Severity.ERROR for i in issues)
