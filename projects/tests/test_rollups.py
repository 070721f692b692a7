from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from budgets.importers import classification_import
from budgets.models import Programme
from projects.models import Project, ProjectRollup, Stage
from projects.rollups import (
    STAGE_COLUMNS,
    UPSERT_MAX_CELLS,
    ProjectFigures,
    project_figures,
    rollup_move_project,
    rollup_move_projects,
    rollups_rebuild,
)
from projects.tests.factories import ProjectFactory
from units.models import LAOKind
from units.tests.factories import (
    DistrictFactory,
    LAOFactory,
    ProvinceFactory,
    TwoProvinces,
    two_provinces,
)

pytestmark = pytest.mark.django_db

YEAR = 2568


@dataclass
class Seeded(TwoProvinces):
    programmes: list[Programme]  # the three the projects are in (or none: every seventh)


@pytest.fixture
def seeded() -> Seeded:
    classification_import()
    provinces = two_provinces(
        [LAOKind.SAO, LAOKind.SUBDISTRICT_MUNICIPALITY], [LAOKind.SAO], codes=("50", "90")
    )
    programmes = list(Programme.objects.order_by("pk")[:3])
    stages = list(Stage)
    number = 0
    for lao in provinces.laos:
        for year in (YEAR - 1, YEAR):
            for index in range(7):
                number += 1
                stage = stages[(number * 3) % len(stages)]
                budget = Decimal(100_000 + number * 1_234) + Decimal("0.25")
                paid = budget / 2 if stage in {Stage.IN_PROGRESS, Stage.COMPLETED} else 0
                ProjectFactory(
                    lao=lao,
                    code=f"{year}-{index:03d}",
                    name=f"โครงการ {number}",
                    fiscal_year=year,
                    # Every seventh project has no programme.
                    programme=None if index == 6 else programmes[number % 3],
                    budget_amount=budget,
                    disbursed_total=paid,
                    stage=stage,
                )
    rollups_rebuild()
    return Seeded(**vars(provinces), programmes=programmes)


def project_sums(**filters):
    stage_counts = {stage: Count("pk", filter=Q(stage=stage)) for stage in STAGE_COLUMNS}
    sums = Project.objects.filter(**filters).aggregate(
        budget=Sum("budget_amount"),
        disbursed=Sum("disbursed_total"),
        projects=Count("pk"),
        **stage_counts,
    )
    return {
        "budget": sums["budget"] or Decimal(0),
        "disbursed": sums["disbursed"] or Decimal(0),
        **{key: sums[key] for key in ["projects", *STAGE_COLUMNS]},
    }


def cell_sums(**dimensions):
    values = {"province": None, "kind": "", "programme": None, **dimensions}
    row = ProjectRollup.objects.filter(**values).first()
    if row is None:
        return {
            "budget": Decimal(0),
            "disbursed": Decimal(0),
            "projects": 0,
            **dict.fromkeys(STAGE_COLUMNS, 0),
        }
    return {
        "budget": row.budget_amount,
        "disbursed": row.disbursed_amount,
        **{key: getattr(row, key) for key in ["projects", *STAGE_COLUMNS]},
    }


def all_cells():
    return {
        (row.fiscal_year, row.province_id, row.kind, row.programme_id): (
            row.budget_amount,
            row.disbursed_amount,
            *(getattr(row, key) for key in ["projects", *STAGE_COLUMNS]),
        )
        for row in ProjectRollup.objects.all()
    }


def test_rebuild_equals_direct_sums_for_several_slices(seeded):
    north, programme = seeded.north, seeded.programmes[1]
    assert cell_sums(fiscal_year=YEAR) == project_sums(fiscal_year=YEAR)
    assert cell_sums(fiscal_year=YEAR, province=north) == project_sums(
        fiscal_year=YEAR, lao__province=north
    )
    assert cell_sums(fiscal_year=YEAR, kind=LAOKind.SAO) == project_sums(
        fiscal_year=YEAR, lao__kind=LAOKind.SAO
    )
    assert cell_sums(fiscal_year=YEAR - 1, programme=programme) == project_sums(
        fiscal_year=YEAR - 1, programme=programme
    )
    assert cell_sums(
        fiscal_year=YEAR,
        province=north,
        kind=LAOKind.SUBDISTRICT_MUNICIPALITY,
        programme=programme,
    ) == project_sums(
        fiscal_year=YEAR,
        lao__province=north,
        lao__kind=LAOKind.SUBDISTRICT_MUNICIPALITY,
        programme=programme,
    )
    # Projects without a programme count in the totals, not in a cell of their own.
    assert cell_sums(fiscal_year=YEAR)["projects"] == 21
    assert (
        not ProjectRollup.objects.filter(
            fiscal_year=YEAR, programme=None, kind=LAOKind.SAO, province=north
        )
        .exclude(
            projects=project_sums(fiscal_year=YEAR, lao__kind=LAOKind.SAO, lao__province=north)[
                "projects"
            ]
        )
        .exists()
    )


