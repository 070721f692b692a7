"""The executive project dashboard: totals, rates and stages from the rollup; lagging projects
from Project; report submission by quarter and province."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budgets.importers import classification_import
from budgets.models import Programme
from projects import dashboard
from projects.demo import development_plans_seed, projects_seed
from projects.models import Project, ReportStatus, Stage
from projects.rollups import rollups_rebuild
from projects.tests.factories import ProgressReportFactory
from units import thai
from units.models import LAOKind, Role, User
from units.tests.factories import TwoProvinces, UserFactory, two_provinces
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("projects:dashboard")
LAGGING_URL = reverse("projects:dashboard-lagging")


@dataclass
class Seeded(TwoProvinces):
    executive: User
    citizen: User


@pytest.fixture
def seeded() -> Seeded:
    """Two provinces with LAOs of two kinds, two years of demo projects, the rollup rebuilt."""
    classification_import()
    provinces = two_provinces(
        [LAOKind.SAO, LAOKind.SUBDISTRICT_MUNICIPALITY], [LAOKind.SAO, LAOKind.TOWN_MUNICIPALITY]
    )
    ids = [lao.pk for lao in provinces.laos]
    development_plans_seed(lao_ids=ids)
    projects_seed(lao_ids=ids, years=2)
    rollups_rebuild()
    return Seeded(
        **vars(provinces),
        executive=UserFactory(role=Role.EXECUTIVE, username="exec"),
        citizen=UserFactory(role=Role.CITIZEN, username="citizen"),
    )


def sums(**filters):
    values = Project.objects.filter(**filters).aggregate(
        budget=Sum("budget_amount"), disbursed=Sum("disbursed_total"), projects=Count("pk")
    )
    return (values["budget"] or Decimal(0), values["disbursed"] or Decimal(0), values["projects"])


def figures_tuple(figures):
    return (figures.budget, figures.disbursed, figures.projects)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_elapsed_share_of_the_fiscal_year():
    start, end = thai.fiscal_year_range(2569)
    assert dashboard.elapsed_share(fiscal_year=2569, today=start - datetime.timedelta(1)) == 0
    assert dashboard.elapsed_share(fiscal_year=2569, today=end) == 1
    assert dashboard.elapsed_share(fiscal_year=2569, today=end + datetime.timedelta(1)) == 1
    half = dashboard.elapsed_share(fiscal_year=2569, today=datetime.date(2026, 4, 1))
    assert Decimal("0.49") < half < Decimal("0.51")


def test_anonymous_is_sent_to_login_and_citizens_get_404(client, seeded):
    for url in (URL, LAGGING_URL, reverse("projects:dashboard-download", args=["kinds", "csv"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    client.force_login(seeded.citizen)
    for url in (URL, LAGGING_URL, reverse("projects:dashboard-download", args=["kinds", "csv"])):
        assert client.get(url).status_code == 404


def test_nation_totals_rates_and_stages_equal_the_projects(
    client, seeded, django_assert_max_num_queries
):
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    with django_assert_max_num_queries(12):
        response = english(client).get(URL)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert response.context["slice"].fiscal_year == year
    assert figures_tuple(board.total) == sums(fiscal_year=year)
    stage_counts = dict(
        Project.objects.filter(fiscal_year=year)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert {row["stage"]: row["count"] for row in board.stages} == {
        stage: stage_counts.get(stage, 0) for stage in Stage.values
    }
    north = seeded.north
    province_rows = {row["province"].code: row for row in board.provinces}
    assert set(province_rows) == {"30", "31"}
    assert figures_tuple(province_rows["30"]["figures"]) == sums(
        fiscal_year=year, lao__province=north
    )
    kinds = {str(row["kind"]): row for row in board.kinds}
    assert figures_tuple(kinds[str(LAOKind.SAO.label)]["figures"]) == sums(
        fiscal_year=year, lao__kind=LAOKind.SAO
    )
    programme = Programme.objects.get(key="INDUSTRY_PUBLIC_WORKS")
    programmes = {row["programme"].pk: row for row in board.programmes}
    assert figures_tuple(programmes[programme.pk]["figures"]) == sums(
        fiscal_year=year, programme=programme
    )
    assert board.elapsed == dashboard.elapsed_share(fiscal_year=year)
    content = response.content.decode()
    assert 'id="project-dashboard-charts"' in content
    assert "Lagging projects" in content


def test_province_level_with_kind_and_programme(client, seeded, django_assert_max_num_queries):
    client.force_login(seeded.executive)
    year = current_fiscal_year() - 1
    programme = Programme.objects.get(key="INDUSTRY_PUBLIC_WORKS")
    query = {"fiscal_year": year, "province": "30", "kind": LAOKind.SAO, "programme": programme.key}
    with django_assert_max_num_queries(12):
        response = client.get(URL, query)
    board = response.context["dashboard"]
    assert board.provinces == []
    assert figures_tuple(board.total) == sums(
        fiscal_year=year,
        lao__province=seeded.north,
        lao__kind=LAOKind.SAO,
        programme=programme,
    )
    assert [row["programme"].pk for row in board.programmes] == [programme.pk]
    for project in response.context["lagging"].rows:
        assert project.lao.province_id == seeded.north.pk
        assert project.programme_id == programme.pk


def test_a_bad_filter_value_is_ignored(client, seeded):
    client.force_login(seeded.executive)
    response = client.get(URL, {"province": "99", "fiscal_year": "abc"})
    assert response.status_code == 200
    assert response.context["slice"].province is None


def test_cached_tables_are_keyed_by_the_valid_filters_and_keep_no_junk(client, seeded):
    """Junk parameters or another order of the same filters reuse one cached entry, and no raw
    input reaches the cached tables' links."""
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    keys, pages = set(), []
    for query in (
        f"?fiscal_year={year}&kind=sao&utm_source=junk",
        f"?utm_source=other&kind=sao&fiscal_year={year}&province=ZZ",
        f"?kind=sao&fiscal_year={year}",
    ):
        response = client.get(URL + query)
        keys.add((response.context["tables_key"], response.context["reports_key"]))
        # What follows the filter form (the language switch keeps the full path, on purpose).
        html = response.content.decode().split('class="filter-form explorer-filters"', 1)[1]
        pages.append(html.split("</form>", 1)[1].split('class="language-switch', 1)[0])
    assert len(keys) == 1
    assert "utm_source" not in pages[0] and "ZZ" not in pages[1]


