"""A citizen's notifications in a browser: the header's count leads to one page with the
projects' and the webboard's notifications, and "mark all as read" empties the count."""

import pytest
from playwright.sync_api import Page, expect

from forums import services as forum_services
from projects.models import Notification
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(db):
    province = ProvinceFactory(code="43")
    lao = LAOFactory(subdistrict__district=DistrictFactory(province=province), dla_code="6430001")
    citizen = UserFactory(username="citizen43", role=Role.CITIZEN)
    officer = UserFactory(username="officer43", role=Role.OFFICER, lao=lao)
    thread = forum_services.thread_create(
        board=forum_services.lao_board(lao=lao), user=citizen, title="ไฟถนนดับ", body="ซ่อมเมื่อไร"
    )
    forum_services.post_reply(thread=thread, user=officer, body="พรุ่งนี้", official=True)
    Notification.objects.create(user=citizen, message="โครงการถนนเปลี่ยนขั้น", url="/projects/")
    return {"thread": thread}


def test_the_header_count_leads_to_every_notification_and_mark_all_read_clears_it(
    live_server, page: Page, artefacts, scene
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("citizen43")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    badge = page.locator(".header-notifications .badge-count")
    expect(badge).to_contain_text("2")
    page.locator(".header-notifications").click()
    page.wait_for_url(f"{live_server.url}/accounts/notifications/")
    unread = page.locator(".notifications .notification-unread")
    expect(unread).to_have_count(2)
    expect(unread.first).to_contain_text("โครงการถนนเปลี่ยนขั้น")  # the newer of the two
    expect(unread.nth(1)).to_contain_text(scene["thread"].title)
    page.screenshot(path=artefacts / "notifications-citizen.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/notifications/")
    expect(page.locator(".notifications .notification-read")).to_have_count(2)
    # Once the counts have replaced the header's placeholder, there is nothing unread to link.
    expect(page.locator(".header-badges:not([hx-get])")).to_have_count(1)
    expect(page.locator(".header-notifications")).to_have_count(0)
    # The webboard notification still leads to the answer in its thread.
    page.locator(".notifications a", has_text=scene["thread"].title).click()
    expect(page.locator("article#post-2 .badge-official")).to_be_visible()
