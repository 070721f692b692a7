"""The Django admin works under the portal's Content-Security-Policy."""

import pytest
from playwright.sync_api import Page, expect

from units.demo import DEMO_PASSWORD
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_logs_in_and_edits_a_user_without_csp_violations(live_server, page: Page):
    UserFactory(username="root", is_staff=True, is_superuser=True, role="admin")
    UserFactory(username="somchai")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("ชื่อผู้ใช้").fill("root")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("link", name="ผู้ใช้").first.click()
    page.get_by_role("link", name="somchai").click()
    expect(page.locator("select#id_role")).to_have_value("citizen")
    assert violations == []
