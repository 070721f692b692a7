"""Journeys of provincial staff: the registry workbook upload, from template to profile."""

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

# Upload progress is written through the "progress" database alias.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def upload(page: Page, path, kind: str = "units.registry") -> None:
    page.locator("select[name=kind]").select_option(kind)
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("form.upload-form button[type=submit]").click()


def test_staff_upload_a_workbook_fix_a_bad_row_and_see_the_change(
    live_server, page: Page, tmp_path, artefacts
):
    province = ProvinceFactory(code="40")
    district = DistrictFactory(province=province)
    first = LAOFactory(subdistrict__district=district, dla_code="6400100", population=5000)
    LAOFactory(subdistrict__district=district, dla_code="6400101", population=3000)
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
        page.locator('ul.upload-templates a[href*="units.registry"]').click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    assert [sheet["A2"].value, sheet["A3"].value] == ["6400100", "6400101"]
    sheet["C2"] = 12345
    sheet["C3"] = "หลายคน"  # text in a number column: the bad row
    bad = tmp_path / "bad.xlsx"
    book.save(bad)

    upload(page, bad)
    errors = page.locator("table.upload-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    expect(errors.locator("tbody tr").first).to_contain_text("ประชากร")
    expect(errors.locator("tbody tr").first).to_contain_text("หลายคน")
    page.screenshot(path=artefacts / "upload-errors.png", full_page=True)
    first.refresh_from_db()
    assert first.population == 5000  # nothing written while a row is bad

    sheet["C3"] = "3,500"
    good = tmp_path / "good.xlsx"
    book.save(good)
    page.goto(f"{live_server.url}/units/uploads/")
    upload(page, good)
    changes = page.locator("table.upload-changes")
    expect(changes).to_contain_text("12345")
    expect(changes).to_contain_text("3500")
    page.screenshot(path=artefacts / "upload-preview.png", full_page=True)
    page.locator("form.upload-commit button[type=submit]").click()
    expect(page.locator(".upload-status-committed")).to_be_visible()

    page.goto(f"{live_server.url}/units/6400100/")
    expect(page.locator('[data-field="population"]')).to_contain_text("12,345")
    expect(page.locator('[data-field="population"] .demo-mark')).to_have_count(0)
    page.screenshot(path=artefacts / "upload-profile.png", full_page=True)
    assert violations == []
