"""The upload type "projects.progress": provincial staff record the stage, physical progress and
disbursements of many LAOs' projects in one workbook (columns: projects/resources.py).

A row names a project by its LAO's DLA code and its project code. Every other cell is optional:
a blank cell changes nothing, so a row may carry only a stage, only the progress, only a
disbursement, or several. The rows of one project apply in file order (a project may move
procurement → contracted → in progress over three rows). The upload cannot set contracts: a
project moves to "contracted" only when its contract amount is already recorded.

Every row is checked against projects.rules, the same rules the project's page goes through
(projects.services). Two belong to the upload: a row naming a stage the project has already
passed is a row uploaded before, not a move back (`rules.stage_already_passed`), and a
disbursement identical to one already recorded (same project, date, amount and reference) is
reported as "already recorded" and not counted again. So uploading the same workbook twice
changes nothing the second time.

The commit writes through `projects.services.projects_progress_apply`. The number of queries
does not grow with the rows.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import rules
from projects.models import DISBURSING_STAGES, Disbursement, Project, Stage
from projects.resources import (
    COLUMN_AMOUNT,
    COLUMN_CODE,
    COLUMN_DATE,
    COLUMN_NAME,
    COLUMN_PROGRESS,
    COLUMN_PROJECT,
    COLUMN_REFERENCE,
    COLUMN_STAGE,
    ProjectProgressResource,
)
from projects.rollups import ProjectFigures
from projects.services import ProjectProgress, projects_progress_apply
from units import access
from units.models import LAO
from units.notes import system_note
from units.thai import current_fiscal_year
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType

PROGRESS_UPLOAD = "projects.progress"
MAX_PREVIEW_LAOS = 2000


# --- planning the changes (shared by the check and the commit) ---------------------------------


@dataclass(slots=True)
class ProjectRow:
    """What the upload reads of a project and its LAO (plain values: model instances cost
    more than the whole check for big files)."""

    pk: int
    lao_id: int
    code: str
    name: str
    fiscal_year: int
    programme_id: int | None
    stage: str
    progress_percent: int
    budget_amount: Decimal
    contract_amount: Decimal | None
    disbursed_total: Decimal
    province_id: int
    kind: str
    lao_name: str

    def figures(self) -> ProjectFigures:
        """The rollup snapshot, as projects.rollups.project_figures makes it."""
        return ProjectFigures(
            fiscal_year=self.fiscal_year,
            province_id=self.province_id,
            kind=self.kind,
            programme_id=self.programme_id,
            stage=self.stage,
            budget_amount=self.budget_amount,
            disbursed_total=self.disbursed_total,
        )


_PROJECTS_SQL = """
    SELECT p.id, p.lao_id, p.code, p.name, p.fiscal_year, p.programme_id, p.stage,
           p.progress_percent, p.budget_amount, p.contract_amount, p.disbursed_total,
           l.province_id, l.kind, COALESCE(NULLIF(l.full_name_th, ''), l.name_th)
    FROM projects_project p
    JOIN unnest(%s::bigint[], %s::varchar[]) AS wanted (lao_id, code)
      ON p.lao_id = wanted.lao_id AND p.code = wanted.code
    JOIN units_lao l ON l.id = p.lao_id
    ORDER BY p.id
