"""The webboard journey: a citizen signs up (with the e-mail confirmation) and asks an LAO a
question from its profile; the LAO's officer answers and the answer is marked as the LAO's; a
spammer's reply is flagged by the new citizen (queued only) and by two older accounts, which
hides it, and a moderator confirms it; the citizen then sees the answer and the notification
of it.

Pages are found by their links and fields rather than by their words, so the journey reads the
same in Thai and in English."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from forums.models import ModerationLog, Post, Thread
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "ถามตอบ-อปท-2569"


def log_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD, next_url="/"):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def flag(page: Page, base_url: str, username: str, post: Post, next_url: str, **password):
    log_in(page, base_url, username, next_url=next_url, **password)
    page.locator(f"a[href='/forums/p/{post.pk}/flag/']").click()
    page.locator("select[name=reason]").select_option("spam")
    page.locator("main form button[type=submit]").click()


def test_question_official_answer_flagged_spam_and_the_notification(
    live_server, page: Page, artefacts
):
    base = live_server.url
    province = ProvinceFactory(code="30", name_th="นครราชสีมา")
    lao = LAOFactory(
        subdistrict__district=DistrictFactory(province=province, code="3001"),
        dla_code="6300001",
        name_th="หนองระเวียง",
        full_name_th="องค์การบริหารส่วนตำบลหนองระเวียง",
    )
    UserFactory(username="officer30", role=Role.OFFICER, lao=lao)
    UserFactory(username="spammer")
    # Flags count toward hiding only from accounts older than FORUMS_FLAG_MIN_ACCOUNT_DAYS.
    joined = timezone.now() - timedelta(days=30)
    UserFactory(username="neighbour", date_joined=joined)
    UserFactory(username="elder", date_joined=joined)
    UserFactory(username="moderator", role=Role.EDITOR, is_staff=True)

    # A citizen signs up and confirms the address from the e-mail.
    page.goto(f"{base}/accounts/signup/")
    page.locator("input[name=username]").fill("somsri")
    page.locator("input[name=email]").fill("somsri@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/signup/sent/"))
    link = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.locator(".user-name")).to_be_visible()

    # ... opens the LAO's profile and asks it a question.
    page.goto(f"{base}/units/6300001/")
    page.locator("a[href='/forums/lao/6300001/']").click()
    page.locator("a[href='/forums/lao/6300001/new/']").first.click()
    page.locator("input[name=title]").fill("ถนนหน้าโรงเรียนชำรุด จะซ่อมเมื่อไร")
    page.locator("textarea[name=body]").fill("ถนนหน้าโรงเรียนบ้านหนองระเวียงเป็นหลุมลึก อันตรายต่อเด็ก")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ถนนหน้าโรงเรียนชำรุด จะซ่อมเมื่อไร")
    thread = Thread.objects.get()
    assert thread.lao == lao and thread.answered_at is None
    thread_url = f"/forums/t/{thread.pk}/"

    # The LAO's officer answers; the answer is the LAO's, officially.
    log_in(page, base, "officer30", next_url=thread_url)
    expect(page.locator("input[name=official]")).to_be_checked()
    page.locator("textarea[name=body]").fill("กองช่างจะเข้าซ่อมภายในสัปดาห์หน้าครับ")
    page.locator("form[action$='/reply/'] button[type=submit]").click()
    answer = page.locator("article#post-2")
    expect(answer.locator(".badge-official")).to_be_visible()
    expect(answer).to_contain_text(lao.full_name_th)
    thread.refresh_from_db()
    assert thread.answered_at is not None

    # A spammer replies; the new citizen's flag only queues the reply, two older accounts' flags
    # hide it until reviewed.
    log_in(page, base, "spammer", next_url=thread_url)
    page.locator("textarea[name=body]").fill("ยาลดความอ้วนราคาถูก สั่งเลย https://spam.example")
    page.locator("form[action$='/reply/'] button[type=submit]").click()
    expect(page.locator("article#post-3")).to_contain_text("ยาลดความอ้วน")
    spam = Post.objects.get(thread=thread, number=3)
    flag(page, base, "somsri", spam, thread_url, password=PASSWORD)
    flag(page, base, "neighbour", spam, thread_url)
    spam.refresh_from_db()
    assert not spam.is_hidden and spam.flag_count == 2
    flag(page, base, "elder", spam, thread_url)
    spam.refresh_from_db()
    assert spam.is_hidden and spam.awaiting_review
    page.context.clear_cookies()
    page.goto(f"{base}{thread_url}")
    expect(page.locator("article#post-3")).not_to_contain_text("ยาลดความอ้วน")

    # A moderator confirms the hiding from the queue, with a reason.
    log_in(page, base, "moderator", next_url="/forums/moderation/")
    page.locator(f"a[href='/forums/p/{spam.pk}/hide/?next=queue']").click()
    page.locator("input[name=reason]").fill("โฆษณาขายสินค้า")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/forums/moderation/$"))
    spam.refresh_from_db()
    assert spam.is_hidden and not spam.awaiting_review
    assert ModerationLog.objects.filter(post=spam, moderator__username="moderator").exists()
    page.screenshot(path=artefacts / "forums-moderation.png", full_page=True)

    # The citizen sees the official answer and the notification of it.
    log_in(page, base, "somsri", password=PASSWORD, next_url="/forums/following/")
    notification = page.locator(".notification-unread").first
    expect(notification).to_contain_text(thread.title)
    expect(page.locator(".header-notifications")).to_be_visible()
    notification.locator("a").click()
    expect(page.locator("article#post-2 .badge-official")).to_be_visible()
    expect(page.locator("article#post-3")).not_to_contain_text("ยาลดความอ้วน")
    page.screenshot(path=artefacts / "forums-answer.png", full_page=True)
