"""The portal's data staged per LAO and fiscal year for one recompute: a few set-based
statements over every LAO and year in scope, written to temporary tables the indicator
declarations (benchmarks/indicators.py) read.

- `bm_grid`: every active LAO × fiscal year in scope (kind, population, has the year begun or
  ended).
- `bm_budget`: the LAO-year's budget plan: totals of the enacted plan (the plan's own total
  fields), its capital and personnel lines, its own-source revenue; a reason when there is no
  enacted plan.
- `bm_projects`: the year's projects: budget and disbursed (cancelled left out), projects due and
  completed on time.
- `bm_reports`: quarters whose report is due, and those reported on time.

Each staged row has `reason` (NULL when the figures are there), `status` (provisional / final)
and `as_of`. The tables live until the end of the transaction.
"""

import datetime

from django.conf import settings
from django.db import connection

from budgets.models import PlanStatus
from projects.models import ReportStatus, Stage
from projects.reports import QUARTERS, quarter_due_date
from units.thai import fiscal_year_range

# Classification keys (stable: spreadsheets use them) the budget indicators sum.
CAPITAL_CATEGORY = "CAPITAL"  # งบลงทุน
PERSONNEL_CATEGORY = "PERSONNEL"  # งบบุคลากร
OWN_SOURCE_GROUP = "OWN_SOURCE"  # รายได้ที่ อปท. จัดเก็บเอง
# Reports sent to the province (a returned one was sent, and is being corrected).
SENT_STATUSES = [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED]
# Reports waiting for the province or for a corrected version: the year's value is not final.
PENDING_STATUSES = [ReportStatus.SUBMITTED, ReportStatus.RETURNED]

_GRID = """
    CREATE TEMPORARY TABLE bm_grid ON COMMIT DROP AS
    SELECT l.id AS lao_id, l.kind, l.population, y.fiscal_year,
           y.first_day <= %(today)s AS year_started, y.last_day < %(today)s AS year_over
    FROM units_lao l
    CROSS JOIN unnest(%(years)s::integer[], %(first_days)s::date[], %(last_days)s::date[])
        AS y(fiscal_year, first_day, last_day)
    WHERE l.is_active AND (%(all_laos)s OR l.id = ANY(%(lao_ids)s::bigint[]))
"""

_BUDGET = """
    CREATE TEMPORARY TABLE bm_budget ON COMMIT DROP AS
    WITH plans AS (
        SELECT p.id, p.lao_id, p.fiscal_year, p.status, p.enacted_at,
               p.total_expenditure, p.total_revenue
        FROM budgets_budgetplan p
        JOIN bm_grid g ON g.lao_id = p.lao_id AND g.fiscal_year = p.fiscal_year
    ),
    lines AS (
        SELECT bl.plan_id,
               SUM(bl.amount) FILTER (WHERE ec.key = %(capital)s) AS capital,
               SUM(bl.amount) FILTER (WHERE ec.key = %(personnel)s) AS personnel
        FROM budgets_budgetline bl
        JOIN budgets_expensetype et ON et.id = bl.expense_type_id
        JOIN budgets_expensecategory ec ON ec.id = et.category_id
        WHERE bl.plan_id IN (SELECT id FROM plans WHERE status = %(enacted)s)
        GROUP BY bl.plan_id
    ),
    revenue AS (
        SELECT re.plan_id, SUM(re.amount) FILTER (WHERE rg.key = %(own_source)s) AS own_source
        FROM budgets_revenueestimate re
        JOIN budgets_revenuesource rs ON rs.id = re.source_id
        JOIN budgets_revenuegroup rg ON rg.id = rs.group_id
        WHERE re.plan_id IN (SELECT id FROM plans WHERE status = %(enacted)s)
        GROUP BY re.plan_id
    )
    SELECT g.lao_id, g.fiscal_year,
           CASE WHEN p.id IS NULL AND g.year_started THEN 'late'
                WHEN p.id IS NULL THEN 'not_submitted'
                WHEN p.status <> %(enacted)s THEN 'not_final' END AS reason,
           CASE WHEN g.year_over THEN 'final' ELSE 'provisional' END AS status,
           COALESCE((p.enacted_at AT TIME ZONE %(tz)s)::date, %(today)s) AS as_of,
           p.total_expenditure, p.total_revenue,
           COALESCE(l.capital, 0) AS capital, COALESCE(l.personnel, 0) AS personnel,
           COALESCE(r.own_source, 0) AS own_source
    FROM bm_grid g
    LEFT JOIN plans p ON p.lao_id = g.lao_id AND p.fiscal_year = g.fiscal_year
    LEFT JOIN lines l ON l.plan_id = p.id
    LEFT JOIN revenue r ON r.plan_id = p.id
"""