"""


def _projects(pairs: list[tuple[int, str]], *, lock: bool) -> list[ProjectRow]:
    """The projects named by (LAO id, code) pairs, in one query; with `lock`, FOR UPDATE."""
    sql = _PROJECTS_SQL + (" FOR UPDATE OF p" if lock else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [[pair[0] for pair in pairs], [pair[1] for pair in pairs]])
        return [ProjectRow(*values) for values in cursor.fetchall()]


@dataclass
class ProjectChange:
    """What the file's rows do to one project, applied in order."""

    project: ProjectRow
    before: ProjectFigures
    stage: str
    progress: int
    disbursed: Decimal
    moves: list[tuple[str, str]] = field(default_factory=list)
    disbursements: list[tuple[datetime.date, Decimal, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.moves or self.progress_changed or self.disbursements)

    @property
    def progress_changed(self) -> bool:
        """Progress counts as changed when the last value differs from the recorded one (a
        file setting 40 then 60 on a project at 60 changes nothing)."""
        return self.progress != self.project.progress_percent

    def after(self) -> ProjectFigures:
        return dataclasses.replace(self.before, stage=self.stage, disbursed_total=self.disbursed)

    def progress_update(self) -> ProjectProgress:
        """The change as projects.services.projects_progress_apply writes it."""
        project = self.project
        return ProjectProgress(
            project_id=project.pk,
            lao_id=project.lao_id,
            name=project.name,
            lao_name=project.lao_name,
            before=self.before,
            after=self.after(),
            progress=self.progress,
            moves=tuple(self.moves),
            disbursements=tuple(self.disbursements),
        )


@dataclass
class LAOStats:
    stage_moves: int = 0
    progress_changes: int = 0
    disbursements: int = 0
    disbursed: Decimal = Decimal(0)
    already_recorded: int = 0
    rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.stage_moves or self.progress_changes or self.disbursements)


@dataclass
class ProgressPlan:
    changes: dict[int, ProjectChange]
    errors: list[RowError]
    by_lao: dict[int, LAOStats]


def progress_plan(*, rows, lock: bool = False) -> ProgressPlan:
    """Find the rows' projects and apply the rows to them in order, in memory: row errors for
    what the database would refuse, and per project what changes. With `lock`, the projects'
    rows are locked (FOR UPDATE) for the commit. Two queries whatever the number of rows."""
    errors: list[RowError] = []
    wanted = []
    for row in rows:
        values = row.values
        if values.get("code") is None:
            errors.append(RowError(row.number, COLUMN_PROJECT, _("The project code is required.")))
            continue
        has_date, has_amount = values.get("date") is not None, values.get("amount") is not None
        if has_date != has_amount:
            column = COLUMN_AMOUNT if has_date else COLUMN_DATE
            errors.append(
                RowError(row.number, column, _("A disbursement needs both a date and an amount."))
            )
            continue
        if values.get("reference") is not None and not has_amount:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_AMOUNT,
                    _("A reference needs a disbursement date and amount."),
                )
            )
            continue
        wanted.append(row)
    if not wanted:
        return ProgressPlan(changes={}, errors=errors, by_lao={})

    pairs = sorted({(row.lao_id, row.values["code"]) for row in wanted})
    by_key = {(project.lao_id, project.code): project for project in _projects(pairs, lock=lock)}

    paying = {
        by_key[key].pk
        for row in wanted
        if row.values.get("amount") is not None
        and (key := (row.lao_id, row.values["code"])) in by_key
    }
    recorded = set()
    if paying:
        recorded = set(
            Disbursement.objects.filter(project_id__in=paying)
            .order_by()
            .values_list("project_id", "date", "amount", "reference")
        )

    changes: dict[int, ProjectChange] = {}
    by_lao: dict[int, LAOStats] = defaultdict(LAOStats)
    in_file: dict[tuple, int] = {}
    for row in wanted:
        values = row.values
        project = by_key.get((row.lao_id, values["code"]))
        if project is None:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_PROJECT,
                    _("This LAO has no project with the code %(code)s.") % {"code": values["code"]},
                )
            )
            continue
        change = changes.get(project.pk)
        if change is None:
            change = changes[project.pk] = ProjectChange(
                project=project,
                before=project.figures(),
                stage=project.stage,
                progress=project.progress_percent,
                disbursed=project.disbursed_total,
            )
        row_errors, apply = _apply_row(change, row, recorded=recorded, in_file=in_file)
        if row_errors:
            errors.extend(row_errors)
            continue
        stats = by_lao[project.lao_id]
        stats.rows += 1
        apply(stats)
    for change in changes.values():
        if change.progress_changed:
            by_lao[change.project.lao_id].progress_changes += 1
    return ProgressPlan(changes=changes, errors=errors, by_lao=by_lao)


