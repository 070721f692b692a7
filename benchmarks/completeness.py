"""Completeness and freshness of every LAO's data per fiscal year: which of the items an LAO
owes is present, how recent each is, a score, and the reads and writes of the pages that chase
the missing ones (the profile section, the provincial list, its reminders).

The items (`ITEMS`), each with its weight, when it is present, its as-of date, when it is due:

- `profile` (2): population, households, area, address, phone, e-mail and chief executive are
  entered and none is a demo value (`LAO.demo_fields`); as of the LAO's last change; always due.
- `budget` (3): the year's budget plan is enacted; as of its enactment; due once the fiscal
  year has begun.
- `projects` (2): the LAO has projects in the year; as of the newest project update; due once
  the fiscal year has begun.
- `report_q1` … `report_q4` (1 each): the quarter's progress report is submitted or accepted;
  as of its acceptance, else its submission; due after the report's due date
  (`projects.reports.quarter_due_date`: 15 days after the quarter ends).
- `imported` (1): every shown imported indicator (LPA, ITA, …) that applies to the LAO's kind
  has a value for the year (or says it does not apply); as of the newest value's date; due once
  the fiscal year is over (assessments look back), and only if such an indicator exists.
- `questions` (1): no question about the LAO's figures of the year is open past its deadline
  (a question without a year belongs to the year it was asked in); always due.

Score (0–100) = 100 × (sum of the weights of the due items that are present) ÷ (sum of the
weights of the due items). Items not yet due count neither way, so a new fiscal year is not
punished for reports that cannot exist yet; `profile` and `questions` are always due, so the
denominator is never zero. An item present before it is due still shows as present.

Freshness of a date (`freshness_of`): fresh within 92 days (a quarter: the reporting cycle),
ageing within 366 days (a year), stale beyond or without any date.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Avg,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from benchmarks.figures import fiscal_years_with_data
from benchmarks.models import (
    STAMP,
    Completeness,
    QuestionStatus,
    Reason,
    ReminderSent,
    Source,
)
from budgets.models import PlanStatus
from projects.models import ReportStatus
from projects.reports import QUARTERS, quarter_due_date, quarter_range
from units import access, stamps
from units.mail import send_email_on_commit
from units.models import LAO, Province, Role, User
from units.thai import fiscal_year_of, fiscal_year_range


@dataclass(frozen=True)
class Item:
    code: str
    label: str  # what must be there, in plain words
    missing: str  # what the provincial list and the reminder say when it is not
    weight: int


ITEMS: tuple[Item, ...] = (
    Item(
        "profile",
        gettext_lazy("Basic data and contacts"),
        gettext_lazy("Basic data or contacts not entered, or still demo values"),
        2,
    ),
    Item(
        "budget",
        gettext_lazy("Enacted budget of the year"),
        gettext_lazy("No enacted budget"),
        3,
    ),
    Item(
        "projects",
        gettext_lazy("Development projects of the year"),
        gettext_lazy("No projects entered"),
        2,
    ),
    *(
        Item(
            f"report_q{quarter}",
            gettext_lazy("Progress report, quarter %(quarter)s") % {"quarter": quarter},
            gettext_lazy("Quarter %(quarter)s progress report not sent") % {"quarter": quarter},
            1,
        )
        for quarter in QUARTERS
    ),
    Item(
        "imported",
        gettext_lazy("Assessment results (LPA, ITA)"),
        gettext_lazy("Assessment results (LPA, ITA) not imported"),
        1,
    ),
    Item(
        "questions",
        gettext_lazy("Questions about figures answered on time"),
        gettext_lazy("Questions about figures overdue"),
        1,
    ),
)
ITEMS_BY_CODE = {item.code: item for item in ITEMS}

# The profile fields an LAO must keep, in the order they are named.
PROFILE_FIELDS = (
    "population",
    "households",
    "area_km2",
    "address",
    "phone",
    "email",
    "chief_executive",
)

FRESH_DAYS = 92
AGEING_DAYS = 366


class Freshness:
    FRESH = "fresh"
    AGEING = "ageing"
    STALE = "stale"

    LABELS = {
        FRESH: gettext_lazy("Up to date"),
        AGEING: gettext_lazy("Ageing"),
        STALE: gettext_lazy("Out of date"),
    }


def freshness_of(as_of: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """`Freshness.FRESH` within FRESH_DAYS of `today`, `AGEING` within AGEING_DAYS, else (or
    without a date) `STALE`."""
    if as_of is None:
        return Freshness.STALE
    age = ((today or timezone.localdate()) - as_of).days
    if age <= FRESH_DAYS:
        return Freshness.FRESH
    if age <= AGEING_DAYS:
        return Freshness.AGEING
    return Freshness.STALE


# --- The recompute -----------------------------------------------------------------------------

# One statement for every LAO and year in scope. `flags` holds each item's present / due / date
# as columns; the score, count and date are plain arithmetic over them (unpacking the JSON per
# row cost three times as much), and the JSON is built once.
# The newest project update of each LAO and year, staged before the upsert: a statement that
# writes runs without parallel workers, and this aggregate reads every project (3M nationally:
# 1.5 s alone, half that over two workers).
_PROJECT_DATES = """
CREATE TEMPORARY TABLE bm_project_dates ON COMMIT DROP AS
SELECT p.lao_id, p.fiscal_year, (MAX(p.updated_at) AT TIME ZONE %(tz)s)::date AS updated_on
FROM projects_project p
WHERE p.fiscal_year = ANY(%(years)s::integer[])
  AND (%(all_laos)s OR p.lao_id = ANY(%(lao_ids)s::bigint[]))
