import time

from django.core.management.base import BaseCommand

from benchmarks.services import benchmarks_recompute, indicators_sync


class Command(BaseCommand):
    help = (
        "Recompute everything benchmarks computes (indicator values, peer groups, nearest "
        "neighbours, statistics and ranks, the composite, completeness) for every active LAO (or "
        "--lao DLA codes) and every fiscal year with data (or --year). Syncs the declarations "
        "first and prints what each step wrote and how long it took. Safe to re-run: unchanged "
        "rows are not written again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="BE year")
        parser.add_argument("--lao", action="append", dest="codes", help="DLA code")

    def handle(self, *args, years, codes, **options):
        from units.models import LAO

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
