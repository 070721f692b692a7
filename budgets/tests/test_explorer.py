"""The national budget explorer: nation → province → LAO, read from the rollups."""

import csv
import dataclasses
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from budgets import explorer, services
from budgets.demo import budgets_seed
from budgets.forms import ExplorerForm
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    ExpenseCategory,
    ExpenseType,
    PlanStatus,
    Programme,
    RevenueSource,
    Sector,
)
from budgets.rollups import rollups_rebuild
from budgets.services import LineData
from budgets.tests.factories import BudgetPlanFactory
from units.models import LAOKind, Role, User
from units.tests.factories import (
    ProvinceFactory,
    TwoProvinces,
    UserFactory,
    lao_in,
    two_provinces,
)
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("budgets:explorer")


@dataclass
class Seeded(TwoProvinces):
    executive: User
    admin: User
    admin2: User
    editor: User
    citizen: User
    officer: User  # of laos[0]
    staff: User  # of the north


@pytest.fixture
def seeded(classification) -> Seeded:
    """Two provinces with LAOs of two kinds, five years of demo plans (past years enacted, the
    current year mixed), rollups rebuilt, and a user of every role."""
    provinces = two_provinces(
        [LAOKind.SAO, LAOKind.SUBDISTRICT_MUNICIPALITY, LAOKind.SAO],
        [LAOKind.SAO, LAOKind.TOWN_MUNICIPALITY],
    )
    budgets_seed(lao_ids=[lao.pk for lao in provinces.laos], years=3)
    rollups_rebuild()
    return Seeded(
        **vars(provinces),
        executive=UserFactory(role=Role.EXECUTIVE, username="exec"),
        admin=UserFactory(role=Role.ADMIN, username="admin"),
        admin2=UserFactory(role=Role.ADMIN, username="admin2"),
        editor=UserFactory(role=Role.EDITOR, username="editor"),
        citizen=UserFactory(role=Role.CITIZEN, username="citizen"),
        officer=UserFactory(role=Role.OFFICER, lao=provinces.laos[0], username="officer"),
        staff=UserFactory(role=Role.PROVINCIAL, province=provinces.north, username="staff"),
    )


def past_year():
    return current_fiscal_year() - 1  # every demo plan of a past year is enacted


def enacted_sum(**filters):
    lines = BudgetLine.objects.filter(plan__status=PlanStatus.ENACTED, **filters)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def level_of(data):
    classification = explorer.explorer_classification()
    years = explorer.explorer_years()
    the_slice = ExplorerForm(data, classification=classification, years=years).slice()
    # A year without rollups yet is not offered by the page's form: read it all the same.
    the_slice = dataclasses.replace(
        the_slice, fiscal_year=data.get("fiscal_year", the_slice.fiscal_year)
    )
    return explorer.explorer_level(slice=the_slice, classification=classification, years=years)


# --- Numbers: the rollup cells equal the sums of enacted lines, slice by slice -----------------


def slices():
    """(query data, BudgetLine filters) pairs; keys are resolved inside the test."""
    return [
        ({}, {}),
        ({"province": "30"}, {"plan__lao__province__code": "30"}),
        ({"kind": LAOKind.SAO}, {"plan__lao__kind": LAOKind.SAO}),
        ({"sector": "COMMUNITY_SOCIAL"}, {"programme__sector__key": "COMMUNITY_SOCIAL"}),
        ({"programme": "EDUCATION"}, {"programme__key": "EDUCATION"}),
        ({"category": "PERSONNEL"}, {"expense_type__category__key": "PERSONNEL"}),
        (
            {"province": "31", "kind": LAOKind.SAO, "programme": "EDUCATION"},
            {
                "plan__lao__province__code": "31",
                "plan__lao__kind": LAOKind.SAO,
                "programme__key": "EDUCATION",
            },
        ),
        (
            {"province": "30", "sector": "GENERAL_ADMIN", "category": "OPERATIONS"},
            {
                "plan__lao__province__code": "30",
                "programme__sector__key": "GENERAL_ADMIN",
                "expense_type__category__key": "OPERATIONS",
            },
        ),
    ]


