"""The work page in a browser: an officer and provincial staff land on it after logging in, the
header's counts arrive after the page (htmx, within the Content-Security-Policy), on a desktop
and on a phone-sized screen."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets.models import PlanStatus
from budgets.tests.factories import BudgetPlanFactory
from projects.models import Notification
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def watch_csp(page: Page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def scene(db):
    province = ProvinceFactory(code="42", name_th="เลย")
    district = DistrictFactory(province=province)
    lao = LAOFactory(subdistrict__district=district, dla_code="6420001")
    other = LAOFactory(subdistrict__district=district, dla_code="6420002")
    officer = UserFactory(username="officer42", role=Role.OFFICER, lao=lao)
    staff = UserFactory(username="staff42", role=Role.PROVINCIAL, province=province)
    current = fiscal_year_of(timezone.localdate())
    BudgetPlanFactory(
        lao=lao,
        fiscal_year=current,
        status=PlanStatus.RETURNED,
        reviewed_by=staff,
        reviewed_at=timezone.now(),
        return_comment="ประมาณการรายรับยังไม่ครบ",
    )
    BudgetPlanFactory(
        lao=other, fiscal_year=current, status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
    )
    Notification.objects.create(user=officer, message="มีการแจ้งเตือนใหม่")
    return {"lao": lao, "other": other}


def test_the_officer_lands_on_the_work_page_with_counts_in_the_header(
    live_server, page: Page, artefacts, scene
):
    violations = watch_csp(page)
    log_in(page, live_server.url, "officer42")
    expect(page).to_have_url(f"{live_server.url}/work/")
    expect(page.locator(".work-returned")).to_contain_text("ประมาณการรายรับยังไม่ครบ")
    # The counts replace the plain link once the page has loaded.
    expect(page.locator(".header-notifications .badge-count")).to_contain_text("1")
    expect(page.locator(".header-work .badge-count")).to_be_visible()
    page.screenshot(path=artefacts / "work-officer.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".header-work .badge-count")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artefacts / "work-officer-phone.png", full_page=True)
    assert violations == []


def test_provincial_staff_land_on_the_overview_of_their_province(
    live_server, page: Page, artefacts, scene
):
    violations = watch_csp(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "staff42")
    expect(page).to_have_url(f"{live_server.url}/work/")
    waiting = page.locator(".work-plans-waiting")
    expect(waiting).to_contain_text(scene["other"].full_name_th)
    expect(page.locator(".header-work .badge-count")).to_contain_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artefacts / "work-provincial-phone.png", full_page=True)
    waiting.get_by_role("link", name=scene["other"].full_name_th).click()
    expect(page).to_have_url(
        f"{live_server.url}/budgets/plans/{scene['other'].budget_plans.get().pk}/"
    )
    assert violations == []