GROUP BY p.lao_id, p.fiscal_year
"""

_UPSERT = """
WITH laos AS MATERIALIZED (
    SELECT l.id AS lao_id, l.kind, (l.updated_at AT TIME ZONE %(tz)s)::date AS updated_on,
           ARRAY(
               SELECT f.name FROM unnest(%(profile_fields)s::text[], ARRAY[
                   l.population IS NULL, l.households IS NULL, l.area_km2 IS NULL,
                   l.address = '', l.phone = '', l.email = '', l.chief_executive = ''
               ]) AS f(name, empty)
               WHERE f.empty OR f.name = ANY(l.demo_fields)
           ) AS profile_missing
    FROM units_lao l
    WHERE l.is_active AND (%(all_laos)s OR l.id = ANY(%(lao_ids)s::bigint[]))
),
grid AS (
    SELECT laos.*, y.fiscal_year, y.first_day <= %(today)s AS year_started,
           y.last_day < %(today)s AS year_over,
           y.due_q1 < %(today)s AS q1_due, y.due_q2 < %(today)s AS q2_due,
           y.due_q3 < %(today)s AS q3_due, y.due_q4 < %(today)s AS q4_due
    FROM laos
    CROSS JOIN unnest(
        %(years)s::integer[], %(first_days)s::date[], %(last_days)s::date[],
        %(due_q1)s::date[], %(due_q2)s::date[], %(due_q3)s::date[], %(due_q4)s::date[]
    ) AS y(fiscal_year, first_day, last_day, due_q1, due_q2, due_q3, due_q4)
),
plans AS (
    SELECT p.lao_id, p.fiscal_year, (p.enacted_at AT TIME ZONE %(tz)s)::date AS enacted_on
    FROM budgets_budgetplan p
    WHERE p.status = %(enacted)s AND p.fiscal_year = ANY(%(years)s::integer[])
      AND (%(all_laos)s OR p.lao_id = ANY(%(lao_ids)s::bigint[]))
),
projects AS (
    SELECT lao_id, fiscal_year, updated_on FROM bm_project_dates
),
reports AS (
    SELECT r.lao_id, r.fiscal_year,
           MAX(r.sent_on) FILTER (WHERE r.quarter = 1) AS q1,
           MAX(r.sent_on) FILTER (WHERE r.quarter = 2) AS q2,
           MAX(r.sent_on) FILTER (WHERE r.quarter = 3) AS q3,
           MAX(r.sent_on) FILTER (WHERE r.quarter = 4) AS q4
    FROM (
        SELECT lao_id, fiscal_year, quarter,
               (COALESCE(CASE WHEN status = %(accepted)s THEN reviewed_at END, submitted_at,
                         reviewed_at) AT TIME ZONE %(tz)s)::date AS sent_on
        FROM projects_progressreport
        WHERE status = ANY(%(sent)s) AND fiscal_year = ANY(%(years)s::integer[])
          AND (%(all_laos)s OR lao_id = ANY(%(lao_ids)s::bigint[]))
    ) r
    GROUP BY r.lao_id, r.fiscal_year
),
imported_indicators AS (
    SELECT id, code, kinds, sort_order FROM benchmarks_indicator
    WHERE source = %(imported)s AND is_active
),
imported AS (
    SELECT g.lao_id, g.fiscal_year, COUNT(*) AS required, COUNT(v.id) AS present,
           MAX(v.as_of) AS as_of,
           COALESCE(
               array_agg(i.code ORDER BY i.sort_order, i.code) FILTER (WHERE v.id IS NULL),
               '{}'
           ) AS missing
    FROM grid g
    JOIN imported_indicators i ON cardinality(i.kinds) = 0 OR g.kind = ANY(i.kinds)
    LEFT JOIN benchmarks_indicatorvalue v
        ON v.indicator_id = i.id AND v.lao_id = g.lao_id AND v.fiscal_year = g.fiscal_year
       AND (v.value IS NOT NULL OR v.reason = %(not_applicable)s)
    GROUP BY g.lao_id, g.fiscal_year
),
questions AS (
    SELECT q.lao_id,
           COALESCE(q.fiscal_year, EXTRACT(YEAR FROM q.created_at AT TIME ZONE %(tz)s)::int
               + 543 + CASE WHEN EXTRACT(MONTH FROM q.created_at AT TIME ZONE %(tz)s) >= 10
                            THEN 1 ELSE 0 END) AS fiscal_year,
           COUNT(*) AS overdue
    FROM benchmarks_figurequestion q
    WHERE q.status = %(open)s AND q.deadline < %(today)s
      AND (%(all_laos)s OR q.lao_id = ANY(%(lao_ids)s::bigint[]))
    GROUP BY 1, 2
),
flags AS (
    SELECT g.lao_id, g.fiscal_year, COALESCE(qu.overdue, 0) AS overdue,
           g.profile_missing, g.updated_on AS profile_on,
           cardinality(g.profile_missing) = 0 AS profile_present,
           pl.enacted_on, pl.lao_id IS NOT NULL AS budget_present,
           pr.updated_on AS projects_on, pr.lao_id IS NOT NULL AS projects_present,
           g.year_started, g.q1_due, g.q2_due, g.q3_due, g.q4_due,
           re.q1, re.q2, re.q3, re.q4,
           COALESCE(im.required > 0 AND im.present = im.required, false) AS imported_present,
           g.year_over AND COALESCE(im.required, 0) > 0 AS imported_due,
           im.as_of AS imported_on, COALESCE(im.missing, '{}') AS imported_missing,
           qu.overdue IS NULL AS questions_present
    FROM grid g
    LEFT JOIN plans pl ON pl.lao_id = g.lao_id AND pl.fiscal_year = g.fiscal_year
    LEFT JOIN projects pr ON pr.lao_id = g.lao_id AND pr.fiscal_year = g.fiscal_year
    LEFT JOIN reports re ON re.lao_id = g.lao_id AND re.fiscal_year = g.fiscal_year
    LEFT JOIN imported im ON im.lao_id = g.lao_id AND im.fiscal_year = g.fiscal_year
    LEFT JOIN questions qu ON qu.lao_id = g.lao_id AND qu.fiscal_year = g.fiscal_year
),
scored AS (
    SELECT f.lao_id, f.fiscal_year, f.overdue,
           jsonb_build_array(
               jsonb_build_object('code', 'profile',
                   'present', f.profile_present, 'as_of', f.profile_on, 'due', true,
                   'detail', to_jsonb(f.profile_missing)),
               jsonb_build_object('code', 'budget',
                   'present', f.budget_present, 'as_of', f.enacted_on,
                   'due', f.year_started),
               jsonb_build_object('code', 'projects',
                   'present', f.projects_present, 'as_of', f.projects_on,
                   'due', f.year_started),
               jsonb_build_object('code', 'report_q1',
                   'present', f.q1 IS NOT NULL, 'as_of', f.q1, 'due', f.q1_due),
               jsonb_build_object('code', 'report_q2',
                   'present', f.q2 IS NOT NULL, 'as_of', f.q2, 'due', f.q2_due),
               jsonb_build_object('code', 'report_q3',
                   'present', f.q3 IS NOT NULL, 'as_of', f.q3, 'due', f.q3_due),
               jsonb_build_object('code', 'report_q4',
                   'present', f.q4 IS NOT NULL, 'as_of', f.q4, 'due', f.q4_due),
               jsonb_build_object('code', 'imported',
                   'present', f.imported_present, 'as_of', f.imported_on,
                   'due', f.imported_due, 'detail', to_jsonb(f.imported_missing)),
               jsonb_build_object('code', 'questions',
                   'present', f.questions_present, 'as_of', NULL, 'due', true,
                   'detail', f.overdue)
           ) AS items,
           %(w_profile)s + %(w_questions)s
               + (%(w_budget)s + %(w_projects)s) * f.year_started::int
               + %(w_report)s * (f.q1_due::int + f.q2_due::int + f.q3_due::int + f.q4_due::int)
               + %(w_imported)s * f.imported_due::int AS due_weight,
           %(w_profile)s * f.profile_present::int
               + %(w_questions)s * f.questions_present::int
               + %(w_budget)s * (f.year_started AND f.budget_present)::int
               + %(w_projects)s * (f.year_started AND f.projects_present)::int
               + %(w_report)s * ((f.q1_due AND f.q1 IS NOT NULL)::int
                   + (f.q2_due AND f.q2 IS NOT NULL)::int
                   + (f.q3_due AND f.q3 IS NOT NULL)::int
                   + (f.q4_due AND f.q4 IS NOT NULL)::int)
               + %(w_imported)s * (f.imported_due AND f.imported_present)::int
               AS present_weight,
           (NOT f.profile_present)::int + (NOT f.questions_present)::int
               + (f.year_started AND NOT f.budget_present)::int
               + (f.year_started AND NOT f.projects_present)::int
               + (f.q1_due AND f.q1 IS NULL)::int + (f.q2_due AND f.q2 IS NULL)::int
               + (f.q3_due AND f.q3 IS NULL)::int + (f.q4_due AND f.q4 IS NULL)::int
               + (f.imported_due AND NOT f.imported_present)::int AS missing,
           -- GREATEST ignores NULLs: the newest date of the items present.
           GREATEST(
               CASE WHEN f.profile_present THEN f.profile_on END, f.enacted_on, f.projects_on,
               f.q1, f.q2, f.q3, f.q4, CASE WHEN f.imported_present THEN f.imported_on END
           ) AS as_of
    FROM flags f
)
INSERT INTO benchmarks_completeness
    (lao_id, fiscal_year, score, items, missing_count, as_of, overdue_questions, computed_at)
