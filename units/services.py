"""Writes of the units app: keyword-only, atomic, named `<entity>_<action>`."""

from django.db import transaction

from units.models import Role, User


@transaction.atomic
def user_register_citizen(*, username: str, email: str, password: str) -> User:
    """Create a citizen account, inactive until its e-mail address is confirmed."""
    user = User(username=username, email=email, role=Role.CITIZEN, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate an account whose e-mail address has been confirmed."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