def expected_lagging(year, **filters):
    today = timezone.localdate()
    threshold = dashboard.elapsed_share(fiscal_year=year) - dashboard.UNDER_DISBURSED_MARGIN
    found = []
    for project in Project.objects.filter(
        fiscal_year=year, stage__in=dashboard.OPEN_STAGES, **filters
    ):
        behind = project.planned_end and project.planned_end < today
        base = project.contract_amount or project.budget_amount
        under = (
            threshold > 0
            and project.stage in (Stage.CONTRACTED, Stage.IN_PROGRESS)
            and project.disbursed_total < base * threshold
        )
        if behind or under:
            found.append(project.pk)
    return found


def test_lagging_projects_pages_and_lao_drill_down(client, seeded, django_assert_max_num_queries):
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    # Make sure there is something behind schedule and something under-disbursed.
    start, _ = thai.fiscal_year_range(year)
    Project.objects.filter(fiscal_year=year, stage=Stage.PROCUREMENT).update(
        planned_end=start + datetime.timedelta(days=1)
    )
    expected = expected_lagging(year)
    assert len(expected) > dashboard.LAGGING_PAGE_SIZE
    shown = []
    page = 1
    while True:
        with django_assert_max_num_queries(8):
            response = client.get(LAGGING_URL, {"page": page})
        lagging = response.context["lagging"]
        shown += [project.pk for project in lagging.rows]
        if not lagging.has_next:
            break
        page += 1
    assert sorted(shown) == sorted(expected)

    lao = seeded.laos[3]
    response = client.get(LAGGING_URL, {"lao": lao.dla_code})
    assert response.status_code == 200
    assert [p.pk for p in response.context["lagging"].rows] == sorted(
        expected_lagging(year, lao=lao),
        key=lambda pk: Project.objects.get(pk=pk).code,
    )[: dashboard.LAGGING_PAGE_SIZE]
    assert client.get(LAGGING_URL, {"lao": "0000000"}).status_code == 404


def test_report_submission_by_quarter_and_province(client, seeded):
    year = current_fiscal_year()
    north_lao, south_lao = seeded.laos[0], seeded.laos[2]
    due = datetime.date(2026, 1, 31)
    ProgressReportFactory(
        lao=north_lao, fiscal_year=year, quarter=1, due_date=due, status=ReportStatus.ACCEPTED
    )
    ProgressReportFactory(
        lao=seeded.laos[1], fiscal_year=year, quarter=1, due_date=due, status=ReportStatus.SUBMITTED
    )
    ProgressReportFactory(
        lao=south_lao, fiscal_year=year, quarter=2, due_date=due, status=ReportStatus.RETURNED
    )
    client.force_login(seeded.executive)
    rows = {row["province"].code: row for row in client.get(URL).context["reports"]}
    assert rows["30"]["quarters"][0][ReportStatus.ACCEPTED] == 1
    assert rows["30"]["quarters"][0][ReportStatus.SUBMITTED] == 1
    assert rows["30"]["quarters"][1][ReportStatus.ACCEPTED] == 0
    assert rows["31"]["quarters"][1][ReportStatus.RETURNED] == 1


def test_downloads_follow_the_filters(client, seeded):
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    url = reverse("projects:dashboard-download", args=["provinces", "csv"])
    response = english(client).get(url, {"fiscal_year": year})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Province code", "Province", "Projects"]
    by_code = {row[0]: row for row in rows[1:]}
    assert int(by_code["30"][2]) == sums(fiscal_year=year, lao__province=seeded.north)[2]

    url = reverse("projects:dashboard-download", args=["stages", "xlsx"])
    response = client.get(url, {"fiscal_year": year, "province": "31"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    counted = sum(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert counted == sums(fiscal_year=year, lao__province=seeded.south)[2]
    assert client.get(reverse("projects:dashboard-download", args=["nope", "csv"])).status_code == (
        404
    )
