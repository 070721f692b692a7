"""The one table writer: declarative columns, CSV and XLSX safe from formulas, cache keys."""

import ast
import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from openpyxl import load_workbook

from units.caching import fragment_key
from units.tables import Column, demo_mark, label, percent, table_response, workbook_bytes


@dataclass
class Place:
    code: str
    name_th: str


@dataclass
class Row:
    place: Place | None
    amount: Decimal
    is_demo: bool

    def get_kind_display(self):
        return "อบต."


COLUMNS = (
    Column("code", "place.code", empty=""),
    Column("name", "place.name_th"),
    Column("kind", "get_kind_display"),
    Column("amount", "amount"),
    Column("demo", "is_demo", format=demo_mark),
    Column(
        "share",
        lambda row: row["share"] if isinstance(row, dict) else Decimal("0.5"),
        format=percent,
    ),
)
ROWS = [
    Row(Place('=HYPERLINK("x")', "+66 81"), Decimal("1250.50"), True),
    Row(None, Decimal("0"), False),
]


def test_a_column_reads_paths_methods_and_functions_and_formats_what_is_not_missing():
    first, second = ROWS
    assert [column.of(first) for column in COLUMNS] == [
        '=HYPERLINK("x")',
        "+66 81",
        "อบต.",
        Decimal("1250.50"),
        "demo",
        50.0,
    ]
    # A missing step of a path gives `empty`, without calling the format.
    assert [column.of(second) for column in COLUMNS][:2] == ["", None]
    assert Column("x", "a.b").of({"a": {"b": 3}}) == 3
    assert label(Column("x", "a").header) == "x"


def test_csv_download_quotes_formulas_and_starts_with_a_bom():
    response = table_response(COLUMNS, ROWS, filename="t.csv", format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["code", "name", "kind", "amount", "demo", "share"]
    assert rows[1][:2] == ['\'=HYPERLINK("x")', "'+66 81"]
    assert rows[2][:2] == ["", ""]


def test_xlsx_download_keeps_numbers_typed_and_text_never_a_formula():
    response = table_response(COLUMNS, ROWS, filename="t.xlsx", format="xlsx", sheet_title="t")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert sheet["D2"].value == 1250.5 and sheet["D2"].data_type == "n"
    assert sheet["A1"].font.b


@pytest.mark.parametrize("file_format", ["exe", "csv.exe", ""])
def test_any_other_format_is_404(file_format):
    with pytest.raises(Http404):
        table_response(COLUMNS, ROWS, filename="t", format=file_format)


def test_an_editable_workbook_writes_all_but_numbers_as_text_cells():
    content = workbook_bytes(
        title="t",
        headers=["code", "n"],
        rows=[["0100101", 5], [Decimal("1.5"), None]],
        text_columns=[0],
        notes=[("a", "b", "c")],
        notes_title="notes",
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book["t"]
    assert sheet["A2"].value == "0100101" and sheet["A2"].number_format == "@"
    assert sheet["B2"].value == 5
    assert sheet["A3"].value == "1.5" and sheet["A3"].data_type == "s"
    assert book["notes"]["C1"].value == "c"


def test_fragment_keys_are_stable_and_tell_their_parts_apart():
    assert fragment_key(1, "a") == fragment_key(1, "a")
    assert fragment_key(1, "a") != fragment_key("1", "a")
    assert len(fragment_key()) == 32


# --- One home for the shared helpers -------------------------------------------------------

HELPERS = {
    "current_fiscal_year": "units/thai.py",
    "BE_OFFSET": "units/thai.py",
    "XLSX_CONTENT_TYPE": "units/tables.py",
    "display_name": "units/slices.py",
    "Slice": "units/slices.py",
    "fragment_key": "units/caching.py",
}


def _definitions(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_shared_helpers_are_defined_in_one_module_only():
    root = Path(settings.BASE_DIR)
    found: dict[str, list[str]] = {name: [] for name in HELPERS}
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "var/")) or "/migrations/" in relative:
            continue
        for name in _definitions(path) & set(HELPERS):
            found[name].append(relative)
    assert found == {name: [home] for name, home in HELPERS.items()}
