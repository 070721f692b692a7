"""On a 390 px phone: the main menu opens from a visible button, wide tables scroll inside
their box with the first column fixed, and no page is wider than the screen."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from budgets.demo import budgets_seed
from budgets.importers import classification_import
from budgets.rollups import rollups_rebuild as budget_rollups_rebuild
from projects import services
from projects.demo import development_plans_seed, projects_seed
from projects.models import Project
from projects.rollups import rollups_rebuild as project_rollups_rebuild
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth"


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def portal():
    """One LAO with two years of demo budgets and projects (rollups rebuilt), a payment on one
    of its projects, and an executive."""
    classification_import()
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ", name_en="Samut Prakan")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="1103", name_th="บางพลี"),
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        phone="0 2123 4567",
        email="saraban@bangphliyai.example.org",
        website="www.bangphliyai.example.org",
        demo_fields=[],
    )
    budgets_seed(lao_ids=[lao.pk], years=2)
    budget_rollups_rebuild()
    development_plans_seed(lao_ids=[lao.pk])
    projects_seed(lao_ids=[lao.pk], years=2)
    project_rollups_rebuild()
    officer = UserFactory(username="officer", role=Role.OFFICER, lao=lao)
    project = Project.objects.filter(lao=lao, stage__in=["contracted", "in_progress"]).first()
    if project is not None:
        services.disbursement_add(
            project=project, user=officer, date=datetime.date(2026, 1, 5), amount=Decimal("1")
        )
    executive = UserFactory(username="executive", role=Role.EXECUTIVE)
    return lao, project or Project.objects.filter(lao=lao).first(), executive


def log_in(page: Page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def assert_fits(page: Page, artefacts, name: str):
    """Nothing on the page is wider than the phone; a screenshot for people to look at."""
    page.evaluate("() => document.fonts.ready")
    width = page.evaluate(OVERFLOW)
    page.screenshot(path=artefacts / f"trust-390-{name}.png", full_page=True)
    page.screenshot(path=artefacts / f"trust-390-{name}-top.png")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"


def test_the_main_menu_opens_from_a_visible_button_on_a_phone(live_server, phone: Page, artefacts):
    phone.goto(live_server.url)
    nav = phone.get_by_role("navigation", name="เมนูหลัก")
    button = nav.locator("button.menu-button")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    first_link = nav.get_by_role("link").first
    expect(first_link).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(first_link).to_be_visible()
    phone.screenshot(path=artefacts / "trust-390-menu-open.png")
    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(first_link).to_be_hidden()

    # On a desktop screen the menu is a row of links and the button is not shown.
    phone.set_viewport_size({"width": 1280, "height": 900})
    expect(button).to_be_hidden()
    expect(first_link).to_be_visible()


def test_public_pages_fit_a_phone_and_wide_tables_keep_their_first_column(
    live_server, phone: Page, artefacts, portal
):
    lao, project, _executive = portal
    pages = {
        "home": "/",
        "laos": "/units/",
        "profile": f"/units/{lao.url_code}/",
        "projects": f"/projects/lao/{lao.url_code}/?fiscal_year=all",
        "project": f"/projects/{project.pk}/",
        "links": "/units/links/",
    }
    for name, path in pages.items():
        phone.goto(live_server.url + path)
        assert_fits(phone, artefacts, name)

    # The profile's contacts are links.
    phone.goto(f"{live_server.url}/units/{lao.url_code}/")
    expect(phone.locator('[data-field="phone"] a[href="tel:+6621234567"]')).to_be_visible()
    expect(
        phone.locator('[data-field="website"] a[href="https://www.bangphliyai.example.org"]')
    ).to_be_visible()

    # The project list scrolls sideways inside its box; the name column stays in view.
    phone.goto(f"{live_server.url}/projects/lao/{lao.url_code}/?fiscal_year=all")
    wrap = phone.locator("#projects-list")
    first_cell = wrap.locator("tbody tr").first.locator("td").first
    before = first_cell.bounding_box()
    scrolled = wrap.evaluate("box => { box.scrollLeft = 200; return box.scrollLeft; }")
    assert scrolled > 0, "the table is not wider than its box on a phone"
    after = first_cell.bounding_box()
    assert abs(after["x"] - before["x"]) < 1, "the first column scrolled away"
    assert_fits(phone, artefacts, "projects-scrolled")


def test_dashboards_fit_a_phone(live_server, phone: Page, artefacts, portal):
    lao, _project, executive = portal
    log_in(phone, live_server, executive)
    pages = {
        "explorer": "/budgets/explorer/",
        "explorer-province": f"/budgets/explorer/?province={lao.province.code}",
        "explorer-lao": f"/budgets/explorer/lao/{lao.url_code}/",
        "dashboard": "/projects/dashboard/",
        "dashboard-province": f"/projects/dashboard/?province={lao.province.code}",
        "dashboard-lagging": f"/projects/dashboard/lagging/?lao={lao.dla_code}",
        "profile-executive": f"/units/{lao.url_code}/",
    }
    for name, path in pages.items():
        phone.goto(live_server.url + path)
        assert_fits(phone, artefacts, name)
    # The explorer, the dashboard and the profile lead to each other.
    phone.goto(f"{live_server.url}/projects/dashboard/?province={lao.province.code}")
    phone.locator(f'#lao-table a[href="/budgets/explorer/lao/{lao.url_code}/"]').click()
    expect(phone).to_have_url(f"{live_server.url}/budgets/explorer/lao/{lao.url_code}/")
    phone.locator("#explorer-lao-lagging").click()
    expect(phone).to_have_url(f"{live_server.url}/projects/dashboard/lagging/?lao={lao.dla_code}")
