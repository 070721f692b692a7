"""The standard imported indicators: scores the portal cannot compute from its own data, which DLA
and provincial staff upload (benchmarks/uploads.py): DLA's Local Performance Assessment (LPA),
one indicator per LPA area, and NACC's Integrity and Transparency Assessment (ITA).

They are declared here, like the computed ones in indicators.py, so that every database has the
same codes, texts and norms; `imported_indicators_sync()` copies them into the Indicator table.
An administrator may add further imported indicators in the admin: the upload accepts the code
of every shown imported indicator, declared here or not.

Norms (data/SOURCES.md §4):
- LPA: DLA's pass mark is an average of at least 70 % over the five areas (LPA 2564 summary
  report, which counts 7,754 LAOs, 98.80 %, passing). No pass mark per area is published, so
  the areas are not rated; nearly every LAO reaching the maximum makes them saturate, and the
  saturation check shows them as pass/fail.
- ITA: NACC's pass mark is a score of 85 (level A; AA from 95), the level its ITA 2564 reports
  measure agencies against. The weights of the parts (IIT / EIT / OIT) are not verified and are
  not used.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.indicators import Band, Declaration
from benchmarks.models import STAMP, Area, Direction, Indicator, Rating, Source, Unit
from units import stamps

# After the computed indicators (their sort_order counts from 1).
SORT_ORDER_START = 100


@dataclass(frozen=True, kw_only=True)
class ImportedIndicator(Declaration):
    """An imported indicator's declaration; its row's is_active is the admin's choice."""


LPA_NORM_TH = (
    "ไม่มีเกณฑ์รายด้าน: กรมส่งเสริมการปกครองท้องถิ่นกำหนดเกณฑ์ผ่านจากคะแนนเฉลี่ยรวม 5 ด้าน"
    "ไม่ต่ำกว่าร้อยละ 70 (รายงานสรุปผลการประเมิน LPA ประจำปี พ.ศ. 2564: ผ่านเกณฑ์ 7,754 แห่ง "
    "ร้อยละ 98.80) เมื่อเกือบทุกแห่งได้คะแนนเต็ม ตัวชี้วัดจึงแสดงเป็นผ่าน/ไม่ผ่านแทนการจัดอันดับ"
)
LPA_NORM_EN = (
    "No norm per area: DLA's pass mark is an average of at least 70 % over the five areas "
    "(LPA 2564 summary report: 7,754 LAOs, 98.80 %, passed). Where nearly every LAO scores the "
    "maximum the indicator is shown as pass/fail instead of ranked."
)
LPA_FORMULA_TH = "คะแนนที่ได้ในด้านนี้ ÷ คะแนนเต็มของด้านนี้ในปีนั้น × 100 (ตามผลการประเมิน LPA ของกรมฯ)"
LPA_FORMULA_EN = (
    "Points scored in the area ÷ the area's maximum points that year × 100 (as DLA's LPA "
    "results give it)"
)


def _lpa(area: str, code: str, name_th: str, name_en: str, max_2561: int) -> ImportedIndicator:
    return ImportedIndicator(
        code=f"lpa-{code}",
        name_th=f"คะแนน LPA {name_th}",
        name_en=f"LPA score: {name_en}",
        meaning_th=(
            f"ผลการประเมินประสิทธิภาพขององค์กรปกครองส่วนท้องถิ่น (LPA) {name_th} ซึ่งคณะทำงาน"
            f"ระดับจังหวัดประเมินทุกปี เป็นร้อยละของคะแนนเต็มของด้าน (ตัวอย่างปี 2561: เต็ม "
            f"{max_2561} คะแนน)"
        ),
        meaning_en=(
            f"DLA's Local Performance Assessment (LPA) in the area {name_en.lower()}, assessed "
            f"every year by a provincial team, as a percentage of the area's maximum points "
            f"(for example {max_2561} points in 2561)."
        ),
        formula_th=LPA_FORMULA_TH,
        formula_en=LPA_FORMULA_EN,
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        area=area,
        norm_th=LPA_NORM_TH,
        norm_en=LPA_NORM_EN,
    )


# data/indicators/lpa_areas.csv: the five areas and their maximum points in 2561.
LPA_MANAGEMENT = _lpa(Area.MANAGEMENT, "management", "ด้านการบริหารจัดการ", "Management", 140)
LPA_PERSONNEL = _lpa(
    Area.PERSONNEL,
    "personnel",
    "ด้านการบริหารงานบุคคลและกิจการสภา",
    "Personnel administration and council affairs",
    215,
)
LPA_FINANCE = _lpa(
    Area.FINANCE,
    "finance",
    "ด้านการบริหารงานการเงินและการคลัง",
    "Financial and fiscal administration",
    250,
)
LPA_SERVICES = _lpa(Area.SERVICES, "services", "ด้านการบริการสาธารณะ", "Public service delivery", 345)
LPA_GOVERNANCE = _lpa(Area.GOVERNANCE, "governance", "ด้านธรรมาภิบาล", "Good governance", 65)

