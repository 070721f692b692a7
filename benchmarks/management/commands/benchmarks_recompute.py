import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks.services import (
    PIPELINE_LOCK_KEY,
    STAMP,
    _completeness_step,
    benchmarks_recompute,
    indicators_sync,
)
from units import stamps


class Command(BaseCommand):
    help = (
        "Recompute everything benchmarks computes (indicator values, peer groups, nearest "
        "neighbours, statistics and ranks, the composite, completeness) for every active LAO (or "
        "--lao DLA codes) and every fiscal year with data (or --year). Syncs the declarations "
        "first and prints what each step wrote and how long it took. Safe to re-run: unchanged "
        "rows are not written again. --completeness: only the completeness of every active LAO "
        "as of today (items fall due with the calendar: run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="BE year")
        parser.add_argument("--lao", action="append", dest="codes", help="DLA code")
        parser.add_argument(
            "--completeness",
            action="store_true",
            help="Only recompute completeness as of today (the daily run).",
        )

    def handle(self, *args, years, codes, completeness, **options):
        from units.models import LAO

        if completeness:
            self.completeness(years=years, codes=codes)
            return

        indicators_sync()
        lao_ids = None
        if codes:
            lao_ids = list(LAO.objects.filter(dla_code__in=codes).values_list("pk", flat=True))
        started = time.perf_counter()
        result = benchmarks_recompute(fiscal_years=years, lao_ids=lao_ids)
        elapsed = time.perf_counter() - started
        for code, count in result["written"]["indicators"].items():
            self.stdout.write(f"{code}: {count}")
        for step, seconds in result["timings"].items():
            details = result["written"][step]
            if step == "indicators":
                details = sum(count for name, count in details.items() if name != "removed")
            self.stdout.write(f"{step}: {seconds:.2f} s ({details})")
        self.stdout.write(f"recomputed in {elapsed:.1f} s")

    def completeness(self, *, years, codes):
        """Completeness only: items fall due with the calendar, so its scores move every day
        even when no data does; the rest of the pipeline follows data changes."""
        from units.models import LAO

        recompute = _completeness_step()
        if recompute is None:
            raise CommandError("benchmarks.completeness is not installed")
        lao_ids = None
        if codes:
            lao_ids = list(LAO.objects.filter(dla_code__in=codes).values_list("pk", flat=True))
        started = time.perf_counter()
        with transaction.atomic():
            # After a pipeline run that holds it, not interleaved with its writes.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PIPELINE_LOCK_KEY])
            written = recompute(fiscal_years=years, lao_ids=lao_ids)
            if written["written"] or written["removed"]:
                stamps.bump(STAMP)  # the pages showing completeness are cached by it
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"completeness: {written['written']} written, {written['removed']} removed "
            f"in {elapsed:.1f} s"
        )
