"""The one notifications page of an account: the projects' and the webboard's notifications
together, newest first, paginated, unread marked, all marked read at once."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from forums import services as forum_services
from forums.models import ForumNotification
from portal import selectors
from projects.models import Notification

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("notifications")
READ = reverse("notifications-read")


@pytest.fixture
def reply(tree):
    """An officer's answer to a citizen's question: the citizen, who follows the thread they
    started, gets a webboard notification of it (and so would anyone else following)."""
    board = forum_services.lao_board(lao=tree.lao)
    thread = forum_services.thread_create(
        board=board, user=tree.citizen, title="ถนนชำรุด", body="ซ่อมเมื่อไร"
    )
    return forum_services.post_reply(thread=thread, user=tree.officer, body="สัปดาห์หน้า")


def ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def project_notification(user, message, *, hours, read=False):
    notification = Notification.objects.create(user=user, message=message, url="/projects/1/")
    # created_at is auto_now_add: set the moment afterwards to order the list.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=ago(hours), read_at=ago(hours / 2) if read else None
    )
    return notification


def forum_notification(user, post, message, *, hours, read=False):
    return ForumNotification.objects.create(
        user=user,
        post=post,
        message=message,
        created_at=ago(hours),
        read_at=ago(hours / 2) if read else None,
    )


def messages(response) -> list[str]:
    return [entry.message for entry in response.context["page_obj"]]


def test_both_kinds_newest_first_with_unread_marked(client, tree, reply):
    ForumNotification.objects.all().delete()  # the reply's own, at an uncontrolled time
    project_notification(tree.citizen, "ขั้นเปลี่ยน เก่า", hours=3, read=True)
    forum_notification(tree.citizen, reply, "ตอบแล้ว ใหม่สุด", hours=1)
    project_notification(tree.citizen, "ขั้นเปลี่ยน กลาง", hours=2)
    client.force_login(tree.citizen)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 200
    assert messages(response) == ["ตอบแล้ว ใหม่สุด", "ขั้นเปลี่ยน กลาง", "ขั้นเปลี่ยน เก่า"]
    entries = list(response.context["page_obj"])
    assert [entry.kind for entry in entries] == ["forum", "project", "project"]
    assert [entry.unread for entry in entries] == [True, True, False]
    # The webboard's link goes to the thread page holding the post, as the forum page's does.
    assert entries[0].url == reply.get_absolute_url() == f"{reply.thread.get_absolute_url()}#post-2"
    assert entries[1].url == "/projects/1/"
    html = response.content.decode()
    assert html.count('class="notification-unread"') == 2
    assert html.count('class="notification-read"') == 1
    assert html.count('class="badge badge-new"') == 2
    assert f'href="{reply.get_absolute_url()}"' in html
    # Each app's own page stays one click away.
    assert reverse("projects:following") in html and reverse("forums:following") in html


def test_the_page_costs_the_same_queries_whatever_the_number_of_notifications(
    client, tree, reply, django_assert_num_queries
):
    ForumNotification.objects.all().delete()
    client.force_login(tree.citizen)
    with django_assert_num_queries(3):  # session, user, the count (no rows: no page query)
        response = client.get(NOTIFICATIONS)
    assert "ไม่มีการแจ้งเตือน" in response.content.decode()  # "No notifications."

    project_notification(tree.citizen, "โครงการ 0", hours=100)
    forum_notification(tree.citizen, reply, "กระทู้ 0", hours=101)
    with django_assert_num_queries(4):  # session, user, the count, the page
        assert len(client.get(NOTIFICATIONS).context["page_obj"]) == 2

    for number in range(1, 21):
        project_notification(tree.citizen, f"โครงการ {number}", hours=number)
    for number in range(1, 16):
        forum_notification(tree.citizen, reply, f"กระทู้ {number}", hours=number + 0.5)
    with django_assert_num_queries(4):
        response = client.get(NOTIFICATIONS)
    page = response.context["page_obj"]
    assert page.paginator.count == 37
    assert len(page) == selectors.NOTIFICATIONS_PER_PAGE == 30
    assert messages(response)[:3] == ["โครงการ 1", "กระทู้ 1", "โครงการ 2"]
    with django_assert_num_queries(4):
        response = client.get(NOTIFICATIONS, {"page": 2})
    assert messages(response) == [
        "โครงการ 16",
        "โครงการ 17",
        "โครงการ 18",
        "โครงการ 19",
        "โครงการ 20",
        "โครงการ 0",
        "กระทู้ 0",
    ]
    assert 'rel="prev"' in response.content.decode()


def test_mark_all_read_marks_both_kinds_read_and_only_the_users_own(client, tree, reply):
    project_notification(tree.citizen, "ของพลเมือง", hours=1)
    project_notification(tree.neighbour_officer, "ของคนอื่น", hours=1)
    forum_notification(tree.neighbour_officer, reply, "กระทู้ของคนอื่น", hours=1)
    assert ForumNotification.objects.filter(user=tree.citizen, read_at=None).count() == 1
    client.force_login(tree.citizen)
    response = client.post(READ)
    assert response.status_code == 302 and response["Location"] == NOTIFICATIONS
    assert not Notification.objects.filter(user=tree.citizen, read_at=None).exists()
    assert not ForumNotification.objects.filter(user=tree.citizen, read_at=None).exists()
    assert Notification.objects.filter(user=tree.neighbour_officer, read_at=None).count() == 1
    assert ForumNotification.objects.filter(user=tree.neighbour_officer, read_at=None).count() == 1
    html = client.get(NOTIFICATIONS).content.decode()
    assert "notification-unread" not in html and "notification-read" in html


def test_another_users_notifications_are_never_shown(client, tree, reply):
    project_notification(tree.neighbour_officer, "ลับของคนอื่น", hours=1)
    forum_notification(tree.neighbour_officer, reply, "กระทู้ลับของคนอื่น", hours=1)
    client.force_login(tree.citizen)
    for page in (1, 2, "last"):
        response = client.get(NOTIFICATIONS, {"page": page})
        assert "ของคนอื่น" not in response.content.decode()
    assert [entry.kind for entry in response.context["page_obj"]] == ["forum"]  # the reply's
    client.force_login(tree.officer)  # no notification of their own
    assert "ของคนอื่น" not in client.get(NOTIFICATIONS).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, tree, reply):
    project_notification(tree.citizen, "ของพลเมือง", hours=1)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={NOTIFICATIONS}"
    response = client.post(READ)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Notification.objects.filter(user=tree.citizen, read_at=None).count() == 1
    assert ForumNotification.objects.filter(user=tree.citizen, read_at=None).count() == 1
    client.force_login(tree.citizen)
    assert client.get(READ).status_code == 405  # a write only by POST
    assert Notification.objects.filter(user=tree.citizen, read_at=None).count() == 1


def test_the_page_speaks_thai_by_default_and_english_on_request(client, tree, reply):
    client.force_login(tree.citizen)
    html = client.get(NOTIFICATIONS).content.decode()
    for thai in ("<h1>การแจ้งเตือน</h1>", "ทำเครื่องหมายว่าอ่านแล้วทั้งหมด", "เว็บบอร์ด", "ใหม่"):
        assert thai in html
    assert "Mark all as read" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(NOTIFICATIONS).content.decode()
    for english in ("<h1>Notifications</h1>", "Mark all as read", "Webboard", ">New<"):
        assert english in html


def test_the_work_page_links_to_all_notifications(client, tree):
    client.force_login(tree.officer)
    html = client.get(reverse("portal:work")).content.decode()
    assert f'<a href="{NOTIFICATIONS}">' in html
