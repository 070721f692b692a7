"""Demo data: `manage.py seed_demo` runs every registered seeder, lowest app first.

Each app registers its seeder in its `AppConfig.ready()`, so `units` never imports the apps above
it. Seeders are deterministic and idempotent: running the command twice changes nothing.
Accounts made here are for demonstration only and are listed in the README.
"""

from collections.abc import Callable
from dataclasses import dataclass

DEMO_PASSWORD = "lao-demo-2569"  # demo-only accounts, listed in the README
# Fiscal years of generated plans and projects, up to the current one.
YEARS = 5
# Typical annual expenditure (million baht) by LAO kind.
BUDGET_RANGE = {
    "pao": (600, 3000),
    "city": (900, 3000),
    "town": (150, 600),
    "subdistrict": (30, 120),
    "sao": (20, 70),
    "bangkok": (80_000, 95_000),
    "pattaya": (1800, 2600),
}


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


# Seeders above budgets (projects) size their money by each LAO's budget, which units cannot
# import: budgets provides the totals in its AppConfig.ready(); without it, BUDGET_RANGE.
_budget_totals: Callable[..., dict] | None = None


def register_budget_totals(provider: Callable[..., dict]) -> None:
    """Set the provider of `budget_totals` (budgets' demo plans)."""
    global _budget_totals
    _budget_totals = provider


def budget_totals(*, fiscal_years: list[int]) -> dict:
    """(LAO id, fiscal year) → planned annual expenditure in baht, of the plans of these years;
    empty when no app provides them. One query."""
    return _budget_totals(fiscal_years=fiscal_years) if _budget_totals else {}


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


# --- The registry and its demo values ---------------------------------------------------------

# Provinces of `--scale small`: Bangkok and Samut Prakan (the demo officer's and staff's province).
SMALL_PROVINCES = {"10", "11"}
DEMO_OFFICER_LAO = "6110305"  # องค์การบริหารส่วนตำบลบางพลีใหญ่
DEMO_PROVINCE = "11"  # สมุทรปราการ

FIRST_NAMES = (
    "สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุรชัย", "บุญมี", "ชาญชัย", "ธนพล",
    "สมหญิง", "มาลี", "วรรณา", "สุภาพร", "กาญจนา", "รัตนา", "อรุณี", "พิมพ์ใจ",
)  # fmt: skip
SURNAMES = (
    "ใจดี", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองดี", "สุขสวัสดิ์", "พูลผล", "วงศ์ใหญ่",
    "จันทร์เพ็ญ", "ศักดิ์สิทธิ์", "มั่นคง", "รุ่งเรือง", "สายทอง", "ประเสริฐศรี",
)  # fmt: skip
# Typical population of each kind (min, max) for the generated demo values.
POPULATION_RANGE = {
    "pao": (250_000, 1_500_000),
    "city": (60_000, 250_000),
    "town": (12_000, 80_000),
    "subdistrict": (3_000, 15_000),
    "sao": (2_000, 12_000),
    "bangkok": (5_400_000, 5_600_000),
    "pattaya": (110_000, 130_000),
}
DEMO_FIELDS = [
    "population",
    "households",
    "phone",
    "email",
    "website",
    "chief_executive",
    "address",
]


def _demo_values(lao) -> dict:
    """Deterministic demo values for one LAO, from its code (same input, same values)."""
    import random

    rng = random.Random(f"lao-demo-{lao.dla_code or lao.kind}")
    low, high = POPULATION_RANGE[lao.kind]
    population = rng.randint(low, high)
    prefix = "นาย" if rng.random() < 0.7 else "นาง"
    place = [f"จังหวัด{lao.province.name_th}"]
    if lao.district:
        place.insert(0, f"อำเภอ{lao.district.name_th}")
    if lao.subdistrict:
        place.insert(0, f"ตำบล{lao.subdistrict.name_th}")
        place.append(lao.subdistrict.postcode)
    slug = lao.dla_code or lao.kind
    return {
        "population": population,
        "households": round(population / rng.uniform(2.6, 3.4)),
        "phone": f"0 {rng.randint(2000, 7999)} {rng.randint(1000, 9999)}",
        "email": f"saraban.{slug}@demo.lao-portal.invalid",
        "website": f"https://www.{slug}.demo.lao-portal.invalid/",
        "chief_executive": f"{prefix}{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        "address": " ".join([f"ที่ทำการ{lao.full_name_th}", *place]),
    }


def lao_fill_demo_values() -> int:
    """Give every LAO that lacks them generated (and marked) demo values; returns how many LAOs
    changed. Values someone entered are never touched; running it again changes nothing."""
    from django.db import connection

    from units.models import LAO

    laos = LAO.objects.filter(population__isnull=True, demo_fields=[]).select_related(
        "province", "district", "subdistrict"
    )
    rows = []
    for lao in laos:
        values = _demo_values(lao)
        filled = [name for name in DEMO_FIELDS if not getattr(lao, name)]
        rows.append((lao.pk, *[values[name] for name in DEMO_FIELDS], filled))
    # One UPDATE … FROM (VALUES …) per batch: bulk_update's CASE chains are slow (STACK.md).
    columns = ", ".join(
        f"{name} = CASE WHEN '{name}' = ANY(v.filled) THEN v.{name} ELSE l.{name} END"
        for name in DEMO_FIELDS
    )
    placeholders = "(%s, %s::integer, %s::integer, %s, %s, %s, %s, %s, %s::varchar[])"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            batch = rows[start : start + 2000]
            cursor.execute(
                f"UPDATE units_lao AS l SET {columns}, demo_fields = v.filled, updated_at = now() "
                f"FROM (VALUES {', '.join([placeholders] * len(batch))}) "
                f"AS v(id, {', '.join(DEMO_FIELDS)}, filled) WHERE l.id = v.id",
                [value for row in batch for value in row],
            )
    return len(rows)


def seed_registry(*, scale: str, stdout) -> list[str]:
    """The real geography and DLA registry (all of it, or two provinces at --scale small),
    demo values where the public data has none, and the officer and provincial demo logins."""
    from units.importers import geography_import, registry_import
    from units.models import LAO, Province, Role, User

    provinces = SMALL_PROVINCES if scale == "small" else None
    geography_import(provinces=provinces)
    summary = registry_import(provinces=provinces)
    filled = lao_fill_demo_values()
    stdout.write(
        f"registry: {summary.created} LAOs created, {summary.updated} updated; "
        f"demo values for {filled}"
    )
    lines = []
    scoped = [
        ("officer", Role.OFFICER, {"lao": LAO.objects.get(dla_code=DEMO_OFFICER_LAO)}),
        ("provincial", Role.PROVINCIAL, {"province": Province.objects.get(code=DEMO_PROVINCE)}),
    ]
    for username, role, scope in scoped:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"email": f"{username}@demo.lao-portal.invalid", "role": role, **scope},
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        where = scope.get("lao") or scope.get("province")
        lines.append(f"{username:<12} {DEMO_PASSWORD}  ({role.label}: {where})")
    return lines
