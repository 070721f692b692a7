"""Reading uploaded workbooks safely: checks first, then a fast parse with python-calamine.

An .xlsx file is a zip of XML parts. Before anything parses it we check, without decompressing it
into memory: the file size, that it is a zip holding a workbook, the zip's uncompressed sizes and
compression ratios (zip bombs), and the first sheet's declared dimension and actual cell
references (a 4.8 KB workbook with cells A1 and GR1000000 made calamine allocate 6.2 GB, STACK.md).
Only then does calamine read the sheet. Nothing is evaluated: calamine reads cached values only.

Cells come back as text (or None for blank cells): calamine returns every number as a float, so
6110101.0 becomes "6110101" and codes keep the form people typed.
"""

import datetime
import posixpath
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Cell references (`<c r="AB12"`), row numbers (`<row r="12"`) and the declared dimension.
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})?([0-9]{1,7})?'
    rb'(?::([A-Z]{1,3})([0-9]{1,7}))?"'
)
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_SHEET_TARGET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"')
_SCAN_CHUNK = 1 << 20


class UploadRejected(Exception):
    """The file cannot be read as a workbook; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Sheet:
    """The first sheet: its header row and data rows, as text, with their Excel row numbers."""

    headers: list[str]
    rows: list[tuple[int, list[str | None]]]  # (Excel row number, cells)


def column_number(letters: bytes) -> int:
    """A column's 1-based number from its letters: b"A" → 1, b"AB" → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_size(size: int) -> None:
    if size == 0:
        raise UploadRejected(_("The file is empty (0 bytes)."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(
            _("The file is too large: the limit is %(limit)s MB.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first sheet (from workbook.xml and its relationships)."""
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise UploadRejected(_("The file is not an Excel workbook (.xlsx).")) from None
    match = _SHEET_TARGET.search(workbook)
    if match:
        rel_id = re.escape(match.group(1))
        for pattern in (
            rb"<Relationship\b[^>]*?\bId=\"" + rel_id + rb"\"[^>]*?\bTarget=\"([^\"]+)\"",
            rb"<Relationship\b[^>]*?\bTarget=\"([^\"]+)\"[^>]*?\bId=\"" + rel_id + rb"\"",
        ):
            target = re.search(pattern, rels)
            if target:
                path = target.group(1).decode()
                part = path.lstrip("/") if path.startswith("/") else posixpath.join("xl", path)
                part = posixpath.normpath(part)
                if part in names:
                    return part
    raise UploadRejected(_("The workbook has no sheet."))


def _check_sheet_extent(archive: zipfile.ZipFile, part: str) -> None:
    """Refuse sheets whose declared or actual extent is beyond the row and column limits."""
    max_rows, max_columns = settings.UPLOAD_MAX_ROWS + 1, settings.UPLOAD_MAX_COLUMNS
    too_big = UploadRejected(
        _("The sheet is too large: at most %(rows)s rows and %(columns)s columns are accepted.")
        % {"rows": f"{settings.UPLOAD_MAX_ROWS:,}", "columns": max_columns}
    )
    highest_row = highest_column = cells = rows = 0
    tail = b""
    with archive.open(part) as stream:
        first = True
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            if first:
                first = False
                dimension = _DIMENSION.search(data)
                if dimension:
                    end_col, end_row = dimension.group(3), dimension.group(4)
                    if end_col is None:
                        end_col, end_row = dimension.group(1), dimension.group(2)
                    if end_col and column_number(end_col) > max_columns:
                        raise too_big
                    if end_row and int(end_row) > max_rows:
                        raise too_big
            # A tag cut by the chunk boundary is matched in the next round (the tail is kept).
            cut = max(data.rfind(b"<"), 0) if len(data) > 64 else len(data)
            window, tail = data[:cut], data[cut:]
            for letters, number in _CELL_REF.findall(window):
                highest_column = max(highest_column, column_number(letters))
                highest_row = max(highest_row, int(number))
            for (number,) in (m.groups() for m in _ROW_REF.finditer(window)):
                highest_row = max(highest_row, int(number))
            cells += len(_CELL_TAG.findall(window))
            rows += len(_ROW_TAG.findall(window))
            if (
                highest_row > max_rows
                or highest_column > max_columns
                or rows > max_rows
                or cells > max_rows * max_columns
            ):
                raise too_big


def check_workbook(path) -> None:
    """Everything that can be checked without parsing: a zip, a workbook, no bomb, a sane sheet.

    `path` is a path or a binary file object (an uploaded file). Raises UploadRejected with a
    message for the user.
    """
    if not zipfile.is_zipfile(path):
        raise UploadRejected(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if "[Content_Types].xml" not in {member.filename for member in members}:
                raise UploadRejected(_("The file is not an Excel workbook (.xlsx)."))
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if (
                    total > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
                    or (member.file_size > 1024 * 1024)
                    and ratio > settings.UPLOAD_MAX_COMPRESSION_RATIO
                ):
                    raise UploadRejected(
                        _(
                            "The workbook unpacks to too much data; it may be damaged or "
                            "crafted. Save it again from Excel, or split it."
                        )
                    )
            _check_sheet_extent(archive, _first_sheet_part(archive))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise UploadRejected(_("The file is not an Excel workbook (.xlsx).")) from None


def cell_text(value) -> str | None:
    """A cell as text: integral floats lose their ".0", blank strings become None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    text = str(value).strip()
    return text or None


def read_first_sheet(path, *, checked: bool = False) -> Sheet:
    """Check the workbook (unless this stored file was `checked` already), then read its first
    sheet: header row, then the non-blank rows.

    Blank rows (trailing or not) are left out; row numbers stay those Excel shows.
    """
    if not checked:
        check_workbook(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except (CalamineError, ValueError, OSError) as error:
        raise UploadRejected(
            _("The workbook could not be read (%(error)s).") % {"error": type(error).__name__}
        ) from None
    if not values:
        raise UploadRejected(_("The sheet is empty: it needs a header row and data rows."))
    headers = [cell_text(value) or "" for value in values[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = []
    for index, raw in enumerate(values[1:], start=2):
        cells = [cell_text(value) for value in raw[:width]]
        if any(cell is not None for cell in cells):
            cells.extend([None] * (width - len(cells)))
            rows.append((index, cells))
    return Sheet(headers=headers, rows=rows)
