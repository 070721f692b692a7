"""Writes of the portal shell's accounts: sign-ups, the limits on account e-mails, and marking
the notifications of every app read."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from forums import services as forum_services
from portal.models import MailRequest, MailRequestKind, PendingSignUp
from projects import services as project_services
from units.models import User
from units.services import user_activate, user_register_citizen


@dataclass(frozen=True)
class SignUpOutcome:
    """What a sign-up led to: the account to mail, and which mail it gets."""

    user: User
    # A new or still unconfirmed sign-up: mail it a (fresh) confirmation link. Otherwise the
    # address belongs to an existing account; its owner gets a notice, not a link.
    pending: bool


def mail_request_create(*, kind: MailRequestKind, email: str, ip_address: str | None) -> bool:
    """Record a request for an account e-mail unless the address or the client has had its
    share within PORTAL_MAIL_WINDOW_MINUTES; returns False (nothing recorded, send nothing) then.

    Every request counts, whether or not an account uses the address, so a refusal says nothing
    about accounts. Concurrent requests of several workers may overshoot a limit by a few.
    """
    email = email.strip().lower()
    since = timezone.now() - timedelta(minutes=settings.PORTAL_MAIL_WINDOW_MINUTES)
    recent = MailRequest.objects.filter(kind=kind, created_at__gte=since)
    if recent.filter(email=email).count() >= settings.PORTAL_MAIL_LIMIT_PER_ADDRESS:
        return False
    if (
        ip_address is not None
        and recent.filter(ip_address=ip_address).count() >= settings.PORTAL_MAIL_LIMIT_PER_CLIENT
    ):
        return False
    MailRequest.objects.create(kind=kind, email=email, ip_address=ip_address)
    return True


@transaction.atomic
def signup_create(*, username: str, email: str, password: str) -> SignUpOutcome:
    """Start a citizen's sign-up: a new inactive account with a pending sign-up record.

    When an account already uses the address (any case), nothing is created and that account is
    returned instead, so the page can answer exactly as for a new address and its owner is told
    by e-mail: the page never reveals which addresses have accounts. A pending sign-up's clock
    restarts, since it is about to get a fresh link.
    """
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is not None:
        # Hash the password all the same: a reply that skipped the slow hash would tell a
        # registered address from a new one by its timing.
        make_password(password)
        pending = PendingSignUp.objects.filter(user=existing).update(created_at=timezone.now())
        return SignUpOutcome(user=existing, pending=bool(pending))
    user = user_register_citizen(username=username, email=email.strip(), password=password)
    PendingSignUp.objects.create(user=user)
    return SignUpOutcome(user=user, pending=True)


@transaction.atomic
def pending_signup_confirm(*, user: User) -> bool:
    """Activate the account of a confirmed sign-up; False if it was no longer pending (already
    confirmed by a concurrent click, or expired and removed)."""
    deleted, _ = PendingSignUp.objects.filter(user=user).delete()
    if not deleted:
        return False
    user_activate(user=user)
    return True


@transaction.atomic
def pending_signups_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the accounts of sign-ups older than PORTAL_SIGNUP_CONFIRM_TIMEOUT that were never
    confirmed, and the e-mail requests older than their counting window; returns the number of
    accounts deleted. Accounts without a pending record are never touched."""
    now = now or timezone.now()
    timeout = timedelta(seconds=settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT)
    expired = User.objects.filter(
        pending_signup__created_at__lt=now - timeout, is_active=False, last_login__isnull=True
    )
    _, deleted = expired.delete()
    MailRequest.objects.filter(
        created_at__lt=now - timedelta(minutes=settings.PORTAL_MAIL_WINDOW_MINUTES)
    ).delete()
    return deleted.get(User._meta.label, 0)


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark all of the user's project and webboard notifications read, through each app's own
    service; returns how many were unread."""
    projects = project_services.notifications_mark_read(user=user)
    return projects + forum_services.notifications_mark_read(user=user)