def _apply_row(change: ProjectChange, row, *, recorded: set, in_file: dict):
    """Check one row against the project's state so far (projects.rules): (errors,
    apply(stats)). The row is applied only when it has no error."""
    values = row.values
    project = change.project
    errors = []
    stage = change.stage
    new_stage = values.get("stage")
    moves = False
    if new_stage is not None and rules.stage_already_passed(stage, new_stage):
        new_stage = None  # a row of a workbook uploaded before: the project has moved on
    if new_stage is not None and new_stage != stage:
        violation = rules.transition_violation(stage, new_stage) or (
            rules.contract_recorded_violation(new_stage, project.contract_amount)
        )
        if violation:
            errors.append(RowError(row.number, COLUMN_STAGE, violation.message))
        else:
            moves = True
            stage = new_stage
    progress = values.get("progress_percent")
    if moves or progress is not None:
        # A completed project is done: a progress cell of a row uploaded before it was
        # completed does not take it back below 100 %.
        progress = rules.progress_after(stage, change.progress if progress is None else progress)
    payment, already = None, False
    if values.get("amount") is not None:
        key = (project.pk, values["date"], values["amount"], values.get("reference") or "")
        violation = None
        if key in recorded:
            already = True
        elif key in in_file:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_AMOUNT,
                    _("Row %(row)s already has this disbursement (same date, amount, reference).")
                    % {"row": in_file[key]},
                )
            )
        elif violation := rules.disbursement_violation(
            stage=stage,
            amount=values["amount"],
            disbursed_total=change.disbursed,
            contract_amount=project.contract_amount,
            budget_amount=project.budget_amount,
        ):
            errors.append(RowError(row.number, COLUMN_AMOUNT, violation.message))
        else:
            payment = key

    def apply(stats: LAOStats):
        if moves:
            change.moves.append((change.stage, stage))
            change.stage = stage
            stats.stage_moves += 1
        if progress is not None:
            change.progress = progress
        if already:
            stats.already_recorded += 1
        if payment is not None:
            in_file[payment] = row.number
            change.disbursements.append(payment[1:])
            change.disbursed += payment[2]
            stats.disbursements += 1
            stats.disbursed += payment[2]

    return errors, apply


# --- check ------------------------------------------------------------------------------------


def projects_progress_check(*, rows, user) -> CheckResult:
    """The dry run's preview: per LAO the stage moves, progress changes, new disbursements
    (count and baht) and rows already recorded."""
    plan = progress_plan(rows=rows)
    return CheckResult(errors=plan.errors, summary=_summary(plan))


def _summary(plan: ProgressPlan) -> dict:
    laos = {}
    if plan.by_lao:
        laos = {
            pk: (code, name)
            for pk, code, name in LAO.objects.filter(pk__in=plan.by_lao).values_list(
                "pk", "dla_code", "full_name_th"
            )
        }
    order = sorted(plan.by_lao, key=lambda pk: laos[pk][0] or "")
    changes = []
    for pk in order[:MAX_PREVIEW_LAOS]:
        stats = plan.by_lao[pk]
        changes.append(
            {
                "code": laos[pk][0],
                "name": laos[pk][1],
                "rows": stats.rows,
                "stage_moves": stats.stage_moves,
                "progress_changes": stats.progress_changes,
                "disbursements": stats.disbursements,
                "disbursed": str(stats.disbursed),
                "already_recorded": stats.already_recorded,
                "changed": stats.changed,
            }
        )
    all_stats = plan.by_lao.values()
    return {
        # Every LAO, not only the MAX_PREVIEW_LAOS the preview lists.
        "changed": sum(1 for stats in all_stats if stats.changed),
        "unchanged": sum(1 for stats in all_stats if not stats.changed),
        "projects_changed": sum(1 for change in plan.changes.values() if change.changed),
        "stage_moves": sum(stats.stage_moves for stats in all_stats),
        "progress_changes": sum(stats.progress_changes for stats in all_stats),
        "disbursements": sum(stats.disbursements for stats in all_stats),
        "disbursed": str(sum((stats.disbursed for stats in all_stats), Decimal(0))),
        "already_recorded": sum(stats.already_recorded for stats in all_stats),
        "changes": changes,
    }


# --- commit -----------------------------------------------------------------------------------


