"""A DLA executive explores the enacted budgets: nation → province → LAO → plan."""

import pytest
from playwright.sync_api import Page, expect

from budgets.demo import budgets_seed
from budgets.importers import classification_import
from budgets.models import BudgetPlan, PlanStatus
from budgets.rollups import rollups_rebuild
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_executive_drills_down_from_the_nation_to_a_plan(live_server, page: Page, artefacts):
    classification_import()
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="1103"),
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
    )
    budgets_seed(lao_ids=[lao.pk], years=2)
    rollups_rebuild()
    UserFactory(username="executive", role=Role.EXECUTIVE)
    past = BudgetPlan.objects.get(lao=lao, fiscal_year=current_fiscal_year() - 1)
    assert past.status == PlanStatus.ENACTED

    page.goto(f"{live_server.url}/accounts/login/?next=/budgets/explorer/")
    page.locator("#id_username").fill("executive")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/budgets/explorer/")

    # The nation: pick the past year, see its total, charts and the table by province.
    page.locator("#id_fiscal_year").select_option(str(past.fiscal_year))
    page.locator("main form button[type=submit]").click()
    total = f"{past.total_expenditure:,.2f}"
    expect(page.locator("#explorer-total")).to_have_text(total)
    expect(page.locator("canvas#chart-trend")).to_be_visible()
    expect(page.locator("canvas#chart-provinces")).to_have_attribute("role", "img")
    page.screenshot(path=artefacts / "budget-explorer-nation.png", full_page=True)

    # The province, then the LAO, then its plan.
    page.locator("#table-provinces a", has_text="สมุทรปราการ").click()
    expect(page.locator("h1")).to_contain_text("สมุทรปราการ")
    expect(page.locator("#explorer-total")).to_have_text(total)
    page.locator("#table-laos a", has_text="บางพลีใหญ่").click()
    expect(page).to_have_url(f"{live_server.url}/budgets/explorer/lao/6110305/")
    page.screenshot(path=artefacts / "budget-explorer-lao.png", full_page=True)
    page.locator(f"#table-lao-plans a[href='/budgets/plans/{past.pk}/']").click()
    expect(page).to_have_url(f"{live_server.url}/budgets/plans/{past.pk}/")
    expect(page.locator(".badge-enacted")).to_be_visible()
