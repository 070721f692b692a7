"""The enacted-budget rollup (BudgetRollup): rebuilt in one statement, or moved by one plan.

Cells are (fiscal year, province, LAO kind, programme, expense category) with every
combination of "all" (NULL, or "" for the kind) over the four dimensions (a CUBE): the national
explorer reads one row for any slice it shows.

This module is the rollup's only writer: each write moves ROLLUP_STAMP in its transaction, which
renews what the explorer caches from the rollup (budgets.explorer).
"""

from django.db import connection, transaction

from budgets.models import BudgetPlan, BudgetRollup, PlanStatus
from units import stamps

ROLLUP_STAMP = "budgets:rollup"

_CUBE = """
    INSERT INTO budgets_budgetrollup
        (fiscal_year, province_id, kind, programme_id, category_id, amount)
    SELECT p.fiscal_year, l.province_id,
           CASE WHEN GROUPING(l.kind) = 1 THEN '' ELSE l.kind END,
           bl.programme_id, et.category_id, {sign} * SUM(bl.amount)
    FROM budgets_budgetline bl
    JOIN budgets_budgetplan p ON p.id = bl.plan_id
    JOIN units_lao l ON l.id = p.lao_id
    JOIN budgets_expensetype et ON et.id = bl.expense_type_id
    WHERE {where}
    GROUP BY p.fiscal_year, CUBE(l.province_id, l.kind, bl.programme_id, et.category_id)
    ON CONFLICT (fiscal_year, province_id, kind, programme_id, category_id)
    DO UPDATE SET amount = budgets_budgetrollup.amount + EXCLUDED.amount
"""


@transaction.atomic
def rollups_rebuild(*, fiscal_year: int | None = None) -> int:
    """Recompute the rollup of one fiscal year (or all) from the enacted plans; returns the
    number of cells written."""
    stale = BudgetRollup.objects.all()
    where, params = "p.status = %s", [PlanStatus.ENACTED]
    if fiscal_year is not None:
        stale = stale.filter(fiscal_year=fiscal_year)
        where, params = where + " AND p.fiscal_year = %s", [*params, fiscal_year]
    stale.delete()
    with connection.cursor() as cursor:
        cursor.execute(_CUBE.format(sign=1, where=where), params)
        written = cursor.rowcount
    stamps.bump(ROLLUP_STAMP)
    return written


def rollup_add_plan(*, plan: BudgetPlan, sign: int = 1) -> None:
    """Move the rollup by one plan's lines: +1 when it is enacted, -1 before an enacted plan's
    lines are replaced or it leaves the enacted state. Call inside the transaction that changes
    the plan."""
    with connection.cursor() as cursor:
        cursor.execute(_CUBE.format(sign=int(sign), where="p.id = %s"), [plan.pk])
        # Cells no enacted plan contributes to any more are removed rather than kept as zeros.
        cursor.execute(
            "DELETE FROM budgets_budgetrollup WHERE fiscal_year = %s AND amount = 0",
            [plan.fiscal_year],
        )
    stamps.bump(ROLLUP_STAMP)