SELECT lao_id, fiscal_year, ROUND(100.0 * present_weight / due_weight, 2), items, missing,
       as_of, overdue, now()
FROM scored
ON CONFLICT (lao_id, fiscal_year) DO UPDATE
SET score = EXCLUDED.score, items = EXCLUDED.items, missing_count = EXCLUDED.missing_count,
    as_of = EXCLUDED.as_of, overdue_questions = EXCLUDED.overdue_questions,
    computed_at = EXCLUDED.computed_at
WHERE (benchmarks_completeness.score, benchmarks_completeness.items,
       benchmarks_completeness.missing_count, benchmarks_completeness.as_of,
       benchmarks_completeness.overdue_questions)
      IS DISTINCT FROM
      (EXCLUDED.score, EXCLUDED.items, EXCLUDED.missing_count, EXCLUDED.as_of,
       EXCLUDED.overdue_questions)
"""

# Rows of LAOs in scope that are no longer active: removed rather than left to look current.
_PRUNE = """
DELETE FROM benchmarks_completeness c
USING units_lao l
WHERE l.id = c.lao_id AND NOT l.is_active
  AND c.fiscal_year = ANY(%(years)s::integer[])
  AND (%(all_laos)s OR c.lao_id = ANY(%(lao_ids)s::bigint[]))
