"""Reads of the national budget explorer (DLA executives): nation → province → LAO.

Every amount of the nation and province levels is read from BudgetRollup, the CUBE of enacted
lines kept current by budgets.rollups: one query returns every cell a level shows (the five-year
trend, the table by province, the breakdowns by programme and by expense category) and Python
sorts the cells into those tables. The shaped level, the classification and the years are
cached under the data stamps of what they are read from (REFERENCE_STAMPS: the registry, the
classification, the rollup), so a cached page reads one row of stamps for them. Counts of LAOs by
plan status and the years not all enacted are read live, in one statement (`explorer_plan_counts`).
Nothing here sums BudgetLine per request; the LAO level reuses `lao_budget_summary` (cached per
plan version).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from budgets.models import (
    BudgetPlan,
    BudgetRollup,
    ExpenseCategory,
    PlanStatus,
    Programme,
    Sector,
)
from budgets.profile import CLASSIFICATION_STAMP
from budgets.rollups import ROLLUP_STAMP
from units import access
from units import stamps as data_stamps
from units.caching import fragment_key
from units.charts import ranked_chart
from units.models import LAO, Province, User
from units.slices import Slice, display_name

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
            (
                type(item).__name__,
                item.pk,
                item.key if hasattr(item, "key") else item.code,
                item.name_th,
                item.name_en,
            )
            for items in (self.provinces, self.sectors, self.programmes, self.categories)
            for item in items
        )


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


# What the cached reference lists and levels are made of: province names (the registry), the
# classification, and the rollup (its writers, budgets.rollups, move ROLLUP_STAMP).
REFERENCE_STAMPS = (data_stamps.UNITS, CLASSIFICATION_STAMP, ROLLUP_STAMP)
# Entries are never stale (their key moves with every write): the timeout only frees memory.
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Reference:
    """The classification and the years of the explorer, with the stamps they were read under."""

    classification: Classification
    years: list[int]
    stamps: tuple[int, ...]


def explorer_reference() -> Reference:
    """The classification (`explorer_classification`) and the years (`explorer_years`), cached
    under the values of REFERENCE_STAMPS: one query when cached (the stamps), five otherwise
    (~110 objects built from four queries, ~4 ms of every request before)."""
    values = data_stamps.read(REFERENCE_STAMPS)
    return cache.get_or_set(
        f"budget-explorer:reference:{fragment_key(values)}",
        lambda: Reference(explorer_classification(), explorer_years(), values),
        CACHE_SECONDS,
    )


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


def explorer_level_cached(
    *, slice: Slice, classification: Classification, years: list[int], stamps: tuple
) -> Level:
    """`explorer_level`, cached under `stamps` (the values of REFERENCE_STAMPS it was read
    with, `Reference.stamps`) and the slice: no query when cached."""
    s = slice
    key = "budget-explorer:level:" + fragment_key(
        stamps,
        s.fiscal_year,
        s.province_id,
        s.kind,
        s.sector.pk if s.sector else None,
        s.programme_id,
        s.category.pk if s.category else None,
        sorted(s.programme_ids) if s.programme_ids is not None else None,
        years,
    )
    return cache.get_or_set(
        key,
        lambda: explorer_level(slice=s, classification=classification, years=years),
        CACHE_SECONDS,
    )


def _active_laos(s: Slice) -> QuerySet[LAO]:
    laos = LAO.objects.active()
    if s.kind:
        laos = laos.filter(kind=s.kind)
    if s.province is not None:
        laos = laos.filter(province=s.province)
    return laos


# The two parts of `explorer_plan_counts`' one statement.
_BY_PROVINCE, _ENACTED_IN_YEAR = "province", "year"


def _enacted_plans_by_year(s: Slice, years: list[int]) -> list[QuerySet]:
    """Querysets of (part, fiscal year, "", n) whose n add up to the enacted plans of the
    slice's active LAOs in each of `years`."""
    plans = BudgetPlan.objects.filter(status=PlanStatus.ENACTED, fiscal_year__in=years).order_by()

    def by_year(plans: QuerySet, number) -> QuerySet:
        return (
            plans.annotate(part=Value(_ENACTED_IN_YEAR), key=F("fiscal_year"), state=Value(""))
            .values_list("part", "key", "state")
            .annotate(n=number)
        )

    if s.province is None and not s.kind:
        # The whole country: every enacted plan, less those of inactive LAOs (a handful).
        # Joining the ~38,000 plans of five years to the active LAOs costs ~15 ms nationally;
        # counting them from the (fiscal_year, status) index and subtracting the inactive LAOs'
        # plans (found from the LAO side), ~3 ms.
        return [
            by_year(plans, Count("*")),
            by_year(plans.filter(lao__is_active=False), Value(0) - Count("*")),
        ]
    # A province's LAOs are probed one by one (index budgetplan_lao_year_status).
    return [by_year(plans.filter(lao__in=_active_laos(s)), Count("*"))]


