"""Import of the Thai LAO budget classification from the reference data folder (budget/*.csv).

Upserts by key, so the admin's edits to names survive only until the next import of a changed
file; keys are what spreadsheets use and never change.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from budgets.models import (
    ExpenseCategory,
    ExpenseType,
    Programme,
    RevenueGroup,
    RevenueSource,
    Sector,
    Work,
)
from budgets.profile import CLASSIFICATION_STAMP
from units import stamps
from units.importers import data_dir


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, rows: list[dict], fields: list[str]) -> dict[str, int]:
    """Upsert `rows` (dicts with a "key") and return key → id."""
    model.objects.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=fields,
    )
    return dict(model.objects.values_list("key", "pk"))


@dataclass
class ClassificationSummary:
    sectors: int
    programmes: int
    works: int
    categories: int
    types: int
    revenue_sources: int


@transaction.atomic
def classification_import(*, folder: str | Path | None = None) -> ClassificationSummary:
    """Upsert sectors, programmes, works, expense categories and types, revenue groups and
    sources from budget/*.csv. The upserts send no signal: the classification's stamp is moved
    here, so public pages naming programmes show the new names."""
    budget = data_dir(folder) / "budget"
    plans = _rows(budget / "budget_plans.csv")

    sectors, programmes = {}, []
    for row in plans:
        order = int(row["sort_order"])
        sectors.setdefault(
            row["sector_key"],
            {
                "key": row["sector_key"],
                "name_th": row["sector_th"],
                "name_en": row["sector_en"],
                "sort_order": len(sectors) + 1,
            },
        )
        programmes.append(
            {
                "key": row["plan_key"],
                "name_th": row["plan_th"],
                "name_en": row["plan_en"],
                "sort_order": order,
                "sector": row["sector_key"],
            }
        )
    sector_ids = _upsert(Sector, list(sectors.values()), ["name_th", "name_en", "sort_order"])
    for row in programmes:
        row["sector_id"] = sector_ids[row.pop("sector")]
    programme_ids = _upsert(Programme, programmes, ["name_th", "name_en", "sort_order", "sector"])

    works, counters = [], {}
    for row in _rows(budget / "budget_work_units.csv"):
        number = counters[row["plan_key"]] = counters.get(row["plan_key"], 0) + 1
        works.append(
            {
                "key": f"{row['plan_key']}.{number:02d}",
                "name_th": row["work_th"],
                "name_en": row["work_en"],
                "sort_order": number,
                "programme_id": programme_ids[row["plan_key"]],
            }
        )
    _upsert(Work, works, ["name_th", "name_en", "sort_order", "programme"])

    expense_rows = _rows(budget / "expense_categories.csv")
    categories = [
        {
            "key": row["key"],
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "account_code": row["account_code_hint"],
            "sort_order": number,
        }
        for number, row in enumerate(
            (r for r in expense_rows if r["level"] == "budget_type"), start=1
        )
    ]
    category_ids = _upsert(
        ExpenseCategory, categories, ["name_th", "name_en", "account_code", "sort_order"]
    )
    types = [
        {
            "key": row["key"],
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "account_code": row["account_code_hint"],
            "sort_order": number,
            "category_id": category_ids[row["parent_key"]],
        }
        for number, row in enumerate((r for r in expense_rows if r["level"] == "category"), start=1)
    ]
    _upsert(ExpenseType, types, ["name_th", "name_en", "account_code", "sort_order", "category"])

    revenue_rows = _rows(budget / "revenue_categories.csv")
    groups = {}
    for row in revenue_rows:
        groups.setdefault(
            row["group_key"],
            {
                "key": row["group_key"],
                "name_th": row["group_th"],
                "name_en": row["group_en"],
                "sort_order": len(groups) + 1,
            },
        )
    group_ids = _upsert(RevenueGroup, list(groups.values()), ["name_th", "name_en", "sort_order"])
    sources = [
        {
            "key": row["category_key"],
            "name_th": row["category_th"],
            "name_en": row["category_en"],
            "account_code": row["account_code_hint"],
            "sort_order": number,
            "group_id": group_ids[row["group_key"]],
        }
        for number, row in enumerate(revenue_rows, start=1)
    ]
    _upsert(RevenueSource, sources, ["name_th", "name_en", "account_code", "sort_order", "group"])
    stamps.bump(CLASSIFICATION_STAMP)
    return ClassificationSummary(
        len(sectors), len(programmes), len(works), len(categories), len(types), len(sources)
    )