"""


def completeness_years(*, today: datetime.date | None = None) -> list[int]:
    """The fiscal years a full recompute covers: every year with data, and this one."""
    today = today or timezone.localdate()
    return sorted({*fiscal_years_with_data(), fiscal_year_of(today)})


@transaction.atomic
def completeness_recompute(
    *,
    fiscal_years: Iterable[int] | None = None,
    lao_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Recompute the completeness of the given years (None: `completeness_years`) and LAOs
    (None: every active LAO) as of `today`: one upsert for all of them, which writes only the
    rows whose score, items, count, date or overdue questions changed (a re-run writes
    nothing), then one delete of the rows of LAOs no longer active. Items become due with time:
    run it daily as well as after data changes. Returns {"written": n, "removed": n}."""
    today = today or timezone.localdate()
    years = sorted(set(completeness_years(today=today) if fiscal_years is None else fiscal_years))
    lao_ids = None if lao_ids is None else sorted(set(lao_ids))
    if not years:
        return {"written": 0, "removed": 0}
    ranges = [fiscal_year_range(year) for year in years]
    weights = {item.code: item.weight for item in ITEMS}
    params = {
        "today": today,
        "tz": settings.TIME_ZONE,
        "years": years,
        "first_days": [first for first, _ in ranges],
        "last_days": [last for _, last in ranges],
        "all_laos": lao_ids is None,
        "lao_ids": lao_ids or [],
        "profile_fields": list(PROFILE_FIELDS),
        "enacted": PlanStatus.ENACTED.value,
        "accepted": ReportStatus.ACCEPTED.value,
        "sent": [ReportStatus.SUBMITTED.value, ReportStatus.ACCEPTED.value],
        "imported": Source.IMPORTED.value,
        "not_applicable": Reason.NOT_APPLICABLE.value,
        "open": QuestionStatus.OPEN.value,
        **{
            f"due_q{quarter}": [quarter_due_date(year, quarter) for year in years]
            for quarter in QUARTERS
        },
        "w_profile": weights["profile"],
        "w_budget": weights["budget"],
        "w_projects": weights["projects"],
        "w_report": weights["report_q1"],
        "w_imported": weights["imported"],
        "w_questions": weights["questions"],
    }
    with connection.cursor() as cursor:
        cursor.execute(_PROJECT_DATES, params)
        cursor.execute("CREATE UNIQUE INDEX ON bm_project_dates (lao_id, fiscal_year)")
        cursor.execute("ANALYZE bm_project_dates")
        cursor.execute(_UPSERT, params)
        written = cursor.rowcount
        # Dropped now, not at the commit: a caller may run it again in the same transaction.
        cursor.execute("DROP TABLE bm_project_dates")
        cursor.execute(_PRUNE, params)
        removed = cursor.rowcount
    if written or removed:
        # The LAO profiles show the stored completeness beside the ranks; the upsert and the
        # delete send no signal. A re-run that changed nothing leaves the cached pages be.
        stamps.bump(STAMP)
    return {"written": written, "removed": removed}


