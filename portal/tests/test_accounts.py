import re

import pytest
from django.core import mail
from django.urls import reverse

from units.demo import DEMO_PASSWORD
from units.models import Role, User
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "ขอนแก่น-2569-เมืองหมอแคน"


def sign_up(client, **overrides):
    data = {
        "username": "somchai",
        "email": "somchai@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }
    return client.post(reverse("signup"), data)


def confirmation_link(message):
    return re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body).group(0)


def test_sign_up_creates_an_inactive_citizen_and_mails_a_confirmation(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("signup-done")
    user = User.objects.get(username="somchai")
    assert user.role == Role.CITIZEN
    assert not user.is_active
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["somchai@example.org"]
    assert "ยืนยัน" in mail.outbox[0].subject


def test_the_confirmation_link_activates_and_signs_in_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = confirmation_link(mail.outbox[0])
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == "somchai"
    assert User.objects.get(username="somchai").is_active
    client.logout()
    assert client.get(link).status_code == 400


def test_a_forged_confirmation_link_is_refused(client):
    user = UserFactory(is_active=False)
    response = client.get(
        reverse("signup-confirm", kwargs={"uidb64": "MQ", "token": "forged-token"})
    )
    assert response.status_code == 400
    assert "ลิงก์ยืนยันนี้ไม่ถูกต้อง" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_sign_up_with_a_taken_email_keeps_what_was_typed(client):
    UserFactory(username="other", email="Somchai@Example.org")
    response = sign_up(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "มีบัญชีที่ใช้อีเมลนี้อยู่แล้ว" in html
    assert 'value="somchai"' in html
    assert not User.objects.filter(username="somchai").exists()
    assert mail.outbox == []


def test_sign_up_with_mismatched_passwords_is_refused(client):
    response = sign_up(client, password2="something-else-2569")
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(username="somchai").exists()


def test_login_and_logout(client):
    UserFactory(username="officer1")
    response = client.post(
        reverse("login"), {"username": "officer1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert "ออกจากระบบ" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_wrong_password_shows_a_translated_error(client):
    UserFactory(username="officer1")
    response = client.post(reverse("login"), {"username": "officer1", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="officer1"' in response.content.decode()


def test_password_reset_mails_a_working_link(client, django_capture_on_commit_callbacks):
    UserFactory(username="somsri", email="somsri@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "SOMSRI@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="somsri").check_password(STRONG_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert mail.outbox == []
