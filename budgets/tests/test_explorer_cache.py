"""The budget explorer at national scale: what it caches (the classification, the years and the
shaped rollup cells, under the stamps of what they are read from) follows every kind of write at
once, the plan counts are read live in one statement, and a cached level is shared by every
back-office user without leaking what only some of them may see."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets import explorer, services
from budgets.demo import budgets_seed
from budgets.importers import classification_import
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    ExpenseCategory,
    ExpenseType,
    PlanStatus,
    Programme,
    Sector,
)
from budgets.rollups import rollups_rebuild
from budgets.services import LineData
from budgets.tests.factories import BudgetPlanFactory
from budgets.tests.test_explorer import seeded, with_draft  # noqa: F401 (the fixture)
from units.models import LAOKind
from units.slices import Slice
from units.tests.factories import lao_in
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("budgets:explorer")


def warm(client, user, query=""):
    """Log in and open the page once, so the next request reads the cache."""
    client.force_login(user)
    assert client.get(URL + query).status_code == 200


def enacted_total(**filters):
    lines = BudgetLine.objects.filter(plan__status=PlanStatus.ENACTED, **filters)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def enact_new_plan(seeded, lao, year, amount="1234567.89"):  # noqa: F811
    """A plan of `year` for `lao`, written through the workflow up to its enactment."""
    admin = seeded.admin
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
                Decimal(amount),
            )
        ],
        revenues={},
    )
    plan = services.budget_plan_submit(
        plan=plan, user=admin, version=plan.version, imbalance_reason="เงินสะสม"
    )
    return services.budget_plan_enact(plan=plan, user=seeded.admin2, version=plan.version)


# --- Queries: a cached page reads the stamps, the plan counts and (province) its LAOs ----------


def test_a_cached_nation_level_reads_four_queries(client, seeded, django_assert_num_queries):  # noqa: F811
    warm(client, seeded.executive)
    # session, user, the stamps of the cached classification/years/level, the plan counts
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.context["level"].total == enacted_total(
        plan__fiscal_year=response.context["slice"].fiscal_year
    )


def test_a_cached_province_level_reads_six_queries(client, seeded, django_assert_num_queries):  # noqa: F811
    query = f"?province=30&fiscal_year={current_fiscal_year() - 1}"
    warm(client, seeded.executive, query)
    # session, user, stamps, plan counts, the number of the province's LAOs and their page
    with django_assert_num_queries(6):
        response = client.get(URL + query)
    assert [row["lao"].pk for row in response.context["lao_rows"]] == [
        lao.pk for lao in seeded.laos[:3]
    ]


# --- Every kind of write shows on the next request of a cached page -----------------------------


def test_an_enactment_shows_on_a_cached_page(client, seeded):  # noqa: F811
    year = current_fiscal_year()
    query = f"?province=30&fiscal_year={year}"
    lao = lao_in(seeded.north)  # no plan yet (made first: a new LAO moves the registry's stamp)
    warm(client, seeded.executive, query)
    before = client.get(URL, {"fiscal_year": year}).context["level"].total
    enact_new_plan(seeded, lao, year, amount="1000.25")
    nation = client.get(URL, {"fiscal_year": year})
    assert nation.context["level"].total == before + Decimal("1000.25")
    province = client.get(URL + query)
    assert province.context["level"].total == enacted_total(
        plan__fiscal_year=year, plan__lao__province=seeded.north
    )


def test_the_first_enacted_plan_of_a_new_year_adds_the_year(client, seeded):  # noqa: F811
    warm(client, seeded.executive)
    year = current_fiscal_year() + 1
    assert year not in client.get(URL).context["form"].years
    enact_new_plan(seeded, seeded.laos[3], year)
    response = client.get(URL)
    assert response.context["form"].years[0] == year
    assert response.context["slice"].fiscal_year == year


def test_a_rebuild_of_the_rollup_shows_on_a_cached_page(client, seeded):  # noqa: F811
    year = current_fiscal_year() - 1
    lao = lao_in(seeded.south, kind=LAOKind.SAO)
    warm(client, seeded.executive, f"?fiscal_year={year}")
    budgets_seed(lao_ids=[lao.pk], years=3)
    rollups_rebuild(fiscal_year=year)
    response = client.get(URL, {"fiscal_year": year})
    assert response.context["level"].total == enacted_total(plan__fiscal_year=year)
    south = next(
        row for row in response.context["province_rows"] if row["province"] == seeded.south
    )
    assert south["amount"] == enacted_total(
        plan__fiscal_year=year, plan__lao__province=seeded.south
    )


@pytest.mark.parametrize("model", [Sector, ExpenseCategory])
def test_a_renamed_classification_item_shows_on_a_cached_page(client, seeded, model):  # noqa: F811
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    warm(client, seeded.executive)
    used = {
        Sector: lambda level: level.sectors[0]["sector"],
        ExpenseCategory: lambda level: level.categories[0]["category"],
    }[model](client.get(URL).context["level"])
    item = model.objects.get(pk=used.pk)
    item.name_en = "Renamed in the admin"
    item.save()  # what the admin does
    html = client.get(URL).content.decode()
    assert "Renamed in the admin" in html


def test_a_classification_import_shows_on_a_cached_page(client, seeded):  # noqa: F811
    Sector.objects.filter(key="ECONOMIC").update(name_th="ชื่อเก่า")  # as if edited long ago
    warm(client, seeded.executive)  # cached with the old name
    classification_import()  # the reference file's name comes back, and the stamp moves
    names = {item.name_th for item in client.get(URL).context["form"].classification.sectors}
    assert "ชื่อเก่า" not in names
    assert Sector.objects.get(key="ECONOMIC").name_th in names


def test_a_renamed_province_shows_on_a_cached_page(client, seeded):  # noqa: F811
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    warm(client, seeded.executive)
    seeded.south.name_en = "Renamed province"
    seeded.south.save()  # the registry's signal moves its stamp
    html = client.get(URL).content.decode()
    assert "Renamed province" in html


def test_plan_counts_are_current_on_a_cached_page(client, seeded):  # noqa: F811
    year = current_fiscal_year()
    warm(client, seeded.executive, f"?fiscal_year={year}")
    totals = client.get(URL, {"fiscal_year": year}).context["totals"]
    lao = lao_in(seeded.north)
    after_new_lao = client.get(URL, {"fiscal_year": year}).context["totals"]
    assert after_new_lao["active"] == totals["active"] + 1
    assert after_new_lao["none"] == totals["none"] + 1
    services.budget_plan_create(lao=lao, fiscal_year=year, user=seeded.admin)
    after_draft = client.get(URL, {"fiscal_year": year}).context["totals"]
    assert after_draft["draft"] == after_new_lao["draft"] + 1
    assert after_draft["none"] == after_new_lao["none"] - 1


def test_years_not_all_enacted_follow_the_workflow_on_a_cached_page(client, seeded):  # noqa: F811
    year = current_fiscal_year()
    past = year - 1
    warm(client, seeded.executive, f"?fiscal_year={past}")
    assert client.get(URL, {"fiscal_year": past}).context["pending"].get(past, 0) == 0
    lao_in(seeded.north)  # a new LAO: every year now misses its plan
    pending = client.get(URL, {"fiscal_year": past}).context["pending"]
    assert pending[past] == 1
    BudgetPlan.objects.filter(fiscal_year=year).update(
        status=PlanStatus.ENACTED, enacted_at=timezone.now()
    )
    pending = client.get(URL, {"fiscal_year": past}).context["pending"]
    assert pending[past] == 1 and pending[year] == 1 + (
        len(seeded.laos) - BudgetPlan.objects.filter(fiscal_year=year).count()
    )


# --- Plan counts: one statement, the same numbers for every slice -------------------------------


def expected_counts(the_slice, years):
    """The plan counts and the years not all enacted, counted row by row."""
    laos = list(explorer._active_laos(the_slice))
    active = len(laos)
    plans = {(plan.lao_id, plan.fiscal_year): plan.status for plan in BudgetPlan.objects.all()}
    pending = {}
    for year in years:
        enacted = sum(plans.get((lao.pk, year)) == PlanStatus.ENACTED for lao in laos)
        if enacted < active:
            pending[year] = active - enacted
    return active, pending


@pytest.mark.parametrize(
    "cut",
    [{}, {"province": "north"}, {"kind": LAOKind.SAO}, {"province": "south", "kind": LAOKind.SAO}],
)
def test_plan_counts_and_pending_years_of_every_slice(seeded, cut):  # noqa: F811
    year = current_fiscal_year()
    years = [year - 2, year - 1, year]
    # An inactive LAO's enacted plans count nowhere, and the nation level subtracts them.
    inactive = lao_in(seeded.north, is_active=False, kind=LAOKind.SAO)
    for fiscal_year in years:
        BudgetPlanFactory(
            lao=inactive,
            fiscal_year=fiscal_year,
            status=PlanStatus.ENACTED,
            enacted_at=timezone.now(),
        )
    lao_in(seeded.south, kind=LAOKind.SAO)  # an active LAO without any plan
    province = getattr(seeded, cut["province"]) if "province" in cut else None
    the_slice = Slice(fiscal_year=year, province=province, kind=cut.get("kind", ""))
    counts, pending = explorer.explorer_plan_counts(slice=the_slice, years=years)
    active, expected_pending = expected_counts(the_slice, years)
    assert sum(row["active"] for row in counts.values()) == active
    assert pending == expected_pending
    assert counts == explorer.explorer_counts(slice=the_slice)


def test_the_national_count_of_enacted_plans_does_not_join_every_plan_to_its_lao(seeded):  # noqa: F811
    """At national scale the join of five years of plans to the active LAOs costs five times
    the count: only the inactive LAOs' plans are joined, to be subtracted."""
    year = current_fiscal_year()
    with CaptureQueriesContext(connection) as queries:
        explorer.explorer_plan_counts(slice=Slice(fiscal_year=year), years=[year - 1, year])
    (sql,) = [query["sql"] for query in queries.captured_queries]
    enacted_parts = sql.split(" UNION ALL ")[1:]
    assert len(enacted_parts) == 2
    assert '"units_lao"' not in enacted_parts[0]
    assert 'NOT "units_lao"."is_active"' in enacted_parts[1]


# --- One cached level for every back-office user; what is per user stays per user --------------


def test_a_level_cached_by_an_executive_shows_staff_only_their_scope(client, seeded):  # noqa: F811
    year = current_fiscal_year()
    other = seeded.laos[3]  # in the south: not the staff's province
    with_draft(seeded, other)
    query = {"province": other.province.code, "fiscal_year": year}
    client.force_login(seeded.executive)
    executive_view = client.get(URL, query)
    row = next(r["lao"] for r in executive_view.context["lao_rows"] if r["lao"].pk == other.pk)
    assert row.plan_status == PlanStatus.DRAFT
    client.force_login(seeded.staff)
    staff_view = client.get(URL, query)
    row = next(r["lao"] for r in staff_view.context["lao_rows"] if r["lao"].pk == other.pk)
    assert row.plan_status is None and row.plan_total is None and row.plan_pk is None
    assert staff_view.context["level"].total == executive_view.context["level"].total
    own = seeded.laos[0]
    with_draft(seeded, own)
    own_view = client.get(URL, {"province": own.province.code, "fiscal_year": year})
    row = next(r["lao"] for r in own_view.context["lao_rows"] if r["lao"].pk == own.pk)
    assert row.plan_status == PlanStatus.DRAFT
