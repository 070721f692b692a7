"""Journeys of a citizen, who browses without logging in."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

THAI_FONT_LOADED = """async () => {
    await document.fonts.ready;
    const heading = document.querySelector('h1');
    return {
        family: getComputedStyle(heading).fontFamily,
        thaiFaceLoaded: document.fonts.check('700 16px Sarabun', 'ก'),
        loadedFaces: [...document.fonts].filter(
            (face) => face.family.replaceAll('"', '') === 'Sarabun' && face.status === 'loaded'
        ).length,
    };
}"""


def test_home_in_thai_switches_to_english_and_back(live_server, page: Page, artefacts):
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ข้อมูลองค์กรปกครองส่วนท้องถิ่นทั่วประเทศ ในที่เดียว"
    )
    expect(page.get_by_role("navigation", name="เมนูหลัก")).to_be_visible()

    fonts = page.evaluate(THAI_FONT_LOADED)
    assert fonts["family"].startswith("Sarabun") or fonts["family"].startswith('"Sarabun"')
    assert fonts["thaiFaceLoaded"]
    assert fonts["loadedFaces"] >= 1
    page.screenshot(path=artefacts / "home-th.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Local government data of all Thailand, in one place"
    )
    page.screenshot(path=artefacts / "home-en.png", full_page=True)

    page.get_by_role("button", name="ไทย").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")


def test_skip_link_moves_focus_to_the_content(live_server, page: Page):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main")).to_be_focused()