ITA = ImportedIndicator(
    code="ita",
    name_th="คะแนนการประเมินคุณธรรมและความโปร่งใส (ITA)",
    name_en="Integrity and Transparency Assessment (ITA) score",
    meaning_th=(
        "คะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ที่สำนักงาน "
        "ป.ป.ช. ประเมินทุกปี จากแบบสำรวจบุคลากรภายใน (IIT) แบบสำรวจผู้มีส่วนได้ส่วนเสียภายนอก (EIT) "
        "และการเปิดเผยข้อมูลบนเว็บไซต์ (OIT) รวม 10 ตัวชี้วัด"
    ),
    meaning_en=(
        "NACC's yearly Integrity and Transparency Assessment (ITA) of public agencies: a survey "
        "of the LAO's staff (IIT), a survey of the public and stakeholders (EIT) and a check of "
        "what its website discloses (OIT), 10 indicators in all."
    ),
    formula_th="คะแนนรวม ITA 0–100 ตามที่สำนักงาน ป.ป.ช. ประกาศ",
    formula_en="The overall ITA score, 0–100, as NACC publishes it",
    unit=Unit.SCORE,
    direction=Direction.HIGHER,
    area=Area.GOVERNANCE,
    bands=(Band(Rating.GOOD, low=Decimal("85")), Band(Rating.WEAK, high=Decimal("85"))),
    norm_th=(
        "สำนักงาน ป.ป.ช.: ผ่านเกณฑ์เมื่อได้ 85 คะแนนขึ้นไป (ระดับ A; ระดับ AA ตั้งแต่ 95) "
        "ตามรายงานผลการประเมิน ITA ประจำปี พ.ศ. 2564"
    ),
    norm_en=(
        "NACC: a score of 85 or more passes (level A; AA from 95), as in its ITA 2564 reports."
    ),
)

IMPORTED_INDICATORS: tuple[ImportedIndicator, ...] = (
    LPA_MANAGEMENT,
    LPA_PERSONNEL,
    LPA_FINANCE,
    LPA_SERVICES,
    LPA_GOVERNANCE,
    ITA,
)
LPA_CODES = tuple(declaration.code for declaration in IMPORTED_INDICATORS[:5])


def imported_indicators() -> tuple[ImportedIndicator, ...]:
    """Every declared imported indicator, in the order the pages list them."""
    return IMPORTED_INDICATORS


@transaction.atomic
def imported_indicators_sync(
    *, declarations: tuple[ImportedIndicator, ...] | None = None
) -> dict[str, int]:
    """Create or update the Indicator row of every declared imported indicator. An admin's
    `is_active` choice is kept, and imported indicators an admin made (not declared here) are
    left alone. Returns {"created": n, "updated": n}. A computed row with a declared code is
    an error: the two kinds never share a code."""
    declarations = imported_indicators() if declarations is None else declarations
    existing = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in=[d.code for d in declarations])
    }
    created = updated = 0
    for order, declaration in enumerate(declarations, start=SORT_ORDER_START):
        fields = declaration.indicator_fields(sort_order=order)
        indicator = existing.get(declaration.code)
        if indicator is None:
            Indicator.objects.create(code=declaration.code, source=Source.IMPORTED, **fields)
            created += 1
            continue
        if indicator.source != Source.IMPORTED:
            raise ValueError(f"Indicator {declaration.code} exists as {indicator.source}")
        if any(getattr(indicator, name) != value for name, value in fields.items()):
            Indicator.objects.filter(pk=indicator.pk).update(**fields, updated_at=timezone.now())
            updated += 1
    if updated:
        # `update()` sends no signal: the pages showing indicators are renewed here.
        stamps.bump(STAMP)
    return {"created": created, "updated": updated}


@dataclass(frozen=True)
class ImportedValue:
    """One imported value to write (an upload's row)."""

    indicator_id: int
    lao_id: int
    fiscal_year: int
    value: Decimal
    as_of: datetime.date
    status: str


# One statement for the whole upload: new values inserted, changed ones updated (a value with a
# reason gets the value and loses the reason; a demo value becomes a real one); rows already
# equal are not written again. The ranks stay until the recompute after the commit.
_UPSERT = """
    INSERT INTO benchmarks_indicatorvalue
        (indicator_id, lao_id, fiscal_year, value, reason, source, as_of, status, computed_at,
         is_demo)
    SELECT v.indicator_id, v.lao_id, v.fiscal_year, v.value, '', %(source)s, v.as_of, v.status,
           now(), false
    FROM unnest(%(indicators)s::bigint[], %(laos)s::bigint[], %(years)s::integer[],
                %(values)s::numeric[], %(dates)s::date[], %(statuses)s::varchar[])
         AS v(indicator_id, lao_id, fiscal_year, value, as_of, status)
    ON CONFLICT (indicator_id, lao_id, fiscal_year) DO UPDATE
    SET value = EXCLUDED.value, reason = '', source = EXCLUDED.source, as_of = EXCLUDED.as_of,
        status = EXCLUDED.status, computed_at = EXCLUDED.computed_at, is_demo = false
    WHERE (benchmarks_indicatorvalue.value, benchmarks_indicatorvalue.reason,
           benchmarks_indicatorvalue.source, benchmarks_indicatorvalue.as_of,
           benchmarks_indicatorvalue.status, benchmarks_indicatorvalue.is_demo)
          IS DISTINCT FROM
          (EXCLUDED.value, EXCLUDED.reason, EXCLUDED.source, EXCLUDED.as_of, EXCLUDED.status,
           EXCLUDED.is_demo)
"""


def imported_values_write(*, items: Sequence[ImportedValue]) -> int:
    """Insert or update imported values, all in one statement whatever their number; returns
    the rows written. The caller checks scope and ranges (benchmarks/uploads.py) and asks for
    the recompute once its transaction commits."""
    if not items:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            {
                "source": Source.IMPORTED.value,
                "indicators": [item.indicator_id for item in items],
                "laos": [item.lao_id for item in items],
                "years": [item.fiscal_year for item in items],
                "values": [item.value for item in items],
                "dates": [item.as_of for item in items],
                "statuses": [str(item.status) for item in items],
            },
        )
        return cursor.rowcount
