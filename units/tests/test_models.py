import pytest
from django.db import IntegrityError

from units.models import Role, User
from units.tests.factories import LAOFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_an_officer_must_belong_to_an_lao():
    with pytest.raises(IntegrityError):
        User.objects.create_user("officer", role=Role.OFFICER)


def test_provincial_staff_must_cover_a_province():
    with pytest.raises(IntegrityError):
        User.objects.create_user("staff", role=Role.PROVINCIAL)


def test_scoped_roles_are_stored_with_their_scope():
    lao = LAOFactory()
    officer = User.objects.create_user("officer", role=Role.OFFICER, lao=lao)
    staff = User.objects.create_user("staff", role=Role.PROVINCIAL, province=ProvinceFactory())
    assert officer.lao == lao
    assert staff.province is not None


def test_email_addresses_are_unique_whatever_their_case():
    User.objects.create_user("a", email="Somchai@Example.org")
    with pytest.raises(IntegrityError):
        User.objects.create_user("b", email="somchai@example.org")


def test_superusers_are_administrators():
    assert User.objects.create_superuser("root", "root@example.org", "x").role == Role.ADMIN


def test_an_lao_outside_bangkok_needs_a_dla_code():
    with pytest.raises(IntegrityError):
        LAOFactory(dla_code=None)