# --- Reading the items -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatus:
    code: str
    label: str
    missing_label: str
    present: bool
    due: bool
    as_of: datetime.date | None
    detail: list | int | None

    @property
    def is_missing(self) -> bool:
        return self.due and not self.present

    @property
    def detail_text(self) -> str:
        """The profile fields missing, or the number of overdue questions, in words."""
        if self.code == "profile" and self.detail:
            names = {field: LAO._meta.get_field(field).verbose_name for field in PROFILE_FIELDS}
            return ", ".join(str(names.get(field, field)) for field in self.detail)
        if self.code == "questions" and self.detail:
            return str(self.detail)
        return ""


def item_statuses(row: Completeness) -> list[ItemStatus]:
    """The row's items with their labels, in the order of ITEMS (no query)."""
    statuses = []
    for entry in row.items:
        item = ITEMS_BY_CODE.get(entry.get("code"))
        if item is None:  # an item dropped since the row was computed
            continue
        as_of = entry.get("as_of")
        statuses.append(
            ItemStatus(
                code=item.code,
                label=str(item.label),
                missing_label=str(item.missing),
                present=bool(entry.get("present")),
                due=bool(entry.get("due")),
                as_of=datetime.date.fromisoformat(as_of) if as_of else None,
                detail=entry.get("detail"),
            )
        )
    return statuses


def missing_items(row: Completeness) -> list[ItemStatus]:
    """The due items the row lacks."""
    return [status for status in item_statuses(row) if status.is_missing]


