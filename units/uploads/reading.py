"""Reading uploaded workbooks safely: checks first, then python-calamine in a child process.

An .xlsx file is a zip of XML parts. Before anything parses it we check, without decompressing it
into memory: the file size, that it is a zip holding a workbook, the zip's uncompressed sizes and
compression ratios (zip bombs), and then every sheet's extent, read with a defused streaming XML
parser (no DTD, no entities): the cells and rows that are really there decide, wherever they sit
and however the XML spells them (quotes, spaces, namespace prefixes); a declared <dimension> can
only refuse a file early, never let one through. A 1.5 KB workbook with one cell at GR1048576
makes calamine allocate more than 8 GB (STACK.md).

Only then does calamine read the workbook, in a child process under an address-space ceiling
(PORTAL_UPLOAD_PARSE_MEMORY_MB, parse_child.py): whatever slips past the checks ends that process
with a clear message, never the worker. Nothing is evaluated: calamine reads cached values only.

The sheet and its header row are found by the template's headers (a title row above the header,
a notes sheet first); cells come back as text (or None for blank cells): calamine returns every
number as a float, so 6110101.0 becomes "6110101" and codes keep the form people typed.
"""

import json
import logging
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax import SAXException

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from units.uploads import parse_child
from units.uploads.parse_child import HEADER_SCAN_ROWS, cell_text

__all__ = ["Sheet", "UploadRejected", "cell_text", "check_size", "check_workbook", "read_sheet"]

logger = logging.getLogger(__name__)

# Generous: calamine reads 50,000 rows in a fraction of a second; a stuck child must still end.
PARSE_TIMEOUT_SECONDS = 300

_SCAN_CHUNK = 1 << 16
# Excel's own limits are XFD (3 letters) and 1,048,576 (7 digits); calamine accepts lower case.
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_ROW_REF = re.compile(r"[A-Za-z]{0,3}([0-9]{1,7})")
_SHEET_TYPES = ("/worksheet", "/chartsheet", "/dialogsheet", "/macrosheet", "/xlMacrosheet")


