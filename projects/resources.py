"""Spreadsheet columns of project progress (django-import-export), and the upload type
"projects.progress": provincial staff record the stage, physical progress and disbursements of
many LAOs' projects in one workbook.

A row names a project by its LAO's DLA code and its project code. Every other cell is optional:
a blank cell changes nothing, so a row may carry only a stage, only the progress, only a
disbursement, or several. The rows of one project apply in file order (a project may move
procurement → contracted → in progress over three rows). The upload cannot set contracts: a
project moves to "contracted" only when its contract amount is already recorded.

Disbursements are idempotent: a row identical to a disbursement already recorded (same project,
date, amount and reference) is reported as "already recorded" and not counted again, so uploading
the same workbook twice changes nothing the second time.

The commit keeps the invariants of projects.services in bulk: one StageChange per move (the
uploader, note "upload #<id>"), disbursements with their reference, `disbursed_total`, progress,
`version` + 1 per project changed, the rollups moved in one upsert, followers told of stage
changes. The number of queries does not grow with the rows.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from budgets.resources import AmountWidget, current_fiscal_year
from projects.models import (
    ALLOWED_TRANSITIONS,
    DISBURSING_STAGES,
    Disbursement,
    Follow,
    Notification,
    Project,
    Stage,
    StageChange,
)
from projects.rollups import ProjectFigures, rollup_move_projects
from units import access
from units.bulk import copy_rows
from units.models import LAO
from units.resources import CodeWidget, TextWidget
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType

PROGRESS_UPLOAD = "projects.progress"
MAX_PREVIEW_LAOS = 2000
# Up to this many projects with a stage change, followers are told through
# projects.notify.followers_notify one project at a time; above it in three bulk queries.
NOTIFY_ONE_BY_ONE = 200
UPDATE_CHUNK = 10_000

COLUMN_CODE = "รหัส อปท."
COLUMN_PROJECT = "รหัสโครงการ"
COLUMN_NAME = "ชื่อโครงการ"
COLUMN_STAGE = "ขั้นตอน"
COLUMN_PROGRESS = "ความก้าวหน้า (%)"
COLUMN_DATE = "วันที่เบิกจ่าย"
COLUMN_AMOUNT = "จำนวนเงินเบิกจ่าย"
COLUMN_REFERENCE = "เลขที่อ้างอิง"

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")
_SERIAL = re.compile(r"[0-9]{5}(?:\.0+)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
BE_OFFSET = 543


# --- widgets ----------------------------------------------------------------------------------


def _stage_lookup() -> dict[str, str]:
    """Stage key, Thai label and English label (folded) → stage key."""
    lookup = {}
    for stage in Stage:
        lookup[stage.value.casefold()] = stage.value
        for language in ("th", "en"):
            with translation.override(language):
                lookup[str(stage.label).strip().casefold()] = stage.value
    return lookup


class StageWidget(widgets.Widget):
    """A stage by its key ("contracted") or its label in Thai or English ("ลงนามสัญญาแล้ว")."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = " ".join(str(value).split()).casefold()
        if not text:
            return None
        lookup = getattr(self, "_lookup", None)
        if lookup is None:
            lookup = self._lookup = _stage_lookup()
        try:
            return lookup[text]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not a stage. Write one of: %(stages)s.")
                % {"value": value, "stages": ", ".join(str(stage.label) for stage in Stage)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(Stage(value).label) if value in Stage.values else ""


class PercentWidget(widgets.IntegerWidget):
    """Physical progress, a whole number from 0 to 100 ("45", 45.0 and "45%" are accepted)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip().rstrip("%").strip()
        if not text:
            return None
        if re.fullmatch(r"[0-9]+(?:\.0+)?", text) is None or int(text.split(".")[0]) > 100:
            raise ValueError(
                _("“%(value)s” is not a progress: write a whole number from 0 to 100.")
                % {"value": value}
            )
        return int(text.split(".")[0])


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    if year > 2400:  # a Buddhist Era year
        year -= BE_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class DisbursementDateWidget(widgets.Widget):
    """A date cell of Excel, 2026-01-31, or the Thai way 31/01/2569 (Buddhist Era; a Christian
    Era year is accepted too). Not in the future, not before 2000."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip()
        if not text:
            return None
        date = None
        if match := _ISO_DATE.fullmatch(text):
            date = _date_or_none(int(match[1]), int(match[2]), int(match[3]))
        elif match := _DMY_DATE.fullmatch(text):
            date = _date_or_none(int(match[3]), int(match[2]), int(match[1]))
        elif _SERIAL.fullmatch(text):  # a date cell read as its serial number
            date = _EXCEL_EPOCH + datetime.timedelta(days=int(text.split(".")[0]))
        if date is None or date.year < 2000:
            raise ValueError(
                _("“%(value)s” is not a date: write it like 31/01/2569 or 2026-01-31.")
                % {"value": value}
            )
        today = getattr(self, "_today", None)
        if today is None:
            today = self._today = timezone.localdate()  # once per upload
        if date > today:
            raise ValueError(
                _("%(value)s is in the future: record a disbursement once it is paid.")
                % {"value": value}
            )
        return date


class DisbursementAmountWidget(AmountWidget):
    """Baht paid out: more than zero, at most two decimals; "1,250,000.50" is accepted."""

    def clean(self, value, row=None, **kwargs):
        amount = super().clean(value, row=row, **kwargs)
        if amount is not None and amount <= 0:
            raise ValueError(_("A disbursement must be more than zero baht."))
        return amount


class ProjectProgressResource(resources.Resource):
    """One row per project update: the project (LAO code, project code) and any of stage,
    progress and a disbursement (date, amount, reference). The name is shown, never read."""

    dla_code = fields.Field(attribute="dla_code", column_name=COLUMN_CODE, widget=CodeWidget())
    code = fields.Field(attribute="code", column_name=COLUMN_PROJECT, widget=TextWidget(32))
    name = fields.Field(
        attribute="name", column_name=COLUMN_NAME, widget=TextWidget(500), readonly=True
    )
    stage = fields.Field(attribute="stage", column_name=COLUMN_STAGE, widget=StageWidget())
    progress_percent = fields.Field(
        attribute="progress_percent", column_name=COLUMN_PROGRESS, widget=PercentWidget()
    )
    date = fields.Field(attribute="date", column_name=COLUMN_DATE, widget=DisbursementDateWidget())
    amount = fields.Field(
        attribute="amount", column_name=COLUMN_AMOUNT, widget=DisbursementAmountWidget()
    )
    reference = fields.Field(
        attribute="reference", column_name=COLUMN_REFERENCE, widget=TextWidget(64)
    )

    column_notes = {
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
    }

    class Meta:
        fields = (
            "dla_code", "code", "name", "stage", "progress_percent", "date", "amount",
            "reference",
        )  # fmt: skip

    @staticmethod
    def template_notes(*, request) -> list[str]:
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
            % {
                "stages": ", ".join(
                    str(stage.label) for stage in Stage if stage in DISBURSING_STAGES
                )
            },
        ]


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

    def instance(self) -> Project:
        """An unsaved stand-in for projects.notify (it reads the pk and the LAO id)."""
        return Project(pk=self.pk, lao_id=self.lao_id, name=self.name)


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

    @property
    def limit(self) -> Decimal:
        project = self.project
        if project.contract_amount is not None:
            return project.contract_amount
        return project.budget_amount

    def after(self) -> ProjectFigures:
        return ProjectFigures(
            fiscal_year=self.before.fiscal_year,
            province_id=self.before.province_id,
            kind=self.before.kind,
            programme_id=self.before.programme_id,
            stage=self.stage,
            budget_amount=self.before.budget_amount,
            disbursed_total=self.disbursed,
        )


