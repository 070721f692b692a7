"""Background tasks of benchmarks (django.tasks; `manage.py units_run_worker` runs them)."""

from django.tasks import task


@task()
def indicator_values_recompute_task(
    *, fiscal_years: list[int] | None = None, lao_ids: list[int] | None = None
) -> dict[str, int]:
    """Recompute the computed indicators of these years and LAOs (None: all), nothing else."""
    from benchmarks.services import indicator_values_recompute

    return indicator_values_recompute(fiscal_years=fiscal_years, lao_ids=lao_ids)


@task()
def benchmarks_recompute_task(
    *, fiscal_years: list[int] | None = None, lao_ids: list[int] | None = None
) -> dict[str, float]:
    """The whole pipeline (benchmarks.services.benchmarks_recompute) for these years and LAOs;
    returns the seconds each step took."""
    from benchmarks.services import benchmarks_recompute

    return benchmarks_recompute(fiscal_years=fiscal_years, lao_ids=lao_ids)["timings"]


def recompute_after_change(change) -> None:
    """The units.changes listener: recompute the changed LAO's year in the background (its
    values, peer group, neighbours and completeness; the ranks and composite of that year for
    everyone). It runs after the writer's transaction has committed
    (units.changes.data_changed)."""
    benchmarks_recompute_task.enqueue(fiscal_years=[change.fiscal_year], lao_ids=[change.lao_id])
