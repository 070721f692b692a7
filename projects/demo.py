"""Demo development plans and projects for `seed_demo`, all marked as demo data.

Every active LAO gets a five-year development plan (3–6 strategies) covering the fiscal years of
the demo budgets, and for each of those years its projects (~76 a year on average nationally,
~3M), each with its stage history and disbursements (~6M). Past years are mostly completed; the
current year is spread over every stage. Money is proportionate to the LAO's budget:
disbursed total = sum of the disbursements ≤ contract ≤ budget. Rows are generated as plain
tuples and written with COPY, LAO by LAO in batches; the rollup is rebuilt in one statement.
Deterministic: the same LAO and year always get the same projects.
"""

import datetime
import random
from bisect import bisect
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone

from units import thai
from units.bulk import copy_text, reserve_ids
from units.demo import BUDGET_RANGE, YEARS, budget_totals
from units.thai import current_fiscal_year

# Projects a year (mean) by LAO kind: ~77 a year per LAO nationally.
PROJECTS_PER_YEAR = {
    "sao": 65,
    "subdistrict": 95,
    "town": 140,
    "city": 220,
    "pao": 200,
    "bangkok": 800,
    "pattaya": 200,
}
# Share of the LAO's annual budget spent through development-plan projects.
PROJECT_SHARE = (0.18, 0.32)

STRATEGIES = {
    "infrastructure": "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน",
    "society": "ยุทธศาสตร์การพัฒนาด้านคุณภาพชีวิตและสังคม",
    "education": "ยุทธศาสตร์การพัฒนาด้านการศึกษา ศาสนา และวัฒนธรรม",
    "economy": "ยุทธศาสตร์การพัฒนาด้านเศรษฐกิจและการเกษตร",
    "environment": "ยุทธศาสตร์การพัฒนาด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "governance": "ยุทธศาสตร์การพัฒนาด้านการบริหารจัดการบ้านเมืองที่ดี",
}
VISIONS = (
    "ชุมชนน่าอยู่ เศรษฐกิจมั่นคง ประชาชนมีคุณภาพชีวิตที่ดี",
    "โครงสร้างพื้นฐานครบครัน การศึกษาก้าวหน้า สิ่งแวดล้อมยั่งยืน",
    "ท้องถิ่นเข้มแข็ง บริหารโปร่งใส ประชาชนมีส่วนร่วม",
)
# Programme key → (weight, strategy theme, project names; {n} is a village number).
PROGRAMMES = {
    "INDUSTRY_PUBLIC_WORKS": (
        40,
        "infrastructure",
        (
            "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ {n}",
            "โครงการก่อสร้างรางระบายน้ำ คสล. หมู่ที่ {n}",
            "โครงการปรับปรุงถนนลูกรัง หมู่ที่ {n}",
            "โครงการซ่อมแซมถนนลาดยาง หมู่ที่ {n}",
            "โครงการวางท่อระบายน้ำ หมู่ที่ {n}",
            "โครงการขยายเขตไฟฟ้าสาธารณะ หมู่ที่ {n}",
        ),
    ),
    "HOUSING_COMMUNITY": (
        10,
        "environment",
        (
            "โครงการขยายเขตประปาหมู่บ้าน หมู่ที่ {n}",
            "โครงการติดตั้งไฟฟ้าส่องสว่างพลังงานแสงอาทิตย์ หมู่ที่ {n}",
            "โครงการบริหารจัดการขยะมูลฝอยในชุมชน หมู่ที่ {n}",
        ),
    ),
    "EDUCATION": (
        10,
        "education",
        (
            "โครงการปรับปรุงศูนย์พัฒนาเด็กเล็ก",
            "โครงการจัดซื้อสื่อการเรียนการสอนศูนย์พัฒนาเด็กเล็ก",
            "โครงการจัดงานวันเด็กแห่งชาติ",
        ),
    ),
    "PUBLIC_HEALTH": (
        6,
        "society",
        (
            "โครงการป้องกันและควบคุมโรคไข้เลือดออก",
            "โครงการสัตว์ปลอดโรค คนปลอดภัยจากโรคพิษสุนัขบ้า",
            "โครงการส่งเสริมสุขภาพผู้สูงอายุ หมู่ที่ {n}",
        ),
    ),
    "SOCIAL_WELFARE": (
        4,
        "society",
        (
            "โครงการช่วยเหลือผู้ยากไร้และผู้ด้อยโอกาส",
            "โครงการปรับปรุงที่อยู่อาศัยผู้สูงอายุและคนพิการ หมู่ที่ {n}",
        ),
    ),
    "COMMUNITY_STRENGTHENING": (
        5,
        "society",
        (
            "โครงการส่งเสริมอาชีพกลุ่มสตรี หมู่ที่ {n}",
            "โครงการป้องกันและแก้ไขปัญหายาเสพติด",
            "โครงการจัดทำแผนชุมชน",
        ),
    ),
    "RELIGION_CULTURE_RECREATION": (
        7,
        "education",
        (
            "โครงการสืบสานประเพณีลอยกระทง",
            "โครงการแข่งขันกีฬาต้านยาเสพติด",
            "โครงการก่อสร้างลานกีฬาอเนกประสงค์ หมู่ที่ {n}",
        ),
    ),
    "AGRICULTURE": (
        7,
        "economy",
        (
            "โครงการขุดลอกคลองส่งน้ำเพื่อการเกษตร หมู่ที่ {n}",
            "โครงการก่อสร้างฝายชะลอน้ำ หมู่ที่ {n}",
            "โครงการส่งเสริมการปลูกผักปลอดสารพิษ",
        ),
    ),
    "INTERNAL_SECURITY": (
        5,
        "society",
        (
            "โครงการป้องกันและลดอุบัติเหตุทางถนนช่วงเทศกาล",
            "โครงการฝึกอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.)",
            "โครงการติดตั้งกล้องวงจรปิด (CCTV) หมู่ที่ {n}",
        ),
    ),
    "GENERAL_ADMINISTRATION": (
        5,
        "governance",
        (
            "โครงการจัดซื้อครุภัณฑ์คอมพิวเตอร์",
            "โครงการฝึกอบรมเพิ่มประสิทธิภาพบุคลากร",
            "โครงการปรับปรุงอาคารสำนักงาน",
        ),
    ),
    "COMMERCE": (1, "economy", ("โครงการปรับปรุงตลาดสดชุมชน",)),
}
UNITS = ("กองช่าง", "สำนักปลัด", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "กองคลัง")
CONTRACTORS = (
    "ห้างหุ้นส่วนจำกัด ทรัพย์เจริญก่อสร้าง",
    "บริษัท รุ่งเรืองวิศวกรรม จำกัด",
    "ห้างหุ้นส่วนจำกัด ศรีสุขการโยธา",
    "บริษัท มั่นคงคอนสตรัคชั่น จำกัด",
    "ร้านสมบูรณ์พาณิชย์",
    "ห้างหุ้นส่วนจำกัด พูลผลค้าวัสดุ",
)

