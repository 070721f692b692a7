"""The upload type "budgets.lines": provincial staff upload the lines of many LAOs' plans in one
workbook (columns: budgets/resources.py).

The rows of one (LAO, fiscal year) replace that plan's lines: a missing plan is created as a
draft, a draft or returned plan gets its lines replaced, a submitted or enacted plan is refused
(row errors on its rows). Uploading the same workbook twice gives the same lines, never duplicates.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import BudgetLine, BudgetPlan, PlanStatus
from budgets.resources import (
    COLUMN_AMOUNT,
    COLUMN_CODE,
    COLUMN_ITEM,
    COLUMN_PROGRAMME,
    COLUMN_TYPE,
    COLUMN_WORK,
    COLUMN_YEAR,
    BudgetLineResource,
    uploadable_fiscal_years,
)
from budgets.services import EDITABLE, LineData, PlanLines, budget_plans_replace_lines
from units import access
from units.models import LAO
from units.thai import current_fiscal_year
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType

BUDGET_LINES_UPLOAD = "budgets.lines"
MAX_PREVIEW_LAOS = 2000


REQUIRED = [
    ("fiscal_year", COLUMN_YEAR),
    ("programme_id", COLUMN_PROGRAMME),
    ("expense_type_id", COLUMN_TYPE),
    ("item", COLUMN_ITEM),
    ("amount", COLUMN_AMOUNT),
]


@dataclass
class PlanUpload:
    """The rows of one (LAO, fiscal year) and the plan they replace (None: a new plan)."""

    lao_id: int
    fiscal_year: int
    rows: list = field(default_factory=list)
    plan: BudgetPlan | None = None
    lines_before: int = 0
    changed: bool = True

    @property
    def lines(self) -> list[LineData]:
        return [
            LineData(
                programme_id=row.values["programme_id"],
                expense_type_id=row.values["expense_type_id"],
                item=row.values["item"],
                amount=row.values["amount"],
                work_id=row.values.get("work_id"),
            )
            for row in self.rows
        ]

    @property
    def total_after(self) -> Decimal:
        return sum((row.values["amount"] for row in self.rows), Decimal(0))

    @property
    def total_before(self) -> Decimal:
        return self.plan.total_expenditure if self.plan else Decimal(0)


def _refused(plan: BudgetPlan, fiscal_year: int) -> str:
    if plan.status == PlanStatus.ENACTED:
        return _(
            "The %(year)s plan of this LAO has been enacted; ask the provincial office to "
            "return it before uploading its lines."
        ) % {"year": fiscal_year}
    return _(
        "The %(year)s plan of this LAO has been submitted; ask the provincial office to return "
        "it before uploading its lines."
    ) % {"year": fiscal_year}


def plan_uploads(*, rows, lock: bool = False) -> tuple[list[PlanUpload], list[RowError]]:
    """Group the clean rows by (LAO, fiscal year) and find the plans they replace.

    Row errors: required cells left blank, and plans that were submitted or enacted. With
    `lock`, the existing plans' rows are locked (FOR UPDATE) for the commit. Three queries at
    most, whatever the number of rows: plans, their line counts, and the old lines of plans
    that may be unchanged (same count and total).
    """
    errors: list[RowError] = []
    groups: dict[tuple[int, int], PlanUpload] = {}
    for row in rows:
        if missing := row.required_errors(REQUIRED):
            errors.extend(missing)
            continue
        key = (row.lao_id, row.values["fiscal_year"])
        if key not in groups:
            groups[key] = PlanUpload(lao_id=key[0], fiscal_year=key[1])
        groups[key].rows.append(row)
    if not groups:
        return [], errors

    plans = BudgetPlan.objects.filter(
        lao_id__in={lao_id for lao_id, _year in groups},
        fiscal_year__in={year for _lao, year in groups},
    ).only("id", "lao_id", "fiscal_year", "status", "version", "total_expenditure")
    if lock:
        plans = plans.select_for_update(of=("self",))
    for plan in plans:
        upload = groups.get((plan.lao_id, plan.fiscal_year))
        if upload is not None:
            upload.plan = plan

    uploads = []
    for upload in groups.values():
        if upload.plan is not None and upload.plan.status not in EDITABLE:
            message = _refused(upload.plan, upload.fiscal_year)
            errors.extend(RowError(row.number, COLUMN_YEAR, message) for row in upload.rows)
        else:
            uploads.append(upload)

    replaced = {upload.plan.pk: upload for upload in uploads if upload.plan is not None}
    if replaced:
        counts = (
            BudgetLine.objects.filter(plan_id__in=replaced)
            .order_by()  # the default ordering would join plans and LAOs
            .values("plan_id")
            .annotate(count=Count("id"))
            .values_list("plan_id", "count")
        )
        for plan_id, count in counts:
            replaced[plan_id].lines_before = count
        _mark_unchanged(
            [
                upload
                for upload in replaced.values()
                if upload.lines_before == len(upload.rows)
                and upload.total_before == upload.total_after
            ]
        )
    return uploads, errors


def _line_key(programme_id, work_id, expense_type_id, item, amount) -> tuple:
    return (programme_id, work_id, expense_type_id, item, amount)


def _mark_unchanged(candidates: list[PlanUpload]) -> None:
    """Plans whose lines would stay exactly the same, in the same order (one query)."""
    if not candidates:
        return
    old: dict[int, list[tuple]] = defaultdict(list)
    lines = (
        BudgetLine.objects.filter(plan_id__in=[upload.plan.pk for upload in candidates])
        .order_by("plan_id", "position", "id")
        .values_list("plan_id", "programme_id", "work_id", "expense_type_id", "item", "amount")
    )
    for plan_id, *values in lines:
        old[plan_id].append(_line_key(*values))
    for upload in candidates:
        new = [
            _line_key(
                row.values["programme_id"],
                row.values.get("work_id"),
                row.values["expense_type_id"],
                row.values["item"],
                row.values["amount"],
            )
            for row in upload.rows
        ]
        upload.changed = old[upload.plan.pk] != new


def budget_lines_check(*, rows, user) -> CheckResult:
    """The dry run's preview: per LAO and fiscal year, the plan's status (new, draft, returned),
    lines now → after and total now → after; per LAO the totals over its years."""
    uploads, errors = plan_uploads(rows=rows)
    laos_shown = LAO.objects.filter(pk__in={upload.lao_id for upload in uploads})
    names, full_names = {}, {}
    for pk, code, full_name in laos_shown.values_list("pk", "dla_code", "full_name_th"):
        names[pk], full_names[pk] = code, full_name
    by_lao: dict[int, list[PlanUpload]] = defaultdict(list)
    for upload in uploads:
        by_lao[upload.lao_id].append(upload)
    laos = sorted(by_lao, key=lambda lao_id: names[lao_id])
    changed_laos = [lao_id for lao_id in laos if any(u.changed for u in by_lao[lao_id])]
    changes = []
    for lao_id in laos[:MAX_PREVIEW_LAOS]:
        years = sorted(by_lao[lao_id], key=lambda upload: upload.fiscal_year)
        changes.append(
            {
                "code": names[lao_id],
                "name": full_names[lao_id],
                "changed": any(upload.changed for upload in years),
                "total_before": str(sum((u.total_before for u in years), Decimal(0))),
                "total_after": str(sum((u.total_after for u in years), Decimal(0))),
                "plans": [
                    {
                        "year": upload.fiscal_year,
                        "status": upload.plan.status if upload.plan else "new",
                        "lines_before": upload.lines_before,
                        "lines_after": len(upload.rows),
                        "total_before": str(upload.total_before),
                        "total_after": str(upload.total_after),
                        "changed": upload.changed,
                    }
                    for upload in years
                ],
            }
        )
    summary = {
        "changed": len(changed_laos),
        "unchanged": len(laos) - len(changed_laos),
        "plans_new": sum(1 for upload in uploads if upload.plan is None),
        "plans_replaced": sum(1 for u in uploads if u.plan is not None and u.changed),
        "plans_unchanged": sum(1 for upload in uploads if not upload.changed),
        "lines_before": sum(upload.lines_before for upload in uploads),
        "lines_after": sum(len(upload.rows) for upload in uploads),
        "total_before": str(sum((upload.total_before for upload in uploads), Decimal(0))),
        "total_after": str(sum((upload.total_after for upload in uploads), Decimal(0))),
        "changes": changes,
    }
    return CheckResult(errors=errors, summary=summary)


def budget_lines_commit(*, rows, user, job) -> dict:
    """Check again under row locks, then replace the plans' lines (inside the engine's
    transaction): missing plans are created, unchanged plans are left alone."""
    uploads, errors = plan_uploads(rows=rows, lock=True)
    if errors:
        errors.sort(key=lambda error: error.row)
        raise InvalidUpload(errors)
    changed = [upload for upload in uploads if upload.changed]
    result = budget_plans_replace_lines(
        items=[
            PlanLines(lao_id=u.lao_id, fiscal_year=u.fiscal_year, plan=u.plan, lines=u.lines)
            for u in changed
        ],
        user=user,
    )
    return {**result, "plans_unchanged": len(uploads) - len(changed)}


def budget_template_rows(*, user):
    """The lines of the uploader's LAOs' draft or returned plans of the current fiscal year, in
    plan order, so that uploading the template back changes nothing. Programmes, works and
    expense types by their Thai names, as budget documents write them. One query."""
    lines = (
        BudgetLine.objects.filter(
            plan__lao__in=access.laos_managed_by(user).exclude(dla_code=None),
            plan__fiscal_year=current_fiscal_year(),
            plan__status__in=EDITABLE,
        )
        .order_by("plan__lao__dla_code", "position", "id")
        .values_list(
            "plan__lao__dla_code",
            "plan__fiscal_year",
            "programme__name_th",
            "work__name_th",
            "expense_type__name_th",
            "item",
            "amount",
        )
    )
    for code, year, programme, work, expense_type, item, amount in lines.iterator(chunk_size=5000):
        # A number cell: floats hold 14 significant digits exactly, and read back the same.
        number = int(amount) if amount == amount.to_integral_value() else float(amount)
        yield [code, year, programme, work or "", expense_type, item, number]


def budget_template_notes(*, request) -> list[str]:
    """Lines under the column notes of the template's notes sheet."""
    years = uploadable_fiscal_years()
    return [
        _(
            "The rows of one LAO and fiscal year replace all the lines of that LAO's plan "
            "for that year: include every line of the plan, not only the changed ones."
        ),
        _(
            "A missing plan is created as a draft; a draft or returned plan gets its lines "
            "replaced; a submitted or enacted plan cannot be changed by an upload."
        ),
        _("Fiscal years accepted now: %(first)s to %(last)s.")
        % {"first": years[0], "last": years[-1]},
        _("The names and account codes of programmes, works and expense types: %(url)s")
        % {"url": request.build_absolute_uri(reverse("budgets:classification"))},
        _("Estimated revenue is not part of this upload: it stays as it is."),
    ]


