from django.core.management.base import BaseCommand
from django.db import transaction

from units.demo import seeders


class Command(BaseCommand):
    help = (
        "Load deterministic demo data from every app (idempotent). "
        "--scale small for tests, --scale national for the whole country."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "national"], default="national")

    def handle(self, *args, scale, **options):
        logins = []
        for seeder in seeders():
            with transaction.atomic():
                logins += seeder.run(scale=scale, stdout=self.stdout)
            self.stdout.write(f"seeded {seeder.name}")
        if logins:
            self.stdout.write("\nDemo logins (demonstration only):")
            for line in logins:
                self.stdout.write(f"  {line}")
