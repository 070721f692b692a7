"""A budget plan from entry to the public profile: the officer enters and submits it, the
provincial office enacts it, an executive sees the national total grow, a citizen sees it."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets.importers import classification_import
from budgets.models import BudgetPlan, ExpenseType, PlanStatus, Programme, RevenueSource
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, live_server, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_a_plan_goes_from_the_officer_to_the_public_profile(live_server, page: Page, artefacts):
    classification_import()
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="1103"),
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
    )
    UserFactory(username="officer", role=Role.OFFICER, lao=lao)
    UserFactory(username="staff", role=Role.PROVINCIAL, province=province)
    UserFactory(username="director", role=Role.EXECUTIVE)
    year = fiscal_year_of(timezone.localdate())

    # Before: the executive's national total for the year.
    log_in(page, live_server, "director", f"/budgets/explorer/?fiscal_year={year}")
    before = (
        page.locator("#explorer-total").text_content()
        if page.locator("#explorer-total").count()
        else "0.00"
    )

    # The officer creates the plan of the current fiscal year and enters one line.
    log_in(page, live_server, "officer", "/budgets/plans/")
    page.locator("a[href^='/budgets/plans/new/']").click()
    page.locator("#id_fiscal_year").select_option(str(year))
    page.locator("#id_copy_previous").uncheck()
    page.locator("main form button[type=submit]").click()
    plan = BudgetPlan.objects.get(lao=lao, fiscal_year=year)
    expect(page).to_have_url(f"{live_server.url}/budgets/plans/{plan.pk}/edit/")
    page.locator("#id_line-0-programme").select_option(
        str(Programme.objects.get(key="EDUCATION").pk)
    )
    page.locator("#id_line-0-expense_type").select_option(
        str(ExpenseType.objects.get(key="MATERIALS").pk)
    )
    page.locator("#id_line-0-item").fill("ค่าอาหารเสริม (นม)")
    page.locator("#id_line-0-amount").fill("1,250,000.50")
    expect(page.locator("#total-expenditure")).to_have_text("1,250,000.50")
    expect(page.locator("#balance-warning")).to_be_visible()  # no revenue entered yet
    grant = RevenueSource.objects.get(key="GENERAL_GRANT")
    page.locator(f"#id_rev-source_{grant.pk}").fill("1250000.50")
    expect(page.locator("#balance-warning")).to_be_hidden()
    page.screenshot(path=artefacts / "budget-plan-edit.png", full_page=True)
    page.locator("#plan-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/budgets/plans/{plan.pk}/")
    page.locator(f"form[action='/budgets/plans/{plan.pk}/submit/'] button").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".badge-submitted")).to_be_visible()

    # The provincial office finds it in its queue and enacts it.
    log_in(page, live_server, "staff", "/budgets/review/")
    page.locator(f"a[href='/budgets/plans/{plan.pk}/']").click()
    page.locator(f"form[action='/budgets/plans/{plan.pk}/enact/'] button").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".badge-enacted")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENACTED

    # The executive's national total has grown by the plan's amount.
    log_in(page, live_server, "director", f"/budgets/explorer/?fiscal_year={year}")
    after = page.locator("#explorer-total").text_content()
    grown = Decimal(after.replace(",", "")) - Decimal(before.replace(",", ""))
    assert grown == Decimal("1250000.50")
    page.screenshot(path=artefacts / "budget-explorer-after.png", full_page=True)

    # A citizen, not logged in, sees it on the LAO's profile.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/units/6110305/")
    section = page.locator("#section-budget")
    expect(section.locator(".budget-total")).to_have_text("1,250,000.50")
    expect(section.locator("canvas#budget-chart")).to_be_visible()
    page.screenshot(path=artefacts / "budget-on-profile.png", full_page=True)