def test_rebuild_of_one_year_leaves_the_others(seeded):
    before = all_cells()
    ProjectRollup.objects.filter(fiscal_year=YEAR - 1).update(projects=999)
    rollups_rebuild(fiscal_year=YEAR)
    assert ProjectRollup.objects.filter(fiscal_year=YEAR - 1, projects=999).exists()
    rollups_rebuild(fiscal_year=YEAR - 1)
    assert all_cells() == before


def test_moves_equal_a_rebuild(seeded, django_assert_num_queries):
    lao, other = seeded.laos[0], seeded.laos[2]
    programmes = seeded.programmes

    # A stage change, a disbursement, a budget change, a move to another programme.
    project = Project.objects.select_related("lao").filter(lao=lao, fiscal_year=YEAR).first()
    before = project_figures(project)
    project.stage, project.disbursed_total = Stage.COMPLETED, Decimal("50000.10")
    project.budget_amount += Decimal("12.34")
    project.programme = programmes[2] if project.programme_id != programmes[2].pk else None
    project.save()
    with django_assert_num_queries(1):
        rollup_move_project(before=before, after=project_figures(project))

    # A new project, in a programme and a province cell that may not exist yet.
    created = Project.objects.create(
        lao=other,
        code="new-1",
        name="ใหม่",
        fiscal_year=YEAR + 1,
        programme=programmes[0],
        budget_amount=Decimal("777.77"),
        stage=Stage.PLANNED,
    )
    rollup_move_project(before=None, after=project_figures(created))

    # A deleted project.
    gone = Project.objects.select_related("lao").filter(lao=other, fiscal_year=YEAR).last()
    figures = project_figures(gone)
    gone.delete()
    rollup_move_project(before=figures, after=None)

    # Nothing changes the rollup without a change of figures.
    rollup_move_project(before=figures, after=figures)

    moved = all_cells()
    rollups_rebuild()
    assert moved == all_cells()


def test_the_last_project_of_a_cell_takes_the_cell_away(seeded):
    project = Project.objects.select_related("lao").filter(fiscal_year=YEAR).first()
    figures = project_figures(project)
    lone = replace(figures, fiscal_year=2500)
    rollup_move_project(before=None, after=lone)
    assert ProjectRollup.objects.filter(fiscal_year=2500).count() == 8
    rollup_move_project(before=lone, after=None)
    assert not ProjectRollup.objects.filter(fiscal_year=2500).exists()


def test_a_move_against_a_missing_rollup_never_goes_below_zero(seeded):
    ProjectRollup.objects.all().delete()
    figures = ProjectFigures(
        fiscal_year=YEAR,
        province_id=seeded.north.pk,
        kind=LAOKind.SAO,
        programme_id=None,
        stage=Stage.PLANNED,
        budget_amount=Decimal(10),
        disbursed_total=Decimal(0),
    )
    rollup_move_project(before=figures, after=replace(figures, stage=Stage.FUNDED))
    # The write went through; the cells it made hold no project and are not kept.
    assert not ProjectRollup.objects.exists()


def test_many_moves_at_once_equal_a_rebuild(seeded):
    """More cells than one upsert takes: the batch path gives the same cells as a rebuild."""
    programmes = seeded.programmes
    moves = []
    for number in range(30):
        lao = LAOFactory(
            subdistrict__district=DistrictFactory(province=ProvinceFactory(code=f"{60 + number}"))
        )
        project = Project.objects.create(
            lao=lao,
            code="many-1",
            name="หลายโครงการ",
            fiscal_year=YEAR,
            programme=programmes[number % 3],
            budget_amount=Decimal("1000.50"),
            stage=Stage.PLANNED,
        )
        project.lao = lao
        moves.append((None, project_figures(project)))
    cells = {cell for _before, after in moves for cell in rollups_cells(after)}
    assert len(cells) > UPSERT_MAX_CELLS
    rollup_move_projects(moves)
    moved = all_cells()
    rollups_rebuild()
    assert moved == all_cells()


def rollups_cells(figures):
    """The cells a project counts in: every combination of its province or all, its kind or all
    (""), its programme or all (None) — the rollup's CUBE, as the module documents it."""
    programmes = {figures.programme_id, None}
    return {
        (figures.fiscal_year, province_id, kind, programme_id)
        for province_id in (figures.province_id, None)
        for kind in (figures.kind, "")
        for programme_id in programmes
    }
