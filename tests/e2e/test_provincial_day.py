"""A provincial officer's day, from the overview of their province, on a desktop and on a phone:
what waits and who is late, the review queue (one plan enacted after a confirmation that says
what enacting does, another returned with a comment, which is required), a report accepted, the
LAOs missing their report, the budget upload template."""

from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets import services as budget_services
from budgets.models import BudgetPlan, PlanStatus
from budgets.services import LineData
from budgets.tests.factories import imported_classification
from budgets.uploads import BUDGET_LINES_UPLOAD
from projects import reports
from projects.models import ProgressReport, ReportStatus
from tests.e2e.day import SCREENS, Day
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "ขอรายละเอียดเงินสะสมที่ใช้ชดเชยส่วนต่าง"


@pytest.fixture
def scene():
    """Province 44 with four LAOs: two plans of this fiscal year submitted (one balanced, one
    spending more than its revenue, with the reason), one report of the last quarter that ended
    submitted, and one LAO that has not begun that report (nor have the two LAOs with plans)."""
    classification = imported_classification()
    province = ProvinceFactory(code="44", name_th="มหาสารคาม")
    district = DistrictFactory(province=province)

    def lao(code, name):
        return LAOFactory(subdistrict__district=district, dla_code=code, full_name_th=name)

    balanced = lao("6440101", "องค์การบริหารส่วนตำบลแวงน่าง")
    deficit = lao("6440102", "องค์การบริหารส่วนตำบลท่าตูม")
    reporting = lao("6440103", "เทศบาลตำบลโคกพระ")
    silent = lao("6440104", "องค์การบริหารส่วนตำบลเขวา")
    UserFactory(username="staff44", role=Role.PROVINCIAL, province=province)
    year = fiscal_year_of(timezone.localdate())

    def submitted_plan(target, expenditure, revenue, reason=""):
        officer = UserFactory(role=Role.OFFICER, lao=target)
        plan = budget_services.budget_plan_create(lao=target, fiscal_year=year, user=officer)
        plan = budget_services.budget_plan_save(
            plan=plan,
            user=officer,
            version=plan.version,
            lines=[
                LineData(
                    classification.education.pk,
                    classification.materials.pk,
                    "วัสดุการศึกษา",
                    expenditure,
                )
            ],
            revenues={classification.grant.pk: revenue},
        )
        return budget_services.budget_plan_submit(
            plan=plan, user=officer, version=plan.version, imbalance_reason=reason
        )

    to_enact = submitted_plan(balanced, Decimal("2400000"), Decimal("2400000"))
    to_return = submitted_plan(deficit, Decimal("3100000"), Decimal("2800000"), reason="ใช้เงินสะสม")

    fiscal_year, quarter = reports.latest_due_quarter(timezone.localdate())
    officer = UserFactory(role=Role.OFFICER, lao=reporting)
    report = reports.report_prepare(
        lao=reporting, fiscal_year=fiscal_year, quarter=quarter, user=officer
    )
    report = reports.report_write_narrative(
        report=report, user=officer, version=report.version, narrative="ไม่มีปัญหา"
    )
    report = reports.report_submit(report=report, user=officer, version=report.version)
    return {
        "to_enact": to_enact,
        "to_return": to_return,
        "report": report,
        "silent": silent,
        "quarter": (fiscal_year, quarter),
    }