@pytest.mark.parametrize(("data", "line_filters"), slices())
def test_every_number_of_a_slice_equals_the_sum_of_its_enacted_lines(seeded, data, line_filters):
    assert ExpenseCategory.objects.filter(key__in=["PERSONNEL", "OPERATIONS"]).count() == 2
    year = past_year()
    level = level_of({**data, "fiscal_year": year})
    assert level.total == enacted_sum(plan__fiscal_year=year, **line_filters)
    assert level.total > 0
    for row in level.trend:
        assert row["amount"] == enacted_sum(plan__fiscal_year=row["fiscal_year"], **line_filters)
    for group in level.sectors:
        for row in group["programmes"]:
            assert row["amount"] == enacted_sum(
                plan__fiscal_year=year, programme=row["programme"], **line_filters
            )
    for row in level.categories:
        assert row["amount"] == enacted_sum(
            plan__fiscal_year=year, expense_type__category=row["category"], **line_filters
        )
    assert sum(row["amount"] for row in level.categories) == level.total
    assert sum(group["amount"] for group in level.sectors) == level.total
    if "province" not in data:
        for province in (seeded.north, seeded.south):
            assert level.province_amounts.get(province.pk, 0) == enacted_sum(
                plan__fiscal_year=year, plan__lao__province=province, **line_filters
            )


def test_a_programme_outside_the_chosen_sector_shows_nothing(seeded):
    level = level_of({"sector": "GENERAL_ADMIN", "programme": "EDUCATION"})
    assert level.total == 0 and level.sectors == [] and level.categories == []


def test_enacting_a_plan_moves_the_national_total_by_its_amount(seeded):
    year = current_fiscal_year() + 1
    lao, admin = seeded.laos[0], seeded.admin
    before = level_of({"fiscal_year": year}).total
    plan = services.budget_plan_create(lao=lao, fiscal_year=year, user=admin)
    plan = services.budget_plan_save(
        plan=plan,
        user=admin,
        version=plan.version,
        lines=[
            LineData(
                Programme.objects.get(key="EDUCATION").pk,
                ExpenseType.objects.get(key="MATERIALS").pk,
                "วัสดุ",
                Decimal("1250.50"),
            )
        ],
        revenues={RevenueSource.objects.get(key="GENERAL_GRANT").pk: Decimal("1250.50")},
    )
    plan = services.budget_plan_submit(plan=plan, user=admin, version=plan.version)
    assert level_of({"fiscal_year": year}).total == before
    # Its submitter may not enact it: another administrator does.
    services.budget_plan_enact(plan=plan, user=seeded.admin2, version=plan.version)
    assert level_of({"fiscal_year": year}).total == before + Decimal("1250.50")
    assert level_of({"fiscal_year": year, "programme": "EDUCATION", "province": "30"}).total == (
        Decimal("1250.50")
    )


def test_counts_of_plans_by_province_and_status(seeded):
    year = current_fiscal_year()
    north = seeded.north
    inactive = lao_in(north, is_active=False)
    BudgetPlanFactory(lao=inactive, fiscal_year=year)  # inactive LAOs are not counted
    the_slice = explorer.Slice(fiscal_year=year)
    counts = explorer.explorer_counts(slice=the_slice)
    for province in (north, seeded.south):
        plans = BudgetPlan.objects.filter(
            fiscal_year=year, lao__province=province, lao__is_active=True
        )
        row = counts[province.pk]
        assert row["active"] == 3 if province == north else 2
        for status in explorer.STATUS_COLUMNS:
            assert row[status] == plans.filter(status=status).count()
        assert row[explorer.NO_PLAN] == row["active"] - plans.count()
    sao = explorer.explorer_counts(slice=explorer.Slice(fiscal_year=year, kind=LAOKind.SAO))
    assert sao[north.pk]["active"] == 2


