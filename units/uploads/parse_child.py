"""The calamine side of reading an upload, run as a script in a child process.

python-calamine loads a whole sheet into memory at once, and the size it allocates follows the
cell references in the file, not the file's size. reading.py checks those references first; this
child is the second guard: it runs under an address-space ceiling (RLIMIT_AS, set before calamine
is imported), so a workbook that still needs too much memory ends this process, never the worker.

Usage (reading.py does this): `python -I parse_child.py <workbook path> <memory limit in bytes>`,
with {"expected": [...], "required": [...]} (the template's headers) as JSON on stdin. On success
it writes the chosen sheet as JSON on stdout and exits 0; a workbook calamine cannot read exits
with UNREADABLE and {"error": "<exception name>"}; running out of memory exits with OUT_OF_MEMORY
(or is killed by the allocator's abort).

It imports nothing from the project or from Django: it starts fast, and `cell_text` and
`find_header` are shared with reading.py from here.
"""

import datetime
import gc
import json
import resource
import sys

UNREADABLE = 2
OUT_OF_MEMORY = 3
# The header row is looked for in the first rows of each sheet (title rows, notes above it).
HEADER_SCAN_ROWS = 20


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


def header_text(value) -> str:
    """A header cell as compared with the template: inner runs of spaces and line breaks (a
    header wrapped in its cell) count as one space."""
    return " ".join((cell_text(value) or "").split())


def find_header(head_rows, expected: set[str], required: set[str]):
    """The best header row among the first rows of a sheet: (index, has_required, score), or
    None when those rows are blank.

    A row holding every required header wins over one that does not; then the row with the most
    expected headers; then the earliest row.
    """
    best = None
    for index, row in enumerate(head_rows):
        texts = {header_text(value) for value in row}
        texts.discard("")
        if not texts:
            continue
        key = (required <= texts, len(texts & expected))
        if best is None or key > best[1:]:
            best = (index, *key)
    return best


def _sheet_order(workbook) -> list[int]:
    """Worksheets (not chart sheets) in workbook order, the visible ones first."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [
        (index, meta)
        for index, meta in enumerate(workbook.sheets_metadata)
        if meta.typ == SheetTypeEnum.WorkSheet
    ]
    visible = [index for index, meta in sheets if meta.visible == SheetVisibleEnum.Visible]
    return visible + [index for index, meta in sheets if meta.visible != SheetVisibleEnum.Visible]


def read(path: str, expected: set[str], required: set[str]) -> dict:
    """The sheet and header row that match the template, and the non-blank rows below it.

    The first sheet whose first rows hold every required header is taken; when none does, the
    row matching the most expected headers (the engine then names the missing columns); when
    nothing matches at all, the first non-blank row of the first non-empty sheet. Row numbers are
    those Excel shows.
    """
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as workbook:
        chosen = fallback = None  # (score key, sheet index, sheet, header index)
        for index in _sheet_order(workbook):
            sheet = workbook.get_sheet_by_index(index)
            head = sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
            found = find_header(head, expected, required)
            if found is None:
                continue
            row, has_required, score = found
            if has_required and (score or not expected):
                chosen = (index, sheet, row)
                break
            if fallback is None or score > fallback[0]:
                fallback = (score, index, sheet, row)
        if chosen is None and fallback is not None:
            chosen = fallback[1:]
        if chosen is None:
            return {"empty": True}
        index, sheet, header_index = chosen
        name = workbook.sheets_metadata[index].name
        values = sheet.to_python(skip_empty_area=False)
    del sheet, fallback
    headers = [header_text(value) for value in values[header_index]]
    while headers and not headers[-1]:
        headers.pop()
    numbers, rows = _data_rows(values, header_index + 1, len(headers))
    # Row numbers and cells apart: the parent zips them back without a Python loop.
    return {
        "sheet": name,
        "header_row": header_index + 1,
        "headers": headers,
        "numbers": numbers,
        "cells": rows,
    }


def _data_rows(values, first: int, width: int) -> tuple[list[int], list[list]]:
    """The non-blank rows from index `first` on, `width` cells each, and their Excel row
    numbers.

    cell_text inlined for the two common kinds (text, numbers): this loop runs once per cell.
    """
    numbers, rows = [], []
    for number, raw in enumerate(values[first:], start=first + 1):
        cells = []
        blank = True
        for value in raw[:width]:
            kind = type(value)
            if kind is str:
                value = value.strip() or None
            elif kind is float:
                value = str(int(value)) if value.is_integer() else repr(value)
            else:
                value = cell_text(value)
            if value is not None:
                blank = False
            cells.append(value)
        if not blank:
            cells.extend([None] * (width - len(cells)))
            numbers.append(number)
            rows.append(cells)
    return numbers, rows


def main() -> int:
    path, limit = sys.argv[1], int(sys.argv[2])
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an allocator abort leaves no core file
    # Nothing read here makes reference cycles: the collector would only slow the allocations.
    gc.disable()
    try:
        headers = json.loads(sys.stdin.buffer.read())
        from python_calamine import CalamineError

        try:
            result = read(path, set(headers["expected"]), set(headers["required"]))
        except (CalamineError, ValueError, OSError) as error:
            sys.stdout.buffer.write(json.dumps({"error": type(error).__name__}).encode())
            return UNREADABLE
        # UTF-8 bytes whatever the locale says: the cells are Thai.
        output = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()
        del result
        sys.stdout.buffer.write(output)
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main())