# The road a project takes through the stages.
PATH = ["planned", "funded", "procurement", "contracted", "in_progress", "completed"]
# Final stage weights: a past year, the year just ended (some work still open), the current one.
PAST_STAGES = {"completed": 88, "cancelled": 4, "carried_over": 8}
LAST_STAGES = {
    "completed": 78,
    "in_progress": 6,
    "contracted": 2,
    "cancelled": 5,
    "carried_over": 9,
}
CURRENT_STAGES = {
    "planned": 28,
    "funded": 20,
    "procurement": 17,
    "contracted": 12,
    "in_progress": 15,
    "completed": 5,
    "cancelled": 1,
    "carried_over": 2,
}
BATCH = 2000  # LAO-years written per COPY


def _path_to(rng: random.Random, stage: str) -> list[str]:
    """The stages a project went through to reach `stage`, in order."""
    if stage in PATH:
        return PATH[: PATH.index(stage) + 1]
    stop = rng.randint(0, 3) if stage == "cancelled" else rng.choice([1, 2, 4])
    return [*PATH[: stop + 1], stage]


PROJECT_COLUMNS = [
    "id", "lao_id", "code", "name", "plan_id", "strategy_id", "programme_id", "fiscal_year",
    "budget_amount", "location", "latitude", "longitude", "planned_start", "planned_end",
    "responsible_unit", "targets", "stage", "stage_changed_at", "contract_amount", "contractor",
    "contract_date", "progress_percent", "disbursed_total", "version", "is_demo", "created_at",
    "updated_at",
]  # fmt: skip
CHANGE_COLUMNS = ["project_id", "from_stage", "to_stage", "at", "note"]
PAYMENT_COLUMNS = ["project_id", "date", "amount", "reference", "created_at"]


