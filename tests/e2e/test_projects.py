"""Journey of a project: an officer signs the contract and records a payment; a citizen sees
both on the public project page."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from budgets.importers import classification_import
from budgets.models import Programme
from projects import services
from projects.services import ProjectData
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_contracts_and_disburses_and_a_citizen_sees_it(
    live_server, page: Page, browser, artefacts
):
    classification_import()
    province = ProvinceFactory(code="30", name_th="นครราชสีมา")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="3001"),
        dla_code="6300101",
        full_name_th="องค์การบริหารส่วนตำบลโพธิ์กลาง",
    )
    officer = UserFactory(username="somchai", role=Role.OFFICER, lao=lao)
    project = services.project_create(
        lao=lao,
        user=officer,
        data=ProjectData(
            name="ก่อสร้างถนนคอนกรีต หมู่ 5",
            fiscal_year=2569,
            budget_amount=Decimal("1500000"),
            programme=Programme.objects.get(key="EDUCATION"),
            latitude=Decimal("14.95"),
            longitude=Decimal("102.05"),
        ),
    )
    for stage in ("funded", "procurement"):
        project = services.project_change_stage(
            project=project, user=officer, to_stage=stage, version=project.version
        )

    page.goto(f"{live_server.url}/accounts/login/?next=/projects/manage/{project.pk}/")
    page.get_by_label("ชื่อผู้ใช้").fill("somchai")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(f"{live_server.url}/projects/manage/{project.pk}/")

    # Only the allowed next stages are offered.
    stages = page.locator(".stage-form").evaluate_all(
        "forms => forms.map(form => form.dataset.stage)"
    )
    assert stages == ["contracted", "cancelled", "carried_over"]
    contract = page.locator(".stage-form[data-stage=contracted]")
    contract.locator("input[name=contract_amount]").fill("1,200,000")
    contract.locator("input[name=contractor]").fill("หจก. โพธิ์กลางก่อสร้าง")
    contract.locator("input[name=contract_date]").fill("2026-01-20")
    contract.locator("input[name=note]").fill("ลงนามสัญญาจ้าง")
    contract.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".lead .project-stage")).to_have_attribute("data-stage", "contracted")
    expect(page.locator(".contractor")).to_contain_text("หจก. โพธิ์กลางก่อสร้าง")

    form = page.locator(".disbursement-form")
    form.locator("input[name=date]").fill("2026-02-15")
    form.locator("input[name=amount]").fill("300,000.50")
    form.locator("input[name=reference]").fill("ฎ-0042")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".disbursed-total")).to_have_text("300,000.50")
    page.screenshot(path=artefacts / "projects-officer.png", full_page=True)

    # A citizen (no login) reads the public project page.
    citizen = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok")
    public = citizen.new_page()
    public.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(public.locator(".current-stage")).to_have_attribute("data-stage", "contracted")
    expect(public.locator(".chain-disbursed")).to_have_text("300,000.50")
    expect(public.locator(".stage-timeline li")).to_have_count(4)
    expect(public.locator(".stage-timeline")).to_contain_text("ลงนามสัญญาจ้าง")
    public.screenshot(path=artefacts / "projects-public.png", full_page=True)

    public.goto(f"{live_server.url}/projects/lao/6300101/")
    expect(public.locator("table tbody tr")).to_have_count(1)
    expect(public.locator("#project-map.project-map-ready")).to_be_visible()
    public.screenshot(path=artefacts / "projects-lao.png", full_page=True)
    citizen.close()
    assert project.__class__.objects.get(pk=project.pk).contract_date == datetime.date(2026, 1, 20)
