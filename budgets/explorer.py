"""Reads of the national budget explorer (issue 4, DLA executives): nation → province → LAO.

Every amount of the nation and province levels is read from BudgetRollup, the CUBE of enacted
lines kept current by budgets.rollups: one query returns every cell a level shows (the five-year
trend, the table by province, the breakdowns by programme and by expense category) and Python
sorts the cells into those tables. Counts of LAOs by plan status come from BudgetPlan grouped by
province and status (one query) beside the active LAOs per province (one query). Nothing here
sums BudgetLine per request; the LAO level reuses `lao_budget_summary` (cached per plan
version).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from budgets.models import (
    BudgetPlan,
    BudgetRollup,
    ExpenseCategory,
    PlanStatus,
    Programme,
    Sector,
)
from units import access
from units.models import LAO, Province, Role, User
from units.thai import fiscal_year_of

# The plan-status columns of the tables, in workflow order; "none" is an active LAO without a
# plan for the year.
STATUS_COLUMNS = (
    PlanStatus.ENACTED,
    PlanStatus.SUBMITTED,
    PlanStatus.RETURNED,
    PlanStatus.DRAFT,
)
NO_PLAN = "none"
ZERO = Decimal(0)


def display_name(item) -> str:
    """The name of a province or classification item in the active language (Thai default)."""
    if get_language() == "en" and getattr(item, "name_en", ""):
        return item.name_en
    return item.name_th


@dataclass(frozen=True)
class Classification:
    """The (small) reference lists every level needs for its filters and labels."""

    provinces: list[Province]
    sectors: list[Sector]
    programmes: list[Programme]
    categories: list[ExpenseCategory]

    @property
    def labels(self) -> tuple:
        """Every code and name shown: part of the cached tables' key (names can be edited)."""
        return tuple(
            (type(item).__name__, item.pk, item.key if hasattr(item, "key") else item.code,
             item.name_th, item.name_en)
            for items in (self.provinces, self.sectors, self.programmes, self.categories)
            for item in items
        )  # fmt: skip

    @property
    def province_by_code(self) -> dict[str, Province]:
        return {province.code: province for province in self.provinces}

    @property
    def sector_by_key(self) -> dict[str, Sector]:
        return {sector.key: sector for sector in self.sectors}

    @property
    def programme_by_key(self) -> dict[str, Programme]:
        return {programme.key: programme for programme in self.programmes}

    @property
    def category_by_key(self) -> dict[str, ExpenseCategory]:
        return {category.key: category for category in self.categories}


def explorer_classification() -> Classification:
    """Provinces, programmes with their sectors, and expense categories, in display order: three
    queries (sectors come with the programmes through select_related)."""
    # `.only()`: the province boundary GeoJSON is heavy; labels need codes and names only.
    provinces = list(Province.objects.only("code", "name_th", "name_en").order_by("code"))
    programmes = list(
        Programme.objects.select_related("sector").order_by(
            "sector__sort_order", "sector__key", "sort_order", "key"
        )
    )
    sectors = list({programme.sector_id: programme.sector for programme in programmes}.values())
    categories = list(ExpenseCategory.objects.order_by("sort_order", "key"))
    return Classification(provinces, sectors, programmes, categories)


def explorer_years() -> list[int]:
    """Fiscal years with an enacted budget anywhere (the national total cell), newest first:
    one query on the rollup's unique index."""
    return list(
        BudgetRollup.objects.filter(province=None, kind="", programme=None, category=None)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
    )


@dataclass(frozen=True)
class Slice:
    """What the explorer shows: a fiscal year, optionally one province, and a cut of the
    classification (LAO kind, sector or programme, expense category). Empty means "all"."""

    fiscal_year: int
    province: Province | None = None
    kind: str = ""
    sector: Sector | None = None
    programme: Programme | None = None
    category: ExpenseCategory | None = None
    # The programmes of `sector` (from the classification already loaded by the page).
    sector_programme_ids: frozenset[int] = frozenset()

    @property
    def programme_ids(self) -> frozenset[int] | None:
        """The programmes summed for a sector or programme cut (None: every programme, read
        from the rollup's "all programmes" cells). A programme outside the chosen sector leaves
        nothing to show."""
        if self.programme is not None:
            if self.sector is not None and self.programme.sector_id != self.sector.pk:
                return frozenset()
            return frozenset({self.programme.pk})
        if self.sector is not None:
            return self.sector_programme_ids
        return None

    @property
    def is_sliced(self) -> bool:
        """Does a classification cut apply (the plan counts ignore programme and category)?"""
        return bool(self.sector or self.programme or self.category)


def explorer_slice(*, data: dict, classification: Classification, years: list[int]) -> Slice:
    """The Slice of a FilterSet's cleaned data (codes and keys): the fiscal year defaults to the
    latest year with an enacted budget (the current fiscal year when there is none)."""
    sector = classification.sector_by_key.get(data.get("sector") or "")
    return Slice(
        fiscal_year=data.get("fiscal_year") or (years[0] if years else current_fiscal_year()),
        province=classification.province_by_code.get(data.get("province") or ""),
        kind=data.get("kind") or "",
        sector=sector,
        programme=classification.programme_by_key.get(data.get("programme") or ""),
        category=classification.category_by_key.get(data.get("category") or ""),
        sector_programme_ids=frozenset(
            programme.pk
            for programme in classification.programmes
            if sector is not None and programme.sector_id == sector.pk
        ),
    )


