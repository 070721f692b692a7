"""Dashboards people can read: ranked province charts, a province's LAOs on the project
dashboard, and links between the dashboard, the budget explorer and the profile."""

import pytest
from django.urls import reverse

from projects import dashboard
from projects.models import Project
from projects.tests.test_dashboard import seeded  # noqa: F401 (the fixture)
from units.charts import GAP_LABEL, ranked_chart
from units.models import LAOKind
from units.slices import Slice
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("projects:dashboard")


def test_ranked_chart_keeps_the_highest_and_lowest_of_many():
    rows = [{"name": f"p{n:02d}", "value": n} for n in range(77)]
    chart = ranked_chart(rows, value=lambda r: r["value"], label=lambda r: r["name"])
    assert chart["trimmed"] and chart["count"] == 77
    assert chart["labels"][:3] == ["p76", "p75", "p74"]
    assert chart["labels"][10] == GAP_LABEL and chart["data"][10] is None
    assert chart["labels"][-1] == "p00" and len(chart["labels"]) == 21
    few = ranked_chart(rows[:5], value=lambda r: r["value"], label=lambda r: r["name"])
    assert not few["trimmed"] and few["data"] == [4, 3, 2, 1, 0]


def test_rate_chart_is_ranked_and_says_what_it_shows(client, seeded):  # noqa: F811
    client.force_login(seeded.executive)
    response = client.get(URL)
    rates = response.context["charts"]["rates"]
    assert rates["data"] == sorted(rates["data"], reverse=True)
    assert rates["count"] == 2 and not rates["trimmed"]
    assert "chart-note" in response.content.decode()


def test_province_level_lists_its_laos_with_their_figures_and_links(
    client,
    seeded,  # noqa: F811
    django_assert_max_num_queries,
):
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    with django_assert_max_num_queries(13):  # the province level's 12, and its LAOs
        response = client.get(URL, {"province": seeded.north.code})
    rows = response.context["lao_rows"]
    north = [lao for lao in seeded.laos if lao.province_id == seeded.north.pk]
    assert [row["lao"].pk for row in rows] == [
        lao.pk for lao in sorted(north, key=lambda lao: lao.dla_code)
    ]
    for row in rows:
        projects = Project.objects.filter(lao_id=row["lao"].pk, fiscal_year=year)
        assert row["figures"].projects == projects.count()
        assert row["figures"].budget == sum(p.budget_amount for p in projects)
        assert row["figures"].disbursed == sum(p.disbursed_total for p in projects)
    html = response.content.decode()
    section = html[html.index('id="lao-table"') :]
    lao = north[0]
    assert f'href="{reverse("projects:dashboard-lagging")}?' in section
    assert f"lao={lao.dla_code}" in section
    assert f'href="{lao.get_absolute_url()}"' in section
    assert f'href="{reverse("budgets:explorer-lao", args=[lao.url_code])}"' in section
    # The nation level has no LAO table; a kind keeps only that kind's LAOs.
    assert client.get(URL).context["lao_rows"] == []
    only = client.get(URL, {"province": seeded.north.code, "kind": LAOKind.SAO})
    assert {row["lao"].pk for row in only.context["lao_rows"]} == {
        lao.pk for lao in north if lao.kind == LAOKind.SAO
    }


def test_province_lao_rows_read_one_query(seeded, django_assert_num_queries):  # noqa: F811
    the_slice = Slice(fiscal_year=current_fiscal_year(), province=seeded.south)
    with django_assert_num_queries(1):
        rows = dashboard.province_lao_rows(slice=the_slice, elapsed=dashboard.ZERO)
    assert len(rows) == 2
