"""The whole role × (own LAO, other LAO in the same province, LAO in another province) matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from units import access
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home = ProvinceFactory(code="40")
    other = ProvinceFactory(code="41")
    own = LAOFactory(subdistrict__district=DistrictFactory(province=home))
    neighbour = LAOFactory(subdistrict__district=DistrictFactory(province=home))
    far = LAOFactory(subdistrict__district=DistrictFactory(province=other))
    return {"home": home, "own": own, "same_province": neighbour, "other_province": far}


def make_user(role, tree):
    scope = {}
    if role == Role.OFFICER:
        scope["lao"] = tree["own"]
    if role == Role.PROVINCIAL:
        scope["province"] = tree["home"]
    return UserFactory(role=role, is_superuser=role == Role.ADMIN, **scope)


# role → may edit (own, same province, other province)
MATRIX = {
    Role.CITIZEN: (False, False, False),
    Role.OFFICER: (True, False, False),
    Role.PROVINCIAL: (True, True, False),
    Role.EXECUTIVE: (False, False, False),
    Role.EDITOR: (False, False, False),
    Role.ADMIN: (True, True, True),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_edit_scope_matrix(role, tree):
    user = make_user(role, tree)
    expected = MATRIX[role]
    targets = ("own", "same_province", "other_province")
    for target, allowed in zip(targets, expected, strict=True):
        lao = tree[target]
        assert access.can_edit_lao(user, lao) is allowed, (role, target)
        assert access.laos_managed_by(user).filter(pk=lao.pk).exists() is allowed
        assert (lao.dla_code in access.lao_codes_in_scope(user)) is allowed
        if allowed:
            assert access.lao_for_user(user, lao.dla_code) == lao
        else:
            with pytest.raises(Http404):
                access.lao_for_user(user, lao.dla_code)


def test_anonymous_visitors_change_nothing(tree):
    anonymous = AnonymousUser()
    assert not access.can_edit_lao(anonymous, tree["own"])
    assert not access.laos_managed_by(anonymous).exists()
    assert not access.can_upload(anonymous)
    assert not access.can_view_back_office(anonymous)


def test_a_deactivated_officer_changes_nothing(tree):
    officer = make_user(Role.OFFICER, tree)
    officer.is_active = False
    assert not access.can_edit_lao(officer, tree["own"])


@pytest.mark.parametrize(
    ("role", "may_upload", "back_office"),
    [
        (Role.CITIZEN, False, False),
        (Role.OFFICER, False, True),
        (Role.PROVINCIAL, True, True),
        (Role.EXECUTIVE, False, True),
        (Role.EDITOR, False, True),
        (Role.ADMIN, True, True),
    ],
)
def test_upload_and_back_office_rights(role, may_upload, back_office, tree):
    user = make_user(role, tree)
    assert access.can_upload(user) is may_upload
    assert access.can_view_back_office(user) is back_office


def test_missing_and_out_of_scope_look_the_same(tree):
    officer = make_user(Role.OFFICER, tree)
    with pytest.raises(Http404) as missing:
        access.lao_for_user(officer, "9999999")
    with pytest.raises(Http404) as forbidden:
        access.lao_for_user(officer, tree["other_province"].dla_code)
    assert str(missing.value) == str(forbidden.value)
