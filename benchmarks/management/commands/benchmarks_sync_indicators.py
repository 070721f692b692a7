from django.core.management.base import BaseCommand

from benchmarks.services import indicators_sync


class Command(BaseCommand):
    help = (
        "Copy the indicators declared in benchmarks/indicators.py into the Indicator table "
        "(create, update, hide those no longer declared). Safe to re-run."
    )

    def handle(self, *args, **options):
        result = indicators_sync()
        self.stdout.write(
            f"indicators: {result['created']} created, {result['updated']} updated, "
            f"{result['hidden']} hidden"
        )
