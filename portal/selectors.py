"""Reads of the portal shell's accounts."""

from units.models import Role, User


def pending_signup_account(*, user_id) -> User | None:
    """The account of the sign-up awaiting confirmation with this id, or None.

    Only an inactive citizen that never logged in and still has its pending sign-up record
    qualifies: a deactivated officer, or a citizen deactivated after confirming, never does.
    """
    return User.objects.filter(
        pk=user_id,
        role=Role.CITIZEN,
        is_active=False,
        last_login__isnull=True,
        pending_signup__isnull=False,
    ).first()
