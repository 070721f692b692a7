"""Demo data: `manage.py seed_demo` runs every registered seeder, lowest app first.

Each app registers its seeder in its `AppConfig.ready()`, so `units` never imports the apps above
it. Seeders are deterministic and idempotent: running the command twice changes nothing.
Accounts made here are for demonstration only and are listed in the README.
"""

from collections.abc import Callable
from dataclasses import dataclass

DEMO_PASSWORD = "lao-demo-2569"  # demo-only accounts, listed in the README


@dataclass(frozen=True)
class Seeder:
    name: str
    run: Callable[..., list[str]]  # run(*, scale, stdout) -> lines to print (e.g. demo logins)
    order: int


_seeders: list[Seeder] = []


def register_seeder(name: str, run: Callable[..., list[str]], *, order: int = 100) -> None:
    """Add an app's seeder; `order` places it after the seeders it builds on."""
    if all(seeder.name != name for seeder in _seeders):
        _seeders.append(Seeder(name, run, order))


def seeders() -> list[Seeder]:
    return sorted(_seeders, key=lambda seeder: (seeder.order, seeder.name))


def seed_demo_users(*, scale: str, stdout) -> list[str]:
    """Demo accounts of the roles that need no scope (officer and provincial staff need the
    registry, whose seeder adds them)."""
    from units.models import Role, User

    accounts = [
        ("citizen", Role.CITIZEN, {}),
        ("executive", Role.EXECUTIVE, {"is_staff": True}),
        ("editor", Role.EDITOR, {"is_staff": True}),
        ("admin", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
    ]
    lines = []
    for username, role, flags in accounts:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.lao-portal.invalid", "role": role, **flags},
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        lines.append(f"{username:<12} {DEMO_PASSWORD}  ({role.label})")
    return lines
