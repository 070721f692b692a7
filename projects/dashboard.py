"""Reads of the executive project dashboard (DLA executives).

Every total comes from ProjectRollup (the CUBE kept current by projects.rollups): one query
returns the cells of the chosen slice, its breakdown by province, by LAO kind and by programme,
and Python sorts them into tables. Lagging projects are read from Project page by page, in the
order of the (lao, code) index, one row more than the page to know whether another follows
(no count over hundreds of thousands of rows). Report submission is one grouped query of
ProgressReport.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from budgets.models import Programme
from projects.models import (
    DISBURSEMENT_LIMIT,
    ProgressReport,
    Project,
    ProjectRollup,
    ReportStatus,
    Stage,
)
from projects.rollups import STAGE_COLUMNS
from units import stamps, thai
from units.caching import fragment_key
from units.charts import ranked_chart
from units.models import LAO, LAOKind, Province
from units.slices import Slice, display_name

ZERO = Decimal(0)
OPEN_STAGES = [Stage.PLANNED, Stage.FUNDED, Stage.PROCUREMENT, Stage.CONTRACTED, Stage.IN_PROGRESS]
# A project is under-disbursed when its disbursed share is this far below the year elapsed.
UNDER_DISBURSED_MARGIN = Decimal("0.25")
LAGGING_PAGE_SIZE = 25
# The LAO rows of a province are kept this long at most (they are keyed by the figures anyway).
LAO_ROWS_SECONDS = 600


def elapsed_share(*, fiscal_year: int, today: datetime.date | None = None) -> Decimal:
    """The share of the fiscal year that has passed on `today` (0 before it, 1 after it)."""
    today = today or timezone.localdate()
    start, end = thai.fiscal_year_range(fiscal_year)
    if today < start:
        return ZERO
    if today > end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def rate(disbursed: Decimal, budget: Decimal) -> Decimal | None:
    """Disbursed share of the budget (None without a budget)."""
    return (disbursed / budget) if budget else None


@dataclass(frozen=True)
class Reference:
    """The small lists the page needs for its filters and labels (two queries)."""

    provinces: list[Province]
    programmes: list[Programme]


def dashboard_reference() -> Reference:
    """Provinces and programmes in display order: two queries."""
    # `.only()`: the province boundary GeoJSON is heavy; labels need codes and names only.
    provinces = list(Province.objects.only("code", "name_th", "name_en").order_by("code"))
    programmes = list(
        Programme.objects.only("key", "name_th", "name_en", "sort_order").order_by(
            "sort_order", "key"
        )
    )
    return Reference(provinces, programmes)


def dashboard_years() -> list[int]:
    """Fiscal years with projects (the national cells), newest first: one query."""
    return list(
        ProjectRollup.objects.filter(province=None, kind="", programme=None)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
    )


@dataclass
class Figures:
    """One rollup cell as the page shows it."""

    budget: Decimal = ZERO
    disbursed: Decimal = ZERO
    projects: int = 0
    stages: dict | None = None

    @classmethod
    def of(cls, cell: ProjectRollup | None) -> "Figures":
        if cell is None:
            return cls(stages=dict.fromkeys(STAGE_COLUMNS, 0))
        return cls(
            budget=cell.budget_amount,
            disbursed=cell.disbursed_amount,
            projects=cell.projects,
            stages={stage: getattr(cell, stage) for stage in STAGE_COLUMNS},
        )

    @property
    def rate(self) -> Decimal | None:
        return rate(self.disbursed, self.budget)

    @property
    def completed(self) -> int:
        return self.stages[Stage.COMPLETED] if self.stages else 0


@dataclass
class Dashboard:
    """The totals of a slice and its breakdowns, every number from rollup cells."""

    slice: Slice
    elapsed: Decimal
    total: Figures
    provinces: list[dict]
    kinds: list[dict]
    programmes: list[dict]

    @property
    def stages(self) -> list[dict]:
        labels = dict(Stage.choices)
        return [
            {"stage": stage, "label": labels[stage], "count": self.total.stages[stage]}
            for stage in STAGE_COLUMNS
        ]


def _row(key: str, item, figures: Figures, elapsed: Decimal) -> dict:
    figure_rate = figures.rate
    return {
        key: item,
        "figures": figures,
        "rate": figure_rate,
        # Points of the year elapsed minus points disbursed: positive is behind.
        "gap": (elapsed - figure_rate) if figure_rate is not None else None,
    }


def dashboard_figures(*, slice: Slice, reference: Reference) -> Dashboard:
    """The slice's totals and its rows by province (at the national level), by LAO kind and by
    programme: one query of the rollup cells involved."""
    province_id, kind, programme_id = slice.province_id, slice.kind, slice.programme_id
    province_q = Q(province_id=province_id) if province_id else Q(province=None)
    programme_q = Q(programme_id=programme_id) if programme_id else Q(programme=None)
    cells = ProjectRollup.objects.filter(fiscal_year=slice.fiscal_year).filter(
        (province_q & Q(kind=kind) & programme_q)
        | (Q(province__isnull=False) & Q(kind=kind) & programme_q)
        | (province_q & ~Q(kind="") & programme_q)
        | (province_q & Q(kind=kind) & Q(programme__isnull=False))
    )
    by_key = {(c.province_id, c.kind, c.programme_id): c for c in cells}
    elapsed = elapsed_share(fiscal_year=slice.fiscal_year)
    total = Figures.of(by_key.get((province_id, kind, programme_id)))
    provinces = (
        [
            _row("province", province, Figures.of(by_key[province.pk, kind, programme_id]), elapsed)
            for province in reference.provinces
            if (province.pk, kind, programme_id) in by_key
        ]
        if province_id is None
        else []
    )
    kinds = [
        _row("kind", label, Figures.of(by_key[province_id, value, programme_id]), elapsed)
        for value, label in LAOKind.choices
        if (province_id, value, programme_id) in by_key and (not kind or value == kind)
    ]
    programmes = [
        _row("programme", programme, Figures.of(by_key[province_id, kind, programme.pk]), elapsed)
        for programme in reference.programmes
        if (province_id, kind, programme.pk) in by_key
        and (programme_id is None or programme.pk == programme_id)
    ]
    return Dashboard(slice, elapsed, total, provinces, kinds, programmes)


def dashboard_charts(*, dashboard: Dashboard) -> dict:
    """The data of the page's charts (json_script): projects by stage, and the disbursement
    rate by province (or by programme inside a province) against the year elapsed."""
    rows = dashboard.provinces or dashboard.programmes
    key = "province" if dashboard.provinces else "programme"
    # Ranked, highest rate first; 77 provinces become the 10 highest and the 10 lowest.
    rates = ranked_chart(
        rows,
        value=lambda row: round(float(row["rate"] or 0) * 100, 1),
        label=lambda row: display_name(row[key]),
    )
    return {
        "stages": {
            "labels": [str(row["label"]) for row in dashboard.stages],
            "data": [row["count"] for row in dashboard.stages],
        },
        "rates": {**rates, "elapsed": round(float(dashboard.elapsed) * 100, 1)},
    }


def province_lao_rows(*, slice: Slice, elapsed: Decimal) -> list[dict]:
    """The LAOs of the slice's province that have projects in its year (and kind, programme),
    by DLA code, each with the figures of the tables by province: one grouped query over the
    province's projects of the year (the (lao, fiscal_year, stage) index, a few hundred LAOs).
    [] at the national level."""
    if slice.province is None:
        return []
    projects = Project.objects.filter(fiscal_year=slice.fiscal_year, lao__province=slice.province)
    if slice.kind:
        projects = projects.filter(lao__kind=slice.kind)
    if slice.programme is not None:
        projects = projects.filter(programme=slice.programme)
    grouped = (
        projects.order_by("lao__dla_code", "lao_id")
        .values("lao_id", "lao__dla_code", "lao__full_name_th", "lao__name_th", "lao__name_en")
        .annotate(
            projects=Count("pk"),
            budget=Sum("budget_amount"),
            disbursed=Sum("disbursed_total"),
            completed=Count("pk", filter=Q(stage=Stage.COMPLETED)),
        )
    )
    rows = []
    for row in grouped:
        lao = LAO(
            pk=row["lao_id"],
            dla_code=row["lao__dla_code"],
            full_name_th=row["lao__full_name_th"],
            name_th=row["lao__name_th"],
            name_en=row["lao__name_en"],
        )
        figures = Figures(
            budget=row["budget"] or ZERO,
            disbursed=row["disbursed"] or ZERO,
            projects=row["projects"],
            stages={Stage.COMPLETED: row["completed"]},
        )
        rows.append(_row("lao", lao, figures, elapsed))
    return rows


# --- Lagging projects -------------------------------------------------------------------------


def lagging_projects(
    *, slice: Slice, lao: LAO | None = None, today: datetime.date | None = None
) -> QuerySet[Project]:
    """Open projects of the slice that are behind schedule (planned end passed) or
    under-disbursed (disbursed share of the contract, or budget, more than
    UNDER_DISBURSED_MARGIN below the share of the year elapsed), ordered by LAO and code (the
    (lao, code) index, so a page reads few rows). Selects the LAO and its province."""
    today = today or timezone.localdate()
    threshold = elapsed_share(fiscal_year=slice.fiscal_year, today=today) - UNDER_DISBURSED_MARGIN
    behind = Q(planned_end__lt=today)
    under = Q(stage__in=[Stage.CONTRACTED, Stage.IN_PROGRESS]) & Q(
        disbursed_total__lt=DISBURSEMENT_LIMIT * threshold
    )
    projects = Project.objects.filter(fiscal_year=slice.fiscal_year, stage__in=OPEN_STAGES)
    projects = projects.filter(behind | under) if threshold > 0 else projects.filter(behind)
    if lao is not None:
        projects = projects.filter(lao=lao)
    if slice.province is not None:
        projects = projects.filter(lao__province=slice.province)
    if slice.kind:
        projects = projects.filter(lao__kind=slice.kind)
    if slice.programme is not None:
        projects = projects.filter(programme=slice.programme)
    # `.only()`: the list shows names, stage, dates and money; targets and notes are long.
    return (
        projects.select_related("lao__province")
        .only(
            "code",
            "name",
            "fiscal_year",
            "stage",
            "planned_end",
            "budget_amount",
            "contract_amount",
            "disbursed_total",
            "progress_percent",
            "lao__dla_code",
            "lao__name_th",
            "lao__full_name_th",
            "lao__name_en",
            "lao__kind",
            "lao__province__code",
            "lao__province__name_th",
            "lao__province__name_en",
        )
        .order_by("lao_id", "code")
    )


@dataclass(frozen=True)
class LaggingPage:
    """A page of lagging projects: its rows, its number and whether more follow."""

    rows: list[Project]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(value: str | int | None) -> int:
    """The page asked for (`?page=`), from 1; anything else is page 1."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def lagging_page(*, projects: QuerySet[Project], page: str | int | None) -> LaggingPage:
    """Page `page` (from 1) of lagging projects: one query of LAGGING_PAGE_SIZE + 1 rows."""
    page = page_number(page)
    offset = (page - 1) * LAGGING_PAGE_SIZE
    rows = list(projects[offset : offset + LAGGING_PAGE_SIZE + 1])
    return LaggingPage(rows[:LAGGING_PAGE_SIZE], page, len(rows) > LAGGING_PAGE_SIZE)


