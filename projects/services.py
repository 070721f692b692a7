"""Writes of development plans, projects, stages, disbursements and follows: keyword-only,
atomic, named `<entity>_<action>`.

Every write that edits a project takes the version the writer saw and refuses the save when the
project has moved on since (optimistic locking, as budgets.services). Every change that moves a
project's stage, budget or disbursed total hands the before/after snapshots to
`projects.rollups.rollup_move_project` inside the same transaction, so the dashboards' rollups
never drift from the rows.

Every write that changes what the public pages of an LAO's projects show (its list, its
profile's section, a project's page, their development plan's strategies) moves the LAO's stamp
`units.stamps.lao_stamp("projects", code)` as its last step, so the pages cached for visitors
show the change at once. Follows and notifications are no one's public page: they move nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import Programme
from projects import rules
from projects.dashboard import province_stamp
from projects.models import (
    DevelopmentPlan,
    Disbursement,
    Follow,
    Notification,
    Project,
    Stage,
    StageChange,
    Strategy,
)
from projects.notify import followers_notify_many, stage_change_news
from projects.rollups import (
    ProjectFigures,
    project_figures,
    rollup_move_project,
    rollup_move_projects,
)
from units import access, stamps
from units.bulk import copy_rows
from units.models import LAO, User
from units.notes import system_note


class StaleProjectError(ValidationError):
    """The project was changed by someone else after the writer loaded it."""


@dataclass(frozen=True)
class ProjectData:
    """The fields an officer enters for a project (stage and money move through their own
    services)."""

    name: str
    fiscal_year: int
    budget_amount: Decimal
    strategy: Strategy | None = None
    programme: Programme | None = None
    location: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    responsible_unit: str = ""
    targets: str = ""


# --- helpers ----------------------------------------------------------------------------------


def _check_can_edit(user: User, lao: LAO) -> None:
    if not access.can_edit_lao(user, lao):
        raise PermissionDenied


def _lock(project: Project, *, version: int | None) -> Project:
    """Re-read the project FOR UPDATE (with its LAO) and check the writer's version."""
    current = (
        Project.objects.select_for_update(of=("self",)).select_related("lao").get(pk=project.pk)
    )
    if version is not None and current.version != version:
        raise StaleProjectError(
            _(
                "Someone else saved this project after you opened it. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="stale",
        )
    return current


def _public_change(*laos: LAO) -> None:
    """Renew the visitors' pages of the LAOs' projects and the dashboard's tables of their
    provinces (one statement, at the writer's end)."""
    stamps.bump(
        *(stamps.lao_stamp("projects", lao.url_code) for lao in laos),
        *(province_stamp(lao.province_id) for lao in laos),
    )


def _refuse(*violations: rules.Violation | None) -> None:
    """Raise the broken rules of projects.rules as one ValidationError (none broken: return)."""
    errors = [violation for violation in violations if violation is not None]
    if len(errors) == 1:
        raise errors[0].as_validation_error()
    if errors:
        raise ValidationError(
            {
                violation.field or NON_FIELD_ERRORS: ValidationError(
                    violation.message, code=violation.code
                )
                for violation in errors
            }
        )


def _rollup_move(*, before: ProjectFigures | None, after: ProjectFigures | None) -> None:
    """Move a project in the dashboard rollups; called inside the writer's transaction
    whenever its stage, budget, programme or disbursed total change."""
    if before != after:
        rollup_move_project(before=before, after=after)


def _check_data(*, lao: LAO, data: ProjectData) -> None:
    if data.strategy is not None and data.strategy.plan.lao_id != lao.pk:
        raise ValidationError({"strategy": _("Choose a strategy of this LAO's plan.")})
    if data.planned_start and data.planned_end and data.planned_end < data.planned_start:
        raise ValidationError({"planned_end": _("The planned end is before the planned start.")})
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(_("Give both latitude and longitude, or neither."))


def _apply(project: Project, data: ProjectData) -> None:
    for field in ProjectData.__dataclass_fields__:
        setattr(project, field, getattr(data, field))
    project.plan = data.strategy.plan if data.strategy is not None else None


def _next_code(*, lao: LAO, fiscal_year: int) -> str:
    """The LAO's next project code for the year, "FY-NNN" (the LAO row is locked)."""
    prefix = f"{fiscal_year}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Project.objects.filter(lao=lao, code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


# --- development plans ------------------------------------------------------------------------


def _save_strategies(plan: DevelopmentPlan, names: list[str]) -> None:
    """Strategies numbered 1… in the given order; numbers beyond the list are removed (their
    projects keep existing, without a strategy)."""
    names = [name.strip() for name in names if name.strip()]
    existing = {strategy.number: strategy for strategy in plan.strategies.all()}
    for number, name in enumerate(names, start=1):
        strategy = existing.get(number)
        if strategy is None:
            Strategy.objects.create(plan=plan, number=number, name=name)
        elif strategy.name != name:
            strategy.name = name
            strategy.save(update_fields=["name"])
    plan.strategies.filter(number__gt=len(names)).delete()


@transaction.atomic
def development_plan_create(
    *, lao: LAO, user: User, start_year: int, vision: str = "", strategies: list[str]
) -> DevelopmentPlan:
    """A five-year development plan (start_year … start_year + 4) with its strategies."""
    _check_can_edit(user, lao)
    if DevelopmentPlan.objects.filter(lao=lao, start_year=start_year).exists():
        raise ValidationError(
            {"start_year": _("This LAO already has a plan starting in that year.")}
        )
    plan = DevelopmentPlan.objects.create(
        lao=lao, start_year=start_year, end_year=start_year + 4, vision=vision
    )
    _save_strategies(plan, strategies)
    _public_change(lao)
    return plan


@transaction.atomic
def development_plan_update(
    *, plan: DevelopmentPlan, user: User, vision: str, strategies: list[str]
) -> DevelopmentPlan:
    """Change a plan's vision and strategies (renumbered in the given order)."""
    _check_can_edit(user, plan.lao)
    plan = DevelopmentPlan.objects.select_for_update().select_related("lao").get(pk=plan.pk)
    plan.vision = vision
    plan.save(update_fields=["vision"])
    _save_strategies(plan, strategies)
    _public_change(plan.lao)
    return plan


# --- projects ---------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, lao: LAO, user: User, data: ProjectData) -> Project:
    """A new project in the planned stage, coded "FY-NNN" (next number of the LAO's year)."""
    _check_can_edit(user, lao)
    _check_data(lao=lao, data=data)
    # Lock the LAO so two officers adding projects at once do not take the same code.
    lao = LAO.objects.select_for_update().get(pk=lao.pk)
    project = Project(lao=lao, code=_next_code(lao=lao, fiscal_year=data.fiscal_year))
    _apply(project, data)
    project.stage_changed_at = timezone.now()
    project.save()
    StageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=project.stage,
        at=project.stage_changed_at,
        user=user,
        note=system_note("project-created"),
    )
    _rollup_move(before=None, after=project_figures(project))
    _public_change(lao)
    return project


