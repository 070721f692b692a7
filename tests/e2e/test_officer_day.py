"""An LAO officer's day, from the work page, on a desktop and on a phone: the budget plan the
province returned is fixed in the editor (a mistyped amount is named at the top of the form)
and submitted again with the reason for its deficit, withdrawn and submitted once more; the
overdue quarterly report is prepared, explained and submitted; a payment is recorded with a
Thai date; the header's count of waiting items goes down with each step."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets import services as budget_services
from budgets.models import BudgetPlan, PlanStatus
from budgets.services import LineData
from budgets.tests.factories import imported_classification
from projects import reports
from projects.models import Disbursement, ProgressReport, Project, ReportStatus, Stage
from projects.selectors import PROGRESS_QUIET_DAYS
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from tests.e2e.day import SCREENS, Day
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "ค่าวัสดุการศึกษาต่ำกว่าที่ใช้จริง ให้ปรับเป็น 1,250,000 บาท"
REASON = "ใช้เงินสะสมปีก่อน 250,000 บาท"


@pytest.fixture
def scene():
    """An officer whose plan of this fiscal year came back from the province with a comment
    (balanced at 1,000,000 baht), whose last overdue quarter has no report (the other recent
    quarters are accepted) and whose contracted project has not moved for a quarter."""
    classification = imported_classification()
    province = ProvinceFactory(code="43", name_th="หนองคาย")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province),
        dla_code="6430101",
        full_name_th="องค์การบริหารส่วนตำบลโพธิ์ชัย",
    )
    officer = UserFactory(username="officer43", role=Role.OFFICER, lao=lao)
    staff = UserFactory(username="staff43", role=Role.PROVINCIAL, province=province)
    today = timezone.localdate()
    year = fiscal_year_of(today)

    plan = budget_services.budget_plan_create(lao=lao, fiscal_year=year, user=officer)
    plan = budget_services.budget_plan_save(
        plan=plan,
        user=officer,
        version=plan.version,
        lines=[
            LineData(
                classification.education.pk,
                classification.materials.pk,
                "วัสดุการศึกษา ศูนย์พัฒนาเด็กเล็ก",
                Decimal("1000000"),
            )
        ],
        revenues={classification.grant.pk: Decimal("1000000")},
    )
    plan = budget_services.budget_plan_submit(plan=plan, user=officer, version=plan.version)
    budget_services.budget_plan_return(plan=plan, user=staff, version=plan.version, comment=COMMENT)

    # One quarter late, whatever the day the test runs: the newest overdue quarter.
    late = reports.overdue_quarters(today)[0]
    for fiscal_year, quarter in reports.recent_ended_quarters(today):
        if (fiscal_year, quarter) != late:
            ProgressReportFactory(
                lao=lao, fiscal_year=fiscal_year, quarter=quarter, status=ReportStatus.ACCEPTED
            )

    project = ProjectFactory(
        lao=lao,
        fiscal_year=late[0],
        name="ถนนคอนกรีตเสริมเหล็ก หมู่ 4",
        programme=classification.education,
        budget_amount=Decimal("500000"),
        stage=Stage.CONTRACTED,
        contract_amount=Decimal("480000"),
        contractor="หจก. โพธิ์ชัยก่อสร้าง",
    )
    # Untouched for longer than a quarter: the work page lists it as without progress.
    Project.objects.filter(pk=project.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=PROGRESS_QUIET_DAYS + 10)
    )
    return {"lao": lao, "plan": plan, "late": late, "project": project}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_officers_day(live_server, page: Page, artefacts, scene, screen):
    day = Day(page=page, journey="officer-day", screen=screen, artefacts=artefacts)
    plan, project = scene["plan"], scene["project"]
    late_year, late_quarter = scene["late"]
    base = live_server.url

    # The officer lands on "งานของฉัน": the returned plan with the reviewer's comment, the
    # overdue report, the quiet project; two items wait (the plan and the late report).
    day.log_in(base, "officer43")
    expect(page).to_have_url(f"{base}/work/")
    expect(page.locator("h1")).to_have_text("งานของฉัน")
    returned = page.locator(".work-returned")
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text(f"แผนงบประมาณ ปีงบประมาณ {plan.fiscal_year}")
    late_row = page.locator(f".work-quarters tr[data-quarter='{late_year}-{late_quarter}']")
    expect(late_row.locator(".badge-overdue")).to_have_text("เกินกำหนด")
    expect(page.locator(".work-quiet")).to_contain_text(project.name)
    expect(day.waiting_badge()).to_contain_text("2")
    day.step("work-page")

    # The editor: an amount mistyped with a letter O is named at the top of the form, and its
    # link leads to the field.
    returned.get_by_role("link", name="แก้ไขแผน").click()
    expect(page).to_have_url(f"{base}/budgets/plans/{plan.pk}/edit/")
    amount = page.locator("#id_line-0-amount")
    amount.fill("1,25O,000")
    page.locator("#plan-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("กรอกจำนวนเงินเป็นบาท")
    expect(amount).to_have_value("1,25O,000")  # kept as typed
    # The running total does not count it (not as 125, the digits before the letter).
    expect(page.locator("#total-expenditure")).to_have_text("0.00")
    day.step("editor-error-summary")
    summary.locator("a[href='#id_line-0-amount']").click()
    expect(amount).to_be_focused()

    # Typed again: the digits are grouped as they come; the plan now spends more than its
    # revenue, which the editor flags before saving.
    amount.fill("")
    amount.press_sequentially("1250000")
    expect(amount).to_have_value("1,250,000")
    amount.press("Tab")
    expect(amount).to_have_value("1,250,000.00")
    expect(page.locator("#total-expenditure")).to_have_text("1,250,000.00")
    expect(page.locator("#revenue-flag")).to_be_visible()
    day.step("editor-fixed")
    page.locator("#plan-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/budgets/plans/{plan.pk}/")
    expect(page.locator(".revenue-flag")).to_contain_text("ระบบจะขอให้ระบุเหตุผล")

    # Submitting asks first, says what happens, and needs the reason for the deficit.
    page.get_by_role("button", name="ส่งเพื่อพิจารณา").click()
    confirm = page.locator(".step-confirm")
    expect(confirm.locator("h1")).to_have_text("ส่งแผนงบประมาณให้พิจารณาหรือไม่")
    expect(confirm.locator(".step-consequence")).to_contain_text("ถอน")
    expect(confirm.locator(".step-warnings")).to_be_visible()
    confirm.locator("button.step-confirm-button").click()
    expect(confirm.locator(".errorlist")).to_contain_text("โปรดระบุเหตุผลก่อนส่ง")
    day.step("submit-needs-reason")
    confirm.locator("textarea[name=imbalance_reason]").fill(REASON)
    confirm.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_have_text("ส่งแล้ว")
    expect(page.locator(".imbalance-reason")).to_have_text(REASON)
    day.step("plan-submitted")

    # Withdrawn before the province looks at it, then sent again: the reason is kept.
    page.locator("button.plan-withdraw").click()
    expect(page.locator(".lead .badge-draft")).to_be_visible()
    page.get_by_role("button", name="ส่งเพื่อพิจารณา").click()
    expect(confirm.locator("textarea[name=imbalance_reason]")).to_have_value(REASON)
    confirm.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()

    # Back on the work page: nothing returned any more, one item waits (the late report).
    day.work_page()
    expect(page.locator(".work-returned-section")).to_contain_text("ไม่มีรายการที่ถูกส่งกลับให้แก้ไข")
    expect(
        page.locator(f".work-plans li[data-year='{plan.fiscal_year}'] .badge-submitted")
    ).to_be_visible()
    expect(day.waiting_badge()).to_contain_text("1")

    # The overdue report: prepared from the work page, explained, submitted after confirming.
    late_row.get_by_role("button", name="จัดทำรายงาน").click()
    expect(page).to_have_url(re.compile(r"/projects/reports/[0-9]+/$"))
    expect(page.locator("table.report-items")).to_contain_text(project.name)
    page.locator("textarea[name=narrative]").fill(
        "ผู้รับจ้างเข้าพื้นที่ล่าช้าเพราะฝนตกหนัก ขอคำแนะนำเรื่องการขยายสัญญา"
    )
    page.get_by_role("button", name="บันทึกคำอธิบาย").click()
    expect(page.locator("textarea[name=narrative]")).to_have_value(re.compile("ฝนตกหนัก"))
    day.step("report-narrative")
    page.locator("button.report-submit").click()
    expect(confirm.locator("h1")).to_have_text("ส่งรายงานความก้าวหน้าหรือไม่")
    expect(confirm.locator(".step-warnings")).to_have_count(0)  # the narrative is written
    day.step("report-confirm")
    confirm.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()
    expect(day.waiting_badge()).to_have_count(0)
    day.step("report-submitted")

    # A payment of the quiet project, found through the main menu, dated the Thai way.
    day.menu("โครงการ")
    page.locator("main a[href='/projects/manage/']").click()
    page.get_by_role("link", name=re.compile(project.name)).first.click()
    expect(page).to_have_url(f"{base}/projects/manage/{project.pk}/")
    form = page.locator("form.disbursement-form")
    form.locator("input[name=date]").fill("15/01/2569")
    form.locator("input[name=amount]").press_sequentially("120000")
    expect(form.locator("input[name=amount]")).to_have_value("120,000")
    form.locator("input[name=reference]").fill("ฎ.12/2569")
    form.get_by_role("button", name="บันทึกการเบิกจ่าย").click()
    payments = page.locator("#disbursements").locator("xpath=..")
    expect(payments).to_contain_text("15 ม.ค. 2569")
    expect(payments).to_contain_text("120,000.00")
    day.step("disbursement")

    # The day's work is done: no count in the header, nothing late, every project moved.
    day.work_page()
    expect(day.waiting_badge()).to_have_count(0)
    expect(page.locator(".work-reports")).to_contain_text("ส่งรายงานของสี่ไตรมาสล่าสุดครบแล้ว")
    expect(page.locator(".work-quiet")).not_to_contain_text(project.name)
    day.step("done")

    assert BudgetPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    report = ProgressReport.objects.get(
        lao=scene["lao"], fiscal_year=late_year, quarter=late_quarter
    )
    assert report.status == ReportStatus.SUBMITTED
    assert "ฝนตกหนัก" in report.narrative
    payment = Disbursement.objects.get(project=project)
    assert (payment.date, payment.amount) == (datetime.date(2026, 1, 15), Decimal("120000"))
