"""The LAO change history page: back-office users only, newest first, paginated."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from units.models import ChangeSource, LAOChange, Role
from units.services import lao_update
from units.tests.factories import LAOFactory, ProvinceFactory, UserFactory
from units.views.profile import HISTORY_PAGE_SIZE

pytestmark = pytest.mark.django_db


def history_url(lao):
    return reverse("units:history", args=[lao.url_code])


@pytest.fixture
def lao():
    return LAOFactory(phone="02 000 0000", population=1000)


def make_user(role, lao, **extra):
    scope = {}
    if role == Role.OFFICER:
        scope["lao"] = LAOFactory()  # another LAO: history is not limited to the own scope
    if role == Role.PROVINCIAL:
        scope["province"] = ProvinceFactory(code="88")
    return UserFactory(role=role, is_superuser=role == Role.ADMIN, **scope, **extra)


def test_anonymous_is_sent_to_the_login_page(client, lao):
    response = client.get(history_url(lao))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_citizens_get_a_404(client, lao):
    client.force_login(make_user(Role.CITIZEN, lao))
    assert client.get(history_url(lao)).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.PROVINCIAL, Role.EXECUTIVE, Role.EDITOR, Role.ADMIN]
)
def test_back_office_users_see_the_history(client, lao, role):
    client.force_login(make_user(role, lao))
    assert client.get(history_url(lao)).status_code == 200


def test_unknown_code_is_404(client, lao):
    client.force_login(make_user(Role.EXECUTIVE, lao))
    assert client.get(reverse("units:history", args=["9999999"])).status_code == 404


def test_empty_history_shows_an_empty_state(client, lao):
    client.force_login(make_user(Role.EXECUTIVE, lao))
    html = client.get(history_url(lao)).content.decode()
    assert 'class="empty-state"' in html
    assert "<table" not in html


def test_changes_newest_first_with_who_when_source_and_values(client, lao):
    officer = UserFactory(role=Role.OFFICER, lao=lao, first_name="สมศรี", last_name="ใจงาม")
    lao_update(lao=lao, user=None, data={"population": 1200}, source=ChangeSource.UPLOAD)
    LAOChange.objects.update(changed_at=datetime.datetime(2025, 12, 5, 9, 30, tzinfo=datetime.UTC))
    lao_update(lao=lao, user=officer, data={"phone": "02 111 2222"}, source=ChangeSource.FORM)
    client.force_login(make_user(Role.EXECUTIVE, lao))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    response = client.get(history_url(lao))
    html = response.content.decode()

    changes = list(response.context["page_obj"])
    assert [change.source for change in changes] == [ChangeSource.FORM, ChangeSource.UPLOAD]
    newest, oldest = html.index("02 111 2222"), html.index("1200")
    assert newest < oldest
    assert "สมศรี ใจงาม" in html
    assert "5 ธ.ค. 2568" in html  # Buddhist Era date
    assert "<del>02 000 0000</del>" in html
    assert "<ins>02 111 2222</ins>" in html
    assert "<del>1000</del>" in html
    assert "โทรศัพท์" in html  # the field's translated label
    assert "ประชากร" in html
    assert "<caption>" in html
    assert 'scope="col"' in html


def test_history_of_one_lao_only(client, lao):
    other = LAOFactory()
    lao_update(lao=other, user=None, data={"phone": "02 444 4444"})
    client.force_login(make_user(Role.EXECUTIVE, lao))
    assert "02 444 4444" not in client.get(history_url(lao)).content.decode()


def test_history_is_paginated_with_a_fixed_number_of_queries(
    client, lao, django_assert_num_queries
):
    editor = UserFactory(role=Role.OFFICER, lao=lao)
    for number in range(HISTORY_PAGE_SIZE + 5):
        lao_update(lao=lao, user=editor, data={"population": 2000 + number})
    client.force_login(make_user(Role.EXECUTIVE, lao))
    # session, user, the LAO, the count, the page of changes with their users
    with django_assert_num_queries(5):
        response = client.get(history_url(lao))
    assert len(response.context["page_obj"]) == HISTORY_PAGE_SIZE
    assert response.context["page_obj"].paginator.num_pages == 2
    assert 'rel="next"' in response.content.decode()
    with django_assert_num_queries(5):
        response = client.get(history_url(lao), {"page": 2})
    assert len(response.context["page_obj"]) == 5


def test_history_filters_by_source(client, lao):
    lao_update(lao=lao, user=None, data={"phone": "02 111 1111"}, source=ChangeSource.UPLOAD)
    lao_update(lao=lao, user=None, data={"phone": "02 222 2222"}, source=ChangeSource.ADMIN)
    client.force_login(make_user(Role.EXECUTIVE, lao))
    response = client.get(history_url(lao), {"source": ChangeSource.UPLOAD})
    assert [change.source for change in response.context["page_obj"]] == [ChangeSource.UPLOAD]
    response = client.get(history_url(lao), {"source": "no-such-source"})
    assert response.status_code == 200
    assert response.context["filter"].errors


# --- system notes and coded values are worded in the reader's language --------------------


def test_system_notes_are_stored_as_keys_and_worded_when_shown(client, english_client, lao):
    from units.notes import note_text, system_note

    LAOChange.objects.create(
        lao=lao, source=ChangeSource.IMPORT, changes={}, note=system_note("registry-created")
    )
    LAOChange.objects.create(
        lao=lao,
        source=ChangeSource.IMPORT,
        changes={"is_active": ["True", "False"], "kind": ["sao", "subdistrict"]},
        note=system_note("dla-code", "6110305", "5110301"),
    )
    assert note_text("@upload:12") != "@upload:12"
    assert note_text("typed by someone") == "typed by someone"
    assert note_text("@unknown:1") == "@unknown:1"
    staff = make_user(Role.ADMIN, lao)
    english_client.force_login(staff)
    english = english_client.get(history_url(lao)).content.decode()
    assert "Created from the DLA registry" in english
    assert "DLA code 6110305 → 5110301" in english
    assert "Subdistrict Municipality" in english and ">No<" in english
    client.force_login(staff)
    thai = client.get(history_url(lao)).content.decode()
    assert "@registry-created" not in thai and "@dla-code" not in thai
    assert "sao" not in thai and ">False<" not in thai
