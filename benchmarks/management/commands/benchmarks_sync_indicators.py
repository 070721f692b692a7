from django.core.management.base import BaseCommand

from benchmarks.imported import imported_indicators_sync
from benchmarks.services import indicators_sync


class Command(BaseCommand):
    help = (
        "Copy the indicators declared in benchmarks/indicators.py (computed) and "
        "benchmarks/imported.py (LPA, ITA) into the Indicator table (create, update, hide "
        "computed ones no longer declared). Safe to re-run."
    )

    def handle(self, *args, **options):
        result = indicators_sync()
        self.stdout.write(
            f"indicators: {result['created']} created, {result['updated']} updated, "
            f"{result['hidden']} hidden"
        )
        imported = imported_indicators_sync()
        self.stdout.write(
            f"imported indicators: {imported['created']} created, {imported['updated']} updated"
        )
