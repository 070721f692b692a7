from django.core.management.base import BaseCommand, CommandError

from units.importers import registry_import


class Command(BaseCommand):
    help = (
        "Import the DLA registry of LAOs (and Bangkok) from the reference data folder "
        "(PORTAL_DATA_DIR). Upserts by DLA code, records every change in the LAO's history, keeps "
        "upgraded LAOs' history under their new code and deactivates LAOs no longer listed. "
        "Run units_import_geography first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="reference data folder (default: PORTAL_DATA_DIR)")
        parser.add_argument(
            "--province", action="append", dest="provinces", help="only this province code"
        )

    def handle(self, *args, data_dir=None, provinces=None, **options):
        try:
            summary = registry_import(
                folder=data_dir, provinces=set(provinces) if provinces else None
            )
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"registry: {summary.created} created, {summary.updated} updated "
            f"({summary.upgraded} with a new code), {summary.deactivated} deactivated, "
            f"{summary.unchanged} unchanged"
        )
        if summary.unnamed_in_english:
            self.stdout.write(
                f"{len(summary.unnamed_in_english)} LAOs have no English name: their place name "
                "has no official English form in the geography data."
            )
