import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.models import MailRequest, MailRequestKind, PendingSignUp
from portal.security import signup_token_generator
from units.demo import DEMO_PASSWORD
from units.limits import client_ip
from units.models import Role, User
from units.tests.factories import LAOFactory, UserFactory

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


def test_sign_up_with_a_taken_username_keeps_what_was_typed(client):
    UserFactory(username="somchai", email="someone-else@example.org")
    response = sign_up(client, email="new-address@example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert 'value="new-address@example.org"' in response.content.decode()
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


# --- Sign-up confirmation: only a pending citizen sign-up, only with a sign-up token ---------


def confirm_url(user, token):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("signup-confirm", kwargs={"uidb64": uid, "token": token})


def pending_citizen(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, **overrides)
    return User.objects.get(username=overrides.get("username", "somchai"))


def test_confirming_activates_signs_in_and_ends_the_pending_sign_up(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    user = pending_citizen(client, django_capture_on_commit_callbacks)
    assert PendingSignUp.objects.filter(user=user).exists()
    link = confirmation_link(mail.outbox[0])
    # account; pending record and activation (4 savepoint statements); the new session; axes'
    # login log and reset of failures; last_login; the session saved
    with django_assert_num_queries(18):
        response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.last_login is not None
    assert not PendingSignUp.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "generator", [default_token_generator, signup_token_generator], ids=["reset", "sign-up"]
)
def test_a_deactivated_officer_cannot_reactivate_with_any_valid_token(client, generator):
    officer = UserFactory(username="officer1", role=Role.OFFICER, lao=LAOFactory())
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    token = generator.make_token(officer)
    assert generator.check_token(officer, token)  # the token itself is genuine
    response = client.get(confirm_url(officer, token))
    assert response.status_code == 400
    assert "ลิงก์ยืนยันนี้ไม่ถูกต้อง" in response.content.decode()
    officer.refresh_from_db()
    assert not officer.is_active
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_citizen_cannot_reactivate_with_a_sign_up_token(
    client, django_capture_on_commit_callbacks
):
    citizen = pending_citizen(client, django_capture_on_commit_callbacks)
    client.get(confirmation_link(mail.outbox[0]))
    client.logout()
    citizen.refresh_from_db()
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    # Even a token minted after the deactivation, and even with a pending record forged back.
    PendingSignUp.objects.create(user=citizen)
    response = client.get(confirm_url(citizen, signup_token_generator.make_token(citizen)))
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert not citizen.is_active


def test_a_password_reset_token_does_not_confirm_a_sign_up(
    client, django_capture_on_commit_callbacks
):
    user = pending_citizen(client, django_capture_on_commit_callbacks)
    response = client.get(confirm_url(user, default_token_generator.make_token(user)))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_a_sign_up_token_does_not_reset_a_password(client):
    user = UserFactory(username="somsri")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = signup_token_generator.make_token(user)
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(url, follow=True)
    assert not response.context["validlink"]


def test_an_expired_sign_up_token_fails(client, django_capture_on_commit_callbacks, monkeypatch):
    user = pending_citizen(client, django_capture_on_commit_callbacks)
    lifetime = timedelta(seconds=settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT)
    made_at = datetime.now() - lifetime - timedelta(minutes=1)  # noqa: DTZ005 (as Django's)
    monkeypatch.setattr(signup_token_generator, "_now", lambda: made_at)
    token = signup_token_generator.make_token(user)
    monkeypatch.undo()
    assert client.get(confirm_url(user, token)).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_the_sign_up_link_lives_by_its_own_setting_not_the_password_reset_timeout(
    client, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.PASSWORD_RESET_TIMEOUT = 60
    settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT = 24 * 3600
    user = pending_citizen(client, django_capture_on_commit_callbacks)
    made_at = datetime.now() - timedelta(hours=2)  # noqa: DTZ005 (as Django's)
    monkeypatch.setattr(signup_token_generator, "_now", lambda: made_at)
    token = signup_token_generator.make_token(user)
    monkeypatch.undo()
    assert client.get(confirm_url(user, token)).status_code == 302
    user.refresh_from_db()
    assert user.is_active


# --- No enumeration: the same answer whether the address has an account or not ---------------


def test_sign_up_with_a_registered_email_answers_as_usual_and_mails_the_owner(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(username="other", email="Somchai@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registered = sign_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = sign_up(client, username="somying", email="somying@example.org")
    assert registered.status_code == fresh.status_code == 302
    assert registered["Location"] == fresh["Location"] == reverse("signup-done")
    assert not User.objects.filter(username="somchai").exists()
    notice, confirmation = mail.outbox
    assert notice.to == [owner.email]
    assert "other" in notice.body  # the owner learns their username and how to get back in
    assert "/accounts/password-reset/" in notice.body
    assert "/accounts/signup/confirm/" not in notice.body
    assert "/accounts/signup/confirm/" in confirmation.body


def test_signing_up_again_with_a_pending_address_mails_a_fresh_link(
    client, django_capture_on_commit_callbacks
):
    user = pending_citizen(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, username="somchai2", email="SOMCHAI@example.org")
    assert response["Location"] == reverse("signup-done")
    assert not User.objects.filter(username="somchai2").exists()
    assert len(mail.outbox) == 2
    client.get(confirmation_link(mail.outbox[1]))
    user.refresh_from_db()
    assert user.is_active


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    UserFactory(username="somsri", email="somsri@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": "somsri@example.org"})
    # two counts for the limits, the recorded request, the (no) account
    with django_assert_num_queries(4):
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1


# --- Limits on account e-mails, per address and per client, in the database -----------------


def reset(client, email, ip="192.0.2.1", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra)


def test_password_reset_mails_are_limited_per_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 2
    UserFactory(username="somsri", email="somsri@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert reset(client, "somsri@example.org").status_code == 302
        assert reset(client, "SOMSRI@example.org", ip="192.0.2.2").status_code == 302
        refused = reset(client, "somsri@example.org", ip="198.51.100.7")
    assert refused.status_code == 429
    assert "ขอรับอีเมลมากเกินไป" in refused.content.decode()
    assert len(mail.outbox) == 2
    # An unknown address is refused exactly the same way: a 429 tells nothing about accounts.
    for _ in range(2):
        reset(client, "nobody@example.org")
    assert reset(client, "nobody@example.org").status_code == 429


def test_password_reset_mails_are_limited_per_client_and_a_forged_header_does_not_help(
    client, settings
):
    settings.PORTAL_MAIL_LIMIT_PER_CLIENT = 2
    assert reset(client, "a@example.org").status_code == 302
    assert reset(client, "b@example.org", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302
    refused = reset(client, "c@example.org", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert refused.status_code == 429
    assert reset(client, "c@example.org", ip="192.0.2.77").status_code == 302


def test_the_limit_lifts_after_the_window(client, settings):
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 1
    reset(client, "somsri@example.org")
    assert reset(client, "somsri@example.org").status_code == 429
    MailRequest.objects.update(
        created_at=timezone.now() - timedelta(minutes=settings.PORTAL_MAIL_WINDOW_MINUTES + 1)
    )
    assert reset(client, "somsri@example.org").status_code == 302


def test_sign_up_mails_are_limited_per_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 1
    UserFactory(username="other", email="somchai@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(client).status_code == 302
        refused = sign_up(client, username="somchai3")
    assert refused.status_code == 429
    assert len(mail.outbox) == 1


def test_sign_up_mails_are_limited_per_client(client, settings):
    settings.PORTAL_MAIL_LIMIT_PER_CLIENT = 1
    assert sign_up(client).status_code == 302
    refused = sign_up(client, username="somying", email="somying@example.org")
    assert refused.status_code == 429
    assert not User.objects.filter(username="somying").exists()


def test_client_address_comes_from_the_proxy_only_behind_one(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "10.0.0.5"
    settings.BEHIND_PROXY = True
    # The right-most entry is the one our proxy appended; the client wrote the others.
    assert client_ip(request) == "203.0.113.9"


# --- Unconfirmed sign-ups expire ---------------------------------------------------------------


def test_expired_sign_ups_are_deleted_and_nothing_else(
    client, settings, django_capture_on_commit_callbacks
):
    expired = pending_citizen(client, django_capture_on_commit_callbacks)
    recent = pending_citizen(
        client, django_capture_on_commit_callbacks, username="somying", email="s@example.org"
    )
    long_ago = timezone.now() - timedelta(seconds=settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT + 60)
    PendingSignUp.objects.filter(user=expired).update(created_at=long_ago)
    # Inactive for years and never logged in, but not a pending sign-up: an account to keep.
    deactivated = UserFactory(username="deactivated", is_active=False, date_joined=long_ago)
    old_request = MailRequest.objects.create(
        kind=MailRequestKind.SIGNUP, email="x@example.org", created_at=long_ago
    )
    out = StringIO()
    call_command("portal_delete_expired_signups", stdout=out)
    assert "deleted 1" in out.getvalue()
    assert not User.objects.filter(pk=expired.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, deactivated.pk]).count() == 2
    assert not MailRequest.objects.filter(pk=old_request.pk).exists()
    assert MailRequest.objects.count() == 2  # the two recent sign-ups still count
    # The expired link no longer works, and the address is free to sign up again.
    assert client.get(confirmation_link(mail.outbox[0])).status_code == 400
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 10
    assert sign_up(client).status_code == 302
    assert User.objects.filter(username="somchai").exists()