def _copy(table: str, columns: list[str], lines: list[str]) -> None:
    """COPY ready-made text lines into a table, 20,000 lines a write."""
    copy_text(table, columns, ("".join(lines[i : i + 20000]) for i in range(0, len(lines), 20000)))


def development_plans_seed(*, lao_ids: list[int] | None = None, years: int = YEARS) -> int:
    """A five-year development plan with its strategies for every active LAO without one
    starting in the first demo year; returns the number of plans created."""
    from projects.models import DevelopmentPlan, Strategy
    from units.models import LAO

    start = current_fiscal_year() - years + 1
    laos = LAO.objects.filter(is_active=True).exclude(development_plans__start_year=start)
    if lao_ids is not None:
        laos = laos.filter(pk__in=lao_ids)
    laos = list(laos.values_list("pk", "dla_code", "kind"))
    plans = DevelopmentPlan.objects.bulk_create(
        [
            DevelopmentPlan(
                lao_id=lao_id,
                start_year=start,
                end_year=start + 4,
                is_demo=True,
                vision=random.Random(f"plan-{code or kind}").choice(VISIONS),
            )
            for lao_id, code, kind in laos
        ],
        batch_size=5000,
    )
    strategies = []
    for plan, (_, code, kind) in zip(plans, laos, strict=True):
        count = random.Random(f"strategies-{code or kind}").randint(3, 6)
        themes = [*list(STRATEGIES)[: count - 1], "governance"] if count < 6 else list(STRATEGIES)
        strategies += [
            Strategy(plan=plan, number=number, name=STRATEGIES[theme])
            for number, theme in enumerate(themes, start=1)
        ]
    Strategy.objects.bulk_create(strategies, batch_size=10000)
    return len(plans)


@transaction.atomic
def projects_seed(*, lao_ids: list[int] | None = None, years: int = YEARS) -> int:
    """Generate demo projects (with stage changes and disbursements) for every active LAO and
    demo year that has none; returns the number of projects created. The caller rebuilds the
    rollup."""
    from budgets.models import Programme
    from projects.models import Project, Strategy
    from units.models import LAO

    current = current_fiscal_year()
    fiscal_years = list(range(current - years + 1, current + 1))
    today = timezone.localdate()
    now = timezone.now()
    programme_ids = {p.key: p.pk for p in Programme.objects.filter(key__in=PROGRAMMES)}
    programme_keys = [key for key in PROGRAMMES if key in programme_ids]
    laos = LAO.objects.filter(is_active=True)
    if lao_ids is not None:
        laos = laos.filter(pk__in=lao_ids)
    laos = list(laos.order_by("pk").values_list("pk", "dla_code", "kind", "latitude", "longitude"))
    wanted = {lao[0] for lao in laos}
    existing = set(
        Project.objects.filter(fiscal_year__in=fiscal_years)
        .values_list("lao_id", "fiscal_year")
        .distinct()
    )
    budgets = budget_totals(fiscal_years=fiscal_years)
    # (lao, theme) → (plan id, strategy id) of the plan covering the demo years.
    strategies: dict[int, dict[str, tuple[int, int]]] = {}
    theme_of_name = {name: theme for theme, name in STRATEGIES.items()}
    for plan_id, lao_id, strategy_id, name in (
        Strategy.objects.filter(
            plan__start_year__lte=fiscal_years[0],
            plan__end_year__gte=fiscal_years[-1],
            plan__lao_id__in=wanted,
        )
        .order_by("plan__start_year", "number")
        .values_list("plan_id", "plan__lao_id", "pk", "name")
    ):
        strategies.setdefault(lao_id, {})[theme_of_name.get(name, "governance")] = (
            plan_id,
            strategy_id,
        )

    todo = [(lao, year) for lao in laos for year in fiscal_years if (lao[0], year) not in existing]
    counts = [_project_count(lao, year) for lao, year in todo]
    if not sum(counts):
        return 0
    context = _Context(
        current=current,
        today=today,
        created_at=timezone.localtime(now).isoformat(),
        programme_ids=[programme_ids[key] for key in programme_keys],
        programme_keys=programme_keys,
        programme_cumulative=list(accumulate(PROGRAMMES[key][0] for key in programme_keys)),
    )
    next_id = reserve_ids("projects_project", sum(counts))
    _skip_foreign_key_triggers()

    def batches():
        """Rows of BATCH LAO-years at a time, generated while the previous batch is copied."""
        nonlocal next_id
        for start in range(0, len(todo), BATCH):
            out = ([], [], [])
            for (lao, year), count in zip(
                todo[start : start + BATCH], counts[start : start + BATCH], strict=True
            ):
                _lao_year_rows(
                    context,
                    out,
                    lao=lao,
                    year=year,
                    first_id=next_id,
                    count=count,
                    budget=budgets.get((lao[0], year)),
                    strategies=strategies.get(lao[0], {}),
                )
                next_id += count
            yield out

    with ThreadPoolExecutor(max_workers=1) as pool:
        generator = batches()
        pending = pool.submit(next, generator, None)
        while (out := pending.result()) is not None:
            pending = pool.submit(next, generator, None)
            _copy("projects_project", PROJECT_COLUMNS, out[0])
            _copy("projects_stagechange", CHANGE_COLUMNS, out[1])
            _copy("projects_disbursement", PAYMENT_COLUMNS, out[2])
    return sum(counts)