def projects_progress_commit(*, rows, user, job) -> dict:
    """Check again under row locks, then write everything through
    projects.services.projects_progress_apply (inside the engine's transaction)."""
    plan = progress_plan(rows=rows, lock=True)
    if plan.errors:
        plan.errors.sort(key=lambda error: error.row)
        raise InvalidUpload(plan.errors)
    notified = projects_progress_apply(
        changes=[change.progress_update() for change in plan.changes.values() if change.changed],
        user=user,
        note=system_note("upload", job.pk),
    )
    summary = _summary(plan)
    summary.pop("changes")
    return {**summary, "notified": notified}


# --- template ---------------------------------------------------------------------------------


def progress_template_rows(*, user):
    """The open projects of the uploader's LAOs in the current fiscal year, with their current
    stage and progress and blank disbursement cells (uploading it back changes nothing)."""
    projects = (
        Project.objects.open()
        .filter(
            lao__in=access.laos_managed_by(user).exclude(dla_code=None),
            fiscal_year=current_fiscal_year(),
        )
        .order_by("lao__dla_code", "code")
        .values_list("lao__dla_code", "code", "name", "stage", "progress_percent")
    )
    labels = {stage.value: str(stage.label) for stage in Stage}  # once, not per row
    for dla_code, code, name, stage, progress in projects.iterator(chunk_size=5000):
        yield [dla_code, code, name, labels.get(stage, stage), progress, None, None, None]


def progress_template_notes(*, request) -> list[str]:
    """Lines under the column notes of the template's notes sheet."""
    return [
        _(
            "A blank cell changes nothing. A row may carry a stage, a progress, a "
            "disbursement, or several; the rows of one project apply from top to bottom."
        ),
        _(
            "Add a row for each disbursement: a project may have several. A disbursement "
            "already recorded (same project, date, amount and reference) is not counted "
            "again, so uploading the same file twice changes nothing."
        ),
        _(
            "A project moves to “%(contracted)s” only if its contract (amount, contractor, "
            "date) is already recorded on its page: the upload cannot set contracts."
        )
        % {"contracted": Stage.CONTRACTED.label},
        _(
            "Money can be disbursed only in the stages %(stages)s, never beyond the "
            "contract amount (or the budget without a contract)."
        )
        % {"stages": ", ".join(str(stage.label) for stage in Stage if stage in DISBURSING_STAGES)},
    ]


projects_progress_upload_type = UploadType(
    key=PROGRESS_UPLOAD,
    title=gettext_lazy("Progress of development projects"),
    description=gettext_lazy(
        "One row per project update: LAO code and project code, then any of the stage it "
        "moves to, its physical progress and a disbursement (date, amount, reference). A blank "
        "cell changes nothing; a disbursement already recorded is not counted again."
    ),
    committed_note=gettext_lazy(
        "Each stage change is in the project's history with this upload's number; followers "
        "of the projects have been told."
    ),
    resource_class=ProjectProgressResource,
    template_rows=progress_template_rows,
    check=projects_progress_check,
    commit=projects_progress_commit,
    lao_code_field="dla_code",
    unique_fields=(),  # several rows per project
    preview_template="projects/_upload_preview.html",
    column_notes={
        COLUMN_CODE: ("DLA code", gettext_lazy("Required. 7 digits; keep it as text.")),
        COLUMN_PROJECT: (
            "Project code",
            gettext_lazy("Required. The project's code in its LAO, such as 2570-001."),
        ),
        COLUMN_NAME: ("Project name", gettext_lazy("Shown for reference; never read.")),
        COLUMN_STAGE: (
            "Stage",
            gettext_lazy("Optional. The stage the project moves to (its name or key)."),
        ),
        COLUMN_PROGRESS: (
            "Progress (%)",
            gettext_lazy("Optional. Physical progress, a whole number from 0 to 100."),
        ),
        COLUMN_DATE: (
            "Disbursement date",
            gettext_lazy("With an amount. A date such as 31/01/2569 or 2026-01-31."),
        ),
        COLUMN_AMOUNT: (
            "Amount disbursed (baht)",
            gettext_lazy("With a date. More than 0, at most two decimals; 1,250,000.50 works."),
        ),
        COLUMN_REFERENCE: (
            "Reference",
            gettext_lazy("Optional. The voucher number, up to 64 characters."),
        ),
    },
    template_notes=progress_template_notes,
)
