"""The indicators the portal computes from its own data, one declaration each.

A declaration says what the indicator means and how it is computed: a numerator and a
denominator, SQL expressions over one set of staged figures (benchmarks/figures.py: `f.` is the
LAO-year's figures, `g.` the LAO-year itself: kind, population). The recompute
(benchmarks.services.indicator_values_recompute) turns every declaration into one INSERT … ON
CONFLICT over all LAOs and years at once; `benchmarks_sync_indicators` copies the declarations
into the Indicator table, from which the methodology page is written.

A value that cannot be computed gets a reason instead (models.Reason), decided in this order:
the indicator does not apply to the LAO's kind; the figures are missing, late or not final; the
denominator is missing (not submitted) or zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from benchmarks.models import Area, Direction, Rating, Unit


@dataclass(frozen=True)
class Band:
    """A rating and the values it covers, both ends included (None: open)."""

    rating: str
    low: Decimal | None = None
    high: Decimal | None = None

    def as_json(self) -> dict:
        def text(number):
            return None if number is None else str(number)

        return {"rating": str(self.rating), "from": text(self.low), "to": text(self.high)}


@dataclass(frozen=True, kw_only=True)
class Declaration:
    """What every declared indicator says, computed here or imported (benchmarks/imported.py):
    its texts, unit, direction, area, rating bands, norm and weight."""

    code: str
    name_th: str
    name_en: str
    meaning_th: str
    meaning_en: str
    formula_th: str
    formula_en: str
    unit: str
    direction: str
    area: str
    bands: tuple[Band, ...] = ()
    norm_th: str = ""
    norm_en: str = ""
    weight: Decimal = Decimal("1")

    def indicator_fields(self, *, sort_order: int) -> dict:
        """The Indicator row this declaration describes (no target, tolerance or kinds)."""
        return {
            "name_th": self.name_th,
            "name_en": self.name_en,
            "meaning_th": self.meaning_th,
            "meaning_en": self.meaning_en,
            "formula_th": self.formula_th,
            "formula_en": self.formula_en,
            "unit": str(self.unit),
            "direction": str(self.direction),
            "target": None,
            "tolerance": None,
            "area": str(self.area),
            "bands": [band.as_json() for band in self.bands],
            "norm_th": self.norm_th,
            "norm_en": self.norm_en,
            "weight": self.weight,
            "kinds": [],
            "sort_order": sort_order,
        }


@dataclass(frozen=True, kw_only=True)
class ComputedIndicator(Declaration):
    # Which staged figures the expressions read: "budget", "projects" or "reports".
    figures: str
    numerator: str
    denominator: str
    kinds: tuple[str, ...] = field(default_factory=tuple)
    target: Decimal | None = None
    tolerance: Decimal | None = None

    @property
    def scale(self) -> int:
        """What numerator ÷ denominator is multiplied by: a percentage is a share × 100."""
        return 100 if self.unit == Unit.PERCENT else 1

    def indicator_fields(self, *, sort_order: int) -> dict:
        """The Indicator row this declaration describes."""
        return {
            **super().indicator_fields(sort_order=sort_order),
            "target": self.target,
            "tolerance": self.tolerance,
            "kinds": [str(kind) for kind in self.kinds],
        }


BUDGET_PER_CAPITA = ComputedIndicator(
    code="budget-per-capita",
    name_th="งบประมาณรายจ่ายต่อประชากร",
    name_en="Budget per capita",
    meaning_th=(
        "งบประมาณรายจ่ายประจำปีที่ตราแล้วเฉลี่ยต่อประชากรหนึ่งคน บอกขนาดของทรัพยากรที่ อปท. "
        "ใช้ดูแลประชาชน ใช้เป็นบริบทในการหา อปท. ที่คล้ายกัน ไม่ได้นับเป็นคะแนน"
    ),
    meaning_en=(
        "The enacted annual expenditure budget per resident: how much the LAO has to serve each "
        "person. A context figure used to find similar LAOs; it does not count in the score."
    ),
    formula_th="งบประมาณรายจ่ายรวมของข้อบัญญัติที่ตราแล้ว ÷ จำนวนประชากรในทะเบียน อปท.",
    formula_en="Total expenditure of the enacted budget ÷ population in the LAO registry",
    unit=Unit.BAHT_PER_PERSON,
    direction=Direction.HIGHER,
    area=Area.FINANCE,
    figures="budget",
    numerator="f.total_expenditure",
    denominator="g.population",
    weight=Decimal("0"),
)

CAPITAL_SHARE = ComputedIndicator(
    code="capital-share",
    name_th="สัดส่วนงบลงทุน",
    name_en="Capital (investment) share",
    meaning_th="ส่วนของงบประมาณรายจ่ายที่ตราแล้วซึ่งใช้ลงทุน (ครุภัณฑ์ ที่ดินและสิ่งก่อสร้าง)",
    meaning_en=(
        "The part of the enacted expenditure budget spent on investment (equipment, land and "
        "construction)."
    ),
    formula_th="รายการในงบลงทุน ÷ งบประมาณรายจ่ายรวมของข้อบัญญัติที่ตราแล้ว × 100",
    formula_en="Lines of the capital category (งบลงทุน) ÷ total enacted expenditure × 100",
    unit=Unit.PERCENT,
    direction=Direction.HIGHER,
    area=Area.FINANCE,
    figures="budget",
    numerator="f.capital",
    denominator="f.total_expenditure",
)

PERSONNEL_SHARE = ComputedIndicator(
    code="personnel-share",
    name_th="สัดส่วนงบบุคลากร",
    name_en="Personnel share",
    meaning_th="ส่วนของงบประมาณรายจ่ายที่ตราแล้วซึ่งเป็นเงินเดือนและค่าจ้าง (งบบุคลากร)",
    meaning_en="The part of the enacted expenditure budget paid as salaries and wages.",
    formula_th="รายการในงบบุคลากร ÷ งบประมาณรายจ่ายรวมของข้อบัญญัติที่ตราแล้ว × 100",
    formula_en="Lines of the personnel category (งบบุคลากร) ÷ total enacted expenditure × 100",
    unit=Unit.PERCENT,
    direction=Direction.LOWER,
    area=Area.PERSONNEL,
    figures="budget",
    numerator="f.personnel",
    denominator="f.total_expenditure",
    bands=(Band(Rating.GOOD, high=Decimal("40")), Band(Rating.WEAK, low=Decimal("40"))),
    norm_th=(
        "พ.ร.บ. ระเบียบบริหารงานบุคคลส่วนท้องถิ่น พ.ศ. 2542 มาตรา 35: รายจ่ายด้านการบริหารงานบุคคล"
        "ต้องไม่เกินร้อยละ 40 ของงบประมาณรายจ่ายประจำปี (เพดานตามกฎหมายนับรายการมากกว่างบบุคลากร "
        "ตัวชี้วัดนี้จึงเป็นค่าประมาณขั้นต่ำ)"
    ),
    norm_en=(
        "Local Personnel Administration Act B.E. 2542, section 35: personnel expenditure may not "
        "exceed 40 % of the annual budget. (The legal ceiling counts more items than the "
        "personnel category, so this share is a lower estimate.)"
    ),
)

OWN_SOURCE_REVENUE_SHARE = ComputedIndicator(
    code="own-source-revenue-share",
    name_th="สัดส่วนรายได้ที่จัดเก็บเอง",
    name_en="Own-source revenue share",
    meaning_th=(
        "ส่วนของรายได้ประมาณการที่ อปท. จัดเก็บเอง (ภาษีอากร ค่าธรรมเนียม ค่าปรับและใบอนุญาต "
        "รายได้จากทรัพย์สิน สาธารณูปโภคและการพาณิชย์ รายได้เบ็ดเตล็ด และรายได้จากทุน) "
        "บอกว่าพึ่งตนเองได้เพียงใด"
    ),
    meaning_en=(
        "The part of estimated revenue the LAO collects itself (taxes, fees, fines and licences, "
        "property income, utilities and commerce, miscellaneous and capital revenue): how far it "
        "stands on its own feet."
    ),
    formula_th="รายได้ประมาณการหมวดที่ อปท. จัดเก็บเอง ÷ รายได้ประมาณการรวม × 100",
    formula_en="Estimated own-source revenue ÷ total estimated revenue × 100",
    unit=Unit.PERCENT,
    direction=Direction.HIGHER,
    area=Area.FINANCE,
    figures="budget",
    numerator="f.own_source",
    denominator="f.total_revenue",
)

DISBURSEMENT_RATE = ComputedIndicator(
    code="disbursement-rate",
    name_th="อัตราการเบิกจ่าย",
    name_en="Disbursement rate",
    meaning_th="เงินที่เบิกจ่ายแล้วเทียบกับงบประมาณของโครงการในปีงบประมาณ (ไม่นับโครงการที่ยกเลิก)",
    meaning_en=(
        "Money paid out against the budget of the year's projects (cancelled projects left out)."
    ),
    formula_th="ยอดเบิกจ่ายของโครงการในปี ÷ งบประมาณของโครงการเหล่านั้น × 100",
    formula_en="Disbursed on the year's projects ÷ their budget × 100",
    unit=Unit.PERCENT,
    direction=Direction.HIGHER,
    area=Area.FINANCE,
    figures="projects",
    numerator="f.disbursed",
    denominator="f.budget",
)

PROJECTS_ON_TIME = ComputedIndicator(
    code="projects-on-time",
    name_th="โครงการที่แล้วเสร็จตามกำหนด",
    name_en="Projects completed on time",
    meaning_th=("ในโครงการของปีที่ถึงวันสิ้นสุดตามแผนแล้ว (หรือแล้วเสร็จก่อน) มีกี่ส่วนที่แล้วเสร็จภายในวันสิ้นสุดตามแผน"),
    meaning_en=(
        "Of the year's projects whose planned end has passed (or that are already completed), "
        "the share completed by their planned end."
    ),
    formula_th=(
        "โครงการที่แล้วเสร็จไม่เกินวันสิ้นสุดตามแผน ÷ โครงการที่ไม่ถูกยกเลิก มีวันสิ้นสุดตามแผน "
        "และถึงกำหนดแล้วหรือแล้วเสร็จ × 100"
    ),
    formula_en=(
        "Projects completed on or before their planned end ÷ projects not cancelled, with a "
        "planned end that has passed or already completed × 100"
    ),
    unit=Unit.PERCENT,
    direction=Direction.HIGHER,
    area=Area.SERVICES,
    figures="projects",
    numerator="f.completed_on_time",
    denominator="f.due",
)

REPORTS_ON_TIME = ComputedIndicator(
    code="reports-on-time",
    name_th="รายงานความก้าวหน้าที่ส่งตรงเวลา",
    name_en="Progress reports on time",
    meaning_th=(
        "ในไตรมาสของปีที่ถึงกำหนดส่งรายงานแล้ว มีกี่ส่วนที่ อปท. ส่งรายงานความก้าวหน้าภายใน"
        "กำหนด (15 วันหลังสิ้นไตรมาส)"
    ),
    meaning_en=(
        "Of the year's quarters whose report is due, the share the LAO reported by the due date "
        "(15 days after the quarter ends)."
    ),
    formula_th="ไตรมาสที่ส่งรายงานภายในวันครบกำหนด ÷ ไตรมาสที่ถึงกำหนดส่งแล้ว × 100",
    formula_en="Quarters reported by their due date ÷ quarters due so far × 100",
    unit=Unit.PERCENT,
    direction=Direction.HIGHER,
    area=Area.MANAGEMENT,
    figures="reports",
    numerator="f.on_time",
    denominator="f.expected",
    bands=(Band(Rating.GOOD, low=Decimal("100")), Band(Rating.WEAK, high=Decimal("100"))),
    norm_th="ทุกไตรมาสต้องส่งรายงานภายใน 15 วันหลังสิ้นไตรมาส",
    norm_en="Every quarter's report is due 15 days after the quarter ends.",
)

COMPUTED_INDICATORS: tuple[ComputedIndicator, ...] = (
    BUDGET_PER_CAPITA,
    CAPITAL_SHARE,
    PERSONNEL_SHARE,
    OWN_SOURCE_REVENUE_SHARE,
    DISBURSEMENT_RATE,
    PROJECTS_ON_TIME,
    REPORTS_ON_TIME,
)


def computed_indicators() -> tuple[ComputedIndicator, ...]:
    """Every declared indicator, in the order the pages list them."""
    return COMPUTED_INDICATORS