@transaction.atomic
def project_update(*, project: Project, user: User, version: int, data: ProjectData) -> Project:
    """Change a project's entered fields. The budget may not fall below the contract amount
    or what has already been disbursed."""
    _check_can_edit(user, project.lao)
    project = _lock(project, version=version)
    lao = project.lao
    _check_data(lao=lao, data=data)
    _refuse(
        rules.budget_violation(
            budget_amount=data.budget_amount,
            contract_amount=project.contract_amount,
            disbursed_total=project.disbursed_total,
        )
    )
    before = project_figures(project)
    _apply(project, data)
    project.version = F("version") + 1
    project.save()
    project.refresh_from_db()
    _rollup_move(before=before, after=project_figures(project))
    _public_change(lao)
    return project


def allowed_next_stages(project: Project) -> list[str]:
    """The stages a project may move to next, in the order of the workflow."""
    return rules.allowed_next_stages(project.stage)


@transaction.atomic
def project_change_stage(
    *,
    project: Project,
    user: User,
    to_stage: str,
    note: str = "",
    version: int,
    contract_amount: Decimal | None = None,
    contractor: str = "",
    contract_date: datetime.date | None = None,
) -> Project:
    """Move a project to `to_stage` if ALLOWED_TRANSITIONS allows it; moving to contracted
    needs the contract amount (within the budget), contractor and date. Logs a StageChange
    and tells the project's (and its LAO's) followers."""
    _check_can_edit(user, project.lao)
    project = _lock(project, version=version)
    lao = project.lao
    from_stage = project.stage
    _refuse(rules.transition_violation(from_stage, to_stage))
    if to_stage == Stage.CONTRACTED:
        _refuse(
            *rules.contract_violations(
                contract_amount=contract_amount,
                contractor=contractor,
                contract_date=contract_date,
                budget_amount=project.budget_amount,
                disbursed_total=project.disbursed_total,
            )
        )
        project.contract_amount = contract_amount
        project.contractor = contractor.strip()
        project.contract_date = contract_date
    before = project_figures(project)
    now = timezone.now()
    project.stage = to_stage
    project.stage_changed_at = now
    project.progress_percent = rules.progress_after(to_stage, project.progress_percent)
    project.version = F("version") + 1
    project.save()
    project.refresh_from_db()
    StageChange.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        at=now,
        user=user,
        note=note[:500],
    )
    _rollup_move(before=before, after=project_figures(project))
    followers_notify_many(
        [
            stage_change_news(
                project_id=project.pk,
                lao_id=project.lao_id,
                project_name=project.name,
                lao_name=str(lao),
                from_stage=from_stage,
                to_stage=to_stage,
            )
        ]
    )
    _public_change(lao)
    return project


