import time

from django.core.management.base import BaseCommand

from benchmarks.services import indicator_values_recompute, indicators_sync


class Command(BaseCommand):
    help = (
        "Recompute the computed indicator values of every active LAO (or --lao DLA codes) for "
        "every fiscal year with data (or --year). Syncs the declarations first. Safe to re-run: "
        "unchanged values are not written again."
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
        written = indicator_values_recompute(fiscal_years=years, lao_ids=lao_ids)
        elapsed = time.perf_counter() - started
        for code, count in written.items():
            self.stdout.write(f"{code}: {count}")
        self.stdout.write(f"recomputed in {elapsed:.1f} s")