class UploadRejected(Exception):
    """The file cannot be read as a workbook; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Sheet:
    """The sheet read: its header row and data rows, as text, with their Excel row numbers;
    `name` and `header_row` say where the header was found (shown on the preview)."""

    headers: list[str]
    rows: list[tuple[int, list[str | None]]]  # (Excel row number, cells)
    name: str = ""
    header_row: int = 1


def _not_a_workbook() -> UploadRejected:
    return UploadRejected(_("The file is not an Excel workbook (.xlsx)."))


def _too_large() -> UploadRejected:
    return UploadRejected(
        _("The sheet is too large: at most %(rows)s rows and %(columns)s columns are accepted.")
        % {"rows": f"{settings.UPLOAD_MAX_ROWS:,}", "columns": settings.UPLOAD_MAX_COLUMNS}
    )


def _bad_reference() -> UploadRejected:
    return UploadRejected(
        _("The workbook is damaged: a cell has an invalid position. Save it again from Excel.")
    )


def column_number(letters: str) -> int:
    """A column's 1-based number from its letters: "A" → 1, "AB" → 28 (any case)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def check_size(size: int) -> None:
    if size == 0:
        raise UploadRejected(_("The file is empty (0 bytes)."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(
            _("The file is too large: the limit is %(limit)s MB.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )


# --- the streaming XML scan ----------------------------------------------------------------------


class _Parser(DefusedExpatParser):
    """defusedxml's expat reader (no DTD, no entities, no external references) calling one
    start-element function directly: the SAX content-handler layer would triple the time of a
    50,000-row sheet, and nothing here needs end tags or text. The handler goes on the expat
    parser in `reset`, as defusedxml's own guards do; its public ElementTree route (a parser
    target) runs the scan three times slower."""

    def __init__(self, start_element):
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self._start_element = start_element

    def reset(self):
        super().reset()
        self._parser.StartElementHandler = self._start_element
        self._parser.EndElementHandler = None
        self._parser.CharacterDataHandler = None


def _parse_part(archive: zipfile.ZipFile, part: str, start_element) -> None:
    """Stream one zip member through the parser: memory stays flat, whatever its size.

    Element names arrive as written ("c", "x:c"), attributes as a dict.
    """
    parser = _Parser(start_element)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_SCAN_CHUNK):
                parser.feed(chunk)
        parser.close()
    except (SAXException, DefusedXmlException):
        raise _not_a_workbook() from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _extent_scanner(*, max_rows: int, max_columns: int, max_cells: int, cells: int = 0):
    """A start-element function that follows where calamine would place each cell, and a
    function returning the number of cells seen.

    Mirrors calamine's reader: elements by local name (any namespace prefix), the unprefixed `r`
    attribute; a cell without `r` goes right after the previous one, a row without `r` right
    after the previous row. Any cell beyond the limits, or too many cells, refuses the file.
    This runs once per XML element (a 50,000-row sheet has about a million): the usual spelling
    (`<c r="B12">` with upper-case letters) takes the short path.
    """
    columns = {}  # "A" → 1 … up to the column limit, both cases
    for number in range(1, max_columns + 1):
        letters, rest = "", number
        while rest:
            rest, digit = divmod(rest - 1, 26)
            letters = chr(65 + digit) + letters
        columns[letters] = columns[letters.lower()] = number
    row = 0  # the current row as calamine numbers it (1-based here)
    next_column = 1

    def start(name: str, attributes: dict) -> None:
        nonlocal row, next_column, cells
        if name == "c":
            cells += 1
            if cells > max_cells:
                raise _too_large()
            reference = attributes.get("r")
            if reference is None:
                column = next_column
                if column > max_columns or row > max_rows:
                    raise _too_large()
            else:
                letters = reference.rstrip("0123456789")
                digits = reference[len(letters) :]
                column = columns.get(letters)
                if column is None or not 0 < len(digits) < 8 or int(digits) > max_rows:
                    _check_reference(reference, max_rows=max_rows, max_columns=max_columns)
            next_column = column + 1
        elif name == "row":
            reference = attributes.get("r")
            if reference is None:
                row += 1
            else:
                match = _ROW_REF.fullmatch(reference)
                if match is None:
                    raise _bad_reference()
                row = int(match[1])
            if row > max_rows:
                raise _too_large()
            next_column = 1
        elif name != "v":
            local = name.rpartition(":")[2]
            if local == "dimension":
                # Untrusted (the cells decide), but an absurd declaration is refused at once.
                for corner in str(attributes.get("ref", "")).replace("$", "").split(":"):
                    if _CELL_REF.fullmatch(corner):
                        _check_reference(corner, max_rows=max_rows, max_columns=max_columns)
            elif local != name and local in ("c", "row"):
                start(local, attributes)

    return start, lambda: cells


def _check_reference(reference: str, *, max_rows: int, max_columns: int) -> None:
    """The long path for a cell reference: refuse it when malformed or beyond the limits.

    Digits pass rstrip's test above only when ASCII, so "B１２" ends here too.
    """
    match = _CELL_REF.fullmatch(reference)
    if match is None:
        raise _bad_reference()
    if int(match[2]) > max_rows or column_number(match[1]) > max_columns:
        raise _too_large()


def _attribute(attributes: dict, local_name: str) -> str | None:
    """An attribute by local name, whatever its prefix (`r:id`, `rel:id`)."""
    for key, value in attributes.items():
        if key == local_name or key.endswith(":" + local_name):
            return value
    return None


def _sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The zip members of every sheet: those the workbook lists (workbook.xml and its
    relationships), and any sheet-type relationship besides, since calamine could read it."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        raise _not_a_workbook()
    sheet_ids: list[str] = []

    def workbook_element(name, attributes):
        if _local(name) == "sheet":
            rel_id = _attribute(attributes, "id")
            if rel_id:
                sheet_ids.append(rel_id)

    targets: dict[str, str] = {}
    sheet_targets: list[str] = []

    def rels_element(name, attributes):
        if _local(name) != "Relationship" or attributes.get("TargetMode") == "External":
            return
        rel_id, target = attributes.get("Id"), attributes.get("Target")
        if rel_id and target:
            targets[rel_id] = target
            if attributes.get("Type", "").endswith(_SHEET_TYPES):
                sheet_targets.append(target)

    _parse_part(archive, "xl/workbook.xml", workbook_element)
    _parse_part(archive, "xl/_rels/workbook.xml.rels", rels_element)
    parts = []
    for target in [targets[rel_id] for rel_id in sheet_ids if rel_id in targets] + sheet_targets:
        candidates = [
            target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target),
            target,
        ]
        for candidate in candidates:
            part = posixpath.normpath(candidate)
            if part in names and part not in parts:
                parts.append(part)
    if not parts:
        raise UploadRejected(_("The workbook has no sheet."))
    return parts


def _check_sheet_extents(archive: zipfile.ZipFile) -> None:
    """Refuse workbooks whose sheets reach beyond the row and column limits."""
    # Title rows may sit above the header: they do not count against the data rows.
    max_rows = settings.UPLOAD_MAX_ROWS + HEADER_SCAN_ROWS
    max_columns = settings.UPLOAD_MAX_COLUMNS
    cells = 0
    for part in _sheet_parts(archive):
        start, counted = _extent_scanner(
            max_rows=max_rows,
            max_columns=max_columns,
            # Across all sheets: calamine may load each of them to find the header.
            max_cells=max_rows * max_columns,
            cells=cells,
        )
        _parse_part(archive, part, start)
        cells = counted()


def check_workbook(path) -> None:
    """Everything that can be checked without parsing cells: a zip, a workbook, no bomb, sane
    sheets.

    `path` is a path or a binary file object (an uploaded file). Raises UploadRejected with a
    message for the user.
    """
    if not zipfile.is_zipfile(path):
        raise _not_a_workbook()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if "[Content_Types].xml" not in {member.filename for member in members}:
                raise _not_a_workbook()
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
            _check_sheet_extents(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise _not_a_workbook() from None


# --- reading, in a child process -----------------------------------------------------------------


def _parse_in_child(path, *, expected, required) -> dict:
    """Run parse_child.py under the memory ceiling and return what it read."""
    limit = settings.UPLOAD_PARSE_MEMORY_MB * 1024 * 1024
    headers = json.dumps({"expected": list(expected), "required": list(required)}).encode()
    try:
        # -I: the child ignores PYTHON* variables and the user's site; it imports only calamine.
        done = subprocess.run(
            [sys.executable, "-I", parse_child.__file__, str(path), str(limit)],
            input=headers,
            capture_output=True,
            # A failed allocation aborts the child: one line in the log, not a backtrace.
            env={**os.environ, "RUST_BACKTRACE": "0"},
            timeout=PARSE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("Reading %s took more than %s s", path, PARSE_TIMEOUT_SECONDS)
        raise _unreadable_large() from None
    if done.returncode == 0:
        return json.loads(done.stdout)
    if done.returncode == parse_child.UNREADABLE:
        error = json.loads(done.stdout or b"{}").get("error", "Error")
        raise UploadRejected(
            _("The workbook could not be read (%(error)s).") % {"error": error[:40]}
        )
    # Out of memory (MemoryError, or the allocator aborting under the ceiling) or killed.
    logger.warning(
        "Reading %s ended with exit status %s: %s",
        path,
        done.returncode,
        done.stderr[:500].decode(errors="replace"),
    )
    raise _unreadable_large()


def _unreadable_large() -> UploadRejected:
    return UploadRejected(
        _(
            "The workbook is too large or too complex to read: it needs more memory than "
            "uploads may use. Split it into smaller files, or save it again from Excel."
        )
    )


def read_sheet(path, *, expected=(), required=(), checked: bool = False) -> Sheet:
    """Check the workbook (unless this stored file was `checked` already), then read the sheet
    whose header row matches the template: `expected` are the template's headers, `required` the
    ones a header row must hold (see parse_child.read). Blank rows are left out; row numbers stay
    those Excel shows.
    """
    if not checked:
        check_workbook(path)
    result = _parse_in_child(Path(path), expected=expected, required=required)
    if result.get("empty"):
        raise UploadRejected(_("The sheet is empty: it needs a header row and data rows."))
    return Sheet(
        headers=result["headers"],
        rows=list(zip(result["numbers"], result["cells"], strict=True)),
        name=result["sheet"],
        header_row=result["header_row"],
    )
