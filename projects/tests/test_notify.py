import pytest
from django.core import mail

from projects.models import Follow, Notification
from projects.notify import News, followers_notify, followers_notify_many
from projects.tests.workflow import make_project
from units.tests.factories import LAOFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_followers_of_the_lao_are_notified_and_emailed(django_capture_on_commit_callbacks):
    lao, other = LAOFactory(), LAOFactory()
    follower = UserFactory(email="follower@example.org")
    no_email = UserFactory(email="")
    stranger = UserFactory(email="stranger@example.org")
    Follow.objects.create(user=follower, lao=lao)
    Follow.objects.create(user=no_email, lao=lao)
    Follow.objects.create(user=stranger, lao=other)
    with django_capture_on_commit_callbacks(execute=True):
        told = followers_notify(lao=lao, message="รายงานไตรมาสที่ 1 ได้รับการรับรองแล้ว", url="/x/")
    assert told == 2
    assert set(Notification.objects.values_list("user", flat=True)) == {follower.pk, no_email.pk}
    assert [message.to for message in mail.outbox] == [["follower@example.org"]]
    assert "รายงานไตรมาสที่ 1" in mail.outbox[0].body and "/x/" in mail.outbox[0].body


def test_news_of_many_projects_take_two_queries_and_tell_each_follower_once(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first, second = make_project(world, name="หนึ่ง"), make_project(world, name="สอง")
    both, lao_only, stranger = UserFactory(), UserFactory(), UserFactory()
    Follow.objects.create(user=both, project=first)
    Follow.objects.create(user=both, lao=world.lao)
    Follow.objects.create(user=lao_only, lao=world.lao)
    Follow.objects.create(user=stranger, lao=world.far)
    news = [
        News(
            message=f"{project.name} moved",
            url=f"/p/{project.pk}/",
            project_id=project.pk,
            lao_id=project.lao_id,
        )
        for project in (first, second)
    ]
    with (
        django_capture_on_commit_callbacks() as callbacks,
        django_assert_num_queries(4),  # savepoint, followers, notifications, release
    ):
        told = followers_notify_many(news)
    assert told == 4 and len(callbacks) == 1
    assert sorted(Notification.objects.values_list("user_id", "url")) == sorted(
        [
            (both.pk, f"/p/{first.pk}/"),
            (lao_only.pk, f"/p/{first.pk}/"),
            (both.pk, f"/p/{second.pk}/"),
            (lao_only.pk, f"/p/{second.pk}/"),
        ]
    )
    assert followers_notify_many([]) == 0
