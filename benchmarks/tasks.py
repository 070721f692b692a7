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
    *,
    fiscal_years: list[int] | None = None,
    lao_ids: list[int] | None = None,
    indicator_years: list[list[int]] | None = None,
) -> dict[str, float]:
    """The whole pipeline (benchmarks.services.benchmarks_recompute) for these years and LAOs;
    returns the seconds each step took. `indicator_years`: [indicator id, fiscal year] pairs
    whose values the caller wrote itself (an upload), ranked again with those the pipeline
    changes; [] when it wrote none; None (not said): every indicator of the years is ranked."""
    from benchmarks.services import benchmarks_recompute

    return benchmarks_recompute(
        fiscal_years=fiscal_years,
        lao_ids=lao_ids,
        indicator_years=None
        if indicator_years is None
        else [(indicator, year) for indicator, year in indicator_years],
    )["timings"]


def recompute_after_change(change) -> None:
    """The units.changes listener: recompute the changed LAO's year in the background (its
    values, peer group, neighbours and completeness; then, for everyone, the ranks of the
    indicators whose values that changed and the composite of the years whose ranks moved). It
    runs after the writer's transaction has committed (units.changes.data_changed). The change
    is to plans, projects or reports, which only computed values read: no imported value was
    written, so `indicator_years` is empty."""
    benchmarks_recompute_task.enqueue(
        fiscal_years=[change.fiscal_year], lao_ids=[change.lao_id], indicator_years=[]
    )
