"""Journeys of an LAO officer, who keeps their own LAO's data current."""

import pytest
from playwright.sync_api import Page, expect

from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_edits_the_phone_number_and_is_refused_another_lao(
    live_server, page: Page, artefacts
):
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ")
    district = DistrictFactory(province=province, code="1103", name_th="บางพลี")
    own = LAOFactory(
        subdistrict__district=district,
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        phone="02 000 0000",
        demo_fields=["phone"],
    )
    other = LAOFactory(subdistrict__district=district, dla_code="6110306")
    UserFactory(username="somsri", role=Role.OFFICER, lao=own, first_name="สมศรี")

    page.goto(f"{live_server.url}/accounts/login/?next=/units/6110305/")
    page.get_by_label("ชื่อผู้ใช้").fill("somsri")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(f"{live_server.url}/units/6110305/")

    page.locator(".profile-actions a[href='/units/6110305/edit/']").click()
    phone = page.get_by_label("โทรศัพท์")
    expect(phone).to_have_value("02 000 0000")
    phone.fill("02 123 4567 ต่อ 12")
    page.screenshot(path=artefacts / "officer-edit.png", full_page=True)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/units/6110305/")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator('[data-field="phone"]')).to_contain_text("02 123 4567 ต่อ 12")
    expect(page.locator('[data-field="phone"] .demo-mark')).to_have_count(0)
    page.screenshot(path=artefacts / "officer-profile-saved.png", full_page=True)

    page.locator(".profile-actions a[href='/units/6110305/history/']").click()
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("สมศรี")
    expect(row.locator("del")).to_have_text("02 000 0000")
    expect(row.locator("ins")).to_have_text("02 123 4567 ต่อ 12")
    page.screenshot(path=artefacts / "officer-history.png", full_page=True)

    response = page.goto(f"{live_server.url}/units/{other.dla_code}/edit/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("ไม่พบหน้าที่ต้องการ")
