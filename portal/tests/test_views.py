import pytest
from django.db import DatabaseError
from django.urls import reverse

from portal.navigation import AREAS
from units.models import LAOKind
from units.tests.factories import LAOFactory

pytestmark = pytest.mark.django_db

AREA_PAGES = [
    "portal:e-government",
    "portal:e-services",
    "portal:news",
    "portal:contact",
]


def test_home_is_thai_by_default_and_counts_laos_in_one_query(client, django_assert_num_queries):
    LAOFactory.create_batch(2)
    LAOFactory(kind=LAOKind.PAO, subdistrict=None, district=None, province=LAOFactory().province)
    with django_assert_num_queries(2):  # the page cache's stamps, the counts
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert response["Content-Language"] == "th"
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "ข้อมูลองค์กรปกครองส่วนท้องถิ่นทั่วประเทศ" in html
    counts = {row["kind"]: row["count"] for row in response.context["lao_counts"]}
    assert counts[LAOKind.SAO] == 3
    assert counts[LAOKind.PAO] == 1


def test_a_visitor_gets_the_home_page_from_the_cache_until_the_registry_changes(
    client, django_assert_num_queries
):
    province = LAOFactory().province
    LAOFactory(kind=LAOKind.PAO, subdistrict=None, district=None, province=province)
    first = client.get(reverse("portal:home"))
    with django_assert_num_queries(1):
        assert client.get(reverse("portal:home")).content == first.content
    # A new LAO moves the registry's stamp: the next visitor gets the new count.
    LAOFactory(kind=LAOKind.PAO, subdistrict=None, district=None, province=LAOFactory().province)
    response = client.get(reverse("portal:home"))
    assert {row["kind"]: row["count"] for row in response.context["lao_counts"]}[LAOKind.PAO] == 2
    assert response.content != first.content


def test_home_links_to_the_nine_areas(client):
    html = client.get(reverse("portal:home")).content.decode()
    for url_name in [
        "units:index",
        "portal:e-government",
        "portal:e-services",
        "knowledge:index",
        "forums:index",
        "knowledge:academic",
        "benchmarks:index",
        "units:links",
        "portal:news",
    ]:
        assert f'href="{reverse(url_name)}"' in html


def test_switching_to_english_and_back(client):
    response = client.get(reverse("portal:language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Local government data of all Thailand, in one place" in html
    response = client.get(reverse("portal:language"), {"language": "th", "next": "/"}, follow=True)
    assert '<html lang="th">' in response.content.decode()


def test_the_language_switch_returns_to_the_page_and_only_to_this_site(client):
    response = client.get(
        reverse("portal:language"), {"language": "en", "next": "/units/?kind=sao&page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/units/?kind=sao&page=2"
    assert response.cookies["lao_portal_language"].value == "en"
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get(reverse("portal:language"), {"language": "en", "next": elsewhere})
        assert response["Location"] == "/"
    # An unknown language changes nothing.
    client.cookies.clear()
    response = client.get(reverse("portal:language"), {"language": "xx", "next": "/"})
    assert "lao_portal_language" not in response.cookies


def test_public_pages_carry_no_per_visitor_token(client):
    """The header's language switch is a GET form: a visitor's page has no CSRF token, so it
    is the same for every visitor (and may come from the page cache)."""
    html = client.get("/").content.decode()
    assert 'action="/language/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in client.cookies


@pytest.mark.parametrize("url_name", AREA_PAGES)
def test_area_pages_render_with_an_empty_state_and_no_query(
    client, url_name, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode() or url_name == "portal:contact"


def test_every_response_carries_a_content_security_policy(client):
    for url in [reverse("portal:home"), reverse("healthz"), "/no-such-page/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_healthz_checks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_failure(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("portal.views.connection.cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_area_eight_is_the_links_directory(client):
    assert [area.url_name for area in AREAS if area.number == 8] == ["units:links"]
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("units:links")}"' in html
