"""Projects made and moved through the services, as officers do (stage history, rollups and
followers included); the `world` fixture (projects/tests/conftest.py) starts from them."""

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Programme
from budgets.tests.factories import imported_classification
from projects import services
from projects.models import DevelopmentPlan, Project, Strategy
from projects.services import ProjectData
from units.tests.factories import Tree

YEAR = 2569


@dataclass
class ProjectWorld(Tree):
    """The project-wide tree; `lao` has a development plan (2566-2570) with two strategies and
    a project of YEAR in the second ("ก่อสร้างอาคารเรียน", 1,000,000 baht, planned)."""

    education: Programme
    plan: DevelopmentPlan
    strategy: Strategy
    project: Project


def build_world(tree: Tree) -> ProjectWorld:
    education = imported_classification().education
    plan = services.development_plan_create(
        lao=tree.lao,
        user=tree.officer,
        start_year=2566,
        vision="ตำบลน่าอยู่",
        strategies=["พัฒนาโครงสร้างพื้นฐาน", "พัฒนาการศึกษา"],
    )
    strategy = plan.strategies.get(number=2)
    world = ProjectWorld(
        **vars(tree), education=education, plan=plan, strategy=strategy, project=None
    )
    world.project = make_project(world, name="ก่อสร้างอาคารเรียน", budget="1000000")
    return world


def make_project(world, *, name="โครงการทดสอบ", budget="500000", lao=None, user=None, **extra):
    """A project of `world.lao` by its officer (in the plan's strategy), or of `lao` by `user`
    (without a strategy)."""
    return services.project_create(
        lao=lao or world.lao,
        user=user or world.officer,
        data=ProjectData(
            name=name,
            fiscal_year=extra.pop("fiscal_year", YEAR),
            budget_amount=Decimal(budget),
            strategy=extra.pop("strategy", world.strategy) if lao is None else None,
            programme=world.education,
            **extra,
        ),
    )


def move(project, user, *stages, **contract):
    """Walk a project through `stages` (contract data used when reaching contracted)."""
    for stage in stages:
        project = services.project_change_stage(
            project=project,
            user=user,
            to_stage=stage,
            note="",
            version=project.version,
            **(contract if stage == "contracted" else {}),
        )
    return project
