"""Journey of provincial staff: the budget lines workbook, from template to the plan's total."""

from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from budgets import services
from budgets.importers import classification_import
from budgets.models import BudgetPlan, ExpenseType, PlanStatus, Programme
from budgets.services import LineData
from budgets.uploads import BUDGET_LINES_UPLOAD
from tests.e2e.test_provincial import log_in, upload
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


def test_staff_upload_budget_lines_fix_a_bad_row_and_see_the_plan_total(
    live_server, page: Page, tmp_path, artefacts
):
    classification_import()
    year = current_fiscal_year()
    province = ProvinceFactory(code="40")
    district = DistrictFactory(province=province)
    drafted = LAOFactory(subdistrict__district=district, dla_code="6400100")
    LAOFactory(subdistrict__district=district, dla_code="6400101")
    officer = UserFactory(role=Role.OFFICER, lao=drafted)
    plan = services.budget_plan_create(lao=drafted, fiscal_year=year, user=officer)
    plan = services.budget_plan_save(
        plan=plan,
        user=officer,
        version=plan.version,
        lines=[
            LineData(
                Programme.objects.get(key="EDUCATION").pk,
                ExpenseType.objects.get(key="MATERIALS").pk,
                "วัสดุการศึกษา",
                Decimal("1000"),
            )
        ],
        revenues={},
    )
    UserFactory(username="staff40", role=Role.PROVINCIAL, province=province)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    log_in(page, live_server.url, "staff40")
    page.goto(f"{live_server.url}/units/uploads/")
    with page.expect_download() as download_info:
        page.locator(f'ul.upload-templates a[href*="{BUDGET_LINES_UPLOAD}"]').click()
    template = tmp_path / "budget-template.xlsx"
    download_info.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[2]] == [
        "6400100",
        year,
        "แผนงานการศึกษา",
        None,
        "ค่าวัสดุ",
        "วัสดุการศึกษา",
        1000,
    ]
    # Rows written with the older English keys are still read.
    sheet["G2"] = "1,250,000.50"
    sheet.append(["6400100", year, "EDUCATION", "EDUCATION.02", "UTILITIES", "ค่าไฟฟ้า", 2000])
    sheet.append(["6400101", year, "PUBLIC_HEALTH", None, "SERVICS", "โครงการรณรงค์", 30000])
    bad = tmp_path / "bad.xlsx"
    book.save(bad)

    upload(page, bad, kind=BUDGET_LINES_UPLOAD)
    errors = page.locator("table.upload-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first).to_contain_text("4")
    expect(errors.locator("tbody tr").first).to_contain_text("รหัสหมวดรายจ่าย")
    expect(errors.locator("tbody tr").first).to_contain_text("SERVICS")
    page.screenshot(path=artefacts / "budget-upload-errors.png", full_page=True)
    assert BudgetPlan.objects.get(pk=plan.pk).total_expenditure == Decimal("1000")

    sheet["E4"] = "SERVICES"
    good = tmp_path / "good.xlsx"
    book.save(good)
    page.goto(f"{live_server.url}/units/uploads/")
    upload(page, good, kind=BUDGET_LINES_UPLOAD)
    preview = page.locator("table.budget-upload-preview")
    expect(preview.locator('tbody[data-lao="6400100"]')).to_contain_text("1,252,000.50")
    expect(preview.locator('tbody[data-lao="6400101"]')).to_contain_text("30,000.00")
    page.screenshot(path=artefacts / "budget-upload-preview.png", full_page=True)
    page.locator("form.upload-commit button[type=submit]").click()
    expect(page.locator(".upload-status-committed")).to_be_visible()

    page.goto(f"{live_server.url}/budgets/plans/{plan.pk}/")
    expect(page.locator("dl.facts")).to_contain_text("1,252,000.50")
    page.screenshot(path=artefacts / "budget-upload-plan.png", full_page=True)
    created = BudgetPlan.objects.get(lao__dla_code="6400101", fiscal_year=year)
    assert created.status == PlanStatus.DRAFT
    assert created.total_expenditure == Decimal("30000")
    assert BudgetPlan.objects.get(pk=plan.pk).version == plan.version + 1
    assert violations == []
