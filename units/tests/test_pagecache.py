"""The page cache of visitors (units.pagecache) and the data stamps it is keyed by
(units.stamps), through the whole middleware stack with small views of their own."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import override_settings
from django.urls import path
from django.utils.translation import gettext

from units import stamps
from units.pagecache import cached_for_visitors
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

calls = []


def _names(request, pk):
    return [f"test:thing:{pk}"]


@cached_for_visitors(stamps=_names, params=("page",))
def thing(request, pk):
    """Shows how often it ran, the page asked for and the language: what a stale entry would
    get wrong."""
    calls.append(pk)
    page = request.GET.get("page", "1")
    return HttpResponse(f"thing {pk} run {len(calls)} page {page} {gettext('Log in')}")


@cached_for_visitors(stamps=_names)
def thing_with_form(request, pk):
    calls.append(pk)
    return HttpResponse(f"<form method=post>{get_token(request)}</form>")


@cached_for_visitors(stamps=_names)
def thing_with_nonce(request, pk):
    calls.append(pk)
    template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'></script>")
    return HttpResponse(template.render({"csp_nonce": request._csp_nonce}))


@cached_for_visitors(stamps=_names)
def missing_thing(request, pk):
    calls.append(pk)
    return HttpResponse("gone", status=404)


urlpatterns = [
    path("thing/<int:pk>/", thing),
    path("form/<int:pk>/", thing_with_form),
    path("nonce/<int:pk>/", thing_with_nonce),
    path("missing/<int:pk>/", missing_thing),
]

cached_urls = override_settings(ROOT_URLCONF=__name__)


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


@cached_urls
def test_a_visitor_gets_the_stored_page_after_one_query(client, django_assert_num_queries):
    first = client.get("/thing/1/")
    with django_assert_num_queries(1):
        second = client.get("/thing/1/")
    assert second.content == first.content == b"thing 1 run 1 page 1 " + "เข้าสู่ระบบ".encode()
    assert calls == [1]
    # The middleware still answers for the stored page: its headers are there.
    assert second["Content-Security-Policy"] and second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "th"


@cached_urls
def test_a_bumped_stamp_renews_the_page_and_only_its_own(client):
    client.get("/thing/1/")
    client.get("/thing/2/")
    stamps.bump("test:thing:1")
    assert client.get("/thing/1/").content.startswith(b"thing 1 run 3")
    assert client.get("/thing/2/").content.startswith(b"thing 2 run 2")
    assert calls == [1, 2, 1]


@cached_urls
def test_a_registry_change_renews_every_page(client, tree):
    client.get("/thing/1/")
    tree.lao.name_th = "องค์การบริหารส่วนตำบลใหม่"
    tree.lao.save()
    assert client.get("/thing/1/").content.startswith(b"thing 1 run 2")


@cached_urls
def test_only_addresses_with_declared_parameters_are_stored(client):
    client.get("/thing/1/?page=2")
    assert client.get("/thing/1/?page=2").content.startswith(b"thing 1 run 1 page 2")
    assert client.get("/thing/1/?page=3").content.startswith(b"thing 1 run 2 page 3")
    # Junk in the URL (or a value too long to be a real choice) is answered, never stored: the
    # page may print its own address, and junk cannot multiply the entries.
    long = "9" * 300
    for url in ("/thing/1/?page=2&utm_source=x", f"/thing/1/?page={long}"):
        client.get(url)
        client.get(url)
    assert calls == [1, 1, 1, 1, 1, 1]


@cached_urls
def test_each_language_has_its_own_entry(client):
    thai = client.get("/thing/1/")
    client.cookies["lao_portal_language"] = "en"
    english = client.get("/thing/1/")
    assert "เข้าสู่ระบบ".encode() in thai.content
    assert b"Log in" in english.content
    assert english["Content-Language"] == "en"
    assert calls == [1, 1]


@cached_urls
def test_signed_in_users_always_get_the_view(client):
    client.get("/thing/1/")
    client.force_login(UserFactory())
    client.get("/thing/1/")
    client.get("/thing/1/")
    assert calls == [1, 1, 1]


@cached_urls
def test_pages_with_a_csrf_token_or_a_nonce_are_never_stored(client):
    """A visitor's form token (or a script nonce) stored for everyone would break others'
    forms and scripts."""
    for url in ("/form/1/", "/nonce/1/"):
        first = client.get(url)
        client.cookies.clear()
        second = client.get(url)
        client.cookies.clear()
        assert first.content != second.content
    assert calls == [1, 1, 1, 1]


@cached_urls
def test_errors_and_htmx_requests_are_not_stored(client):
    client.get("/missing/1/")
    client.get("/missing/1/")
    client.get("/thing/1/", headers={"HX-Request": "true"})
    client.get("/thing/1/")
    assert calls == [1, 1, 1, 1]


def test_stamps_count_each_bump_and_read_in_one_query(django_assert_num_queries):
    assert stamps.read(["a", "b"]) == (0, 0)
    stamps.bump("b", "a", "b", "")
    stamps.bump("b")
    with django_assert_num_queries(1):
        assert stamps.read(["b", "a", "c"]) == (2, 1, 0)
    assert stamps.read([]) == ()


def test_a_rolled_back_write_does_not_move_its_stamp():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        stamps.bump("a")
        raise RuntimeError
    assert stamps.read(["a"]) == (0,)
    assert connection.is_usable()
