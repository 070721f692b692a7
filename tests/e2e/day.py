"""What the journeys of a working day share: the two screens they run on, logging in, the main
menu (behind its button on a phone), and a record of each step (a screenshot, the page fits the
screen, no Content-Security-Policy error so far)."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from units.demo import DEMO_PASSWORD

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Each journey runs on both: the browser context is made with these (pytest-playwright's
# `browser_context_args` marker).
SCREENS = [
    pytest.param("desktop", marks=pytest.mark.browser_context_args(viewport=DESKTOP), id="desktop"),
    pytest.param(
        "phone",
        marks=pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True),
        id="phone",
    ),
]


@dataclass
class Day:
    """One journey on one screen: `step(name)` leaves a numbered screenshot named after the
    journey and the screen, and checks what every step must hold."""

    page: Page
    journey: str
    screen: str
    artefacts: Path
    csp_errors: list[str] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self):
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_errors.append(message.text)

    @property
    def phone(self) -> bool:
        return self.screen == "phone"

    def step(self, name: str) -> None:
        self.steps += 1
        self.page.wait_for_load_state("load")
        if self.phone:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
        assert self.csp_errors == [], f"{name}: {self.csp_errors}"
        path = self.artefacts / f"{self.journey}-{self.screen}-{self.steps:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)

    def log_in(self, base_url: str, username: str) -> None:
        """Log in from the login page (no `next`): the user lands where their role starts."""
        self.page.context.clear_cookies()
        self.page.goto(f"{base_url}/accounts/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.page.locator("main form button[type=submit]").click()

    def menu(self, label: str) -> None:
        """Follow an item of the main menu; on a phone the menu opens with its button first."""
        nav = self.page.locator("nav.main-nav")
        if self.phone:
            items = nav.locator("#main-menu-items")
            expect(items).to_be_hidden()
            nav.locator("button.menu-button").click()
            expect(items).to_be_visible()
        nav.get_by_role("link", name=label, exact=True).click()

    def work_page(self) -> None:
        """Back to "งานของฉัน" with the header's link, there on every page and every screen."""
        self.page.locator(".header-badges .header-work").click()
        expect(self.page.locator("h1")).to_have_text("งานของฉัน")

    def waiting_badge(self):
        """The header's count of items waiting (absent when nothing waits), once the counts
        have arrived: the placeholder that asks for them (hx-get) has no count either."""
        expect(self.page.locator(".header-badges:not([hx-get])")).to_be_attached()
        return self.page.locator(".header-work .badge-count")
