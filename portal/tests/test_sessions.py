"""Back-office sessions end after PORTAL_BACK_OFFICE_IDLE_MINUTES idle; citizens' do not."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from portal.middleware import LAST_SEEN_KEY, REFRESH_SECONDS
from units.models import Role
from units.tests.factories import LAOFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="officer1", role=Role.OFFICER, lao=LAOFactory())


def idle_for(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def idle_limit():
    return settings.PORTAL_BACK_OFFICE_IDLE_MINUTES * 60


def test_login_starts_the_idle_clock_of_a_back_office_user(client, officer):
    client.force_login(officer)
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_a_back_office_user_idle_too_long_is_signed_out_with_a_message(client, officer):
    client.force_login(officer)
    idle_for(client, idle_limit() + 60)
    path = reverse("units:index") + "?q=บางพลี"
    response = client.get(path)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("login") + "?next=")
    assert "_auth_user_id" not in client.session
    html = client.get(login_url).content.decode()
    assert "ระบบออกจากระบบให้แล้ว" in html


def test_an_idle_htmx_request_redirects_the_whole_page(client, officer):
    client.force_login(officer)
    idle_for(client, idle_limit() + 60)
    response = client.get(reverse("units:index"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_activity_within_the_limit_keeps_the_session_and_restarts_the_clock(client, officer):
    client.force_login(officer)
    idle_for(client, idle_limit() - 60)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert response.context["user"] == officer
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_the_clock_is_not_rewritten_on_every_request(client, officer, django_assert_num_queries):
    client.force_login(officer)
    idle_for(client, REFRESH_SECONDS - 30)
    stamp = client.session[LAST_SEEN_KEY]
    # session, user, the LAO counts: no session write
    with django_assert_num_queries(3):
        client.get(reverse("portal:home"))
    assert client.session[LAST_SEEN_KEY] == stamp


def test_a_citizen_keeps_an_idle_session(client):
    citizen = UserFactory(username="somchai")
    client.force_login(citizen)
    response = client.get(reverse("portal:home"))
    assert response.context["user"] == citizen
    # No idle clock at all: a citizen's session lasts as long as Django's session cookie.
    assert LAST_SEEN_KEY not in client.session


def test_a_back_office_session_from_before_the_clock_gets_one(client, officer):
    client.force_login(officer)
    session = client.session
    del session[LAST_SEEN_KEY]
    session.save()
    assert client.get(reverse("portal:home")).context["user"] == officer
    assert LAST_SEEN_KEY in client.session