@transaction.atomic
def disbursement_add(
    *,
    project: Project,
    user: User | None,
    date: datetime.date,
    amount: Decimal,
    reference: str = "",
) -> Disbursement:
    """Record money paid out for a project in a disbursing stage, never beyond the contract
    amount (or the budget without a contract); keeps `disbursed_total`. The same date, amount
    and reference twice is one payment: refused the second time."""
    if user is not None:
        _check_can_edit(user, project.lao)
    project = _lock(project, version=None)
    lao = project.lao
    _refuse(
        rules.disbursement_violation(
            stage=project.stage,
            amount=amount,
            disbursed_total=project.disbursed_total,
            contract_amount=project.contract_amount,
            budget_amount=project.budget_amount,
        )
    )
    try:
        with transaction.atomic():
            disbursement = Disbursement.objects.create(
                project=project,
                date=date,
                amount=amount,
                reference=reference.strip(),
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            _("This disbursement (same date, amount and reference) is already recorded."),
            code="duplicate",
        ) from None
    before = project_figures(project)
    project.disbursed_total = F("disbursed_total") + amount
    project.save(update_fields=["disbursed_total", "updated_at"])
    project.refresh_from_db()
    _rollup_move(before=before, after=project_figures(project))
    _public_change(lao)
    return disbursement


@transaction.atomic
def project_set_progress(
    *, project: Project, user: User, version: int, progress_percent: int
) -> Project:
    """Record a project's physical progress, 0–100 %."""
    _check_can_edit(user, project.lao)
    project = _lock(project, version=version)
    lao = project.lao
    _refuse(rules.progress_violation(project.stage, progress_percent))
    project.progress_percent = progress_percent
    project.version = F("version") + 1
    project.save(update_fields=["progress_percent", "version", "updated_at"])
    project.refresh_from_db()
    _public_change(lao)
    return project


# --- many projects at once (the progress upload) ----------------------------------------------

UPDATE_CHUNK = 10_000


@dataclass(frozen=True)
class ProjectProgress:
    """What a bulk write does to one project: its rollup figures before and after (stage,
    disbursed total), its progress after, the stage moves and the disbursements, in order."""

    project_id: int
    lao_id: int
    name: str
    lao_name: str
    before: ProjectFigures
    after: ProjectFigures
    progress: int
    moves: tuple[tuple[str, str], ...] = ()
    disbursements: tuple[tuple[datetime.date, Decimal, str], ...] = ()