# --- Permissions --------------------------------------------------------------------------------


def explorer_urls(seeded):
    code = seeded.laos[0].dla_code
    return [
        URL,
        URL + "?province=30",
        reverse("budgets:explorer-lao", args=[code]),
        reverse("budgets:explorer-download", args=["provinces", "csv"]),
        reverse("budgets:explorer-lao-download", args=[code, "xlsx"]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, seeded):
    for url in explorer_urls(seeded):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_citizens_get_not_found(client, seeded):
    client.force_login(seeded.citizen)
    for url in explorer_urls(seeded):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["executive", "admin", "editor", "officer", "staff"])
def test_back_office_users_explore(client, seeded, role):
    client.force_login(getattr(seeded, role))
    for url in explorer_urls(seeded):
        assert client.get(url).status_code == 200, url


def test_plan_links_only_for_users_who_may_open_the_plan(client, seeded):
    lao = seeded.laos[0]
    url = reverse("budgets:explorer-lao", args=[lao.dla_code])
    plan = BudgetPlan.objects.filter(lao=lao).first()
    link = reverse("budgets:plan", args=[plan.pk])
    for role, linked in [("executive", True), ("officer", True), ("editor", False)]:
        client.force_login(getattr(seeded, role))
        assert (link in client.get(url).content.decode()) is linked, role
    other = seeded.laos[3]
    client.force_login(seeded.officer)
    other_plan = BudgetPlan.objects.filter(lao=other).first()
    html = client.get(reverse("budgets:explorer-lao", args=[other.dla_code])).content.decode()
    assert reverse("budgets:plan", args=[other_plan.pk]) not in html


def test_the_budgets_index_links_to_the_explorer(client, seeded):
    client.force_login(seeded.executive)
    assert URL in client.get(reverse("budgets:index")).content.decode()


# --- Pages ----------------------------------------------------------------------------------


def add_provinces(count):
    """More provinces and LAOs with enacted plans, to show that queries do not grow with rows."""
    laos = []
    for number in range(count):
        province = ProvinceFactory(code=f"{40 + number}")
        laos += [lao_in(province), lao_in(province, kind=LAOKind.SUBDISTRICT_MUNICIPALITY)]
    budgets_seed(lao_ids=[lao.pk for lao in laos], years=2)
    rollups_rebuild()


@pytest.mark.parametrize("query", ["", "?kind=sao&sector=COMMUNITY_SOCIAL&category=PERSONNEL"])
def test_nation_level_queries_do_not_grow_with_provinces(
    client, seeded, django_assert_num_queries, query
):
    client.force_login(seeded.executive)
    # 9: the eighth reads the enacted plans per year (the years not all enacted are marked).
    with django_assert_num_queries(9):
        response = client.get(URL + query)
    assert response.status_code == 200
    add_provinces(4)
    cache.clear()  # the classification, years and figures are cached: measure the worst case again
    # 9: the eighth reads the enacted plans per year (the years not all enacted are marked).
    with django_assert_num_queries(9):
        response = client.get(URL + query)
    assert len(response.context["province_rows"]) == 6
    html = response.content.decode()
    assert re.search(r'href="\?[^"]*province=30[&"]', html)  # each province links to its level
    assert 'id="chart-provinces"' in html and 'role="img"' in html


def test_nation_level_shows_the_total_the_trend_and_the_counts(client, seeded):
    client.force_login(seeded.executive)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    year = current_fiscal_year()
    assert response.context["slice"].fiscal_year == year  # the latest year with rollups
    level = response.context["level"]
    assert level.total == enacted_sum(plan__fiscal_year=year)
    assert [row["fiscal_year"] for row in level.trend] == [year - 2, year - 1, year]
    totals = response.context["totals"]
    assert totals["active"] == 5
    assert sum(totals[key] for key in (*explorer.STATUS_COLUMNS, explorer.NO_PLAN)) == 5
    html = response.content.decode()
    assert "Budget explorer" in html and "By province" in html and "By expense category" in html
    charts = response.context["charts"]
    assert set(charts) == {"trend", "provinces", "programmes", "categories"}
    assert charts["trend"]["labels"] == [str(y) for y in (year - 2, year - 1, year)]


