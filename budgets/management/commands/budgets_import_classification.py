from django.core.management.base import BaseCommand, CommandError

from budgets.importers import classification_import


class Command(BaseCommand):
    help = (
        "Import the Thai LAO budget classification (sectors, programmes, works, expense "
        "categories and types, revenue sources) from the reference data folder "
        "(PORTAL_DATA_DIR/budget). Upserts by key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="reference data folder (default: PORTAL_DATA_DIR)")

    def handle(self, *args, data_dir=None, **options):
        try:
            summary = classification_import(folder=data_dir)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"classification: {summary.sectors} sectors, {summary.programmes} programmes, "
            f"{summary.works} works, {summary.categories} expense categories, "
            f"{summary.types} expense types, {summary.revenue_sources} revenue sources"
        )