@transaction.atomic
def projects_progress_apply(*, changes: list[ProjectProgress], user: User, note: str) -> int:
    """Write the stage, progress and disbursements of many projects, keeping what the single
    services keep: one StageChange per move (by `user`, with `note`), the disbursements,
    `disbursed_total`, `stage_changed_at`, `version` + 1 per project, the rollups, and the
    followers told of each project's stage change (projects.notify). Returns how many
    notifications were made.

    The caller has checked every change against projects.rules with the projects' rows locked
    (SELECT … FOR UPDATE). A handful of queries whatever the number of projects: one UPDATE …
    FROM unnest(…) per 10,000 projects, COPY for the history and the disbursements.
    """
    if not changes:
        return 0
    lao_ids = {change.lao_id for change in changes}
    laos = list(
        access.laos_managed_by(user)
        .filter(pk__in=lao_ids)
        .only("pk", "dla_code", "province_id")  # what their stamps are named by
    )
    if len(laos) != len(lao_ids):
        raise PermissionDenied
    now = timezone.now()
    _update_progress(changes, now=now)
    copy_rows(
        StageChange._meta.db_table,
        ["project_id", "from_stage", "to_stage", "at", "user_id", "note"],
        (
            (change.project_id, from_stage, to_stage, now, user.pk, note)
            for change in changes
            for from_stage, to_stage in change.moves
        ),
    )
    copy_rows(
        Disbursement._meta.db_table,
        ["project_id", "date", "amount", "reference", "created_by_id", "created_at"],
        (
            (change.project_id, date, amount, reference, user.pk, now)
            for change in changes
            for date, amount, reference in change.disbursements
        ),
    )
    rollup_move_projects([(change.before, change.after) for change in changes])
    notified = followers_notify_many(
        [
            stage_change_news(
                project_id=change.project_id,
                lao_id=change.lao_id,
                project_name=change.name,
                lao_name=change.lao_name,
                from_stage=change.moves[0][0],
                to_stage=change.after.stage,
            )
            for change in changes
            if change.moves
        ]
    )
    _public_change(*laos)
    return notified


def _update_progress(changes: list[ProjectProgress], *, now) -> None:
    """One UPDATE … FROM unnest(…) per chunk: stage, progress, disbursed total, version + 1."""
    sql = """
        UPDATE projects_project p
        SET stage = v.stage,
            stage_changed_at = CASE WHEN v.moved THEN %s ELSE p.stage_changed_at END,
            progress_percent = v.progress,
            disbursed_total = p.disbursed_total + v.added,
            version = p.version + 1,
            updated_at = %s
        FROM unnest(%s::bigint[], %s::varchar[], %s::boolean[], %s::integer[], %s::numeric[])
            AS v (id, stage, moved, progress, added)
        WHERE p.id = v.id
    """
    with connection.cursor() as cursor:
        for start in range(0, len(changes), UPDATE_CHUNK):
            chunk = changes[start : start + UPDATE_CHUNK]
            cursor.execute(
                sql,
                [
                    now,
                    now,
                    [change.project_id for change in chunk],
                    [change.after.stage for change in chunk],
                    [bool(change.moves) for change in chunk],
                    [change.progress for change in chunk],
                    [
                        change.after.disbursed_total - change.before.disbursed_total
                        for change in chunk
                    ],
                ],
            )


# --- follows and notifications ----------------------------------------------------------------


def _check_can_follow(user: User) -> None:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied


@transaction.atomic
def follow_create(*, user: User, project: Project | None = None, lao: LAO | None = None) -> Follow:
    """Follow a project or an LAO (exactly one); following twice is harmless."""
    _check_can_follow(user)
    if (project is None) == (lao is None):
        raise ValueError("Follow a project or an LAO.")
    follow, _created = Follow.objects.get_or_create(user=user, project=project, lao=lao)
    return follow


@transaction.atomic
def follow_delete(*, user: User, project: Project | None = None, lao: LAO | None = None) -> int:
    """Stop following a project or an LAO; returns how many follows were removed (0 or 1)."""
    _check_can_follow(user)
    if (project is None) == (lao is None):
        raise ValueError("Unfollow a project or an LAO.")
    deleted, _detail = Follow.objects.filter(user=user, project=project, lao=lao).delete()
    return deleted


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None)."""
    _check_can_follow(user)
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
