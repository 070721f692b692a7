"""The journey of issue 5 in one go: an officer signs a project's contract and records a
payment, prepares and submits the quarterly report, provincial staff return it with a comment,
the officer prepares it again and resubmits, staff accept it, and an executive reads the
disbursement rate of the province (which includes the new payment) on the dashboard.

The report is of the last quarter that has ended (the reports refuse quarters that have not
begun, and a report is meant to be sent after its quarter), so the project belongs to that
quarter's fiscal year and every date lies inside that quarter.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets.importers import classification_import
from budgets.models import Programme
from projects import reports, services
from projects.models import Disbursement, ProgressReport, Project, ReportStatus, Stage
from projects.services import ProjectData
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, username: str, next_url: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def test_contract_disburse_report_return_resubmit_accept_and_the_dashboard_rate(
    live_server, page: Page, artefacts
):
    fiscal_year, quarter = reports.latest_due_quarter(timezone.localdate())
    start, end = reports.quarter_range(fiscal_year, quarter)
    contract_date = start + (end - start) // 3
    payment_date = start + (end - start) // 2

    classification_import()
    education = Programme.objects.get(key="EDUCATION")
    province = ProvinceFactory(code="34", name_th="อุบลราชธานี")
    district = DistrictFactory(province=province, code="3401")
    lao = LAOFactory(
        subdistrict__district=district,
        dla_code="6340101",
        full_name_th="องค์การบริหารส่วนตำบลท่าช้าง",
    )
    neighbour = LAOFactory(subdistrict__district=district, dla_code="6340102")
    officer = UserFactory(username="officer34", role=Role.OFFICER, lao=lao)
    neighbour_officer = UserFactory(username="officer34b", role=Role.OFFICER, lao=neighbour)
    UserFactory(username="staff34", role=Role.PROVINCIAL, province=province)
    UserFactory(username="exec", role=Role.EXECUTIVE)

    def new_project(*, owner, user, name, budget):
        project = services.project_create(
            lao=owner,
            user=user,
            data=ProjectData(
                name=name, fiscal_year=fiscal_year, budget_amount=budget, programme=education
            ),
        )
        for stage in (Stage.FUNDED, Stage.PROCUREMENT):
            project = services.project_change_stage(
                project=project, user=user, to_stage=stage, version=project.version
            )
        return project

    school = new_project(owner=lao, user=officer, name="ปรับปรุงอาคารเรียน", budget=Decimal("1000000"))
    # Another LAO of the province already paid part of its contract: the province's rate is
    # more than this one project's.
    bridge = new_project(
        owner=neighbour, user=neighbour_officer, name="สะพานข้ามลำห้วย", budget=Decimal("1000000")
    )
    bridge = services.project_change_stage(
        project=bridge,
        user=neighbour_officer,
        to_stage=Stage.CONTRACTED,
        version=bridge.version,
        contract_amount=Decimal("950000"),
        contractor="หจก. สะพานทอง",
        contract_date=contract_date,
    )
    services.disbursement_add(
        project=bridge,
        user=neighbour_officer,
        date=payment_date,
        amount=Decimal("100000"),
        reference="B-1",
    )

    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # 1. The officer signs the contract: procurement → contracted.
    manage_url = f"/projects/manage/{school.pk}/"
    log_in(page, live_server.url, "officer34", manage_url)
    expect(page).to_have_url(f"{live_server.url}{manage_url}")
    contract = page.locator(".stage-form[data-stage=contracted]")
    contract.locator("input[name=contract_amount]").fill("900,000")
    contract.locator("input[name=contractor]").fill("หจก. ท่าช้างการช่าง")
    contract.locator("input[name=contract_date]").fill(contract_date.isoformat())
    contract.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".lead .project-stage")).to_have_attribute("data-stage", "contracted")

    # 2. … and records a payment.
    payment = page.locator(f"form[action='/projects/manage/{school.pk}/disburse/']")
    payment.locator("input[name=date]").fill(payment_date.isoformat())
    payment.locator("input[name=amount]").fill("260,000")
    payment.locator("input[name=reference]").fill("ฎ-0101")
    payment.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".disbursed-total")).to_have_text("260,000.00")
    page.screenshot(path=artefacts / "journey-1-contracted.png", full_page=True)

    # 3. The officer prepares the quarter's report and submits it.
    page.goto(f"{live_server.url}/projects/reports/?fiscal_year={fiscal_year}")
    row = page.locator(f'table.report-quarters tr[data-quarter="{quarter}"]')
    row.locator("form[action='/projects/reports/prepare/'] button[type=submit]").click()
    expect(page.locator("table.report-items")).to_contain_text("ปรับปรุงอาคารเรียน")
    expect(page.locator(".report-disbursed-total")).to_have_text("260,000.00")
    page.locator("button.report-submit").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()
    report = ProgressReport.objects.get(lao=lao, fiscal_year=fiscal_year, quarter=quarter)

    # 4. Provincial staff return it with a comment.
    log_in(page, live_server.url, "staff34")
    page.goto(f"{live_server.url}/projects/reports/review/")
    page.locator(f"table.report-review a[href='/projects/reports/{report.pk}/']").click()
    page.locator("textarea[name=comment]").fill("แนบหลักฐานสัญญาจ้างให้ครบ")
    page.locator("button.report-return").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-returned")).to_be_visible()

    # 5. The officer reads the comment, prepares the report again and resubmits it.
    log_in(page, live_server.url, "officer34")
    page.goto(f"{live_server.url}/projects/reports/?fiscal_year={fiscal_year}")
    row = page.locator(f'table.report-quarters tr[data-quarter="{quarter}"]')
    expect(row.locator(".badge-returned")).to_be_visible()
    row.locator(f"a[href='/projects/reports/{report.pk}/']").click()
    expect(page.locator(".report-return-comment")).to_contain_text("สัญญาจ้าง")
    page.locator("button.report-refresh").click()
    expect(page.locator(".report-disbursed-total")).to_have_text("260,000.00")
    page.locator("button.report-submit").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-submitted")).to_be_visible()

    # 6. Staff accept it.
    log_in(page, live_server.url, "staff34")
    page.goto(f"{live_server.url}/projects/reports/{report.pk}/")
    page.locator("button.report-accept").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .badge-accepted")).to_be_visible()
    expect(page.locator("button.report-return")).to_have_count(0)
    page.screenshot(path=artefacts / "journey-2-report-accepted.png", full_page=True)

    # 7. The executive reads the province's disbursement rate for that fiscal year.
    totals = Project.objects.filter(fiscal_year=fiscal_year, lao__province=province).aggregate(
        budget=Sum("budget_amount"), disbursed=Sum("disbursed_total")
    )
    assert totals["disbursed"] == Decimal("360000")  # both payments
    expected_percent = round(totals["disbursed"] / totals["budget"] * 100)
    log_in(page, live_server.url, "exec")
    page.goto(
        f"{live_server.url}/projects/dashboard/?fiscal_year={fiscal_year}&province={province.code}"
    )
    expect(page.locator("#total-projects")).to_have_text("2")
    expect(page.locator("#total-disbursed")).to_have_text("360,000.00")
    expect(page.locator("#total-rate")).to_have_text(f"{expected_percent}%")
    page.screenshot(path=artefacts / "journey-3-dashboard.png", full_page=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.items.get(project=school).disbursed_total == Decimal("260000")
    school.refresh_from_db()
    assert school.stage == Stage.CONTRACTED
    assert school.contract_amount == Decimal("900000")
    assert Disbursement.objects.filter(project=school).count() == 1
    assert violations == []
