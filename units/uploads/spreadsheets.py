"""Writing workbooks people download (templates, error reports), safe from formula injection.

openpyxl writes any string starting with "=" as a live formula. Every string here is written as a
text cell (data type "s", number format "@"), so user text such as `=HYPERLINK(...)` or `+66...`
stays text, and codes such as "0100101" keep their leading zeros when the file is edited in Excel.
"""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
ERROR_FONT = Font(bold=True, color="A4262C")
TEXT_FORMAT = "@"


def text_cell(sheet, value, *, font=None, fill=None) -> WriteOnlyCell:
    """A cell that Excel shows and keeps as text, whatever the string starts with."""
    cell = WriteOnlyCell(sheet)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"  # never "f": no formula, whatever the text starts with
    cell.number_format = TEXT_FORMAT
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def value_cell(sheet, value) -> WriteOnlyCell:
    """Numbers stay numbers; everything else becomes a text cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    return text_cell(sheet, value)


def workbook_bytes(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    text_columns: Iterable[int] = (),
    widths: Sequence[int] | None = None,
    notes: Sequence[Sequence[str]] = (),
    notes_title: str = "",
    error_column: int | None = None,
) -> bytes:
    """An .xlsx with one data sheet (bold header row, frozen) and an optional notes sheet.

    `text_columns` are 0-based columns written as text even when the value is a number (codes);
    `error_column` is shown in red.
    """
    text_columns = set(text_columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(
        [text_cell(sheet, header, font=HEADER_FONT, fill=HEADER_FILL) for header in headers]
    )
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in text_columns or index == error_column:
                cell = text_cell(sheet, value, font=ERROR_FONT if index == error_column else None)
            else:
                cell = value_cell(sheet, value)
            cells.append(cell)
        sheet.append(cells)
    if notes:
        note_sheet = workbook.create_sheet(title=(notes_title or "notes")[:31])
        note_sheet.column_dimensions["A"].width = 28
        note_sheet.column_dimensions["B"].width = 28
        note_sheet.column_dimensions["C"].width = 70
        for number, note in enumerate(notes):
            font = HEADER_FONT if number == 0 else None
            cells = [text_cell(note_sheet, value, font=font) for value in note]
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            note_sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
