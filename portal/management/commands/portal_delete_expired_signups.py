from django.core.management.base import BaseCommand

from portal.services import pending_signups_delete_expired
from units.limits import attempts_delete_old


class Command(BaseCommand):
    help = (
        "Delete citizen accounts whose sign-up was not confirmed within "
        "PORTAL_SIGNUP_CONFIRM_TIMEOUT, e-mail requests past their counting window and "
        "rate-limited attempts older than a day. "
        "Safe to run at any time; run it daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        count = pending_signups_delete_expired()
        self.stdout.write(f"deleted {count} unconfirmed sign-up(s)")
        self.stdout.write(f"deleted {attempts_delete_old()} old rate-limited attempt(s)")
