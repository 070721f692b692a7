from django.core.management.base import BaseCommand

from portal.services import pending_signups_delete_expired


class Command(BaseCommand):
    help = (
        "Delete citizen accounts whose sign-up was not confirmed within "
        "PORTAL_SIGNUP_CONFIRM_TIMEOUT, and e-mail requests past their counting window. "
        "Safe to run at any time; run it daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        count = pending_signups_delete_expired()
        self.stdout.write(f"deleted {count} unconfirmed sign-up(s)")