def current_fiscal_year() -> int:
    """The Thai fiscal year of today."""
    return fiscal_year_of(timezone.localdate())


@dataclass
class Level:
    """The shaped data of the nation or province level."""

    slice: Slice
    total: Decimal = ZERO
    trend: list[dict] = field(default_factory=list)
    # Province id → enacted amount (nation level only); explorer_province_table adds the counts.
    province_amounts: dict[int, Decimal] = field(default_factory=dict)
    sectors: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    # The rollup cells read, as fetched: what the level's tables are made of.
    cells: tuple = ()


def _rollup_rows(s: Slice) -> list[tuple]:
    """Every rollup cell the level needs, in one query: (year, province, programme, category,
    amount) of the slice's LAO kind."""
    ids = s.programme_ids
    programme_cut = Q(programme=None) if ids is None else Q(programme__in=ids)
    category_cut = Q(category=None) if s.category is None else Q(category=s.category)
    scope = Q(province=s.province)  # None: the national cells
    in_year = Q(fiscal_year=s.fiscal_year)
    programmes = ~Q(programme=None) if ids is None else Q(programme__in=ids)
    categories = ~Q(category=None) if s.category is None else Q(category=s.category)
    wanted = (
        (scope & programme_cut & category_cut)  # the trend over every year
        | (in_year & scope & programmes & category_cut)  # by programme
        | (in_year & scope & programme_cut & categories)  # by expense category
    )
    if s.province is None:
        wanted |= in_year & ~Q(province=None) & programme_cut & category_cut  # by province
    return list(
        BudgetRollup.objects.filter(wanted, kind=s.kind).values_list(
            "fiscal_year", "province_id", "programme_id", "category_id", "amount"
        )
    )


def explorer_level(*, slice: Slice, classification: Classification, years: list[int]) -> Level:
    """The nation level (slice without a province) or a province level: total of the year, the
    trend over `years`, the table by province (nation only), programmes grouped by sector and
    expense categories. One query on BudgetRollup."""
    s = slice
    ids = s.programme_ids
    category_id = s.category.pk if s.category else None
    scope_id = s.province.pk if s.province else None
    by_year, by_province = defaultdict(Decimal), defaultdict(Decimal)
    by_programme, by_category = defaultdict(Decimal), defaultdict(Decimal)
    cells = tuple(_rollup_rows(s))
    for year, province_id, programme_id, row_category_id, amount in cells:
        programme_in_cut = programme_id is None if ids is None else programme_id in ids
        category_in_cut = row_category_id == category_id
        in_scope = province_id == scope_id
        if in_scope and programme_in_cut and category_in_cut:
            by_year[year] += amount
        if year != s.fiscal_year:
            continue
        if province_id is not None and scope_id is None and programme_in_cut and category_in_cut:
            by_province[province_id] += amount
        if in_scope and programme_id is not None and category_in_cut:
            if ids is None or programme_id in ids:
                by_programme[programme_id] += amount
        if in_scope and programme_in_cut and row_category_id is not None:
            if category_id is None or row_category_id == category_id:
                by_category[row_category_id] += amount

    level = Level(slice=s, total=by_year.get(s.fiscal_year, ZERO), cells=cells)
    level.trend = [
        {"fiscal_year": year, "amount": by_year.get(year, ZERO)}
        for year in sorted({*years, *by_year})
    ]
    sectors = []
    for sector in classification.sectors:
        rows = [
            {"programme": programme, "amount": by_programme[programme.pk]}
            for programme in classification.programmes
            if programme.sector_id == sector.pk and programme.pk in by_programme
        ]
        if rows:
            sectors.append(
                {"sector": sector, "amount": sum(r["amount"] for r in rows), "programmes": rows}
            )
    level.sectors = sectors
    level.categories = [
        {"category": category, "amount": by_category[category.pk]}
        for category in classification.categories
        if category.pk in by_category
    ]
    level.province_amounts = dict(by_province)
    return level


def _active_laos(s: Slice) -> QuerySet[LAO]:
    laos = LAO.objects.active()
    if s.kind:
        laos = laos.filter(kind=s.kind)
    if s.province is not None:
        laos = laos.filter(province=s.province)
    return laos


