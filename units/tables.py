"""Every table the portal hands out as CSV or XLSX, written by one writer safe from formula
injection (DESIGN.md §7).

Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@` (or a tab / carriage return
before them) as a formula. In CSV such text values get a leading apostrophe; in XLSX every text
value is written as a text cell, never as a formula. Numbers stay numbers. CSV starts with a
UTF-8 byte order mark so that Excel reads Thai correctly.

A table is a sequence of `Column`s (header, where the value is, optional format) and the rows
they read: `table_response` answers a download, `write_table` stores one (units/exports.py),
`workbook_bytes` writes the workbooks meant to be filled in and uploaded again (upload templates
and error reports).
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
FORMATS = tuple(CONTENT_TYPES)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
ERROR_FONT = Font(bold=True, color="A4262C")
TEXT_FORMAT = "@"

Value = str | int | float | Decimal | date | datetime | None


# --- Columns --------------------------------------------------------------------------------


def _lookup(row: Any, parts: tuple[str, ...]) -> Any:
    """`("province", "code")` of a row: keys of mappings, attributes of objects; None stops."""
    value = row
    for part in parts:
        if value is None:
            return None
        value = value[part] if isinstance(value, Mapping) else getattr(value, part)
    return value


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, where its value is in a row (a dotted path of keys and
    attributes, `"figures.budget"`, a method to call, `"get_kind_display"`, or a function of the
    row) and an optional `format` of a value that is not None; a missing value (None) is
    written as `empty`."""

    header: Any  # a (lazy) translated string
    value: str | Callable[[Any], Any]
    format: Callable[[Any], Value] | None = None
    empty: Value = None

    def __post_init__(self):
        # The path split once, not for every cell of a table of thousands of rows.
        parts = () if callable(self.value) else tuple(self.value.split("."))
        object.__setattr__(self, "_parts", parts)

    def of(self, row: Any) -> Value:
        value = self.value(row) if callable(self.value) else _lookup(row, self._parts)
        if callable(value):  # a method named by the path, such as `get_kind_display`
            value = value()
        if value is None:
            return self.empty
        return self.format(value) if self.format is not None else value


def headers_of(columns: Sequence[Column]) -> list[str]:
    return [str(column.header) for column in columns]


def rows_of(columns: Sequence[Column], rows: Iterable) -> Iterator[list[Value]]:
    """The values of each row, column by column, read lazily (querysets stream)."""
    return ([column.of(row) for column in columns] for row in rows)


# Formats shared by many tables.


def label(value) -> str:
    """A choice label or lazy translation as plain text."""
    return str(value)


def percent(share) -> float:
    """A share (0.5) as a percentage with one decimal (50.0)."""
    return round(share * 100, 1)


def demo_mark(is_demo: bool) -> str:
    return "demo" if is_demo else ""


# --- Writers ----------------------------------------------------------------------------------


def csv_safe(value: Value) -> Value:
    """A text value that a spreadsheet would run as a formula, prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(out: TextIO, *, header: Sequence[str], rows: Iterable[Sequence[Value]]) -> None:
    """Write the BOM, the header row, then `rows` to a text stream (or an HttpResponse)."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([csv_safe(str(title)) for title in header])
    for row in rows:
        writer.writerow(["" if value is None else csv_safe(value) for value in row])


def _cell(sheet, value, *, text=False, editable=False, font=None, fill=None) -> WriteOnlyCell:
    """A cell that never holds a formula: every string is a text cell (data type "s").

    `text` writes any value as text (codes keep their leading zeros); `editable` cells are of
    a workbook meant to be filled in again, where text also gets the "@" number format so that
    Excel keeps what is typed as text, and only numbers stay numbers."""
    if text or (editable and not _is_number(value)):
        value = "" if value is None else str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl stores "=..." as a live formula unless told it is a string. (No "@" format on
        # downloads: it costs a third more time on the national list.)
        cell.data_type = "s"
        if editable:
            cell.number_format = TEXT_FORMAT
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def write_xlsx(
    out: BinaryIO,
    *,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    editable: bool = False,
    text_columns: Iterable[int] = (),
    error_column: int | None = None,
    widths: Sequence[int] | None = None,
    notes: Sequence[Sequence[str]] = (),
    notes_title: str = "",
) -> None:
    """Write a workbook to a binary stream: one sheet with a bold, frozen header row, then
    `rows`. Downloads keep numbers, decimals and dates typed; an `editable` workbook (to be
    filled in and uploaded again) writes everything but numbers as text, shades its header and
    may add a sheet of `notes`. `text_columns` (0-based) are text even when a value is a number;
    `error_column` is text in red."""
    text_columns = set(text_columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    fill = HEADER_FILL if editable else None
    sheet.append(
        [
            _cell(sheet, str(title), editable=editable, font=HEADER_FONT, fill=fill)
            for title in header
        ]
    )
    for row in rows:
        sheet.append(
            [
                _cell(
                    sheet,
                    value,
                    text=index in text_columns or index == error_column,
                    editable=editable,
                    font=ERROR_FONT if index == error_column else None,
                )
                for index, value in enumerate(row)
            ]
        )
    if notes:
        note_sheet = workbook.create_sheet(title=(str(notes_title) or "notes")[:31])
        for letter, width in (("A", 28), ("B", 28), ("C", 70)):
            note_sheet.column_dimensions[letter].width = width
        for number, note in enumerate(notes):
            font = HEADER_FONT if number == 0 else None
            cells = [
                _cell(note_sheet, value, text=True, editable=True, font=font) for value in note
            ]
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            note_sheet.append(cells)
    workbook.save(out)


def workbook_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence], **options):
    """An editable .xlsx (see `write_xlsx`): upload templates and error reports."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet_title=title, header=headers, rows=rows, editable=True, **options)
    return buffer.getvalue()


def write_table(
    out: BinaryIO, *, columns: Sequence[Column], rows: Iterable, format: str, sheet_title: str
) -> None:
    """Write a table as CSV or XLSX to a binary stream (a file being stored)."""
    if format == "xlsx":
        write_xlsx(
            out, sheet_title=sheet_title, header=headers_of(columns), rows=rows_of(columns, rows)
        )
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    write_csv(text, header=headers_of(columns), rows=rows_of(columns, rows))
    text.flush()
    text.detach()  # leave `out` open for the caller


def attachment(content, *, filename: str, format: str) -> HttpResponse:
    """`content` (bytes, or nothing yet) as a download named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    columns: Sequence[Column], rows: Iterable, *, filename: str, format: str, sheet_title=""
) -> HttpResponse:
    """The table as a CSV or XLSX attachment `filename` (the sheet named `sheet_title`); any
    other format is 404, since it would otherwise end up in the file name."""
    if format not in FORMATS:
        raise Http404("Downloads are CSV or XLSX.")
    if format == "csv":
        # Written to a buffer and encoded once: writing each row to the response encodes it
        # apart (and looks the charset up) per row.
        text = io.StringIO()
        write_csv(text, header=headers_of(columns), rows=rows_of(columns, rows))
        return attachment(text.getvalue().encode(), filename=filename, format=format)
    buffer = io.BytesIO()
    write_table(buffer, columns=columns, rows=rows, format=format, sheet_title=sheet_title)
    return attachment(buffer.getvalue(), filename=filename, format=format)