def test_province_level_lists_its_laos_with_their_plan(client, seeded, django_assert_num_queries):
    client.force_login(seeded.executive)
    year = past_year()
    with django_assert_num_queries(11):  # 10 + the enacted plans per year
        response = client.get(URL + f"?province=30&fiscal_year={year}")
    assert response.status_code == 200
    rows = response.context["lao_rows"]
    assert [row["lao"].pk for row in rows] == [lao.pk for lao in seeded.laos[:3]]
    for row in rows:
        plan = BudgetPlan.objects.get(lao=row["lao"], fiscal_year=year)
        assert row["lao"].plan_status == PlanStatus.ENACTED
        assert row["lao"].plan_total == plan.total_expenditure
    assert response.context["province_rows"] == []
    assert response.context["level"].total == enacted_sum(
        plan__fiscal_year=year, plan__lao__province=seeded.north
    )
    html = response.content.decode()
    assert reverse("budgets:explorer-lao", args=[seeded.laos[0].dla_code]) in html
    # more LAOs in the province: the same number of queries
    for _ in range(4):
        lao_in(seeded.north)
    cache.clear()
    with django_assert_num_queries(11):  # 10 + the enacted plans per year
        response = client.get(URL + f"?province=30&fiscal_year={year}")
    assert response.context["page_obj"].paginator.count == 7


def test_province_level_filters_laos_by_kind_and_plan_status(client, seeded):
    client.force_login(seeded.executive)
    year = current_fiscal_year()
    lao_in(seeded.north)  # no plan
    response = client.get(URL + f"?province=30&fiscal_year={year}&status=none")
    assert all(row["lao"].plan_status is None for row in response.context["lao_rows"])
    assert len(response.context["lao_rows"]) == response.context["totals"]["none"] >= 1
    response = client.get(URL + "?province=30&kind=subdistrict")
    assert [row["lao"].pk for row in response.context["lao_rows"]] == [seeded.laos[1].pk]


