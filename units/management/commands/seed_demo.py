import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from units import stamps
from units.demo import seeders


class Command(BaseCommand):
    help = (
        "Load deterministic demo data from every app (idempotent). "
        "--scale small for tests, --scale national for the whole country. "
        "It creates accounts with published passwords: with DEBUG off it refuses unless given "
        "--allow-demo-accounts or PORTAL_DEMO_ACCOUNTS=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "national"], default="national")
        parser.add_argument(
            "--allow-demo-accounts",
            action="store_true",
            help="Create the demo accounts (known passwords) even with DEBUG off.",
        )

    def handle(self, *args, scale, allow_demo_accounts, **options):
        # The demo passwords are in the README: loading them into a real database by mistake
        # would open every role to anyone.
        if not (settings.DEBUG or allow_demo_accounts or settings.PORTAL_DEMO_ACCOUNTS):
            raise CommandError(
                "seed_demo creates accounts with published passwords. DEBUG is off: pass "
                "--allow-demo-accounts (or set PORTAL_DEMO_ACCOUNTS=true) if this database is "
                "for demonstration only."
            )
        logins = []
        started = time.monotonic()
        for seeder in seeders():
            began = time.monotonic()
            with transaction.atomic():
                logins += seeder.run(scale=scale, stdout=self.stdout)
                # Seeders write in bulk: every page cached for visitors is keyed by the
                # registry's stamp too, so moving it renews them all.
                stamps.bump(stamps.UNITS)
            # The next seeders (and the first pages) read what this one wrote in bulk, faster
            # than autovacuum would notice it: planned against empty tables, their joins ran
            # as nested loops over millions of rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"seeded {seeder.name} in {time.monotonic() - began:.1f} s")
        self.stdout.write(f"demo data ready in {time.monotonic() - started:.1f} s")
        if logins:
            self.stdout.write("\nDemo logins (demonstration only):")
            for line in logins:
                self.stdout.write(f"  {line}")
