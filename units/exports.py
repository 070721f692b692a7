"""CSV and XLSX downloads of public tables, safe from formula injection (DESIGN.md §7).

Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@` (or a tab / carriage return
before them) as a formula. In CSV such text values get a leading apostrophe; in XLSX every text
value is written as a text cell, never as a formula. Numbers stay numbers.

CSV starts with a UTF-8 byte order mark so that Excel reads Thai correctly.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from units.models import LAO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Value = str | int | float | Decimal | date | datetime | None


def csv_safe(value: Value) -> Value:
    """A text value that a spreadsheet would run as a formula, prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[Value]]):
    """An attachment `filename` (.csv): UTF-8 with BOM, header row, then `rows`."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(str(title)) for title in header])
    for row in rows:
        writer.writerow(["" if value is None else csv_safe(value) for value in row])
    return response


def _xlsx_cell(sheet, value: Value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Force a text cell: openpyxl would otherwise store "=..." as a live formula. (No "@"
        # number format per cell: it costs a third more time on the national list.)
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(
    *, filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Value]]
):
    """An attachment `filename` (.xlsx) with one sheet: bold header row, then `rows`; every text
    value (codes included) is a text cell."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, str(title), bold=True) for title in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The LAO registry -------------------------------------------------------------------------

LAO_COLUMNS = (
    # (header, value of an LAO); fields whose value may be demo data are listed in the last column
    (_("DLA code"), lambda lao: lao.dla_code or ""),
    (_("Kind"), lambda lao: lao.get_kind_display()),
    (_("Name (Thai)"), lambda lao: lao.name_th),
    (_("Full name (Thai)"), lambda lao: lao.full_name_th),
    (_("Name (English)"), lambda lao: lao.name_en),
    (_("Province code"), lambda lao: lao.province.code),
    (_("Province"), lambda lao: lao.province.name_th),
    (_("District code"), lambda lao: lao.district.code if lao.district_id else ""),
    (_("District"), lambda lao: lao.district.name_th if lao.district_id else ""),
    (_("Subdistrict code"), lambda lao: lao.subdistrict.code if lao.subdistrict_id else ""),
    (_("Subdistrict"), lambda lao: lao.subdistrict.name_th if lao.subdistrict_id else ""),
    (_("Address"), lambda lao: lao.address),
    (_("Phone"), lambda lao: lao.phone),
    (_("E-mail"), lambda lao: lao.email),
    (_("Website"), lambda lao: lao.website),
    (_("Chief executive"), lambda lao: lao.chief_executive),
    (_("Population"), lambda lao: lao.population),
    (_("Households"), lambda lao: lao.households),
    (_("Area (km²)"), lambda lao: lao.area_km2),
    (_("Latitude"), lambda lao: lao.latitude),
    (_("Longitude"), lambda lao: lao.longitude),
)


def _demo_fields_label(lao: LAO) -> str:
    """Names of the LAO's fields whose values are generated demo data, e.g. `population, phone`."""
    labels = []
    for name in lao.demo_fields:
        try:
            labels.append(str(LAO._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name)
    return ", ".join(labels)


def lao_table(laos: Iterable[LAO]) -> tuple[list[str], Iterator[list[Value]]]:
    """Header and rows of the registry download; the last column names the demo-data fields."""
    header = [str(title) for title, _value in LAO_COLUMNS] + [
        str(_("Demo data (generated values, not real)"))
    ]
    rows = (
        [value(lao) for _title, value in LAO_COLUMNS] + [_demo_fields_label(lao)] for lao in laos
    )
    return header, rows
