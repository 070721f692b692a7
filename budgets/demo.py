"""Demo budgets for `seed_demo`: the real classification, and generated plans marked as demo.

Every LAO gets a plan for each of the last five fiscal years (~1.5M lines nationally), written
with COPY. Past years are enacted; in the current year most plans are enacted and the rest are
submitted, returned, draft or missing, so review queues and completeness have something to show.
Deterministic: the same LAO and year always get the same plan.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from units import thai
from units.bulk import copy_rows
from units.demo import BUDGET_RANGE, YEARS
from units.thai import current_fiscal_year

# Share of the budget by programme key (roughly the national structure).
PROGRAMME_SHARE = {
    "GENERAL_ADMINISTRATION": 24,
    "INTERNAL_SECURITY": 3,
    "EDUCATION": 17,
    "PUBLIC_HEALTH": 4,
    "SOCIAL_WELFARE": 2,
    "HOUSING_COMMUNITY": 8,
    "COMMUNITY_STRENGTHENING": 2,
    "RELIGION_CULTURE_RECREATION": 3,
    "INDUSTRY_PUBLIC_WORKS": 17,
    "AGRICULTURE": 2,
    "COMMERCE": 1,
    "CENTRAL_FUND": 17,
}
# Expense types a programme's lines use, with weights.
TYPES_BY_PROGRAMME = {
    "CENTRAL_FUND": {"CENTRAL_FUND_ITEMS": 1},
    "INDUSTRY_PUBLIC_WORKS": {
        "LAND_BUILDINGS": 6,
        "EQUIPMENT": 1,
        "SALARY_PERMANENT": 2,
        "MATERIALS": 1,
    },
}
DEFAULT_TYPES = {
    "SALARY_PERMANENT": 4,
    "SALARY_POLITICAL": 1,
    "REMUNERATION": 1,
    "SERVICES": 3,
    "MATERIALS": 2,
    "UTILITIES": 1,
    "EQUIPMENT": 1,
    "SUBSIDY_ITEMS": 1,
}
ITEMS = {
    "CENTRAL_FUND_ITEMS": [
        "เบี้ยยังชีพผู้สูงอายุ",
        "เบี้ยยังชีพคนพิการ",
        "สำรองจ่าย",
        "เงินสมทบกองทุนประกันสังคม",
        "เงินสมทบกองทุนบำเหน็จบำนาญข้าราชการส่วนท้องถิ่น",
    ],
    "SALARY_POLITICAL": ["เงินเดือนนายก/รองนายก", "ค่าตอบแทนสมาชิกสภา"],
    "SALARY_PERMANENT": ["เงินเดือนพนักงาน", "ค่าตอบแทนพนักงานจ้าง", "เงินเพิ่มต่าง ๆ ของพนักงาน"],
    "REMUNERATION": ["ค่าตอบแทนผู้ปฏิบัติราชการอันเป็นประโยชน์", "ค่าเช่าบ้าน", "เงินช่วยเหลือการศึกษาบุตร"],
    "SERVICES": [
        "โครงการฝึกอบรมและศึกษาดูงาน",
        "ค่าใช้จ่ายในการเดินทางไปราชการ",
        "โครงการจัดงานประเพณีท้องถิ่น",
        "ค่าบำรุงรักษาและซ่อมแซม",
    ],
    "MATERIALS": ["วัสดุสำนักงาน", "วัสดุเชื้อเพลิงและหล่อลื่น", "วัสดุคอมพิวเตอร์", "ค่าอาหารเสริม (นม)"],
    "UTILITIES": ["ค่าไฟฟ้า", "ค่าน้ำประปา", "ค่าบริการโทรศัพท์และอินเทอร์เน็ต"],
    "EQUIPMENT": ["ครุภัณฑ์สำนักงาน", "ครุภัณฑ์คอมพิวเตอร์", "ครุภัณฑ์ยานพาหนะและขนส่ง"],
    "LAND_BUILDINGS": [
        "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ {n}",
        "โครงการวางท่อระบายน้ำ หมู่ที่ {n}",
        "โครงการขยายเขตไฟฟ้าสาธารณะ หมู่ที่ {n}",
        "โครงการก่อสร้างรางระบายน้ำ หมู่ที่ {n}",
    ],
    "SUBSIDY_ITEMS": [
        "อุดหนุนโรงเรียนในพื้นที่ (อาหารกลางวัน)",
        "อุดหนุนที่ทำการปกครองอำเภอ",
        "อุดหนุนอาสาสมัครสาธารณสุขประจำหมู่บ้าน",
    ],
    "OTHER_EXPENDITURE_ITEMS": ["ค่าจ้างที่ปรึกษา"],
}
REVENUE_SHARE = {
    "TAXES": 4,
    "FEES_FINES_LICENSES": 2,
    "PROPERTY_INCOME": 1,
    "UTILITIES_COMMERCE": 1,
    "MISCELLANEOUS": 1,
    "CAPITAL_REVENUE": 1,
    "SHARED_TAXES": 38,
    "GENERAL_GRANT": 44,
    "SPECIFIC_GRANT": 8,
}


def _status(rng: random.Random, fiscal_year: int, current: int) -> str | None:
    if fiscal_year < current:
        return "enacted"
    roll = rng.random()
    for status, upto in (
        ("enacted", 0.85),
        ("submitted", 0.90),
        ("returned", 0.93),
        ("draft", 0.97),
    ):
        if roll < upto:
            return status
    return None  # no plan entered yet


def _split(rng: random.Random, total: int, weights: dict[str, int], parts: int) -> list:
    """`parts` (key, satang) pieces of `total` satang, keys drawn by weight."""
    keys = rng.choices(list(weights), weights=list(weights.values()), k=parts)
    shares = [rng.random() + 0.2 for _ in keys]
    scale = total / sum(shares)
    amounts = [int(share * scale) for share in shares]
    amounts[0] += total - sum(amounts)
    return list(zip(keys, amounts, strict=True))


@transaction.atomic
def budgets_seed(*, lao_ids: list[int] | None = None, years: int = YEARS) -> int:
    """Generate demo plans (with lines and revenue) for LAOs that have none for a year; returns
    the number of plans created. Rollups are rebuilt afterwards by the caller."""
    from budgets.models import BudgetPlan, ExpenseType, Programme, RevenueSource, Work
    from units.models import LAO

    current = current_fiscal_year()
    fiscal_years = list(range(current - years + 1, current + 1))
    programmes = {p.key: p.pk for p in Programme.objects.all()}
    works: dict[int, list[int]] = {}
    for work in Work.objects.all():
        works.setdefault(work.programme_id, []).append(work.pk)
    types = {t.key: t.pk for t in ExpenseType.objects.all()}
    sources = {s.key: s.pk for s in RevenueSource.objects.all()}
    laos = LAO.objects.filter(is_active=True).values_list("pk", "kind", "dla_code")
    if lao_ids is not None:
        laos = laos.filter(pk__in=lao_ids)
    existing = set(
        BudgetPlan.objects.filter(fiscal_year__in=fiscal_years).values_list("lao_id", "fiscal_year")
    )

    plans = []
    for lao_id, kind, code in laos:
        for fiscal_year in fiscal_years:
            if (lao_id, fiscal_year) in existing:
                continue
            rng = random.Random(f"budget-{code or kind}-{fiscal_year}")
            status = _status(rng, fiscal_year, current)
            if status is None:
                continue
            # The LAO's size is the same every year; years differ by growth and some noise.
            low, high = BUDGET_RANGE[kind]
            base = random.Random(f"budget-size-{code or kind}").uniform(low, high)
            growth = 1.03 ** (fiscal_year - fiscal_years[0]) * rng.uniform(0.94, 1.06)
            total = int(base * growth * 1_000_000) * 100  # satang
            plan_lines = []
            for programme_key, amount in _split(rng, total, PROGRAMME_SHARE, rng.randint(28, 48)):
                type_weights = TYPES_BY_PROGRAMME.get(programme_key, DEFAULT_TYPES)
                type_key = rng.choices(list(type_weights), list(type_weights.values()))[0]
                item = rng.choice(ITEMS[type_key]).format(n=rng.randint(1, 12))
                programme_id = programmes[programme_key]
                work_id = rng.choice(works[programme_id]) if programme_id in works else None
                plan_lines.append((programme_id, work_id, types[type_key], item, amount))
            plan_revenue = _split(rng, total, REVENUE_SHARE, len(REVENUE_SHARE) * 2)
            by_source: dict[str, int] = {}
            for key, amount in plan_revenue:
                by_source[key] = by_source.get(key, 0) + amount
            plans.append((lao_id, fiscal_year, status, total, plan_lines, by_source))

    if not plans:
        return 0
    start, _ = thai.fiscal_year_range(current)
    now = timezone.now()
    plan_objects = []
    for lao_id, fiscal_year, status, total, _, _ in plans:
        fy_start, _ = thai.fiscal_year_range(fiscal_year)
        submitted = timezone.make_aware(
            datetime.datetime.combine(fy_start - datetime.timedelta(days=47), datetime.time(10))
        )
        enacted = submitted + datetime.timedelta(days=31) if status == "enacted" else None
        plan_objects.append(
            BudgetPlan(
                lao_id=lao_id,
                fiscal_year=fiscal_year,
                status=status,
                total_expenditure=Decimal(total) / 100,
                total_revenue=Decimal(total) / 100,
                submitted_at=submitted if status != "draft" else None,
                reviewed_at=enacted or (submitted if status == "returned" else None),
                enacted_at=enacted,
                is_demo=True,
                return_comment="กรุณาตรวจสอบยอดรวมแผนงานการศึกษาอีกครั้ง"
                if status == "returned"
                else "",
            )
        )
    created = BudgetPlan.objects.bulk_create(plan_objects, batch_size=5000)
    BudgetPlan.objects.filter(pk__in=[p.pk for p in created]).update(updated_at=now)

    def line_rows():
        for plan, (*_, plan_lines, _) in zip(created, plans, strict=True):
            for position, (programme_id, work_id, type_id, item, amount) in enumerate(plan_lines):
                yield (
                    plan.pk,
                    programme_id,
                    work_id,
                    type_id,
                    item,
                    f"{amount // 100}.{amount % 100:02d}",
                    position,
                )

    def revenue_rows():
        for plan, (*_, by_source) in zip(created, plans, strict=True):
            for key, amount in by_source.items():
                yield (plan.pk, sources[key], f"{amount // 100}.{amount % 100:02d}")

    copy_rows(
        "budgets_budgetline",
        ["plan_id", "programme_id", "work_id", "expense_type_id", "item", "amount", "position"],
        line_rows(),
    )
    copy_rows("budgets_revenueestimate", ["plan_id", "source_id", "amount"], revenue_rows())
    return len(created)


def plan_totals(*, fiscal_years: list[int]) -> dict:
    """(LAO id, fiscal year) → total expenditure of its plan (any status) in these years: what
    the projects seeder sizes an LAO's projects by (registered in units.demo)."""
    from budgets.models import BudgetPlan

    return {
        (lao_id, year): total
        for lao_id, year, total in BudgetPlan.objects.filter(
            fiscal_year__in=fiscal_years
        ).values_list("lao_id", "fiscal_year", "total_expenditure")
    }


def seed_budgets(*, scale: str, stdout) -> list[str]:
    """seed_demo step: the classification, five years of plans, and the rollups."""
    from budgets.importers import classification_import
    from budgets.rollups import rollups_rebuild

    classification_import()
    created = budgets_seed()
    cells = rollups_rebuild() if created else 0
    stdout.write(f"budgets: {created} plans created, {cells} rollup cells")
    return []
