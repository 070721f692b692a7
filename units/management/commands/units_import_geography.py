from django.core.management.base import BaseCommand, CommandError

from units.importers import geography_import


class Command(BaseCommand):
    help = (
        "Import provinces, districts and subdistricts (Interior codes, names, postcodes, points, "
        "boundaries) from the reference data folder (PORTAL_DATA_DIR). Upserts by code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="reference data folder (default: PORTAL_DATA_DIR)")
        parser.add_argument(
            "--province", action="append", dest="provinces", help="only this province code"
        )

    def handle(self, *args, data_dir=None, provinces=None, **options):
        try:
            summary = geography_import(
                folder=data_dir, provinces=set(provinces) if provinces else None
            )
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"geography: {summary.provinces} provinces, {summary.districts} districts, "
            f"{summary.subdistricts} subdistricts"
        )