def explorer_counts(*, slice: Slice) -> dict[int, dict[str, int]]:
    """Province id → {"active": n, "enacted": n, "submitted": n, "returned": n, "draft": n,
    "none": n} for the slice's year and LAO kind, active LAOs only. One grouped query: the
    active LAOs joined to their plan of the year, if any, and counted by province and plan
    status, never one query per province; both sides read covering indexes (~5 ms
    nationally), so the counts are always current."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"active": 0, **{status: 0 for status in STATUS_COLUMNS}, NO_PLAN: 0}
    )
    rows = (
        _active_laos(slice)
        .annotate(
            plan=FilteredRelation(
                "budget_plans", condition=Q(budget_plans__fiscal_year=slice.fiscal_year)
            )
        )
        .order_by()
        .values_list("province_id", "plan__status")
        .annotate(n=Count("pk"))
    )
    for province_id, status, number in rows:
        counts[province_id]["active"] += number
        counts[province_id][status or NO_PLAN] += number
    return {province_id: {str(k): v for k, v in row.items()} for province_id, row in counts.items()}


def explorer_fingerprint(*parts) -> str:
    """A digest of everything a rendered table is made of (rollup cells, counts, the query
    string that its links keep): the key of the page's cached table fragments, so a fragment
    is reused only while its data is the same and is never stale."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _sum_counts(rows) -> dict[str, int]:
    keys = ("active", *STATUS_COLUMNS, NO_PLAN)
    return {key: sum(row[key] for row in rows) for key in keys}


def explorer_province_table(
    *, level: Level, counts: dict, classification: Classification
) -> list[dict]:
    """Rows of the nation's table by province: province, enacted amount and plan counts."""
    rows = []
    for province in classification.provinces:
        province_counts = counts.get(province.pk)
        amount = level.province_amounts.get(province.pk, ZERO)
        if province_counts is None and not amount:
            continue  # no LAO of the kind there, and no budget
        rows.append(
            {
                "province": province,
                "amount": amount,
                **(province_counts or _sum_counts([])),
            }
        )
    return rows


def explorer_totals(*, counts: dict) -> dict[str, int]:
    """The counts of the whole scope (nation or province): the sum of the provinces' counts."""
    return _sum_counts(counts.values())


def explorer_province_laos(*, slice: Slice, status: str = "") -> QuerySet[LAO]:
    """Active LAOs of the slice's province (and kind) with their plan of the year, if any,
    annotated as plan_pk, plan_status, plan_total; by DLA code. `status` keeps one plan status
    (or "none": LAOs without a plan)."""
    laos = (
        _active_laos(slice)
        .annotate(
            plan=FilteredRelation(
                "budget_plans", condition=Q(budget_plans__fiscal_year=slice.fiscal_year)
            )
        )
        .annotate(
            plan_pk=F("plan__pk"),
            plan_status=F("plan__status"),
            plan_total=F("plan__total_expenditure"),
        )
        # `.only()`: the table shows code, kind and names; the registry row is wide.
        .only("pk", "dla_code", "kind", "name_th", "full_name_th", "name_en")
        .order_by(F("dla_code").asc(nulls_first=True), "pk")
    )
    if status == NO_PLAN:
        laos = laos.filter(plan__pk=None)
    elif status:
        laos = laos.filter(plan__status=status)
    return laos


def explorer_lao(*, code: str) -> LAO:
    """The LAO of the explorer's LAO level with its province and district; 404 when missing."""
    lao = (
        LAO.objects.by_url_code(code)
        .select_related("province", "district")
        .only(
            "pk",
            "dla_code",
            "kind",
            "name_th",
            "full_name_th",
            "name_en",
            "is_active",
            "province__code",
            "province__name_th",
            "province__name_en",
            "district__code",
            "district__name_th",
            "district__name_en",
        )  # fmt: skip
        .first()
    )
    if lao is None:
        raise Http404("No LAO has this code.")
    return lao


def explorer_lao_plans(*, lao: LAO) -> list[BudgetPlan]:
    """Every plan of the LAO (all statuses), newest year first."""
    return list(
        BudgetPlan.objects.filter(lao=lao)
        .order_by("-fiscal_year")
        .only(
            "pk",
            "lao_id",
            "fiscal_year",
            "status",
            "total_expenditure",
            "total_revenue",
            "enacted_at",
            "submitted_at",
            "is_demo",
        )  # fmt: skip
    )


def can_open_plans_of(*, user: User, lao: LAO) -> bool:
    """May `user` open this LAO's plan pages (budgets:plan)? The same rule as
    `selectors.plans_visible_to`, answered without a query: executives and administrators open
    every plan, others those of the LAOs they manage."""
    if access.is_admin(user) or (user.is_authenticated and user.role == Role.EXECUTIVE):
        return True
    return access.can_edit_lao(user, lao)


def explorer_charts(*, level: Level, province_rows: list[dict]) -> dict:
    """The data of the level's charts (for `json_script`): labels and amounts in baht."""

    def chart(rows, label):
        return {
            "labels": [label(row) for row in rows],
            "data": [float(row["amount"]) for row in rows],
        }

    charts = {
        "trend": chart(level.trend, lambda row: str(row["fiscal_year"])),
        "programmes": chart(
            [row for sector in level.sectors for row in sector["programmes"]],
            lambda row: display_name(row["programme"]),
        ),
        "categories": chart(level.categories, lambda row: display_name(row["category"])),
    }
    if province_rows:
        charts["provinces"] = chart(province_rows, lambda row: display_name(row["province"]))
    return charts