def explorer_plan_counts(*, slice: Slice, years: list[int]) -> tuple[dict, dict[int, int]]:
    """The plan counts of the slice's year and the years whose plans are not all enacted, in
    one statement (never one query per province or year), always current:

    - counts: province id → {"active": n, "enacted": n, "submitted": n, "returned": n,
      "draft": n, "none": n} for the slice's year and LAO kind, active LAOs only (the active
      LAOs joined to their plan of the year, counted by province and plan status);
    - pending: fiscal year → active LAOs of the slice without an enacted plan that year, for
      the years of `years` where some are missing (those years' totals are lower until their
      plans are enacted)."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"active": 0, **{status: 0 for status in STATUS_COLUMNS}, NO_PLAN: 0}
    )
    by_province = (
        _active_laos(slice)
        .annotate(
            plan=FilteredRelation(
                "budget_plans", condition=Q(budget_plans__fiscal_year=slice.fiscal_year)
            )
        )
        .order_by()
        .annotate(part=Value(_BY_PROVINCE), key=F("province_id"), state=F("plan__status"))
        .values_list("part", "key", "state")
        .annotate(n=Count("pk"))
    )
    enacted_parts = _enacted_plans_by_year(slice, years) if years else []
    rows = by_province.union(*enacted_parts, all=True).order_by() if enacted_parts else by_province
    enacted: dict[int, int] = defaultdict(int)
    for part, key, status, number in rows:
        if part == _ENACTED_IN_YEAR:
            enacted[key] += number
        else:
            counts[key]["active"] += number
            counts[key][status or NO_PLAN] += number
    counts = {key: {str(k): v for k, v in row.items()} for key, row in counts.items()}
    active = sum(row["active"] for row in counts.values())
    pending = {year: active - enacted[year] for year in years if enacted[year] < active}
    return counts, pending


def explorer_counts(*, slice: Slice) -> dict[int, dict[str, int]]:
    """The plan counts by province of `explorer_plan_counts`, alone: one query."""
    return explorer_plan_counts(slice=slice, years=[])[0]


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


def explorer_province_laos(*, slice: Slice, user: User, status: str = "") -> QuerySet[LAO]:
    """Active LAOs of the slice's province (and kind) with their plan of the year, if any,
    annotated as plan_pk, plan_status, plan_total; by DLA code. `status` keeps one plan status
    (or "none": LAOs without a plan).

    A plan that is not enacted shows only to those who may see it
    (`access.can_see_unpublished_plans`); for others the LAO has no plan of the year yet."""
    laos = _active_laos(slice).annotate(
        plan=FilteredRelation(
            "budget_plans", condition=Q(budget_plans__fiscal_year=slice.fiscal_year)
        )
    )
    if access.reads_all(user):
        visible = {
            "plan_pk": F("plan__pk"),
            "plan_status": F("plan__status"),
            "plan_total": F("plan__total_expenditure"),
        }
    else:
        shown = Q(plan__status=PlanStatus.ENACTED) | Q(pk__in=access.laos_managed_by(user))
        visible = {
            name: Case(When(shown, then=F(field)), default=None)
            for name, field in (
                ("plan_pk", "plan__pk"),
                ("plan_status", "plan__status"),
                ("plan_total", "plan__total_expenditure"),
            )
        }
    laos = (
        laos.annotate(**visible)
        # `.only()`: the table shows code, kind and names; the registry row is wide.
        .only("pk", "dla_code", "kind", "name_th", "full_name_th", "name_en")
        .order_by(F("dla_code").asc(nulls_first=True), "pk")
    )
    if status == NO_PLAN:
        laos = laos.filter(plan_pk=None)
    elif status:
        laos = laos.filter(plan_status=status)
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
        )
        .first()
    )
    if lao is None:
        raise Http404("No LAO has this code.")
    return lao


def explorer_lao_plans(*, lao: LAO, user: User) -> list[BudgetPlan]:
    """The plans of the LAO that `user` may see, newest year first: every status for those who
    may see its unpublished plans (`access.can_see_unpublished_plans`), enacted ones for other
    back-office users."""
    plans = BudgetPlan.objects.filter(lao=lao)
    if not access.can_see_unpublished_plans(user, lao):
        plans = plans.filter(status=PlanStatus.ENACTED)
    return list(
        plans.order_by("-fiscal_year").only(
            "pk",
            "lao_id",
            "fiscal_year",
            "status",
            "total_expenditure",
            "total_revenue",
            "enacted_at",
            "submitted_at",
            "is_demo",
        )
    )


def explorer_charts(
    *, level: Level, province_rows: list[dict], pending: dict[int, int] | None = None
) -> dict:
    """The data of the level's charts (for `json_script`): labels and amounts in baht. The
    trend marks the years whose plans are not all enacted (`pending`: LAOs without an enacted
    plan, 0 for a complete year); the provinces are ranked, the 10 highest and 10 lowest
    (`units.charts.ranked_chart`)."""
    pending = pending or {}

    def chart(rows, label):
        return {
            "labels": [label(row) for row in rows],
            "data": [float(row["amount"]) for row in rows],
        }

    trend = chart(level.trend, lambda row: str(row["fiscal_year"]))
    trend["pending"] = [pending.get(row["fiscal_year"], 0) for row in level.trend]
    trend["pending_text"] = str(_("LAOs without an enacted plan yet"))
    charts = {
        "trend": trend,
        "programmes": chart(
            [row for sector in level.sectors for row in sector["programmes"]],
            lambda row: display_name(row["programme"]),
        ),
        "categories": chart(level.categories, lambda row: display_name(row["category"])),
    }
    if province_rows:
        charts["provinces"] = ranked_chart(
            province_rows,
            value=lambda row: float(row["amount"]),
            label=lambda row: display_name(row["province"]),
        )
    return charts


# --- What a level's page and downloads read -------------------------------------------------

PAGE_SIZE = 50
STATUS_LABELS = {**dict(PlanStatus.choices), NO_PLAN: _("No plan yet")}


def plan_status_label(lao: LAO) -> str:
    """The status of the LAO's plan of the year (`explorer_province_laos`), or "No plan yet"."""
    return str(STATUS_LABELS[lao.plan_status or NO_PLAN])


