"""Every public page, with a small realistic data set, has no serious or critical WCAG 2.1 AA
violation that axe-core finds (static/vendor/axe-core, injected by the test only: no page
template loads it).

Axe runs in the page as the page is served, Content-Security-Policy included, so what it checks
(contrast, names, roles) is what a visitor gets."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from budgets import services as budget_services
from budgets.importers import classification_import
from budgets.models import ExpenseType, Programme
from budgets.services import LineData
from projects import services as project_services
from projects.services import ProjectData
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import (
    DistrictFactory,
    LAOFactory,
    ProvinceFactory,
    SubdistrictFactory,
    UserFactory,
)
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
DLA_CODE = "6110305"


def square(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@pytest.fixture
def project():
    """A located project of this fiscal year, with all around it: one province with a district
    boundary, an LAO with coordinates and a website, its enacted budget plan of the same year;
    the users who made them."""
    classification_import()
    province = ProvinceFactory(
        code="11",
        name_th="สมุทรปราการ",
        name_en="Samut Prakan",
        boundary=square(100.4, 13.4, 101.0, 13.8),
    )
    district = DistrictFactory(
        province=province, code="1103", name_th="บางพลี", boundary=square(100.6, 13.5, 100.8, 13.7)
    )
    lao = LAOFactory(
        subdistrict=SubdistrictFactory(district=district, code="110301", name_th="บางพลีใหญ่"),
        dla_code=DLA_CODE,
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        name_en="Bang Phli Yai SAO",
        latitude=Decimal("13.609837"),
        longitude=Decimal("100.702786"),
        population=45210,
        phone="02 123 4567",
        website="https://www.bangpliyai.go.th/",
        demo_fields=["population"],
    )
    officer = UserFactory(username="officer", role=Role.OFFICER, lao=lao)
    staff = UserFactory(username="staff", role=Role.PROVINCIAL, province=province)
    UserFactory(username="director", role=Role.EXECUTIVE)

    year = fiscal_year_of(timezone.localdate())
    education = Programme.objects.get(key="EDUCATION")
    plan = budget_services.budget_plan_create(lao=lao, fiscal_year=year, user=officer)
    plan = budget_services.budget_plan_save(
        plan=plan,
        user=officer,
        version=plan.version,
        lines=[
            LineData(
                education.pk,
                ExpenseType.objects.get(key="MATERIALS").pk,
                "วัสดุการศึกษา",
                Decimal("250000"),
            )
        ],
        revenues={},
    )
    plan = budget_services.budget_plan_submit(
        plan=plan, user=officer, version=plan.version, imbalance_reason="เงินสะสม"
    )
    budget_services.budget_plan_enact(plan=plan, user=staff, version=plan.version)

    development_plan = project_services.development_plan_create(
        lao=lao,
        user=officer,
        start_year=year - 2,
        vision="ตำบลน่าอยู่",
        strategies=["พัฒนาการศึกษา"],
    )
    project = project_services.project_create(
        lao=lao,
        user=officer,
        data=ProjectData(
            name="ปรับปรุงอาคารเรียน",
            fiscal_year=year,
            budget_amount=Decimal("1000000"),
            strategy=development_plan.strategies.get(number=1),
            programme=education,
            location="หมู่ 3 ตำบลบางพลีใหญ่",
            latitude=Decimal("13.612000"),
            longitude=Decimal("100.705000"),
        ),
    )
    return project


def run_axe(page: Page) -> list[dict]:
    """Axe's violations of the page as it is now. The library is evaluated through the
    DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_21_AA,
    )
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line}" for line in summary.splitlines()[:3])
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    # Charts and maps draw after load: give their scripts a moment before axe reads the page.
    page.wait_for_load_state("networkidle")
    violations = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
    if violations:
        pytest.fail(f"axe found on {page.url}:\n{describe(violations)}", pytrace=False)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


PUBLIC_PAGES = {
    "home": "/",
    "lao-list": "/units/",
    "lao-search": "/units/?q=บางพลี",
    "lao-profile": f"/units/{DLA_CODE}/",
    "province": "/units/province/11/",
    "national-map": "/units/map/",
    "links": "/units/links/",
    "budgets": "/budgets/",
    "budget-classification": "/budgets/classification/",
    "projects": "/projects/",
    "lao-projects": f"/projects/lao/{DLA_CODE}/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password-reset/",
}


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_violation(live_server, page: Page, project, path):
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    assert_accessible(page)


def test_project_page_has_no_serious_violation(live_server, page: Page, project):
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ปรับปรุงอาคารเรียน")
    assert_accessible(page)


def test_maps_are_named_keyboard_usable_regions_that_point_to_their_list(
    live_server, page: Page, project
):
    """The pages with a Leaflet map, once the map is drawn: each map is a named region (not an
    image holding buttons), focusable and zoomed from the keyboard, with its zoom buttons named
    in the page's words, and a text alternative: a caption or a link to the list it draws."""
    for path, map_id, alternative in [
        (f"/units/{DLA_CODE}/", "lao-map", "#lao-map-caption"),
        ("/units/province/11/", "province-map", "a[href='#laos-title']"),
        ("/units/map/", "national-map", "a[href='#provinces-title']"),
        (f"/projects/lao/{DLA_CODE}/", "project-map", "a[href='#projects-list']"),
    ]:
        page.goto(f"{live_server.url}{path}")
        drawn = page.locator(f"#{map_id}.leaflet-container")
        expect(drawn).to_be_visible()
        expect(page.get_by_role("region", name=drawn.get_attribute("aria-label"))).to_have_count(1)
        zoom_in = drawn.locator(".leaflet-control-zoom-in")
        expect(zoom_in).to_have_attribute("aria-label", drawn.get_attribute("data-zoom-in"))
        expect(page.locator(alternative)).to_be_visible()
        target = page.locator(alternative).get_attribute("href")
        if target:
            expect(page.locator(target)).to_have_count(1)

        # Keyboard: the map takes focus and "+" zooms it (its shapes are drawn anew).
        shape = drawn.locator("path").first
        before = shape.get_attribute("d")
        drawn.focus()
        expect(drawn).to_be_focused()
        page.keyboard.press("+")
        expect(shape).not_to_have_attribute("d", before)
        assert_accessible(page)


def test_budget_explorer_has_no_serious_violation(live_server, page: Page, project):
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/budgets/explorer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/budgets/explorer/lao/{DLA_CODE}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_pages_in_english_have_no_serious_violation(live_server, page: Page, project):
    page.goto(live_server.url)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    for path in (f"/units/{DLA_CODE}/", "/units/province/11/", "/accounts/signup/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_accessible(page)
