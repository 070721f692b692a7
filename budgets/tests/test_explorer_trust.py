"""The budget explorer as people read it: years whose plans are not all enacted are marked,
the provinces chart is ranked, and every count has thousands separators."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from budgets.models import BudgetPlan, PlanStatus
from budgets.tests.test_explorer import seeded  # noqa: F401 (the fixture)
from units.slices import Slice
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("budgets:explorer")


def test_years_with_plans_not_yet_enacted_are_marked(client, seeded):  # noqa: F811
    client.force_login(seeded.executive)
    current = current_fiscal_year()
    # The seed leaves the current year mixed: make sure one plan of it is not enacted.
    plan = BudgetPlan.objects.filter(fiscal_year=current).order_by("pk").first()
    BudgetPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    enacted = BudgetPlan.objects.filter(fiscal_year=current, status=PlanStatus.ENACTED).count()
    response = client.get(URL, {"fiscal_year": current - 1})
    pending = response.context["pending"]
    assert pending == {current: len(seeded.laos) - enacted}  # past years are complete
    trend = response.context["charts"]["trend"]
    assert trend["labels"][-1] == str(current)
    assert trend["pending"][-1] == pending[current] and set(trend["pending"][:-1]) == {0}
    html = response.content.decode()
    assert f'data-pending-year="{current}"' in html
    assert f'data-pending-year="{current - 1}"' not in html
    assert 'id="trend-pending-note"' in html
    # Once every plan of the year is enacted, the mark goes (the cached tables follow).
    BudgetPlan.objects.filter(fiscal_year=current).update(
        status=PlanStatus.ENACTED, enacted_at=timezone.now()
    )
    missing = {lao.pk for lao in seeded.laos} - set(
        BudgetPlan.objects.filter(fiscal_year=current).values_list("lao_id", flat=True)
    )
    response = client.get(URL, {"fiscal_year": current - 1})
    assert response.context["pending"] == ({current: len(missing)} if missing else {})


def test_provinces_chart_is_ranked_highest_first(client, seeded):  # noqa: F811
    client.force_login(seeded.executive)
    response = client.get(URL)
    chart = response.context["charts"]["provinces"]
    assert chart["data"] == sorted(chart["data"], reverse=True)
    assert chart["count"] == 2 and not chart["trimmed"]
    rows = {
        str(row["province"].name_th): float(row["amount"])
        for row in response.context["province_rows"]
    }
    assert sorted(rows.values(), reverse=True) == chart["data"]


def test_counts_have_thousands_separators():
    totals = {
        "active": 7850,
        "enacted": 6543,
        "submitted": 1001,
        "returned": 12,
        "draft": 1234,
        "none": 0,
    }
    html = render_to_string(
        "budgets/_explorer_summary.html",
        {
            "totals": totals,
            "slice": Slice(fiscal_year=2570),
            "level": type("Level", (), {"total": Decimal("1234567.5")})(),
        },
    )
    for text in ("7,850", "6,543", "1,001", "1,234", "1,234,567.50"):
        assert text in html, text