budget_lines_upload_type = UploadType(
    key=BUDGET_LINES_UPLOAD,
    title=gettext_lazy("Budget lines of LAO plans"),
    description=gettext_lazy(
        "One row per budget line: LAO, fiscal year, programme (and work), expense type, item "
        "and amount. The rows of an LAO and year replace the lines of that year's draft or "
        "returned plan; a missing plan is created as a draft."
    ),
    committed_note=gettext_lazy(
        "The plans are drafts: each LAO reviews its plan and submits it to the provincial office."
    ),
    resource_class=BudgetLineResource,
    template_rows=budget_template_rows,
    check=budget_lines_check,
    commit=budget_lines_commit,
    lao_code_field="dla_code",
    unique_fields=(),  # many lines per LAO
    preview_template="budgets/_upload_preview.html",
    # English names and help for the template's notes sheet, by column.
    column_notes={
        COLUMN_CODE: ("DLA code", gettext_lazy("Required. 7 digits; keep it as text.")),
        COLUMN_YEAR: (
            "Fiscal year",
            gettext_lazy("Required. Buddhist Era, such as 2570 (1 Oct 2026 – 30 Sep 2027)."),
        ),
        COLUMN_PROGRAMME: (
            "Programme code",
            gettext_lazy(
                "Required. The programme (แผนงาน) by its Thai name, such as แผนงานการศึกษา; "
                "the codes of earlier templates (EDUCATION) are accepted too."
            ),
        ),
        COLUMN_WORK: (
            "Work code",
            gettext_lazy(
                "Optional. A work (งาน) of that programme by its Thai name, such as "
                "งานระดับก่อนวัยเรียนและประถมศึกษา."
            ),
        ),
        COLUMN_TYPE: (
            "Expense type code",
            gettext_lazy(
                "Required. The expense type (หมวด) by its Thai name, such as ค่าวัสดุ, or its "
                "account code, such as 533000."
            ),
        ),
        COLUMN_ITEM: ("Item", gettext_lazy("Required. The line's text, up to 500 characters.")),
        COLUMN_AMOUNT: (
            "Amount (baht)",
            gettext_lazy("Required. 0 or more, at most two decimals; 1,250,000.50 is accepted."),
        ),
    },
    template_notes=budget_template_notes,
)