def test_lao_level_shows_plans_of_every_year(client, seeded, django_assert_max_num_queries):
    lao = seeded.laos[0]
    client.force_login(seeded.executive)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("budgets:explorer-lao", args=[lao.dla_code]))
    assert response.status_code == 200
    plans = response.context["plans"]
    assert [plan.fiscal_year for plan in plans] == list(
        BudgetPlan.objects.filter(lao=lao)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    summary = response.context["summary"]
    assert summary["latest"].status == PlanStatus.ENACTED
    assert client.get(reverse("budgets:explorer-lao", args=["0000000"])).status_code == 404


def test_a_year_without_enacted_plans_shows_the_empty_state(client, seeded):
    client.force_login(seeded.executive)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    year = current_fiscal_year()
    BudgetPlan.objects.filter(fiscal_year=year).update(status=PlanStatus.SUBMITTED)
    rollups_rebuild()
    response = client.get(URL + f"?fiscal_year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"No enacted budget for fiscal year {year}" in html
    assert 'id="explorer-charts"' not in html
    assert (
        response.context["totals"]["submitted"]
        == BudgetPlan.objects.filter(fiscal_year=year).count()
    )


def test_a_bad_filter_value_is_shown_and_ignored(client, seeded):
    client.force_login(seeded.executive)
    response = client.get(URL + "?province=99&kind=sao")
    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert response.context["slice"].province is None
    assert response.context["slice"].kind == LAOKind.SAO


# --- Downloads ----------------------------------------------------------------------------------


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_tables_download_as_csv_and_xlsx_with_the_same_filters(client, seeded):
    client.force_login(seeded.executive)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    year = past_year()
    query = f"?fiscal_year={year}&kind=sao&programme=EDUCATION"
    level = level_of({"fiscal_year": year, "kind": "sao", "programme": "EDUCATION"})
    url = reverse("budgets:explorer-download", args=["provinces", "csv"]) + query
    rows = read_csv(client.get(url))
    assert rows[0][:3] == ["Province code", "Province", "Enacted budget (baht)"]
    by_code = {row[0]: Decimal(row[2]) for row in rows[1:]}
    assert by_code["30"] == level.province_amounts[seeded.north.pk]
    assert by_code["30"] == enacted_sum(
        plan__fiscal_year=year,
        plan__lao__province=seeded.north,
        plan__lao__kind="sao",
        programme__key="EDUCATION",
    )
    url = reverse("budgets:explorer-download", args=["years", "xlsx"]) + query
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = list(sheet.values)
    assert values[0] == ("Fiscal year", "Enacted budget (baht)")
    assert {row[0]: Decimal(str(row[1])) for row in values[1:]}[year] == level.total
    for table in ("programmes", "categories"):
        response = client.get(reverse("budgets:explorer-download", args=[table, "csv"]) + query)
        assert response.status_code == 200
        assert sum(Decimal(row[-1]) for row in read_csv(response)[1:]) == level.total


def test_the_lao_table_downloads_for_a_province_only(client, seeded):
    client.force_login(seeded.executive)
    url = reverse("budgets:explorer-download", args=["laos", "csv"])
    assert client.get(url).status_code == 404
    rows = read_csv(client.get(url + "?province=31"))
    assert [row[0] for row in rows[1:]] == [lao.dla_code for lao in seeded.laos[3:]]
    assert client.get(reverse("budgets:explorer-download", args=["nope", "csv"])).status_code == 404
    assert (
        client.get(reverse("budgets:explorer-download", args=["years", "pdf"])).status_code == 404
    )


def test_the_plans_of_an_lao_download(client, seeded):
    client.force_login(seeded.executive)
    lao = seeded.laos[0]
    response = client.get(reverse("budgets:explorer-lao-download", args=[lao.dla_code, "csv"]))
    rows = read_csv(response)
    assert len(rows) == 1 + BudgetPlan.objects.filter(lao=lao).count()


def test_sector_keys_of_the_tests_exist(seeded):
    assert set(Sector.objects.values_list("key", flat=True)) >= {
        "GENERAL_ADMIN",
        "COMMUNITY_SOCIAL",
    }


def test_the_cached_tables_follow_an_enactment_at_once(client, seeded):
    """The tables are cached under their data: an enacted plan shows on the next request."""
    client.force_login(seeded.executive)
    year, lao, admin = current_fiscal_year() + 1, seeded.laos[3], seeded.admin
    html = client.get(URL + "?programme=EDUCATION").content.decode()
    assert "1,234,567.89" not in html
    plan = services.budget_plan_create(lao=lao, fiscal_year=year, user=admin)
    plan = services.budget_plan_save(
        plan=plan,
        user=admin,
        version=plan.version,
        lines=[
            LineData(
                Programme.objects.get(key="EDUCATION").pk,
                ExpenseType.objects.get(key="MATERIALS").pk,
                "วัสดุ",
                Decimal("1234567.89"),
            )
        ],
        revenues={},
    )
    plan = services.budget_plan_submit(
        plan=plan, user=admin, version=plan.version, imbalance_reason="เงินสะสม"
    )
    services.budget_plan_enact(plan=plan, user=seeded.admin2, version=plan.version)
    response = client.get(URL + "?programme=EDUCATION")
    assert response.context["slice"].fiscal_year == year  # the newest year with an enacted plan
    html = response.content.decode()
    assert html.count("1,234,567.89") >= 4  # total, trend, province row and programme row


def test_the_cached_tables_are_keyed_by_the_valid_filters_not_the_raw_query(client, seeded):
    """Junk parameters, invalid values or another order of the same filters reuse one cached
    entry, and no raw input reaches the cached tables' links."""
    client.force_login(seeded.executive)
    year = past_year()
    keys, pages = set(), []
    for query in (
        f"?fiscal_year={year}&kind=sao&utm_source=junk",
        f"?utm_source=other&kind=sao&fiscal_year={year}&province=ZZ",
        f"?kind=sao&fiscal_year={year}",
    ):
        response = client.get(URL + query)
        keys.add(response.context["fingerprint"])
        # What follows the filter form (the language switch above keeps the full path).
        html = response.content.decode().split('class="filter-form explorer-filters"', 1)[1]
        pages.append(html.split("</form>", 1)[1])
    assert len(keys) == 1
    assert "utm_source" not in pages[0] and "ZZ" not in pages[1]
    assert f'href="?fiscal_year={year}&amp;kind=sao&amp;province=30"' in pages[0]


# --- Unpublished plans: only for those who prepare, review or read everything -----------------


def with_draft(seeded, lao):
    """The LAO's plan of the current year, made a draft (created when the seed left none)."""
    year = current_fiscal_year()
    plan = BudgetPlan.objects.filter(lao=lao, fiscal_year=year).first()
    if plan is None:
        plan = services.budget_plan_create(lao=lao, fiscal_year=year, user=seeded.admin)
    BudgetPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    return plan


# (who, which LAO: 0 = the officer's own LAO in the staff's province, 3 = another province)
SCOPES = [
    ("officer", 3, False),  # an officer of another LAO
    ("editor", 0, False),
    ("staff", 3, False),  # provincial staff of another province
    ("officer", 0, True),  # the LAO's own officer
    ("staff", 0, True),  # the staff of its province
    ("executive", 3, True),
    ("admin", 3, True),
]


@pytest.mark.parametrize(("role", "index", "sees_drafts"), SCOPES)
def test_the_lao_level_and_its_download_show_unpublished_plans_only_in_scope(
    client, seeded, role, index, sees_drafts
):
    lao = seeded.laos[index]
    draft = with_draft(seeded, lao)
    client.force_login(getattr(seeded, role))
    page = client.get(reverse("budgets:explorer-lao", args=[lao.dla_code]))
    years = [plan.fiscal_year for plan in page.context["plans"]]
    assert (draft.fiscal_year in years) is sees_drafts
    if not sees_drafts:
        assert {plan.status for plan in page.context["plans"]} <= {PlanStatus.ENACTED}
        assert years  # the enacted plans of the past years still show
    for file_format in ("csv", "xlsx"):
        url = reverse("budgets:explorer-lao-download", args=[lao.dla_code, file_format])
        response = client.get(url)
        assert response.status_code == 200
        if file_format == "csv":
            rows = read_csv(response)[1:]
            assert (str(draft.fiscal_year) in [row[0] for row in rows]) is sees_drafts
            assert len(rows) == len(years)


@pytest.mark.parametrize(("role", "index", "sees_drafts"), SCOPES)
def test_the_province_table_shows_unpublished_plans_only_in_scope(
    client, seeded, role, index, sees_drafts
):
    lao = seeded.laos[index]
    with_draft(seeded, lao)
    client.force_login(getattr(seeded, role))
    province = lao.province.code
    year = current_fiscal_year()
    response = client.get(URL, {"province": province, "fiscal_year": year})
    row = next(row["lao"] for row in response.context["lao_rows"] if row["lao"].pk == lao.pk)
    if sees_drafts:
        assert row.plan_status == PlanStatus.DRAFT and row.plan_total is not None
    else:
        assert row.plan_status is None and row.plan_total is None and row.plan_pk is None
    drafts = client.get(URL, {"province": province, "fiscal_year": year, "status": "draft"})
    listed = [row["lao"].pk for row in drafts.context["lao_rows"]]
    assert (lao.pk in listed) is sees_drafts
    download = client.get(
        reverse("budgets:explorer-download", args=["laos", "csv"]),
        {"province": province, "fiscal_year": year, "status": "draft"},
    )
    assert (lao.dla_code in [r[0] for r in read_csv(download)[1:]]) is sees_drafts