@pytest.mark.parametrize("screen", SCREENS)
def test_the_provincial_officers_day(live_server, page: Page, artefacts, tmp_path, scene, screen):
    day = Day(page=page, journey="provincial-day", screen=screen, artefacts=artefacts)
    to_enact, to_return, report = scene["to_enact"], scene["to_return"], scene["report"]
    base = live_server.url

    # The overview of the province: two plans and a report wait, three LAOs have not sent the
    # report of the last quarter; the header counts the three items waiting.
    day.log_in(base, "staff44")
    expect(page).to_have_url(f"{base}/work/")
    expect(page.locator("h1")).to_have_text("งานของฉัน")
    expect(page.locator(".lead")).to_contain_text("มหาสารคาม")
    expect(page.locator(".work-plans-waiting .work-count")).to_have_text("2")
    expect(page.locator(".work-reports-waiting .work-count")).to_have_text("1")
    expect(page.locator(".work-reports-waiting")).to_contain_text("เทศบาลตำบลโคกพระ")
    expect(page.locator(".work-missing .work-count")).to_have_text("3")
    expect(day.waiting_badge()).to_contain_text("3")
    day.step("overview")

    # The review queue, through the main menu: both plans, the deficit flagged with the reason.
    day.menu("งบประมาณ")
    page.get_by_role("link", name="แผนงบประมาณที่รอพิจารณา").click()
    expect(page).to_have_url(f"{base}/budgets/review/")
    queue = page.locator("main table")
    expect(queue.locator("tbody tr")).to_have_count(2)
    deficit_row = queue.locator("tr", has_text=to_return.lao.full_name_th)
    expect(deficit_row.locator(".revenue-flag")).to_contain_text("ใช้เงินสะสม")
    day.step("review-queue")

    # Enacting asks first and says it is public and final.
    queue.get_by_role("link", name=to_enact.lao.full_name_th).click()
    page.get_by_role("button", name="ประกาศใช้", exact=True).click()
    confirm = page.locator(".step-confirm")
    expect(confirm.locator("h1")).to_have_text("ประกาศใช้แผนงบประมาณหรือไม่")
    expect(confirm.locator(".step-subject")).to_contain_text(to_enact.lao.full_name_th)
    expect(confirm.locator(".step-consequence")).to_contain_text("ไม่สามารถยกเลิกได้")
    day.step("enact-confirm")
    confirm.get_by_role("button", name="ประกาศใช้แผน").click()
    expect(page.locator(".lead .badge-enacted")).to_have_text("ประกาศใช้แล้ว")
    expect(day.waiting_badge()).to_contain_text("2")
    day.step("enacted")

    # The other plan goes back with a comment: without one it cannot be returned.
    day.work_page()
    waiting = page.locator(".work-plans-waiting")
    expect(waiting.locator(".work-count")).to_have_text("1")
    waiting.get_by_role("link", name=to_return.lao.full_name_th).click()
    expect(page).to_have_url(f"{base}/budgets/plans/{to_return.pk}/")
    comment = page.locator(".return-form textarea[name=comment]")
    page.get_by_role("button", name="ส่งกลับ อปท. แก้ไข").click()
    expect(page).to_have_url(f"{base}/budgets/plans/{to_return.pk}/")  # not sent
    assert comment.evaluate("field => field.validity.valueMissing")
    confirm_comment = confirm.locator("textarea[name=comment]")
    comment.fill(COMMENT)
    page.get_by_role("button", name="ส่งกลับ อปท. แก้ไข").click()
    expect(confirm.locator("h1")).to_have_text("ส่งแผนคืนให้ อปท. แก้ไขหรือไม่")
    expect(confirm_comment).to_have_value(COMMENT)
    # Emptied on the confirmation page, the server refuses it and says why.
    confirm_comment.fill("")
    confirm.get_by_role("button", name="ส่งกลับ อปท. แก้ไข").click()
    expect(confirm.locator(".errorlist")).to_contain_text("ฟิลด์นี้จำเป็น")
    day.step("return-needs-comment")
    confirm_comment.fill(COMMENT)
    confirm.get_by_role("button", name="ส่งกลับ อปท. แก้ไข").click()
    expect(page.locator(".lead .badge-returned")).to_be_visible()
    expect(page.locator("main")).to_contain_text(COMMENT)
    expect(day.waiting_badge()).to_contain_text("1")
    day.step("returned")

    # The report, from the overview: accepted after a confirmation.
    day.work_page()
    expect(page.locator(".work-plans-waiting")).to_contain_text("ไม่มีแผนงบประมาณที่รอพิจารณา")
    expect(page.locator(".work-returned")).to_contain_text(COMMENT)
    page.locator(".work-reports-waiting").get_by_role("link", name="เทศบาลตำบลโคกพระ").click()
    expect(page).to_have_url(f"{base}/projects/reports/{report.pk}/")
    expect(page.locator(".narrative-text")).to_contain_text("ไม่มีปัญหา")
    page.locator("button.report-accept").click()
    expect(confirm.locator("h1")).to_have_text("รับรายงานความก้าวหน้าหรือไม่")
    expect(confirm.locator(".step-consequence")).to_contain_text("ไม่สามารถ")
    confirm.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-accepted")).to_have_text("รับรองแล้ว")
    expect(day.waiting_badge()).to_have_count(0)
    day.step("report-accepted")

    # Who has not sent the report: the three LAOs, with their contacts.
    day.work_page()
    expect(page.locator(".work-reports-waiting")).to_contain_text("ไม่มีรายงานที่รอพิจารณา")
    page.get_by_role("link", name="รายชื่อ อปท. พร้อมช่องทางติดต่อ").click()
    missing = page.locator("table.report-missing")
    expect(missing.locator("tbody tr")).to_have_count(3)
    expect(missing).to_contain_text(scene["silent"].full_name_th)
    expect(missing).not_to_contain_text("เทศบาลตำบลโคกพระ")
    expect(missing.locator(".badge-none").first).to_have_text("ยังไม่เริ่ม")
    day.step("missing-reports")

    # The budget upload template, with the codes and names people know.
    day.work_page()
    page.get_by_role("link", name="อัปโหลดไฟล์ Excel").click()
    with page.expect_download() as download_info:
        page.locator(f"ul.upload-templates a[href*='{BUDGET_LINES_UPLOAD}']").click()
    template = tmp_path / "budget-template.xlsx"
    download_info.value.save_as(template)
    # The plan just returned is in it, to be corrected by upload if the LAO asks.
    rows = list(openpyxl.load_workbook(template).worksheets[0].values)
    assert rows[0][:3] == ("รหัส อปท.", "ปีงบประมาณ", "รหัสแผนงาน")
    assert rows[1:] == [
        ("6440102", to_return.fiscal_year, "แผนงานการศึกษา", None, "ค่าวัสดุ", "วัสดุการศึกษา", 3100000)
    ]
    day.step("upload-page")

    assert BudgetPlan.objects.get(pk=to_enact.pk).status == PlanStatus.ENACTED
    returned = BudgetPlan.objects.get(pk=to_return.pk)
    assert (returned.status, returned.return_comment) == (PlanStatus.RETURNED, COMMENT)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
