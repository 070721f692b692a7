"""Forms that guide, in a real browser: after a failed submit the error summary is in view and
focused, its links go to the fields; the plan editor offers the works of the line's programme,
groups the digits of amounts as they are typed and fits a 390 px phone."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from budgets.importers import classification_import
from budgets.models import BudgetLine, ExpenseType, Programme, Work
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer_lao():
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="1103"),
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
    )
    UserFactory(username="officer", role=Role.OFFICER, lao=lao)
    return lao


def log_in(page: Page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_a_failed_submit_brings_the_error_summary_into_view(
    live_server, page: Page, officer_lao, artefacts
):
    page.set_viewport_size({"width": 1280, "height": 600})
    log_in(page, live_server, f"/units/{officer_lao.dla_code}/edit/")
    page.locator("#id_phone").fill("12")
    page.locator("#id_website").fill("www.bangphliyai.go.th")
    page.locator("#id_email").fill("not an address")
    page.locator("main form button[type=submit]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.locator("a")).to_have_count(2)
    expect(page.locator("#id_phone_error")).to_be_visible()  # beside the field too
    # What was typed is kept, the website as typed (it is valid).
    expect(page.locator("#id_website")).to_have_value("www.bangphliyai.go.th")
    page.screenshot(path=artefacts / "form-error-summary.png")

    summary.locator("a[href='#id_email']").click()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.locator("label[for='id_email']")).to_be_in_viewport()


def test_the_plan_editor_guides_on_a_phone(live_server, page: Page, officer_lao, artefacts):
    classification_import()
    education = Programme.objects.get(key="EDUCATION")
    agriculture = Programme.objects.get(key="AGRICULTURE")
    school = Work.objects.filter(programme=education).first()
    farming = Work.objects.filter(programme=agriculture).first()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "/budgets/plans/new/")
    # No plan yet: this fiscal year's is offered first.
    expect(page.locator("#id_fiscal_year")).to_have_value(str(current_fiscal_year()))
    page.locator("#id_copy_previous").uncheck()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/budgets/plans/[0-9]+/edit/$"))

    work = page.locator("#id_line-0-work")
    page.locator("#id_line-0-programme").select_option(str(education.pk))
    expect(work.locator(f"option[value='{farming.pk}']")).to_be_disabled()
    expect(work.locator(f"option[value='{school.pk}']")).to_be_enabled()
    work.select_option(str(school.pk))
    page.locator("#id_line-0-programme").select_option(str(agriculture.pk))
    expect(work).to_have_value("")  # a work of the other programme is not kept
    expect(work.locator(f"option[value='{farming.pk}']")).to_be_enabled()
    work.select_option(str(farming.pk))

    page.locator("#id_line-0-expense_type").select_option(
        str(ExpenseType.objects.get(key="MATERIALS").pk)
    )
    page.locator("#id_line-0-item").fill("ปุ๋ยอินทรีย์")
    amount = page.locator("#id_line-0-amount")
    amount.press_sequentially("1250000")
    expect(amount).to_have_value("1,250,000")
    amount.press("Tab")
    expect(amount).to_have_value("1,250,000.00")
    expect(page.locator("#total-expenditure")).to_have_text("1,250,000.00")

    # The lines fit the phone: stacked, with visible labels, no sideways scrolling.
    assert page.evaluate(
        "() => { const wrap = document.querySelector('.line-table').closest('.table-wrap');"
        " return wrap.scrollWidth <= wrap.clientWidth; }"
    )
    box = page.locator("tr.line-row").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(page.locator("label[for='id_line-0-amount']")).to_be_visible()
    page.screenshot(path=artefacts / "plan-editor-phone.png", full_page=True)

    page.locator("#plan-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/budgets/plans/[0-9]+/$"))
    line = BudgetLine.objects.get()
    assert (line.work_id, line.amount) == (farming.pk, Decimal("1250000"))