def _skip_foreign_key_triggers() -> None:
    """Rows are generated against ids read in this transaction, so the per-row foreign-key
    triggers (deferred to the commit: ~10M queued checks) only cost time. A superuser (the
    local development cluster) switches them off for this transaction; others keep them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _project_count(lao: tuple, year: int) -> int:
    mean = PROJECTS_PER_YEAR.get(lao[2], 60)
    rng = random.Random(f"project-count-{lao[1] or lao[2]}-{year}")
    return rng.randint(int(mean * 0.7), int(mean * 1.3))


@dataclass(frozen=True)
class _Context:
    current: int
    today: datetime.date
    created_at: str
    programme_ids: list[int]
    programme_keys: list[str]
    programme_cumulative: list[int]


def _money(satang: int) -> str:
    return f"{satang // 100}.{satang % 100:02d}"


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`parts` positive satang amounts summing to `total`."""
    if parts <= 1 or total < parts * 100:
        return [total]
    shares = [rng.random() + 0.3 for _ in range(parts)]
    scale = total / sum(shares)
    amounts = [max(100, int(share * scale)) for share in shares[1:]]
    first = total - sum(amounts)
    return [first, *amounts] if first >= 100 else [total]


def _pick(rng: random.Random, values: list, cumulative: list) -> object:
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


_STAGE_TABLES = {
    kind: (list(weights), list(accumulate(weights.values())))
    for kind, weights in (("current", CURRENT_STAGES), ("last", LAST_STAGES), ("past", PAST_STAGES))
}
DAY = datetime.timedelta(days=1)


