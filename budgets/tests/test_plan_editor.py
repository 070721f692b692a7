"""The plan editor guides: a new plan's year, works of the line's programme only, amounts with
separators, one error summary linked to the lines, the fiscal year's months in English."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import services
from budgets.forms import NewPlanForm
from budgets.models import BudgetPlan, RevenueSource, Work
from budgets.services import LineData
from units.thai import current_fiscal_year, fiscal_year_span_en

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)  # fiscal year 2569
YEAR = 2570


def line_data(world, plan, **line):
    data = {
        "version": plan.version,
        "line-TOTAL_FORMS": "1",
        "line-INITIAL_FORMS": "0",
        "line-0-programme": world.education.pk,
        "line-0-work": "",
        "line-0-expense_type": world.materials.pk,
        "line-0-item": "วัสดุการศึกษา",
        "line-0-amount": "1,000",
    }
    data |= {f"line-0-{name}": value for name, value in line.items()}
    for source in RevenueSource.objects.all():
        data[f"rev-source_{source.pk}"] = ""
    return data


@pytest.mark.parametrize(
    ("taken", "chosen", "offered"),
    [
        (set(), 2569, [2570, 2569, 2568]),
        ({2569}, 2570, [2570, 2568]),  # this year's plan exists: next year's
        ({2569, 2570}, 2568, [2568]),  # only last year's is left
    ],
)
def test_a_new_plan_defaults_to_the_first_year_without_a_plan(taken, chosen, offered):
    form = NewPlanForm(today=TODAY, taken_years=frozenset(taken))
    assert form.fields["fiscal_year"].initial == chosen
    assert [year for year, _label in form.fields["fiscal_year"].choices] == offered


def test_the_new_plan_page_leaves_out_years_that_have_a_plan(client, world):
    services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    client.force_login(world.officer)
    form = client.get(reverse("budgets:plan-new")).context["form"]
    assert YEAR not in [year for year, _label in form.fields["fiscal_year"].choices]
    assert form.fields["fiscal_year"].initial != YEAR


def test_the_work_must_belong_to_the_lines_programme(client, world):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    client.force_login(world.officer)
    url = reverse("budgets:plan-edit", args=[plan.pk])
    other = Work.objects.exclude(programme=world.education).first()
    response = client.post(url, line_data(world, plan, work=other.pk))
    assert response.status_code == 400
    assert response.context["formset"].forms[0].has_error("work")
    assert not BudgetPlan.objects.get(pk=plan.pk).lines.exists()
    own = Work.objects.filter(programme=world.education).first()
    response = client.post(url, line_data(world, plan, work=own.pk))
    assert response.status_code == 302
    assert plan.lines.get().work == own


def test_the_work_options_name_their_programme(client, world):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    client.force_login(world.officer)
    html = client.get(reverse("budgets:plan-edit", args=[plan.pk])).content.decode()
    work = Work.objects.filter(programme=world.education).first()
    assert re.search(rf'<option value="{work.pk}" data-programme="{world.education.pk}">', html)
    assert f'<optgroup label="{world.education.name_th}">' in html


def test_saved_amounts_are_shown_with_separators(client, world):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุ", Decimal("1250000.5"))],
        revenues={},
    )
    client.force_login(world.officer)
    html = client.get(reverse("budgets:plan-edit", args=[plan.pk])).content.decode()
    assert 'value="1,250,000.50"' in html


def test_the_editor_has_one_error_summary_linked_to_the_lines(client, world):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    client.force_login(world.officer)
    data = line_data(world, plan, amount="a lot")
    grant = RevenueSource.objects.get(key="GENERAL_GRANT")
    data[f"rev-source_{grant.pk}"] = "-5"
    response = client.post(reverse("budgets:plan-edit", args=[plan.pk]), data)
    html = response.content.decode()
    assert html.count('class="error-summary"') == 1
    assert '<a href="#id_line-0-amount">' in html
    assert f'<a href="#id_rev-source_{grant.pk}">' in html
    assert html.index('class="error-summary"') < html.index('id="id_line-0-programme"')
    assert 'id="id_line-0-amount_error"' in html  # beside the field too


def test_the_fiscal_years_months_are_given_in_english(english_client, world):
    english_client.force_login(world.officer)
    html = english_client.get(reverse("budgets:plan-new")).content.decode()
    current = current_fiscal_year()
    assert f"FY {current} ({fiscal_year_span_en(current)})</option>" in html
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    html = english_client.get(reverse("budgets:plan-edit", args=[plan.pk])).content.decode()
    assert "(Oct 2026 – Sep 2027)</h1>" in html