@dataclass
class LAOStats:
    stage_moves: int = 0
    progress_changes: int = 0
    disbursements: int = 0
    disbursed: Decimal = Decimal(0)
    already_recorded: int = 0
    rows: int = 0


@dataclass
class ProgressPlan:
    changes: dict[int, ProjectChange]
    errors: list[RowError]
    by_lao: dict[int, LAOStats]


# The usual way forward; a row naming a stage the project has already passed is not a move back
# but a row uploaded before (the same workbook twice), and changes nothing.
FORWARD = [
    Stage.PLANNED, Stage.FUNDED, Stage.PROCUREMENT, Stage.CONTRACTED, Stage.IN_PROGRESS,
    Stage.COMPLETED,
]  # fmt: skip


def _already_reached(current: str, named: str) -> bool:
    return current in FORWARD and named in FORWARD and FORWARD.index(named) < FORWARD.index(current)


def _label(stage: str) -> str:
    return str(Stage(stage).label)


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
    """Check one row against the project's state so far: (errors, apply(stats)). The row is
    applied only when it has no error."""
    values = row.values
    project = change.project
    errors = []
    stage = change.stage
    new_stage = values.get("stage")
    moves = False
    if new_stage is not None and _already_reached(stage, new_stage):
        new_stage = None  # a row of a workbook uploaded before: the project has moved on
    if new_stage is not None and new_stage != stage:
        if new_stage not in ALLOWED_TRANSITIONS.get(stage, set()):
            errors.append(
                RowError(
                    row.number,
                    COLUMN_STAGE,
                    _("A project cannot move from “%(from)s” to “%(to)s”.")
                    % {"from": _label(stage), "to": _label(new_stage)},
                )
            )
        elif new_stage == Stage.CONTRACTED and project.contract_amount is None:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_STAGE,
                    _(
                        "The contract of this project is not recorded: the upload cannot set "
                        "contracts. Record the contract amount, contractor and date on the "
                        "project's page."
                    ),
                )
            )
        else:
            moves = True
            stage = new_stage
    progress = values.get("progress_percent")
    if moves and stage == Stage.COMPLETED:
        progress = 100  # as projects.services: a completed project is done
    payment, already = None, False
    if values.get("amount") is not None:
        key = (project.pk, values["date"], values["amount"], values.get("reference") or "")
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
        elif stage not in DISBURSING_STAGES:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_AMOUNT,
                    _(
                        "Money can be disbursed only for a contracted, ongoing or completed "
                        "project; this one is “%(stage)s”."
                    )
                    % {"stage": _label(stage)},
                )
            )
        elif change.disbursed + values["amount"] > change.limit:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_AMOUNT,
                    _("This would disburse more than the %(what)s: at most %(left)s baht is left.")
                    % {
                        "what": _("contract amount")
                        if project.contract_amount is not None
                        else _("budget"),
                        "left": f"{change.limit - change.disbursed:,.2f}",
                    },
                )
            )
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
                "changed": bool(stats.stage_moves or stats.progress_changes or stats.disbursements),
            }
        )
    all_stats = plan.by_lao.values()
    return {
        "changed": sum(1 for change in changes if change["changed"]),
        "unchanged": sum(1 for change in changes if not change["changed"]),
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
    """Check again under row locks, then write everything in bulk (inside the engine's
    transaction)."""
    plan = progress_plan(rows=rows, lock=True)
    if plan.errors:
        plan.errors.sort(key=lambda error: error.row)
        raise InvalidUpload(plan.errors)
    changed = [change for change in plan.changes.values() if change.changed]
    now = timezone.now()
    note = f"upload #{job.pk}"
    _update_projects(changed, now=now)
    copy_rows(
        StageChange._meta.db_table,
        ["project_id", "from_stage", "to_stage", "at", "user_id", "note"],
        (
            (change.project.pk, from_stage, to_stage, now, user.pk, note)
            for change in changed
            for from_stage, to_stage in change.moves
        ),
    )
    copy_rows(
        Disbursement._meta.db_table,
        ["project_id", "date", "amount", "reference", "created_by_id", "created_at"],
        (
            (change.project.pk, date, amount, reference, user.pk, now)
            for change in changed
            for date, amount, reference in change.disbursements
        ),
    )
    rollup_move_projects([(change.before, change.after()) for change in changed])
    moved = [change for change in changed if change.moves]
    notified = _notify_followers(moved)
    summary = _summary(plan)
    summary.pop("changes")
    return {**summary, "notified": notified}


def _update_projects(changed: list[ProjectChange], *, now) -> None:
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
        for start in range(0, len(changed), UPDATE_CHUNK):
            chunk = changed[start : start + UPDATE_CHUNK]
            cursor.execute(
                sql,
                [
                    now,
                    now,
                    [change.project.pk for change in chunk],
                    [change.stage for change in chunk],
                    [bool(change.moves) for change in chunk],
                    [change.progress for change in chunk],
                    [change.disbursed - change.project.disbursed_total for change in chunk],
                ],
            )


def _stage_message(change: ProjectChange) -> str:
    project = change.project
    return _("%(project)s (%(lao)s): stage changed from %(from)s to %(to)s") % {
        "project": project.name,
        "lao": project.lao_name,
        "from": _label(change.moves[0][0]),
        "to": _label(change.stage),
    }


def _notify_followers(moved: list[ProjectChange]) -> int:
    """Tell the followers of each project whose stage changed (and of its LAO)."""
    if not moved:
        return 0
    if len(moved) <= NOTIFY_ONE_BY_ONE:
        from projects.notify import followers_notify

        return sum(
            followers_notify(
                message=_stage_message(change),
                url=reverse("projects:detail", args=[change.project.pk]),
                project=change.project.instance(),
            )
            for change in moved
        )
    # Many projects: one query for every follower of them or their LAOs, one insert.
    from projects.tasks import email_notifications

    followers: dict[tuple[str, int], set[int]] = defaultdict(set)
    follows = Follow.objects.filter(
        project_id__in=[change.project.pk for change in moved]
    ).values_list("user_id", "project_id", "lao_id")
    lao_follows = Follow.objects.filter(
        lao_id__in={change.project.lao_id for change in moved}
    ).values_list("user_id", "project_id", "lao_id")
    for user_id, project_id, lao_id in [*follows, *lao_follows]:
        followers[("project", project_id) if project_id else ("lao", lao_id)].add(user_id)
    notifications = []
    for change in moved:
        project = change.project
        users = followers.get(("project", project.pk), set()) | followers.get(
            ("lao", project.lao_id), set()
        )
        if not users:
            continue
        message = _stage_message(change)[:500]
        url = reverse("projects:detail", args=[change.project.pk])
        notifications.extend(
            Notification(user_id=user_id, message=message, url=url) for user_id in users
        )
    created = Notification.objects.bulk_create(notifications, batch_size=5000)
    ids = [notification.pk for notification in created]
    if ids:
        transaction.on_commit(lambda: email_notifications.enqueue(notification_ids=ids))
    return len(ids)


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
    for dla_code, code, name, stage, progress in projects.iterator(chunk_size=5000):
        yield [dla_code, code, name, _label(stage), progress, None, None, None]


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
    commit_checks=True,
    lao_code_field="dla_code",
    unique_fields=(),  # several rows per project
    preview_template="projects/_upload_preview.html",
)
