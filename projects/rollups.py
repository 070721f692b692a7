"""The project rollup (ProjectRollup): rebuilt in one statement, or moved by one project.

Cells are (fiscal year, province, LAO kind, programme) with every combination of "all" (NULL, or
"" for the kind) over the three dimensions (a CUBE). Each cell holds the projects' budget, the
amount disbursed, the number of projects and the number in each stage, so the executive
dashboard reads one row for any slice it shows. Budgets count every project of the year,
cancelled and carried-over ones included.

Projects without a programme count in the "all programmes" cells only: a NULL programme means
"all", so they get no cell of their own.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from django.db import connection, transaction

from projects.models import Project, ProjectRollup, Stage

STAGE_COLUMNS = [stage.value for stage in Stage]
_COUNT_COLUMNS = ["projects", *STAGE_COLUMNS]
_KEY_COLUMNS = ["fiscal_year", "province_id", "kind", "programme_id"]
_SUM_COLUMNS = ["budget_amount", "disbursed_amount"]

_CUBE = """
    INSERT INTO projects_projectrollup
        (fiscal_year, province_id, kind, programme_id, budget_amount, disbursed_amount,
         projects, {stage_columns})
    SELECT p.fiscal_year, l.province_id,
           CASE WHEN GROUPING(l.kind) = 1 THEN '' ELSE l.kind END,
           p.programme_id, SUM(p.budget_amount), SUM(p.disbursed_total), COUNT(*),
           {stage_counts}
    FROM projects_project p
    JOIN units_lao l ON l.id = p.lao_id
    WHERE {where}
    GROUP BY p.fiscal_year, CUBE(l.province_id, l.kind, p.programme_id)
    HAVING GROUPING(p.programme_id) = 1 OR p.programme_id IS NOT NULL
