import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from projects import services
from projects.models import (
    ALLOWED_TRANSITIONS,
    Disbursement,
    Follow,
    Notification,
    Project,
    ProjectRollup,
    Stage,
    StageChange,
)
from projects.services import ProjectData
from projects.tests.workflow import YEAR, make_project, move

pytestmark = pytest.mark.django_db

CONTRACT = {
    "contract_amount": Decimal("900000"),
    "contractor": "หจก. ก่อสร้างดี",
    "contract_date": datetime.date(2026, 1, 15),
}
TO_CONTRACTED = ("funded", "procurement", "contracted")


def test_project_create_codes_per_lao_year_and_logs_the_first_stage(world):
    project = world.project
    assert project.code == f"{YEAR}-001"
    assert project.stage == Stage.PLANNED
    assert project.plan == world.plan
    second = make_project(world)
    assert second.code == f"{YEAR}-002"
    assert make_project(world, fiscal_year=YEAR + 1).code == f"{YEAR + 1}-001"
    assert make_project(world, lao=world.neighbour, user=world.neighbour_officer).code == (
        f"{YEAR}-001"
    )
    change = StageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.user) == ("", "planned", world.officer)


def test_project_create_refuses_out_of_scope_and_foreign_strategy(world):
    with pytest.raises(PermissionDenied):
        make_project(world, lao=world.far, user=world.officer)
    with pytest.raises(PermissionDenied):
        make_project(world, user=world.executive)
    other_plan = services.development_plan_create(
        lao=world.neighbour, user=world.staff, start_year=2566, strategies=["อื่น"]
    )
    with pytest.raises(ValidationError):
        make_project(world, strategy=other_plan.strategies.get())
    # Provincial staff create for the LAOs of their province.
    assert make_project(world, user=world.staff).lao == world.lao


@pytest.mark.parametrize("from_stage", list(Stage.values))
@pytest.mark.parametrize("to_stage", list(Stage.values))
def test_transition_matrix(world, from_stage, to_stage):
    project = world.project
    Project.objects.filter(pk=project.pk).update(stage=from_stage)
    project.refresh_from_db()
    allowed = to_stage in ALLOWED_TRANSITIONS[Stage(from_stage)]
    if allowed:
        moved = services.project_change_stage(
            project=project,
            user=world.officer,
            to_stage=to_stage,
            note="ok",
            version=project.version,
            **(CONTRACT if to_stage == "contracted" else {}),
        )
        assert moved.stage == to_stage
        assert moved.version == project.version + 1
        assert StageChange.objects.filter(
            project=project, from_stage=from_stage, to_stage=to_stage
        ).exists()
    else:
        with pytest.raises(ValidationError):
            services.project_change_stage(
                project=project,
                user=world.officer,
                to_stage=to_stage,
                version=project.version,
                **CONTRACT,
            )
        project.refresh_from_db()
        assert project.stage == from_stage


def test_contract_fields_are_required_and_within_budget(world):
    project = move(world.project, world.officer, "funded", "procurement")
    with pytest.raises(ValidationError) as error:
        services.project_change_stage(
            project=project, user=world.officer, to_stage="contracted", version=project.version
        )
    assert set(error.value.error_dict) == {"contract_amount", "contractor", "contract_date"}
    with pytest.raises(ValidationError) as error:
        services.project_change_stage(
            project=project,
            user=world.officer,
            to_stage="contracted",
            version=project.version,
            **{**CONTRACT, "contract_amount": Decimal("1000000.01")},
        )
    assert set(error.value.error_dict) == {"contract_amount"}
    project = move(project, world.officer, "contracted", **CONTRACT)
    assert project.contract_amount == Decimal("900000")
    assert project.contractor == "หจก. ก่อสร้างดี"
    assert project.contract_date == datetime.date(2026, 1, 15)


def test_stale_version_is_refused(world):
    project = world.project
    services.project_set_progress(
        project=project, user=world.officer, version=project.version, progress_percent=10
    )
    with pytest.raises(services.StaleProjectError):
        services.project_change_stage(
            project=project, user=world.officer, to_stage="funded", version=project.version
        )
    project.refresh_from_db()
    assert project.stage == Stage.PLANNED


def test_stage_change_refused_out_of_scope(world):
    project = world.project
    for user in (world.neighbour_officer, world.far_staff, world.executive):
        with pytest.raises(PermissionDenied):
            services.project_change_stage(
                project=project, user=user, to_stage="funded", version=project.version
            )
    assert move(project, world.staff, "funded").stage == Stage.FUNDED


