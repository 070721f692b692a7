"""A small world for the tests of the project pages and services: two provinces, three LAOs,
users of every role, a development plan and a project in procurement."""

from decimal import Decimal

from budgets.importers import classification_import
from budgets.models import Programme
from projects import services
from projects.services import ProjectData
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

YEAR = 2569


def build_world() -> dict:
    classification_import()
    province, other = ProvinceFactory(code="30"), ProvinceFactory(code="31")
    lao = LAOFactory(subdistrict__district=DistrictFactory(province=province))
    neighbour = LAOFactory(subdistrict__district=DistrictFactory(province=province))
    far = LAOFactory(subdistrict__district=DistrictFactory(province=other))
    officer = UserFactory(role=Role.OFFICER, lao=lao, username="officer")
    world = {
        "province": province,
        "lao": lao,
        "neighbour": neighbour,
        "far": far,
        "officer": officer,
        "neighbour_officer": UserFactory(role=Role.OFFICER, lao=neighbour, username="neighbour"),
        "staff": UserFactory(role=Role.PROVINCIAL, province=province, username="staff"),
        "far_staff": UserFactory(role=Role.PROVINCIAL, province=other, username="far"),
        "citizen": UserFactory(role=Role.CITIZEN, username="citizen"),
        "executive": UserFactory(role=Role.EXECUTIVE, username="executive"),
        "education": Programme.objects.get(key="EDUCATION"),
    }
    plan = services.development_plan_create(
        lao=lao, user=officer, start_year=2566, vision="ตำบลน่าอยู่",
        strategies=["พัฒนาโครงสร้างพื้นฐาน", "พัฒนาการศึกษา"],
    )  # fmt: skip
    world["plan"] = plan
    world["strategy"] = plan.strategies.get(number=2)
    world["project"] = make_project(world, name="ก่อสร้างอาคารเรียน", budget="1000000")
    return world


def make_project(world, *, name="โครงการทดสอบ", budget="500000", lao=None, user=None, **extra):
    return services.project_create(
        lao=lao or world["lao"],
        user=user or world["officer"],
        data=ProjectData(
            name=name,
            fiscal_year=extra.pop("fiscal_year", YEAR),
            budget_amount=Decimal(budget),
            strategy=extra.pop("strategy", world["strategy"]) if lao is None else None,
            programme=world["education"],
            **extra,
        ),
    )


def move(project, user, *stages, **contract):
    """Walk a project through `stages` (contract data used when reaching contracted)."""
    for stage in stages:
        project = services.project_change_stage(
            project=project, user=user, to_stage=stage, note="", version=project.version,
            **(contract if stage == "contracted" else {}),
        )  # fmt: skip
    return project
