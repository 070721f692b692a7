"""Failed logins lock a username out from one client address (django-axes, in the database)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.10"


def log_in(client, password, *, url=None, username="somsri", ip=ADDRESS):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail_until_locked(client, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong-password", **kwargs)
        assert response.status_code == 200  # the form again, with its error
    return log_in(client, "wrong-password", **kwargs)


def test_the_nth_failure_locks_out_and_then_even_the_right_password_is_refused(client):
    UserFactory(username="somsri")
    locked = fail_until_locked(client)
    assert locked.status_code == 429
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in locked.content.decode()
    response = log_in(client, DEMO_PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_english_too(client):
    UserFactory(username="somsri")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = fail_until_locked(client).content.decode()
    assert "Too many failed logins" in html
    assert f"locked for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in html


def test_the_lock_holds_the_username_at_that_address_only(client):
    UserFactory(username="somsri")
    UserFactory(username="somchai")
    fail_until_locked(client)
    # The same person elsewhere, and a colleague behind the same address, still get in.
    assert log_in(client, DEMO_PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    assert log_in(client, DEMO_PASSWORD, username="somchai").status_code == 302


def test_a_success_before_the_limit_clears_the_failures(client):
    UserFactory(username="somsri")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong-password")
    assert log_in(client, DEMO_PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "wrong-password").status_code == 200


def test_the_admin_login_locks_out_too(client):
    UserFactory(username="somsri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    assert fail_until_locked(client, url=url).status_code == 429
    response = log_in(client, DEMO_PASSWORD, url=url)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_expires_after_the_cool_off(client):
    UserFactory(username="somsri")
    fail_until_locked(client)
    assert log_in(client, DEMO_PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(minutes=1)
    )
    response = log_in(client, DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_attempts_are_kept_in_the_database_for_every_worker(client):
    UserFactory(username="somsri")
    log_in(client, "wrong-password")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "somsri",
        ADDRESS,
        1,
    )
