"""ColdSend personalization rendered for one lead, pinned against hand-written expectations
(shared/api/coldsend.md, "How a message is rendered for one lead")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reconciler.providers.coldsend.rendering import (
    SpinPicker,
    computed_fields,
    lead_from_row,
    render_message,
)
from reconciler.providers.coldsend.template_liquid import (
    TemplateError,
    check_conditions,
    compile_template,
)
from reconciler.providers.coldsend.template_syntax import parse_template

MONDAY_NOON_UTC = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
COLUMNS = ["email", "First_Name", "company", "job_title", "city", "Plan Name", "note"]


def lead(**cells: str) -> dict[str, object]:
    row = {"email": "ada@example.com", **cells}
    return dict(lead_from_row(row, 2, COLUMNS).values)


def render(
    template: str,
    values: dict[str, object] | None = None,
    *,
    at: datetime = MONDAY_NOON_UTC,
    timezone: str = "UTC",
    seed: int = 0,
    every: bool = False,
) -> str:
    compiled = compile_template(parse_template(template))
    data = {**(values if values is not None else lead()), **computed_fields(at, timezone)}
    pick = SpinPicker(seed, "ada@example.com", "variants.0.email_content", every=every)
    return render_message(compiled, data, pick)


@pytest.mark.parametrize(
    ("template", "cells", "expected"),
    [
        ("Hi {{first_name}}!", {"First_Name": "Ada"}, "Hi Ada!"),  # standard field, any case
        ("Hi {{first_name}}!", {}, "Hi !"),  # missing → empty string
        ("{{ company }} / {{city}}", {"company": "Acme", "city": "Oslo"}, "Acme / Oslo"),
        ("{{Plan Name}}", {"Plan Name": "Pro"}, "Pro"),  # a column by its exact header
        ("{{plan name}}", {"Plan Name": "Pro"}, ""),  # … and not by another case
        ("{{email}}", {}, "ada@example.com"),
        ('Hi {{first_name | default: "there"}}!', {}, "Hi there!"),
        ('Hi {{first_name | default: "there"}}!', {"First_Name": "   "}, "Hi there!"),
        ('Hi {{first_name | default: "there"}}!', {"First_Name": "Ada"}, "Hi Ada!"),
        ("Hi {{first_name | default: 'you'}}!", {"First_Name": "\t"}, "Hi you!"),
        ("{{note}}", {"note": "{{company}} {% if x %}"}, "{{company}} {% if x %}"),  # literal
        ("a\n\n  b {{city}}\n", {"city": "X"}, "a\n\n  b X\n"),  # whitespace kept
        ("a {{- city -}} b", {"city": "X"}, "aXb"),  # Liquid whitespace control
    ],
)
def test_variables_and_fallbacks(template: str, cells: dict[str, str], expected: str) -> None:
    assert render(template, lead(**cells)) == expected


@pytest.mark.parametrize(
    ("seed", "expected"),
    [(0, "I noticed Acme"), (1, "I saw that Acme"), (2, "I saw that Acme"), (3, "I noticed Acme")],
)
def test_spintax_is_one_seeded_pick(seed: int, expected: str) -> None:
    """Seeded by (seed, lead email, template): the same preview every run."""
    assert (
        render("{{I noticed|I saw that}} {{company}}", lead(company="Acme"), seed=seed) == expected
    )


def test_spintax_options_are_literal_and_all_can_be_shown() -> None:
    template = "{{Hi {{first_name}}|Hello}} {{a|b|c}}"
    assert render("{{company|Hello}}", lead(company="Acme"), every=True) == "[company | Hello]"
    assert render(template.replace("{{first_name}}", "first_name"), every=True) == (
        "[Hi first_name | Hello] [a | b | c]"
    )


def test_spintax_picks_are_uniform_enough() -> None:
    compiled = compile_template(parse_template("{{a|b|c}}"))
    picks = {
        render_message(compiled, {}, SpinPicker(0, f"lead{i}@example.com", "x")) for i in range(60)
    }
    assert picks == {"a", "b", "c"}


CONDITION = "{% if company %}at {{company}}{% elsif city %}in {{city}}{% else %}hi{% endif %}"


@pytest.mark.parametrize(
    ("template", "cells", "expected"),
    [
        (CONDITION, {"company": "Acme", "city": "Oslo"}, "at Acme"),
        (CONDITION, {"city": "Oslo"}, "in Oslo"),
        (CONDITION, {"company": "  "}, "hi"),  # whitespace only is empty, so false
        (CONDITION, {}, "hi"),
        ("{% unless company %}no company{% endunless %}", {}, "no company"),
        ("{% unless company %}no company{% endunless %}", {"company": "Acme"}, ""),
        ("{% unless city %}a{% else %}b{% endunless %}", {"city": "X"}, "b"),
        ("{% if city == 'Oslo' %}hei{% else %}hi{% endif %}", {"city": "Oslo"}, "hei"),
        ("{% if city == 'Oslo' %}hei{% else %}hi{% endif %}", {"city": "Bergen"}, "hi"),
        ('{% if city != "Oslo" %}not Oslo{% endif %}', {"city": "Bergen"}, "not Oslo"),
        ('{% if city != "Oslo" %}not Oslo{% endif %}', {}, "not Oslo"),
        ('{% if company contains "Inc" %}corp{% endif %}', {"company": "Acme Inc"}, "corp"),
        ('{% if company contains "Inc" %}corp{% endif %}', {"company": "Acme"}, ""),
        ('{% if company contains "Inc" %}corp{% endif %}', {}, ""),
        ("{% if company and city %}both{% endif %}", {"company": "A", "city": "B"}, "both"),
        ("{% if company and city %}both{% endif %}", {"company": "A"}, ""),
        ("{% if company or city %}one{% endif %}", {"city": "B"}, "one"),
        ("{% if company or city %}one{% endif %}", {}, ""),
        ("{% if company == blank %}blank{% endif %}", {}, "blank"),
        ("{% if company == blank %}blank{% endif %}", {"company": " "}, "blank"),
        ("{% if company == blank %}blank{% endif %}", {"company": "A"}, ""),
        ("{% if company == empty %}empty{% endif %}", {"company": ""}, "empty"),
        ("{% if company != empty %}set{% endif %}", {"company": "A"}, "set"),
        ("{% if nickname %}x{% else %}unknown is false{% endif %}", {}, "unknown is false"),
        ("{% if company.size > 3 %}long{% endif %}", {"company": "Acme"}, "long"),
        (
            "{% if company %}{% unless city %}{{company}} only{% endunless %}{% endif %}",
            {"company": "Acme"},
            "Acme only",
        ),
        ("a\n{%- if company -%}\n  x\n{%- endif %}\nb", {"company": "A"}, "ax\nb"),
    ],
)
def test_liquid_conditions(template: str, cells: dict[str, str], expected: str) -> None:
    assert render(template, lead(**cells)) == expected


@pytest.mark.parametrize(
    ("at", "timezone", "expected"),
    [
        # 2026-03-02 is a Monday; New York is UTC-5 in March (before DST on the 8th).
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "UTC", "Monday 1 morning"),
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "America/New_York", "Monday 1 evening"),
        (datetime(2026, 3, 2, 4, 59, tzinfo=UTC), "UTC", "Monday 1 evening"),
        (datetime(2026, 3, 2, 5, 0, tzinfo=UTC), "UTC", "Monday 1 morning"),
        (datetime(2026, 3, 2, 11, 59, tzinfo=UTC), "UTC", "Monday 1 morning"),
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "UTC", "Monday 1 afternoon"),
        (datetime(2026, 3, 2, 16, 59, tzinfo=UTC), "UTC", "Monday 1 afternoon"),
        (datetime(2026, 3, 2, 17, 0, tzinfo=UTC), "UTC", "Monday 1 evening"),
        (datetime(2026, 3, 2, 3, 0, tzinfo=UTC), "America/New_York", "Sunday 7 evening"),
        (datetime(2026, 3, 2, 23, 30, tzinfo=UTC), "Asia/Tokyo", "Tuesday 2 morning"),
        (datetime(2026, 3, 8, 16, 0, tzinfo=UTC), "America/New_York", "Sunday 7 afternoon"),
    ],
)
def test_computed_fields_at_an_instant_in_the_campaign_timezone(
    at: datetime, timezone: str, expected: str
) -> None:
    template = "{{dn_day_name}} {{dn_day_of_week}} {{dn_time_of_day}}"
    assert render(template, at=at, timezone=timezone) == expected


def test_computed_fields_in_conditions() -> None:
    template = "{% if dn_day_of_week == 5 %}Have a good weekend{% else %}Hi{% endif %}"
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    assert render(template, at=friday) == "Have a good weekend"
    assert render(template, at=MONDAY_NOON_UTC) == "Hi"
    tod = "{% if dn_time_of_day == 'morning' %}Good morning{% endif %}"
    assert render(tod, at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC), timezone="Europe/Berlin") == ""
    assert render(tod, at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC), timezone="America/Chicago") == (
        "Good morning"
    )


def test_a_condition_liquid_cannot_read_is_located_at_its_tag() -> None:
    parsed = parse_template("Hi\n{% if company == %}x{% endif %}")
    (error,) = check_conditions(parsed)
    assert error.offset == parsed.text.index("company")
    assert error.message.startswith("Liquid: ")
    with pytest.raises(TemplateError):
        compile_template(parsed)