_PROJECTS = """
    CREATE TEMPORARY TABLE bm_projects ON COMMIT DROP AS
    WITH years AS (
        SELECT p.lao_id, p.fiscal_year, COUNT(*) AS projects,
               COALESCE(SUM(p.budget_amount) FILTER (WHERE p.stage <> %(cancelled)s), 0)
                   AS budget,
               COALESCE(SUM(p.disbursed_total) FILTER (WHERE p.stage <> %(cancelled)s), 0)
                   AS disbursed,
               COUNT(*) FILTER (
                   WHERE p.stage <> %(cancelled)s AND p.planned_end IS NOT NULL
                     AND (p.planned_end < %(today)s OR p.stage = %(completed)s)
               ) AS due,
               COUNT(*) FILTER (
                   WHERE p.stage = %(completed)s AND p.planned_end IS NOT NULL
                     AND (p.stage_changed_at AT TIME ZONE %(tz)s)::date <= p.planned_end
               ) AS completed_on_time,
               MAX(p.updated_at) AS updated_at
        FROM projects_project p
        WHERE p.fiscal_year = ANY(%(years)s::integer[])
          AND (%(all_laos)s OR p.lao_id = ANY(%(lao_ids)s::bigint[]))
        GROUP BY p.lao_id, p.fiscal_year
    )
    SELECT g.lao_id, g.fiscal_year,
           CASE WHEN y.projects IS NULL THEN 'not_submitted' END AS reason,
           CASE WHEN g.year_over AND q4.id IS NOT NULL THEN 'final'
                ELSE 'provisional' END AS status,
           COALESCE((y.updated_at AT TIME ZONE %(tz)s)::date, %(today)s) AS as_of,
           y.budget, y.disbursed, y.due, y.completed_on_time
    FROM bm_grid g
    LEFT JOIN years y ON y.lao_id = g.lao_id AND y.fiscal_year = g.fiscal_year
    LEFT JOIN projects_progressreport q4
        ON q4.lao_id = g.lao_id AND q4.fiscal_year = g.fiscal_year AND q4.quarter = 4
       AND q4.status = %(accepted)s
"""

_REPORTS = """
    CREATE TEMPORARY TABLE bm_reports ON COMMIT DROP AS
    SELECT g.lao_id, g.fiscal_year, NULL::varchar AS reason,
           CASE WHEN bool_and(d.due_date < %(today)s)
                     AND NOT coalesce(bool_or(r.status = ANY(%(pending)s)), false)
                THEN 'final' ELSE 'provisional' END AS status,
           %(today)s::date AS as_of,
           COUNT(*) FILTER (
               WHERE d.due_date < %(today)s OR r.status = ANY(%(sent)s)
           ) AS expected,
           COUNT(*) FILTER (
               WHERE r.status = ANY(%(sent)s)
                 AND (r.submitted_at AT TIME ZONE %(tz)s)::date <= d.due_date
           ) AS on_time
    FROM bm_grid g
    JOIN unnest(%(due_years)s::integer[], %(due_quarters)s::integer[], %(due_dates)s::date[])
        AS d(fiscal_year, quarter, due_date) ON d.fiscal_year = g.fiscal_year
    LEFT JOIN projects_progressreport r
        ON r.lao_id = g.lao_id AND r.fiscal_year = g.fiscal_year AND r.quarter = d.quarter
    GROUP BY g.lao_id, g.fiscal_year
"""

FIGURES = {"budget": _BUDGET, "projects": _PROJECTS, "reports": _REPORTS}


def figures_stage(
    *, fiscal_years: list[int], lao_ids: list[int] | None, today: datetime.date, needed: set[str]
) -> None:
    """Write the temporary tables of the LAOs (None: every active one) and years in scope, and
    of the figure sets the indicators being computed need. Call inside a transaction."""
    ranges = [fiscal_year_range(year) for year in fiscal_years]
    due = [
        (year, quarter, quarter_due_date(year, quarter))
        for year in fiscal_years
        for quarter in QUARTERS
    ]
    params = {
        "today": today,
        "tz": settings.TIME_ZONE,
        "years": fiscal_years,
        "first_days": [first for first, _ in ranges],
        "last_days": [last for _, last in ranges],
        "all_laos": lao_ids is None,
        "lao_ids": list(lao_ids or []),
        "capital": CAPITAL_CATEGORY,
        "personnel": PERSONNEL_CATEGORY,
        "own_source": OWN_SOURCE_GROUP,
        "enacted": PlanStatus.ENACTED.value,
        "cancelled": Stage.CANCELLED.value,
        "completed": Stage.COMPLETED.value,
        "accepted": ReportStatus.ACCEPTED.value,
        "sent": [status.value for status in SENT_STATUSES],
        "pending": [status.value for status in PENDING_STATUSES],
        "due_years": [year for year, _, _ in due],
        "due_quarters": [quarter for _, quarter, _ in due],
        "due_dates": [day for _, _, day in due],
    }
    with connection.cursor() as cursor:
        cursor.execute(_GRID, params)
        cursor.execute("CREATE INDEX ON bm_grid (lao_id, fiscal_year)")
        cursor.execute("ANALYZE bm_grid")
        for name in sorted(needed):
            cursor.execute(FIGURES[name], params)
            cursor.execute(f"CREATE UNIQUE INDEX ON bm_{name} (lao_id, fiscal_year)")
            cursor.execute(f"ANALYZE bm_{name}")


def fiscal_years_with_data() -> list[int]:
    """The fiscal years any plan, project or progress report has, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT fiscal_year FROM budgets_budgetplan
            UNION SELECT fiscal_year FROM projects_progressreport
            UNION SELECT fiscal_year FROM projects_projectrollup
            UNION (SELECT DISTINCT fiscal_year FROM projects_project)
            ORDER BY 1
            """
        )
        return [row[0] for row in cursor.fetchall()]
