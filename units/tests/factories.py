"""Factories for a small province → district → subdistrict → LAO tree and users."""

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
