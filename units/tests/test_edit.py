"""Editing an LAO's data: who may (role × scope matrix), what the form accepts, what lao_update
records, and the Django admin's path through the same service."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from units.admin import LAOAdmin
from units.forms import LAOEditForm
from units.models import LAO, ChangeSource, LAOChange, Role
from units.services import lao_update
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM_FIELDS = LAOEditForm.Meta.fields


@pytest.fixture
def tree():
    home = ProvinceFactory(code="40")
    other = ProvinceFactory(code="41")
    laos = {
        "own": LAOFactory(subdistrict__district=DistrictFactory(province=home)),
        "same_province": LAOFactory(subdistrict__district=DistrictFactory(province=home)),
        "other_province": LAOFactory(subdistrict__district=DistrictFactory(province=other)),
    }
    LAO.objects.update(phone="02 000 0000", population=1000, households=300)
    for lao in laos.values():
        lao.refresh_from_db()
    return {"home": home, **laos}


def make_user(role, tree):
    scope = {}
    if role == Role.OFFICER:
        scope["lao"] = tree["own"]
    if role == Role.PROVINCIAL:
        scope["province"] = tree["home"]
    return UserFactory(role=role, is_superuser=role == Role.ADMIN, **scope)


def edit_url(lao):
    return reverse("units:edit", args=[lao.url_code])


def form_data(lao, **changes):
    data = {name: value for name, value in model_to_dict(lao, fields=FORM_FIELDS).items()}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    return data


# role → may edit (own, same province, other province)
MATRIX = {
    Role.CITIZEN: (False, False, False),
    Role.OFFICER: (True, False, False),
    Role.PROVINCIAL: (True, True, False),
    Role.EXECUTIVE: (False, False, False),
    Role.EDITOR: (False, False, False),
    Role.ADMIN: (True, True, True),
}
CASES = [
    (role, target, allowed)
    for role, row in MATRIX.items()
    for target, allowed in zip(("own", "same_province", "other_province"), row, strict=True)
]


@pytest.mark.parametrize(("role", "target", "allowed"), CASES)
def test_edit_matrix_get_and_post(client, tree, role, target, allowed):
    client.force_login(make_user(role, tree))
    lao = tree[target]

    response = client.get(edit_url(lao))
    assert response.status_code == (200 if allowed else 404)

    response = client.post(edit_url(lao), form_data(lao, phone="02 999 9999"))
    lao.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == lao.get_absolute_url()
        assert lao.phone == "02 999 9999"
        assert LAOChange.objects.filter(lao=lao).count() == 1
    else:
        assert response.status_code == 404
        assert lao.phone == "02 000 0000"
        assert not LAOChange.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_the_login_page(client, tree, method):
    lao = tree["own"]
    response = getattr(client, method)(edit_url(lao), form_data(lao, phone="02 999 9999"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"next={edit_url(lao)}" in response["Location"]
    lao.refresh_from_db()
    assert lao.phone == "02 000 0000"


def test_unknown_code_is_404_even_for_an_admin(client, tree):
    client.force_login(make_user(Role.ADMIN, tree))
    assert client.get(reverse("units:edit", args=["9999999"])).status_code == 404


def test_saving_records_one_change_and_clears_demo_flags(client, tree):
    lao = tree["own"]
    LAO.objects.filter(pk=lao.pk).update(
        demo_fields=["population", "households", "phone", "email", "chief_executive"]
    )
    lao.refresh_from_db()
    officer = make_user(Role.OFFICER, tree)
    client.force_login(officer)

    response = client.post(
        edit_url(lao),
        form_data(lao, phone="02 111 2222 ต่อ 12", population="1500", chief_executive="นางสมศรี"),
        follow=True,
    )
    assert response.redirect_chain == [(lao.get_absolute_url(), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]

    lao.refresh_from_db()
    assert lao.phone == "02 111 2222 ต่อ 12"
    assert lao.population == 1500
    assert lao.chief_executive == "นางสมศรี"
    assert lao.demo_fields == ["households", "email"]
    change = LAOChange.objects.get(lao=lao)
    assert change.user == officer
    assert change.source == ChangeSource.FORM
    assert change.changes == {
        "phone": ["02 000 0000", "02 111 2222 ต่อ 12"],
        "population": ["1000", "1500"],
        "chief_executive": ["", "นางสมศรี"],
    }


def test_saving_without_changes_records_nothing(client, tree):
    lao = tree["own"]
    client.force_login(make_user(Role.OFFICER, tree))
    response = client.post(edit_url(lao), form_data(lao), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    assert not LAOChange.objects.exists()


def test_form_errors_keep_what_was_typed_and_change_nothing(client, tree):
    lao = tree["own"]
    client.force_login(make_user(Role.OFFICER, tree))
    response = client.post(
        edit_url(lao),
        form_data(lao, population="500", households="900", phone="02 333 4444"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("households", "households_above_population")
    html = response.content.decode()
    assert 'value="900"' in html
    assert 'value="500"' in html
    assert 'value="02 333 4444"' in html
    assert 'class="errorlist' in html
    lao.refresh_from_db()
    assert (lao.population, lao.households, lao.phone) == (1000, 300, "02 000 0000")
    assert not LAOChange.objects.exists()


def test_households_error_is_translated(client, tree):
    lao = tree["own"]
    client.force_login(make_user(Role.OFFICER, tree))
    client.cookies["lao_portal_language"] = "en"
    response = client.post(edit_url(lao), form_data(lao, population="10", households="20"))
    assert "cannot be larger than the population" in response.content.decode()


@pytest.mark.parametrize(
    "phone",
    [
        "02 123 4567",
        "0-2123-4567",
        "+66 2 123 4567",
        "081-234-5678, 02 123 4567",
        "02 123 4567 #12",
    ],
)
def test_form_accepts_ordinary_phone_numbers(phone):
    form = LAOEditForm(data={"phone": phone}, instance=LAOFactory.build())
    form.is_valid()
    assert not form.has_error("phone"), form.errors


@pytest.mark.parametrize("phone", ["12345", "call us", "02-123-abcd", "<script>"])
def test_form_refuses_what_is_not_a_phone_number(phone):
    form = LAOEditForm(data={"phone": phone}, instance=LAOFactory.build())
    assert not form.is_valid()
    assert form.has_error("phone", "invalid_phone")


def test_form_checks_coordinates():
    lao = LAOFactory.build()
    form = LAOEditForm(data={"latitude": "13.6", "longitude": ""}, instance=lao)
    assert not form.is_valid()
    assert form.has_error("__all__", "half_a_point")
    form = LAOEditForm(data={"latitude": "100.7", "longitude": "13.6"}, instance=lao)
    assert not form.is_valid()
    assert form.has_error("latitude", "outside_thailand")
    assert form.has_error("longitude", "outside_thailand")
    form = LAOEditForm(data={"latitude": "13.609837", "longitude": "100.702786"}, instance=lao)
    assert form.is_valid(), form.errors


def test_edit_page_query_counts(client, tree, django_assert_num_queries):
    lao = tree["own"]
    client.force_login(make_user(Role.OFFICER, tree))
    with django_assert_num_queries(3):  # session, user, the LAO in scope
        assert client.get(edit_url(lao)).status_code == 200
    # session, user, the LAO; the model's check constraint (households <= population) validated
    # by the form; then lao_update: lock the row, update it (moving the registry's stamp of
    # cached pages), insert the change. Savepoints (2 each) appear because the test runs inside
    # a transaction.
    with django_assert_num_queries(12):
        response = client.post(edit_url(lao), form_data(lao, phone="02 999 9999"))
    assert response.status_code == 302


# --- the service ---


def test_lao_update_compares_with_the_stored_row_not_the_modified_instance(tree):
    lao = tree["own"]
    lao.phone = "02 555 5555"  # as a bound ModelForm leaves it, before saving
    change = lao_update(
        lao=lao, user=None, data={"phone": "02 555 5555"}, source=ChangeSource.UPLOAD
    )
    assert change.changes == {"phone": ["02 000 0000", "02 555 5555"]}
    assert change.user is None


def test_lao_update_ignores_equal_values_written_differently(tree):
    lao = tree["own"]
    LAO.objects.filter(pk=lao.pk).update(latitude=Decimal("13.600000"), address="")
    assert (
        lao_update(lao=lao, user=None, data={"latitude": Decimal("13.6"), "address": None}) is None
    )
    assert not LAOChange.objects.exists()


def test_lao_update_records_a_relation_by_name(tree):
    lao = tree["own"]
    other_province = tree["other_province"].province
    change = lao_update(
        lao=lao, user=None, data={"province": other_province}, source=ChangeSource.ADMIN
    )
    assert change.changes == {"province": [str(tree["home"]), str(other_province)]}
    lao.refresh_from_db()
    assert lao.province == other_province


def test_lao_update_refuses_unknown_fields(tree):
    with pytest.raises(ValueError, match="demo_fields"):
        lao_update(lao=tree["own"], user=None, data={"demo_fields": []})


# --- Django admin ---


def test_admin_save_model_records_the_change_through_lao_update(tree):
    lao = tree["own"]
    LAO.objects.filter(pk=lao.pk).update(demo_fields=["phone"])
    root = make_user(Role.ADMIN, tree)
    request = RequestFactory().post("/admin/")
    request.user = root
    model_admin = LAOAdmin(LAO, admin.site)
    form_class = model_admin.get_form(request, lao, change=True)
    stored = LAO.objects.get(pk=lao.pk)
    data = {
        name: ("" if value is None else value)
        for name, value in model_to_dict(stored, fields=form_class.base_fields).items()
    }
    data["phone"] = "02 777 7777"
    form = form_class(data, instance=stored)
    assert form.is_valid(), form.errors
    obj = form.save(commit=False)
    model_admin.save_model(request, obj, form, change=True)

    change = LAOChange.objects.get(lao=lao)
    assert change.source == ChangeSource.ADMIN
    assert change.user == root
    assert change.changes == {"phone": ["02 000 0000", "02 777 7777"]}
    lao.refresh_from_db()
    assert lao.phone == "02 777 7777"
    assert lao.demo_fields == []


def test_admin_lists_changes_read_only_and_searches_them(client, tree):
    lao = tree["own"]
    lao_update(lao=lao, user=None, data={"phone": "02 888 8888"}, source=ChangeSource.UPLOAD)
    client.force_login(_superuser())
    url = reverse("admin:units_laochange_changelist")
    response = client.get(url, {"q": lao.dla_code, "source__exact": "upload"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get(reverse("admin:units_laochange_add")).status_code == 403
    change = LAOChange.objects.get()
    response = client.get(reverse("admin:units_laochange_change", args=[change.pk]))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def _superuser():
    return UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


def test_form_says_which_current_values_are_demo_data():
    form = LAOEditForm(instance=LAOFactory.build(demo_fields=["phone", "population"]))
    assert form.fields["phone"].widget.attrs["class"] == "demo-value"
    assert "ข้อมูลตัวอย่าง" in str(form.fields["population"].help_text)
    assert "class" not in form.fields["email"].widget.attrs