def test_disbursements_only_in_disbursing_stages_and_within_the_contract(world):
    project = world.project
    with pytest.raises(ValidationError):
        services.disbursement_add(
            project=project,
            user=world.officer,
            date=datetime.date(2026, 2, 1),
            amount=Decimal("1"),
        )
    project = move(project, world.officer, *TO_CONTRACTED, **CONTRACT)
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 2, 1),
        amount=Decimal("600000"),
        reference="V-1",
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.disbursement_add(
            project=project,
            user=world.officer,
            date=datetime.date(2026, 3, 1),
            amount=Decimal("300000.01"),
        )
    assert "300,000.00" in error.value.messages[0]
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 3, 1),
        amount=Decimal("300000"),
    )
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("900000")
    assert project.disbursed_total == sum(d.amount for d in project.disbursements.all())


def test_same_disbursement_twice_is_one_payment(world):
    project = move(world.project, world.officer, *TO_CONTRACTED, **CONTRACT)
    kwargs = {"date": datetime.date(2026, 2, 1), "amount": Decimal("1000"), "reference": "V-9"}
    services.disbursement_add(project=project, user=world.officer, **kwargs)
    with pytest.raises(ValidationError):
        services.disbursement_add(project=project, user=world.officer, **kwargs)
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("1000")
    assert Disbursement.objects.filter(project=project).count() == 1


def test_database_refuses_disbursed_beyond_the_contract(world):
    project = move(world.project, world.officer, *TO_CONTRACTED, **CONTRACT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(disbursed_total=Decimal("900000.01"))


def test_budget_cannot_fall_below_contract(world):
    project = move(world.project, world.officer, *TO_CONTRACTED, **CONTRACT)
    data = ProjectData(name=project.name, fiscal_year=YEAR, budget_amount=Decimal("800000"))
    with pytest.raises(ValidationError):
        services.project_update(
            project=project, user=world.officer, version=project.version, data=data
        )
    data = ProjectData(name="ใหม่", fiscal_year=YEAR, budget_amount=Decimal("950000"))
    project = services.project_update(
        project=project, user=world.officer, version=project.version, data=data
    )
    assert (project.name, project.budget_amount) == ("ใหม่", Decimal("950000"))


def test_followers_are_told_of_stage_changes(world):
    project = world.project
    services.follow_create(user=world.citizen, project=project)
    services.follow_create(user=world.citizen, project=project)  # twice is harmless
    lao_follower = world.executive
    services.follow_create(user=lao_follower, lao=world.lao)
    with translation.override("en"):
        project = move(project, world.officer, "funded")
    notification = Notification.objects.get(user=world.citizen)
    assert "Planned" in notification.message and "Funded" in notification.message
    assert notification.url == f"/projects/{project.pk}/"
    assert Notification.objects.filter(user=lao_follower).count() == 1
    assert services.follow_delete(user=world.citizen, project=project) == 1
    move(project, world.officer, "procurement")
    assert Notification.objects.filter(user=world.citizen).count() == 1
    assert services.notifications_mark_read(user=world.citizen) == 1
    assert not Follow.objects.filter(user=world.citizen).exists()


def test_rollups_follow_stage_budget_and_disbursed(world):
    """The services keep the dashboard rollup (all provinces × kinds × programmes cell)."""
    project = move(world.project, world.officer, *TO_CONTRACTED, **CONTRACT)
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 2, 1),
        amount=Decimal("1000"),
    )
    cell = ProjectRollup.objects.get(fiscal_year=YEAR, province=None, kind="", programme=None)
    assert cell.projects == 1
    assert cell.contracted == 1 and cell.planned == 0
    assert cell.budget_amount == Decimal("1000000")
    assert cell.disbursed_amount == Decimal("1000")


def test_development_plan_strategies_are_renumbered(world):
    plan = services.development_plan_update(
        plan=world.plan,
        user=world.officer,
        vision="วิสัยทัศน์ใหม่",
        strategies=["ก", "", "ข", "ค"],
    )
    assert [(s.number, s.name) for s in plan.strategies.all()] == [(1, "ก"), (2, "ข"), (3, "ค")]
    plan = services.development_plan_update(
        plan=plan, user=world.officer, vision="", strategies=["ก"]
    )
    assert plan.strategies.count() == 1
    assert plan.end_year == plan.start_year + 4
    with pytest.raises(ValidationError):
        services.development_plan_create(
            lao=world.lao, user=world.officer, start_year=2566, strategies=[]
        )
    with pytest.raises(PermissionDenied):
        services.development_plan_update(
            plan=plan, user=world.neighbour_officer, vision="", strategies=[]
        )


def test_completed_project_cannot_be_set_below_100_percent(world):
    project = world.project
    project.stage = Stage.COMPLETED
    project.progress_percent = 100
    project.save(update_fields=["stage", "progress_percent"])
    with pytest.raises(ValidationError) as error:
        services.project_set_progress(
            project=project, user=world.officer, version=project.version, progress_percent=80
        )
    assert "100" in str(error.value.error_dict["progress_percent"])
    project.refresh_from_db()
    assert project.progress_percent == 100
    with pytest.raises(ValidationError):
        services.project_set_progress(
            project=project, user=world.officer, version=project.version, progress_percent=101
        )