def missing_text(row: Completeness) -> str:
    """The missing items as one line ("No enacted budget; Quarter 2 progress report not
    sent"), for downloads and e-mails."""
    parts = []
    for status in missing_items(row):
        detail = status.detail_text
        parts.append(f"{status.missing_label} ({detail})" if detail else status.missing_label)
    return "; ".join(parts)


def lao_completeness(*, lao: LAO, today: datetime.date | None = None) -> Completeness | None:
    """The LAO's completeness of the current fiscal year, else of its newest earlier year with
    one (None before the first recompute). One query."""
    current = fiscal_year_of(today or timezone.localdate())
    return (
        Completeness.objects.filter(lao=lao, fiscal_year__lte=current)
        .order_by("-fiscal_year")
        .first()
    )


MISSING_ANY = "any"
MISSING_REPORT = "report"


def missing_condition(code: str) -> Q:
    """Rows lacking the due item `code` (JSON containment on the items)."""
    return Q(items__contains=[{"code": code, "due": True, "present": False}])


def last_ended_quarter(fiscal_year: int, *, today: datetime.date) -> int | None:
    """The year's last quarter that has ended before `today` (None before the first ends): the
    report provincial staff chase, as on the work page, even before its due date."""
    ended = [quarter for quarter in QUARTERS if quarter_range(fiscal_year, quarter)[1] < today]
    return ended[-1] if ended else None


def report_missing_condition(quarter: int) -> Q:
    """Rows whose report of `quarter` is not sent (due yet or not)."""
    return Q(items__contains=[{"code": f"report_q{quarter}", "present": False}])