def _lao_year_rows(context, out, *, lao, year, first_id, count, budget, strategies) -> None:
    """Append the COPY lines of one LAO's projects of one year (with their stage changes and
    disbursements) to `out` = (projects, changes, payments). Plain arithmetic on
    `rng.random()` keeps this at a few microseconds a project."""
    projects, changes, payments = out
    lao_id, code, kind, lao_lat, lao_lon = lao
    rng = random.Random(f"projects-{code or kind}-{year}")
    rand = rng.random
    if budget is None:
        low, high = BUDGET_RANGE[kind]
        budget = random.Random(f"budget-size-{code or kind}").uniform(low, high) * 1e6
    pot = float(budget) * (PROJECT_SHARE[0] + rand() * (PROJECT_SHARE[1] - PROJECT_SHARE[0]))
    weights = [rng.paretovariate(1.6) for _ in range(count)]
    scale = pot / sum(weights)
    fy_start, fy_end = thai.fiscal_year_range(year)
    today, created_at = context.today, context.created_at
    last_day = min(today, fy_end)
    stage_names, stage_cumulative = _STAGE_TABLES[
        "current" if year == context.current else "last" if year == context.current - 1 else "past"
    ]
    governance = strategies.get("governance", (None, None))
    for number in range(1, count + 1):
        project_id = first_id + number - 1
        slot = bisect(context.programme_cumulative, rand() * context.programme_cumulative[-1])
        key = context.programme_keys[slot]
        _, theme, names = PROGRAMMES[key]
        plan_id, strategy_id = strategies.get(theme, governance)
        village = 1 + int(rand() * 15)
        template = names[int(rand() * len(names))]
        name = template.format(n=village)
        budget_satang = max(10_000, round(weights[number - 1] * scale, -3)) * 100
        budget_satang = int(budget_satang)
        start = fy_start + DAY * int(rand() * 200)
        end = min(fy_end, start + DAY * (30 + int(rand() * 120)))
        stage = _pick(rng, stage_names, stage_cumulative)
        path = _path_to(rng, stage)
        # Stage changes: planned before the year, then a step every one to six weeks; never
        # after today.
        day = fy_start - DAY * (40 + int(rand() * 80))
        days = []
        for _step in path:
            days.append(min(day, last_day))
            day += DAY * (7 + int(rand() * 38))
        contracted = "contracted" in path
        if contracted:
            contract_satang = int(budget_satang * (0.86 + rand() * 0.13)) // 100 * 100
            contract_date = days[path.index("contracted")]
            contract = (
                _money(contract_satang),
                CONTRACTORS[int(rand() * len(CONTRACTORS))],
                contract_date,
            )
        else:
            contract = ("\\N", "", "\\N")
        # Disbursements: paid in full when completed, partly while in progress.
        paid: list[int] = []
        if stage == "completed":
            paid = _split(rng, contract_satang, (1, 2, 2, 3, 3, 3)[int(rand() * 6)])
        elif contracted and stage in {"in_progress", "carried_over"}:
            paid = _split(rng, int(contract_satang * (0.1 + rand() * 0.6)), 1 + int(rand() * 2))
        if stage == "completed":
            progress = 100
        elif stage == "in_progress":
            progress = 10 + int(rand() * 80)
        elif stage == "carried_over" and contracted:
            progress = 5 + int(rand() * 55)
        else:
            progress = 0
        if lao_lat is not None and rand() < 0.35:
            point = (
                f"{float(lao_lat) + (rand() - 0.5) * 0.06:.6f}",
                f"{float(lao_lon) + (rand() - 0.5) * 0.06:.6f}",
            )
            location = f"หมู่ที่ {village}"
        else:
            point = ("\\N", "\\N")
            location = f"หมู่ที่ {village}" if "{n}" in template else ""
        unit = UNITS[int(rand() * len(UNITS))]
        projects.append(
            f"{project_id}\t{lao_id}\t{year}-{number:03d}\t{name}\t{plan_id or '\\N'}\t"
            f"{strategy_id or '\\N'}\t{context.programme_ids[slot]}\t{year}\t"
            f"{_money(budget_satang)}\t{location}\t{point[0]}\t{point[1]}\t{start}\t{end}\t"
            f"{unit}\t\t{stage}\t{days[-1]} 16:00:00+07\t{contract[0]}\t{contract[1]}\t"
            f"{contract[2]}\t{progress}\t{_money(sum(paid))}\t1\tt\t{created_at}\t"
            f"{created_at}\n"
        )
        previous = ""
        for step, (stage_name, stage_day) in enumerate(zip(path, days, strict=True)):
            changes.append(
                f"{project_id}\t{previous}\t{stage_name}\t{stage_day} {9 + step}:00:00+07\t\n"
            )
            previous = stage_name
        if paid:
            first = min(today, contract_date + DAY * 15)
            span = (max(first, min(today, fy_end + DAY * 60)) - first).days
            offsets = sorted(int(rand() * (span + 1)) for _ in paid)
            for position, (amount, offset) in enumerate(zip(paid, offsets, strict=True), 1):
                payments.append(
                    f"{project_id}\t{first + DAY * offset}\t{_money(amount)}\t"
                    f"ขบ.{year}/{number:03d}-{position}\t{created_at}\n"
                )


def seed_projects(*, scale: str, stdout) -> list[str]:
    """seed_demo step: development plans, five years of projects, and the rollup."""
    from projects.rollups import rollups_rebuild

    plans = development_plans_seed()
    created = projects_seed()
    cells = rollups_rebuild() if created else 0
    stdout.write(f"projects: {plans} plans, {created} projects created, {cells} rollup cells")
    return []
