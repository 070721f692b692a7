"""Contacts as links on the LAO profile (`{% load contacts %}`), and the profile's registered
actions (what other apps offer from the profile's heading)."""

import pytest
from django.urls import reverse

from units import profile as profile_registry
from units.models import Role
from units.templatetags.contacts import phone_links, tel_uri, website_href
from units.tests.factories import LAOFactory, UserFactory
from units.tests.test_profile import clean_registry, field_html  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("0 2123 4567", "tel:+6621234567"),
        ("02-123-4567", "tel:+6621234567"),
        ("081 234 5678", "tel:+66812345678"),
        ("+66 2 123 4567", "tel:+6621234567"),
        ("1111", "tel:1111"),
    ],
)
def test_tel_uri_normalizes_thai_numbers(written, uri):
    assert tel_uri(written) == uri


def test_phone_links_link_each_number_and_escape_the_rest():
    html = phone_links("02-123-4567 ต่อ 12, 02 123 4568 <b>")
    assert '<a href="tel:+6621234567" class="tel-link">02-123-4567</a> ต่อ 12, ' in html
    assert '<a href="tel:+6621234568" class="tel-link">02 123 4568</a>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert 'href="tel:12"' not in phone_links("02 123 4567 ต่อ 1234")
    assert phone_links("") == "" and phone_links(None) == ""


@pytest.mark.parametrize(
    ("website", "href"),
    [
        ("https://www.example.go.th/", "https://www.example.go.th/"),
        ("http://example.go.th", "http://example.go.th"),
        ("www.bangphliyai.go.th", "https://www.bangphliyai.go.th"),
        ("bangphliyai.go.th/th/", "https://bangphliyai.go.th/th/"),
        ("javascript:alert(1)", ""),
        ("mailto:a@example.org", ""),
        ("ไม่มี", ""),
        ("", ""),
    ],
)
def test_website_href(website, href):
    assert website_href(website) == href


def profile_html(client, lao) -> str:
    return client.get(reverse("units:detail", args=[lao.url_code])).content.decode()


def test_real_contacts_are_links_and_generated_ones_are_not(client):
    lao = LAOFactory(
        phone="0 2123 4567",
        email="saraban@example.go.th",
        website="www.example.go.th",
        demo_fields=[],
    )
    html = profile_html(client, lao)
    assert 'href="tel:+6621234567"' in field_html(html, "phone")
    assert 'href="mailto:saraban@example.go.th"' in field_html(html, "email")
    assert 'href="https://www.example.go.th"' in field_html(html, "website")

    demo = LAOFactory(
        phone="0 2999 1234",
        email="saraban.x@demo.lao-portal.invalid",
        website="https://www.x.demo.lao-portal.invalid/",
        demo_fields=["phone", "email", "website"],
    )
    html = profile_html(client, demo)
    for field in ("phone", "email", "website"):
        assert "href=" not in field_html(html, field), field
        assert 'class="demo-mark"' in field_html(html, field), field
    assert "0 2999 1234" in field_html(html, "phone")
    assert "demo.lao-portal.invalid" in field_html(html, "website")


def test_a_website_that_is_no_address_is_shown_not_linked(client):
    html = profile_html(client, LAOFactory(website="ติดต่อที่ทำการ", demo_fields=[]))
    assert "ติดต่อที่ทำการ" in field_html(html, "website")
    assert "href" not in field_html(html, "website")


def test_profile_actions_are_rendered_per_visitor_outside_the_cache(
    client,
    clean_registry,  # noqa: F811
):
    seen = []

    def staff_only(lao, request):
        seen.append(lao.pk)
        if not request.user.is_authenticated:
            return None
        return {"title": f"งานของ {request.user.get_username()}"}

    clean_registry.register_profile_action(
        "test-action", template="components/empty_state.html", context=staff_only
    )
    lao = LAOFactory()
    assert "งานของ" not in profile_html(client, lao)
    client.force_login(UserFactory(username="somchai", role=Role.OFFICER, lao=lao))
    assert "งานของ somchai" in profile_html(client, lao)  # the cached profile is not reused
    client.force_login(UserFactory(username="somsri", role=Role.CITIZEN))
    html = profile_html(client, lao)
    assert "งานของ somsri" in html and "somchai" not in html
    assert seen == [lao.pk] * 3
    assert [action.key for action in profile_registry.profile_actions()] == ["test-action"]
