"""Factories for a small province → district → subdistrict → LAO tree and users."""

from dataclasses import dataclass

import factory

from units.demo import DEMO_PASSWORD
from units.models import LAO, District, LAOKind, Province, Role, Subdistrict, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{10 + n % 90:02d}")
    name_th = factory.Sequence(lambda n: f"จังหวัดทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test Province {n}")
    region = "central"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}{1 + n % 99:02d}")
    name_th = factory.Sequence(lambda n: f"อำเภอทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}{1 + n % 99:02d}")
    name_th = factory.Sequence(lambda n: f"ตำบลทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test Subdistrict {n}")
    postcode = "10000"


class LAOFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LAO

    subdistrict = factory.SubFactory(SubdistrictFactory)
    district = factory.LazyAttribute(lambda o: o.subdistrict.district)
    province = factory.LazyAttribute(lambda o: o.district.province)
    kind = LAOKind.SAO
    dla_code = factory.Sequence(lambda n: f"6{n:06d}")
    name_th = factory.Sequence(lambda n: f"ทดสอบ{n}")
    full_name_th = factory.LazyAttribute(lambda o: f"องค์การบริหารส่วนตำบล{o.name_th}")
    name_en = factory.Sequence(lambda n: f"Thotsop {n} SAO")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


def lao_in(province, **fields) -> LAO:
    """An LAO in a new district of `province`."""
    return LAOFactory(subdistrict__district=DistrictFactory(province=province), **fields)


@dataclass
class Tree:
    """A small province → district → LAO tree and a user of every role.

    `lao` and `neighbour` (each in its own district) are in `province`; `far` is in
    `other_province`. Usernames are the attribute names, except `neighbour` and `far` for the
    neighbour officer and the other province's staff."""

    province: Province
    other_province: Province
    lao: LAO
    neighbour: LAO
    far: LAO
    officer: User
    neighbour_officer: User
    far_officer: User
    staff: User
    far_staff: User
    citizen: User
    executive: User
    editor: User
    admin: User


def build_tree() -> Tree:
    province, other = ProvinceFactory(code="30"), ProvinceFactory(code="31")
    lao = lao_in(province, dla_code="6300001")
    neighbour = lao_in(province, dla_code="6300002")
    far = lao_in(other, dla_code="6310001")
    return Tree(
        province=province,
        other_province=other,
        lao=lao,
        neighbour=neighbour,
        far=far,
        officer=UserFactory(username="officer", role=Role.OFFICER, lao=lao),
        neighbour_officer=UserFactory(username="neighbour", role=Role.OFFICER, lao=neighbour),
        far_officer=UserFactory(username="far_officer", role=Role.OFFICER, lao=far),
        staff=UserFactory(username="staff", role=Role.PROVINCIAL, province=province),
        far_staff=UserFactory(username="far", role=Role.PROVINCIAL, province=other),
        citizen=UserFactory(username="citizen", role=Role.CITIZEN),
        executive=UserFactory(username="executive", role=Role.EXECUTIVE),
        editor=UserFactory(username="editor", role=Role.EDITOR, is_staff=True),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    )


@dataclass
class TwoProvinces:
    """LAOs of the given kinds in two provinces, each in a district of its own; `laos` lists
    the north's in order, then the south's."""

    north: Province
    south: Province
    laos: list[LAO]


def two_provinces(north_kinds, south_kinds, *, codes=("30", "31")) -> TwoProvinces:
    north, south = ProvinceFactory(code=codes[0]), ProvinceFactory(code=codes[1])
    laos = [lao_in(north, kind=kind) for kind in north_kinds]
    laos += [lao_in(south, kind=kind) for kind in south_kinds]
    return TwoProvinces(north=north, south=south, laos=laos)
