"""Journey of a quarterly progress report: the officer submits it, provincial staff return it
with a comment, the officer fixes and resubmits it, staff accept it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects import reports
from projects.models import Disbursement, ProgressReport, Project, ReportStatus, Stage
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def test_officer_submits_staff_return_officer_fixes_staff_accept(
    live_server, page: Page, artefacts
):
    # A report is submitted once its quarter has ended: the last quarter that has, with every
    # payment inside it.
    today = timezone.localdate()
    fiscal_year, quarter = reports.latest_due_quarter(today)
    start, end = reports.quarter_range(fiscal_year, quarter)
    paid_on = start + (end - start) // 2
    province = ProvinceFactory(code="41")
    lao = LAOFactory(subdistrict__district=DistrictFactory(province=province), dla_code="6410001")
    UserFactory(username="officer41", role=Role.OFFICER, lao=lao)
    UserFactory(username="staff41", role=Role.PROVINCIAL, province=province)
    road = Project.objects.create(
        lao=lao,
        code=f"{fiscal_year}-001",
        name="ถนนคอนกรีตเสริมเหล็กหมู่ 3",
        fiscal_year=fiscal_year,
        budget_amount=Decimal("500000"),
        stage=Stage.CONTRACTED,
        contract_amount=Decimal("480000"),
    )
    Disbursement.objects.create(project=road, date=paid_on, amount=Decimal("100000"), reference="1")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # The officer prepares this quarter's report and submits it.
    log_in(page, live_server.url, "officer41")
    page.goto(f"{live_server.url}/projects/reports/?fiscal_year={fiscal_year}")
    page.locator(f'tr[data-quarter="{quarter}"] button[type=submit]').click()
    items = page.locator("table.report-items")
    expect(items).to_contain_text("ถนนคอนกรีตเสริมเหล็กหมู่ 3")
    expect(items.locator(".report-disbursed-total")).to_have_text("100,000.00")
    page.locator("button.report-submit").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()

    # Provincial staff find it in their queue and return it with a comment.
    log_in(page, live_server.url, "staff41")
    page.goto(f"{live_server.url}/projects/reports/review/")
    page.locator("table.report-review a", has_text=lao.full_name_th).click()
    page.locator("textarea[name=comment]").fill("ยังไม่ได้บันทึกการเบิกจ่ายงวดที่ 2")
    page.locator("button.report-return").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-returned")).to_be_visible()

    # The officer sees the comment, records the missing payment, refreshes and resubmits.
    Disbursement.objects.create(project=road, date=paid_on, amount=Decimal("150000"), reference="2")
    log_in(page, live_server.url, "officer41")
    page.goto(f"{live_server.url}/projects/reports/?fiscal_year={fiscal_year}")
    expect(page.locator(f'tr[data-quarter="{quarter}"] .badge-returned')).to_be_visible()
    page.locator(f'tr[data-quarter="{quarter}"] a').click()
    expect(page.locator(".report-return-comment")).to_contain_text("งวดที่ 2")
    page.locator("button.report-refresh").click()
    expect(page.locator(".report-disbursed-total")).to_have_text("250,000.00")
    page.locator("button.report-submit").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()

    # Staff accept it: the report is frozen.
    log_in(page, live_server.url, "staff41")
    page.goto(f"{live_server.url}/projects/reports/review/")
    page.locator("table.report-review a", has_text=lao.full_name_th).click()
    page.locator("button.report-accept").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-accepted")).to_be_visible()
    expect(page.locator("button.report-return")).to_have_count(0)
    page.screenshot(path=artefacts / "report-accepted.png", full_page=True)

    report = ProgressReport.objects.get(lao=lao, fiscal_year=fiscal_year, quarter=quarter)
    assert report.status == ReportStatus.ACCEPTED
    assert report.items.get().disbursed_total == Decimal("250000")
    assert report.due_date == end + datetime.timedelta(days=reports.REPORT_DUE_DAYS_AFTER_QUARTER)
    assert violations == []
