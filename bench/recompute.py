"""Timings of the benchmarks recompute against the database of DATABASE_URL (national demo data
for meaningful numbers), without changing it: every run is rolled back.

- whole: `benchmarks_recompute()` for every LAO and year, as `manage.py benchmarks_recompute`
  runs it (`--cold` first deletes every stored result in the same transaction, as before the
  first run after a seed);
- one LAO: the recompute the worker runs after a plan is enacted (benchmarks.tasks
  `recompute_after_change`: the LAO's year, indicator_years=[]), after a capital line of the
  LAO's newest enacted plan was raised by 100,000 baht and its total with it.

Deferred constraint checks run before each rollback and are counted (a commit runs them).

    python bench/recompute.py [--runs 2] [--lao 6110305] [--cold]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results-recompute.md"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from benchmarks.services import benchmarks_recompute, indicators_sync  # noqa: E402
from budgets.models import BudgetPlan, PlanStatus  # noqa: E402
from units.models import LAO  # noqa: E402

# What a first run after a seed finds: none of the results the pipeline stores.
STORED_RESULTS = (
    "benchmarks_compositescore",
    "benchmarks_neighbour",
    "benchmarks_peerstatistic",
    "benchmarks_indicatoryear",
    "benchmarks_peermembership",
    "benchmarks_completeness",
)


class Rollback(Exception):
    pass


def timed(run, *, prepare=None) -> tuple[float, dict]:
    """Seconds of `run()` plus the deferred checks a commit would run, rolled back."""
    result = {}
    try:
        with transaction.atomic():
            if prepare:
                prepare()
            started = time.perf_counter()
            result = run()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed, result


def forget_results() -> None:
    with connection.cursor() as cursor:
        for table in STORED_RESULTS:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            "DELETE FROM benchmarks_indicatorvalue v USING benchmarks_indicator i "
            "WHERE i.id = v.indicator_id AND i.source = 'computed'"
        )
        cursor.execute(
            "UPDATE benchmarks_indicatorvalue SET national_rank = NULL, province_rank = NULL, "
            "province_count = NULL, peer_rank = NULL, peer_count = NULL, "
            "peer_percentile = NULL, peer_quartile = NULL, previous_national_rank = NULL"
        )
        cursor.execute("ANALYZE")


def enacted_plan_changed(plan: BudgetPlan):
    def prepare():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE budgets_budgetline SET amount = amount + 100000
                WHERE id = (
                    SELECT bl.id FROM budgets_budgetline bl
                    JOIN budgets_expensetype et ON et.id = bl.expense_type_id
                    JOIN budgets_expensecategory ec ON ec.id = et.category_id
                    WHERE bl.plan_id = %s ORDER BY ec.key = 'CAPITAL' DESC, bl.id LIMIT 1
                )
                """,
                [plan.pk],
            )
            cursor.execute(
                "UPDATE budgets_budgetplan SET total_expenditure = total_expenditure + 100000, "
                "enacted_at = now() WHERE id = %s",
                [plan.pk],
            )

    return prepare


def steps(result: dict) -> str:
    return ", ".join(f"{step} {seconds:.2f}" for step, seconds in result["timings"].items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--lao", default="6110305", help="DLA code of the changed LAO")
    parser.add_argument("--cold", action="store_true", help="whole run from nothing stored")
    args = parser.parse_args()

    indicators_sync()
    lao = LAO.objects.get(dla_code=args.lao)
    plan = (
        BudgetPlan.objects.filter(lao=lao, status=PlanStatus.ENACTED)
        .order_by("-fiscal_year")
        .first()
    )
    if plan is None:
        raise SystemExit(f"{args.lao} has no enacted plan")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), pg_size_pretty(pg_database_size(current_database()))"
        )
        database, size = cursor.fetchone()
    print(f"database {database} ({size}), load average {os.getloadavg()[0]:.2f}")

    whole = []
    for run in range(1, args.runs + 1):
        seconds, result = timed(benchmarks_recompute, prepare=forget_results if args.cold else None)
        whole.append(seconds)
        print(f"whole{' (cold)' if args.cold else ''} #{run}: {seconds:.2f} s ({steps(result)})")

    one = []
    for run in range(1, args.runs + 1):
        seconds, result = timed(
            lambda: benchmarks_recompute(
                fiscal_years=[plan.fiscal_year], lao_ids=[lao.pk], indicator_years=[]
            ),
            prepare=enacted_plan_changed(plan),
        )
        one.append(seconds)
        print(
            f"one LAO ({lao.dla_code}, {plan.fiscal_year}, enacted plan changed) #{run}: "
            f"{seconds:.2f} s ({steps(result)})"
        )
    summary = (
        f"median: whole {statistics.median(whole):.2f} s (target < 30 s), "
        f"one LAO {statistics.median(one):.2f} s (target < 2 s); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(summary)
    lines = [
        "# Benchmarks recompute",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by "
        f"`bench/recompute.py --runs {args.runs}` on {database} ({size}), "
        f"{os.cpu_count()} cores; every run rolled back after its deferred constraint checks.",
        "",
        "| run | seconds |",
        "|---|---:|",
        *[
            f"| whole{' (cold)' if args.cold else ''} #{n} | {t:.2f} |"
            for n, t in enumerate(whole, 1)
        ],
        *[
            f"| one LAO ({lao.dla_code}, {plan.fiscal_year}, enacted plan changed) #{n} | {t:.2f} |"
            for n, t in enumerate(one, 1)
        ],
        "",
        summary,
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
