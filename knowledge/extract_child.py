"""Reading the text of a PDF (pypdf), DOCX (python-docx, tables too) or XLSX (openpyxl read-only,
cell values only), run as a script in a child process under an address-space ceiling (RLIMIT_AS),
a CPU-time ceiling (RLIMIT_CPU: it still ends should the worker that waits for it die) and no
right to write a file (RLIMIT_FSIZE 0), all set before the libraries are imported.

Usage (files.py does this): `python -I extract_child.py <path> <pdf|docx|xlsx> <memory limit in
bytes> <max characters> <max cells> <CPU seconds>`. On success it writes the text (UTF-8) on
stdout and exits 0; a file the library cannot read exits with UNREADABLE and {"error": "<exception
name>"}; a workbook with more cells than allowed exits with TOO_LARGE; running out of memory exits
with OUT_OF_MEMORY (or is killed); running out of CPU time is killed by SIGXCPU. It imports
nothing from the project or from Django.
"""

import json
import resource
import sys

UNREADABLE = 2
OUT_OF_MEMORY = 3
TOO_LARGE = 4


class TooLarge(Exception):
    """The file holds more than the reader is allowed to walk through."""


def pdf_text(path: str, max_chars: int, max_cells: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= max_chars:
            break
    return "\n\n".join(parts)[:max_chars]


def docx_text(path: str, max_chars: int, max_cells: int) -> str:
    import docx

    document = docx.Document(path)
    parts, size = [], 0
    for paragraph in document.paragraphs:
        parts.append(paragraph.text)
        size += len(paragraph.text)
        if size >= max_chars:
            return "\n\n".join(parts)[:max_chars]
    for table in document.tables:
        for row in table.rows:
            line = " | ".join(cell.text for cell in row.cells)
            parts.append(line)
            size += len(line)
            if size >= max_chars:
                return "\n\n".join(parts)[:max_chars]
    return "\n\n".join(parts)[:max_chars]


def xlsx_text(path: str, max_chars: int, max_cells: int) -> str:
    """Every sheet's cell values (never formulas: the values Excel last saved), a line per row.

    A sheet's declared dimension is checked first (a 5 KB file can declare A1:XFD1048576), then
    ignored: read-only openpyxl pads every row to the declared width, so rows are read as they
    are stored and the cells walked through are counted against `max_cells`."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    parts, size, cells = [], 0, 0
    try:
        for sheet in workbook.worksheets:
            if sheet.max_row and sheet.max_column and sheet.max_row * sheet.max_column > max_cells:
                raise TooLarge(sheet.title)
            sheet.reset_dimensions()
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells += len(row) + 1
                if cells > max_cells:
                    raise TooLarge(sheet.title)
                line = " | ".join(str(value) for value in row if value is not None and value != "")
                if line:
                    parts.append(line)
                    size += len(line)
                    if size >= max_chars:
                        return "\n".join(parts)[:max_chars]
    finally:
        workbook.close()
    return "\n".join(parts)[:max_chars]


READERS = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text}


def _limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a resource limit, never above the hard limit this process already has."""
    _current, ceiling = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(which, (soft, hard))


def main() -> int:
    path, file_type = sys.argv[1], sys.argv[2]
    limit, max_chars, max_cells = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    cpu_seconds = int(sys.argv[6])
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # SIGXCPU at the soft limit, SIGKILL a little later should it be caught.
    _limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 5)
    # The readers only read; a write (Python ignores SIGXFSZ) fails with EFBIG instead of
    # filling the disk. stdout is a pipe, which this limit does not count.
    _limit(resource.RLIMIT_FSIZE, 0)
    try:
        try:
            text = READERS[file_type](path, max_chars, max_cells)
        except MemoryError:
            raise
        except ImportError:
            # The readers are installed: loading one (lxml's native module) fails only when
            # mapping it hits the memory ceiling.
            return OUT_OF_MEMORY
        except TooLarge:
            return TOO_LARGE
        except Exception as error:  # any failure of a third-party parser on hostile input
            sys.stdout.buffer.write(json.dumps({"error": type(error).__name__}).encode())
            return UNREADABLE
        sys.stdout.buffer.write(text.encode("utf-8", errors="replace"))
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main())