# --- Quarterly report submission ------------------------------------------------------------


REPORT_COLUMNS = [
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
    ReportStatus.RETURNED,
    ReportStatus.DRAFT,
]


def report_status(*, slice: Slice, reference: Reference) -> list[dict]:
    """Progress reports of the fiscal year by province and quarter, counted by status: one
    grouped query. Rows: province, then per quarter a dict of status → count."""
    reports = ProgressReport.objects.filter(fiscal_year=slice.fiscal_year)
    if slice.province is not None:
        reports = reports.filter(lao__province=slice.province)
    if slice.kind:
        reports = reports.filter(lao__kind=slice.kind)
    counts: dict[int, dict[int, dict[str, int]]] = {}
    for province_id, quarter, status, number in (
        reports.values_list("lao__province_id", "quarter", "status")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        by_quarter = counts.setdefault(province_id, {})
        by_quarter.setdefault(quarter, dict.fromkeys(REPORT_COLUMNS, 0))[status] = number
    return [
        {
            "province": province,
            "quarters": [
                counts[province.pk].get(quarter, dict.fromkeys(REPORT_COLUMNS, 0))
                for quarter in (1, 2, 3, 4)
            ],
        }
        for province in reference.provinces
        if province.pk in counts
    ]


# --- What the pages and downloads read --------------------------------------------------------


def lagging_lao(*, code: str) -> LAO | None:
    """The LAO of a lagging list drilled down to one LAO (`?lao=<DLA code>`), with its
    province; None without a code, 404 for an unknown one."""
    if not code:
        return None
    # `.only()`: the heading and breadcrumbs show names and codes; the registry row is wide.
    return get_object_or_404(
        LAO.objects.select_related("province").only(
            "dla_code",
            "name_th",
            "full_name_th",
            "name_en",
            "kind",
            "province__code",
            "province__name_th",
            "province__name_en",
        ),
        dla_code=code,
    )


def _lagging_shown(lagging: LaggingPage) -> list[tuple]:
    """Every value a row of the lagging table shows (its cache key)."""
    return [
        (
            p.pk,
            p.code,
            p.name,
            p.stage,
            p.planned_end,
            p.budget_amount,
            p.contract_amount,
            p.disbursed_total,
            p.progress_percent,
            p.lao_id,
        )
        for p in lagging.rows
    ]


def province_stamp(province_id: int) -> str:
    """The data stamp of the projects of a province's LAOs (`units.stamps`): every project
    write moves it (`projects.services`), so the province's LAO table, cached under it, is
    renewed by any change of any of its LAOs, even one the province's totals do not show
    (a budget moved from one LAO's project to another's)."""
    return f"projects:province:{province_id}"


def dashboard_stamps(*, slice: Slice) -> tuple[int, ...]:
    """The stamps of what the rendered tables show beyond their own figures: the registry (LAO
    and province names) and, at a province, its projects' stamp. One query."""
    names = [stamps.UNITS]
    if slice.province is not None:
        names.append(province_stamp(slice.province.pk))
    return stamps.read(names)


def lagging_key(*, lagging: LaggingPage, query: str, data_stamps: tuple) -> str:
    """The cache key of a rendered page of lagging projects: a digest of every value its rows
    show, its place among the pages, the query string its links keep and the registry's stamp
    (the LAO and province names)."""
    return fragment_key(
        _lagging_shown(lagging), lagging.number, lagging.has_next, query, data_stamps
    )


def lagging_page_data(*, slice: Slice, lao: LAO | None, page, query: str) -> dict:
    """A page of lagging projects of the slice (or of one LAO) and the cache key of its
    rendered table: two queries."""
    lagging = lagging_page(projects=lagging_projects(slice=slice, lao=lao), page=page)
    data_stamps = dashboard_stamps(slice=slice)
    return {
        "lagging": lagging,
        "lagging_key": lagging_key(lagging=lagging, query=query, data_stamps=data_stamps),
    }


def dashboard_page_data(*, slice: Slice, reference: Reference, page, query: str) -> dict:
    """Everything the dashboard page shows: figures and charts, a page of lagging projects,
    report submission, the LAOs of a province (`province_lao_rows`, read only when their
    rendered table is not cached), and the cache keys of the four rendered tables, each a
    digest of everything it shows (or of the stamps of its data) and of the query string its
    links keep, so a cached table is never stale. Five queries, six at a province the first
    time."""
    figures = dashboard_figures(slice=slice, reference=reference)
    lagging = lagging_page(projects=lagging_projects(slice=slice), page=page)
    reports = report_status(slice=slice, reference=reference)
    data_stamps = dashboard_stamps(slice=slice)
    laos_key = fragment_key("laos", figures, data_stamps)
    return {
        "dashboard": figures,
        # Lazy: read only when the rendered LAO table (cached under `laos_key`) is not, so a
        # province of several hundred LAOs costs neither the grouped query nor unpickling its
        # rows. Kept under the same key (the figures and the province's stamps), so the query
        # runs once per change of the province's projects, whatever the query string.
        "lao_rows": SimpleLazyObject(
            lambda: cache.get_or_set(
                laos_key,
                lambda: province_lao_rows(slice=slice, elapsed=figures.elapsed),
                LAO_ROWS_SECONDS,
            )
        ),
        "charts": dashboard_charts(dashboard=figures),
        "lagging": lagging,
        "reports": reports,
        "tables_key": fragment_key(figures, query, data_stamps),
        "laos_key": fragment_key(laos_key, query),
        "lagging_key": lagging_key(lagging=lagging, query=query, data_stamps=data_stamps),
        "reports_key": fragment_key(reports, query, data_stamps),
    }


def dashboard_table_rows(*, table: str, slice: Slice, reference: Reference) -> list[dict]:
    """The rows of one table of the dashboard for its download: "provinces", "kinds",
    "programmes" or "stages"."""
    figures = dashboard_figures(slice=slice, reference=reference)
    return {
        "provinces": figures.provinces,
        "kinds": figures.kinds,
        "programmes": figures.programmes,
        "stages": figures.stages,
    }[table]
