import pytest
from django.core import mail

from projects.models import Follow, Notification
from projects.notify import followers_notify
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