def province_completeness(
    *,
    province: Province,
    fiscal_year: int,
    kind: str | None = None,
    missing: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Completeness]:
    """The province's active LAOs' completeness of a year, lowest score first (then DLA code),
    with the LAO, its district and `last_reminded` (the newest reminder of the LAO, any year).
    Filtered by kind and by `missing`: "any" (something due is missing), "report" (the report
    of the year's last ended quarter is not sent, `last_ended_quarter`) or an item code. One
    query."""
    rows = Completeness.objects.filter(
        fiscal_year=fiscal_year, lao__province=province, lao__is_active=True
    )
    if kind:
        rows = rows.filter(lao__kind=kind)
    if missing == MISSING_ANY:
        rows = rows.filter(missing_count__gt=0)
    elif missing == MISSING_REPORT:
        quarter = last_ended_quarter(fiscal_year, today=today or timezone.localdate())
        rows = rows.filter(report_missing_condition(quarter)) if quarter else rows.none()
    elif missing:
        rows = rows.filter(missing_condition(missing))
    last_reminded = (
        ReminderSent.objects.filter(lao=OuterRef("lao_id"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    return (
        rows.select_related("lao", "lao__district", "lao__province")
        .annotate(last_reminded=Subquery(last_reminded))
        .order_by("score", "lao__dla_code", "lao_id")
    )


def officer_emails(lao_ids: Iterable[int]) -> dict[int, list[str]]:
    """LAO id → the e-mail addresses of its active officers. One query."""
    rows = (
        User.objects.filter(lao_id__in=list(lao_ids), role=Role.OFFICER, is_active=True)
        .exclude(email="")
        .order_by("lao_id", "email")
        .values_list("lao_id", "email")
    )
    emails: dict[int, list[str]] = {}
    for lao_id, email in rows:
        emails.setdefault(lao_id, []).append(email)
    return emails


def with_officer_emails(rows: QuerySet[Completeness]) -> QuerySet[Completeness]:
    """The rows annotated with `officer_emails` (a list), for the back-office download."""
    emails = (
        User.objects.filter(lao_id=OuterRef("lao_id"), role=Role.OFFICER, is_active=True)
        .exclude(email="")
        .values("lao_id")
        .annotate(emails=ArrayAgg("email", order_by="email"))
        .values("emails")
    )
    return rows.annotate(officer_emails=Subquery(emails))


def provinces_rollup(*, fiscal_year: int, today: datetime.date) -> list[dict]:
    """Every province's LAOs in the year: count, mean score, complete (score 100), missing the
    budget, missing the last due quarter's report; ordered by province code. One query."""
    quarter = last_ended_quarter(fiscal_year, today=today)
    aggregates = {
        "laos": Count("pk"),
        "mean_score": Avg("score"),
        "complete": Count("pk", filter=Q(score=Decimal(100))),
        "missing_budget": Count("pk", filter=missing_condition("budget")),
    }
    if quarter:
        aggregates["missing_report"] = Count("pk", filter=report_missing_condition(quarter))
    rows = (
        Completeness.objects.filter(fiscal_year=fiscal_year, lao__is_active=True)
        .values(
            province_code=F("lao__province__code"),
            province_name_th=F("lao__province__name_th"),
            province_name_en=F("lao__province__name_en"),
        )
        .annotate(**aggregates)
        .order_by("province_code")
    )
    result = []
    for row in rows:
        row.setdefault("missing_report", None)
        result.append(row)
    return result


# --- Reminders ---------------------------------------------------------------------------------


@dataclass
class ReminderResult:
    sent: list[LAO]
    already_today: list[LAO]
    complete: list[LAO]
    no_address: list[LAO]
    recipients: int

    def sent_message(self) -> str:
        """What was sent, for the sender."""
        return ngettext(
            "Reminder sent to %(count)s LAO (%(recipients)s addresses).",
            "Reminders sent to %(count)s LAOs (%(recipients)s addresses).",
            len(self.sent),
        ) % {"count": len(self.sent), "recipients": self.recipients}

    def skipped_message(self) -> str | None:
        """Who was skipped and why, or None when nobody was."""
        if not (self.already_today or self.complete or self.no_address):
            return None
        return _(
            "Skipped: %(today)s already reminded today, %(complete)s complete, "
            "%(no_address)s without an e-mail address."
        ) % {
            "today": len(self.already_today),
            "complete": len(self.complete),
            "no_address": len(self.no_address),
        }


@dataclass(frozen=True)
class ReminderPreview:
    """What a reminder would do, shown before it is sent: its `str()` names the LAOs chosen,
    `warnings()` says who will be skipped."""

    province: Province
    fiscal_year: int
    chosen: int
    lacking: int
    reminded_today: int

    def __str__(self) -> str:
        return ngettext(
            "%(count)s LAO of %(province)s, fiscal year %(year)s",
            "%(count)s LAOs of %(province)s, fiscal year %(year)s",
            self.chosen,
        ) % {"count": self.chosen, "province": self.province.name_th, "year": self.fiscal_year}

    def warnings(self) -> list[str]:
        warnings = []
        if self.reminded_today:
            warnings.append(
                ngettext(
                    "%(count)s LAO was already reminded today and will be skipped.",
                    "%(count)s LAOs were already reminded today and will be skipped.",
                    self.reminded_today,
                )
                % {"count": self.reminded_today}
            )
        if self.lacking < self.chosen:
            warnings.append(
                _("%(count)s of the chosen LAOs lack nothing and will be skipped.")
                % {"count": self.chosen - self.lacking}
            )
        return warnings


def reminder_preview(
    *, user: User, province: Province, fiscal_year: int, lao_ids: list[int]
) -> ReminderPreview:
    """How many of the chosen LAOs lack something in the year and how many were reminded
    today (three queries). 404 unless every id is an LAO of the province the user manages, so
    nothing is shown about others."""
    missing_counts = list(
        Completeness.objects.filter(
            lao_id__in=lao_ids, fiscal_year=fiscal_year, lao__province=province
        ).values_list("missing_count", flat=True)
    )
    in_province = access.laos_managed_by(user).filter(pk__in=lao_ids, province=province).count()
    if in_province != len(lao_ids):
        raise Http404("An LAO outside the province.")
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    reminded_today = ReminderSent.objects.filter(
        lao_id__in=lao_ids, sent_at__gte=start_of_day
    ).count()
    return ReminderPreview(
        province=province,
        fiscal_year=fiscal_year,
        chosen=len(lao_ids),
        lacking=sum(1 for missing in missing_counts if missing),
        reminded_today=reminded_today,
    )


def _recipients(lao: LAO, officers: dict[int, list[str]]) -> list[str]:
    """The LAO's officers; without officer accounts its own address, unless that is a demo
    value (demo addresses belong to nobody)."""
    addresses = officers.get(lao.pk, [])
    if not addresses and lao.email and not lao.is_demo("email"):
        addresses = [lao.email]
    return addresses


def _reminder_body(lao: LAO, row: Completeness) -> tuple[str, str]:
    """Subject and body of a reminder, in the portal's language (officers read Thai)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("LAO Portal: data of fiscal year %(year)s missing for %(lao)s") % {
            "year": row.fiscal_year,
            "lao": lao.full_name_th or lao.name_th,
        }
        lines = [
            _("Dear officers of %(lao)s,") % {"lao": lao.full_name_th or lao.name_th},
            "",
            _(
                "The LAO Portal still lacks the following data of fiscal year %(year)s "
                "(completeness %(score)s out of 100):"
            )
            % {"year": row.fiscal_year, "score": f"{row.score:.0f}"},
            "",
        ]
        for status in missing_items(row):
            detail = status.detail_text
            lines.append(f"- {status.missing_label}" + (f" ({detail})" if detail else ""))
        lines += [
            "",
            _("Please enter it on the portal: %(url)s")
            % {"url": settings.PORTAL_BASE_URL + reverse("portal:work")},
            "",
            _("Sent by the provincial office through the LAO Portal."),
        ]
    return str(subject), "\n".join(str(line) for line in lines)


@transaction.atomic
def completeness_reminders_send(
    *,
    user: User,
    province: Province,
    fiscal_year: int,
    lao_ids: Iterable[int],
    today: datetime.date | None = None,
) -> ReminderResult:
    """E-mail the officers of these LAOs what their data of the year lacks, once the
    transaction commits (units.mail). Only provincial staff of `province` and administrators
    may (PermissionDenied otherwise, and for any LAO outside the province). An LAO already
    reminded today (any year, by anyone), complete, or without an address is skipped; each
    reminded LAO gets a ReminderSent. The LAO rows are locked, so two staff pressing at once
    send one reminder."""
    if not access.provinces_managed_by(user).filter(pk=province.pk).exists():
        raise PermissionDenied("Reminders are for the province's own staff.")
    lao_ids = sorted(set(lao_ids))
    laos = list(
        LAO.objects.select_for_update()
        .filter(pk__in=lao_ids, province=province, is_active=True)
        .order_by("pk")
    )
    if len(laos) != len(lao_ids):
        raise PermissionDenied("An LAO outside the province.")
    start_of_day = timezone.make_aware(
        datetime.datetime.combine(today or timezone.localdate(), datetime.time.min)
    )
    reminded_today = set(
        ReminderSent.objects.filter(lao_id__in=lao_ids, sent_at__gte=start_of_day).values_list(
            "lao_id", flat=True
        )
    )
    rows = {
        row.lao_id: row
        for row in Completeness.objects.filter(lao_id__in=lao_ids, fiscal_year=fiscal_year)
    }
    officers = officer_emails(lao_ids)
    result = ReminderResult([], [], [], [], 0)
    reminders = []
    for lao in laos:
        row = rows.get(lao.pk)
        if lao.pk in reminded_today:
            result.already_today.append(lao)
            continue
        if row is None or row.missing_count == 0:
            result.complete.append(lao)
            continue
        addresses = _recipients(lao, officers)
        if not addresses:
            result.no_address.append(lao)
            continue
        subject, body = _reminder_body(lao, row)
        send_email_on_commit(subject=subject, body=body, to=addresses)
        reminders.append(
            ReminderSent(lao=lao, fiscal_year=fiscal_year, sent_by=user, recipients=len(addresses))
        )
        result.sent.append(lao)
        result.recipients += len(addresses)
    ReminderSent.objects.bulk_create(reminders)
    return result


def reminder_candidates(rows: QuerySet[Completeness]) -> QuerySet[Completeness]:
    """Of the listed rows, those with something missing (the only ones a reminder is for)."""
    return rows.filter(missing_count__gt=0)


def reminder_lao_ids(*, province: Province, today: datetime.date, **filters) -> list[int]:
    """The LAOs of the province's list (`filters` as `province_completeness` takes them) that
    miss something: "remind everyone listed"."""
    listed = province_completeness(province=province, today=today, **filters)
    return list(reminder_candidates(listed).values_list("lao_id", flat=True))