"""


@transaction.atomic
def rollups_rebuild(*, fiscal_year: int | None = None) -> int:
    """Recompute the rollup of one fiscal year (or all) from the projects in one statement;
    returns the number of cells written."""
    stale = ProjectRollup.objects.all()
    where, params = "TRUE", []
    if fiscal_year is not None:
        stale = stale.filter(fiscal_year=fiscal_year)
        where, params = "p.fiscal_year = %s", [fiscal_year]
    stale.delete()
    sql = _CUBE.format(
        stage_columns=", ".join(STAGE_COLUMNS),
        stage_counts=", ".join(
            f"COUNT(*) FILTER (WHERE p.stage = '{stage}')" for stage in STAGE_COLUMNS
        ),
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@dataclass(frozen=True)
class ProjectFigures:
    """What a project contributes to the rollup: its cell keys, stage and money."""

    fiscal_year: int
    province_id: int
    kind: str
    programme_id: int | None
    stage: str
    budget_amount: Decimal
    disbursed_total: Decimal


def project_figures(project: Project) -> ProjectFigures:
    """The rollup snapshot of a project as it is now (reads `project.lao`: select it with the
    project, or this costs one query)."""
    return ProjectFigures(
        fiscal_year=project.fiscal_year,
        province_id=project.lao.province_id,
        kind=project.lao.kind,
        programme_id=project.programme_id,
        stage=str(project.stage),
        budget_amount=Decimal(project.budget_amount or 0),
        disbursed_total=Decimal(project.disbursed_total or 0),
    )


def _cells(figures: ProjectFigures):
    """The eight CUBE cells a project counts in (fewer without a programme)."""
    programmes = [None] if figures.programme_id is None else [figures.programme_id, None]
    for province_id, kind, programme_id in product(
        [figures.province_id, None], [figures.kind, ""], programmes
    ):
        yield (figures.fiscal_year, province_id, kind, programme_id)


def rollup_move_project(*, before: ProjectFigures | None, after: ProjectFigures | None) -> None:
    """Move the rollup from a project's old figures to its new ones (`before` None: the project
    is new; `after` None: it is gone). Call inside the transaction that changes the project,
    with snapshots from `project_figures`."""
    rollup_move_projects([(before, after)])


def rollup_move_projects(
    moves: list[tuple[ProjectFigures | None, ProjectFigures | None]],
) -> None:
    """Move many projects at once: the signed deltas of every (before, after) pair are summed
    by cell, then written in three statements whatever their number. Cells left without
    projects are removed. Counts never go below zero, so a rollup that was never built (tests)
    or is out of date does not stop a write; `rollups_rebuild` puts it right."""
    width = len(_SUM_COLUMNS) + len(_COUNT_COLUMNS)
    deltas: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)] + [0] * (width - 2))
    for before, after in moves:
        if before == after:
            continue
        for figures, sign in ((before, -1), (after, 1)):
            if figures is None:
                continue
            stage_index = len(_SUM_COLUMNS) + 1 + STAGE_COLUMNS.index(figures.stage)
            for cell in _cells(figures):
                delta = deltas[cell]
                delta[0] += sign * figures.budget_amount
                delta[1] += sign * figures.disbursed_total
                delta[2] += sign
                delta[stage_index] += sign
    changed = sorted(
        ((cell, delta) for cell, delta in deltas.items() if any(delta)),
        # A fixed order of the cells, so concurrent moves lock them in the same order.
        key=lambda item: tuple(-1 if v is None else v for v in item[0]),
    )
    if not changed:
        return
    if len(changed) <= UPSERT_MAX_CELLS:
        _upsert(changed)
    else:
        _add(changed)


# Up to this many cells, one INSERT … ON CONFLICT (whose per-cell subquery grows with the square
# of the cells) is cheapest; beyond it, create missing cells then one hash-joined UPDATE.
UPSERT_MAX_CELLS = 100


def _upsert(changed: list[tuple[tuple, list]]) -> None:
    """One INSERT … ON CONFLICT of signed deltas. A CHECK constraint applies to the proposed
    row even when it conflicts, so the inserted counts are clamped at zero and the update takes
    the signed delta from the VALUES list by cell."""
    columns = ", ".join([*_KEY_COLUMNS, *_SUM_COLUMNS, *_COUNT_COLUMNS])
    row = "(%s::smallint, %s::bigint, %s::varchar, %s::bigint, %s::numeric, %s::numeric, {})"
    row = row.format(", ".join(["%s::integer"] * len(_COUNT_COLUMNS)))
    same_cell = (
        "d.fiscal_year = EXCLUDED.fiscal_year AND d.kind = EXCLUDED.kind"
        " AND d.province_id IS NOT DISTINCT FROM EXCLUDED.province_id"
        " AND d.programme_id IS NOT DISTINCT FROM EXCLUDED.programme_id"
    )
    updates = [f"{c} = projects_projectrollup.{c} + EXCLUDED.{c}" for c in _SUM_COLUMNS] + [
        f"{c} = GREATEST(0, projects_projectrollup.{c}"
        f" + (SELECT d.{c} FROM delta d WHERE {same_cell}))"
        for c in _COUNT_COLUMNS
    ]
    sql = f"""
        WITH delta ({columns}) AS (VALUES {", ".join([row] * len(changed))})
        INSERT INTO projects_projectrollup ({columns})
        SELECT {", ".join(_KEY_COLUMNS + _SUM_COLUMNS)},
               {", ".join(f"GREATEST(0, {c})" for c in _COUNT_COLUMNS)}
        FROM delta
        ON CONFLICT (fiscal_year, province_id, kind, programme_id)
        DO UPDATE SET {", ".join(updates)}
        RETURNING id, projects
    """
    params = [value for cell, delta in changed for value in (*cell, *delta)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        _delete_empty(cursor)


def _delete_empty(cursor) -> None:
    """Cells no project counts in any more are removed rather than kept as zeros."""
    empty = [cell_id for cell_id, projects in cursor.fetchall() if projects == 0]
    if empty:
        cursor.execute("DELETE FROM projects_projectrollup WHERE id = ANY(%s)", [empty])


def _add(changed: list[tuple[tuple, list]]) -> None:
    """Add signed deltas to many rollup cells: missing cells are created empty (ON CONFLICT DO
    NOTHING, safe against concurrent writers), then one UPDATE joins all the deltas (a hash
    join: thousands of cells cost one statement), then emptied cells are deleted. The deltas
    travel as one array per column: as a VALUES list of thousands of rows, building and
    parsing the statement's ~35,000 parameters took ten times the UPDATE itself. The "all"
    cells' null province and programme are matched as 0 (ids start at 1): IS NOT DISTINCT FROM
    cannot be hashed."""
    columns = [*_KEY_COLUMNS, *_SUM_COLUMNS, *_COUNT_COLUMNS]
    types = ["smallint", "bigint", "varchar", "bigint", "numeric", "numeric"]
    types += ["integer"] * len(_COUNT_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    zeros = ", ".join(["0"] * (len(_SUM_COLUMNS) + len(_COUNT_COLUMNS)))
    sets = [f"{c} = r.{c} + d.{c}" for c in _SUM_COLUMNS] + [
        f"{c} = GREATEST(0, r.{c} + d.{c})" for c in _COUNT_COLUMNS
    ]
    rows = [(*cell, *delta) for cell, delta in changed]
    params = [[row[index] for row in rows] for index in range(len(columns))]
    keys = ", ".join(_KEY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO projects_projectrollup ({keys}, {', '.join(columns[4:])}) "
            f"SELECT {keys}, {zeros} "
            f"FROM unnest({arrays}) AS d ({', '.join(columns)}) "
            "ON CONFLICT DO NOTHING",
            params,
        )
        cursor.execute(
            f"""
            UPDATE projects_projectrollup r SET {", ".join(sets)}
            FROM unnest({arrays}) AS d ({", ".join(columns)})
            WHERE r.fiscal_year = d.fiscal_year AND r.kind = d.kind
              AND COALESCE(r.province_id, 0) = COALESCE(d.province_id, 0)
              AND COALESCE(r.programme_id, 0) = COALESCE(d.programme_id, 0)
            RETURNING r.id, r.projects
            """,
            params,
        )
        _delete_empty(cursor)