def explorer_level_data(
    *,
    slice: Slice,
    classification: Classification,
    years: list[int],
    stamps: tuple,
    mark_pending: bool = False,
):
    """The level (`explorer_level`, cached under `stamps`, the values of `REFERENCE_STAMPS`),
    its plan counts by province, the rows of its table by province (nation level only), its
    totals and, with `mark_pending`, the years of its trend not all enacted
    (`explorer_plan_counts`): two queries, one on a cached level."""
    level = explorer_level_cached(
        slice=slice, classification=classification, years=years, stamps=stamps
    )
    counts, pending = explorer_plan_counts(
        slice=slice, years=[row["fiscal_year"] for row in level.trend] if mark_pending else []
    )
    province_rows = (
        explorer_province_table(level=level, counts=counts, classification=classification)
        if slice.province is None
        else []
    )
    return {
        "level": level,
        "province_rows": province_rows,
        "totals": explorer_totals(counts=counts),
        "counts": counts,
        "pending": pending,
    }


def explorer_page_data(
    *,
    slice: Slice,
    classification: Classification,
    years: list[int],
    stamps: tuple,
    user: User,
    status: str,
    page: str | None,
    query: str,
) -> dict:
    """Everything the nation or province page shows: the level data, a page of the province's
    LAOs (`status` keeps one plan status), the charts, and `fingerprint`, the key of the cached
    tables (rendering them costs more than reading them): a digest of the rollup cells, the
    counts, the years, the labels and the validated query the tables' links keep
    (`ExplorerForm.keep_query`). `stamps`: the values of `REFERENCE_STAMPS`
    (`explorer_reference`), the key of the cached level."""
    data = explorer_level_data(
        slice=slice, classification=classification, years=years, stamps=stamps, mark_pending=True
    )
    if slice.province is not None:
        laos = explorer_province_laos(slice=slice, user=user, status=status)
        data["page_obj"] = Paginator(laos, PAGE_SIZE).get_page(page)
        data["lao_rows"] = [
            {"lao": lao, "status_label": STATUS_LABELS.get(lao.plan_status or NO_PLAN)}
            for lao in data["page_obj"]
        ]
    for row in data["level"].trend:
        row["pending"] = data["pending"].get(row["fiscal_year"], 0)
    data["fingerprint"] = fragment_key(
        data["level"].cells,
        sorted(data.pop("counts").items()),
        sorted(data["pending"].items()),
        years,
        classification.labels,
        query,
    )
    data["charts"] = explorer_charts(
        level=data["level"], province_rows=data["province_rows"], pending=data["pending"]
    )
    return data


def explorer_table_rows(
    *,
    table: str,
    slice: Slice,
    classification: Classification,
    years: list[int],
    stamps: tuple,
    user: User,
    status: str,
):
    """The rows of one table of a level for its download: "years", "provinces", "programmes",
    "categories", or "laos" (a province's LAOs, streamed; 404 at the nation level)."""
    if table == "laos":
        if slice.province is None:
            raise Http404("The LAO table belongs to a province.")
        return explorer_province_laos(slice=slice, user=user, status=status).iterator()
    data = explorer_level_data(
        slice=slice, classification=classification, years=years, stamps=stamps
    )
    level = data["level"]
    return {
        "years": level.trend,
        "provinces": data["province_rows"],
        "programmes": [row for sector in level.sectors for row in sector["programmes"]],
        "categories": level.categories,
    }[table]
