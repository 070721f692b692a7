"""Reading the text of a PDF (pypdf) or DOCX (python-docx, tables too), run as a script in a
child process under an address-space ceiling (RLIMIT_AS, set before the libraries are imported).

Usage (files.py does this): `python -I extract_child.py <path> <pdf|docx> <memory limit in bytes>
<max characters>`. On success it writes the text (UTF-8) on stdout and exits 0; a file the library
cannot read exits with UNREADABLE and {"error": "<exception name>"}; running out of memory exits
with OUT_OF_MEMORY (or is killed). It imports nothing from the project or from Django.
"""

import json
import resource
import sys

UNREADABLE = 2
OUT_OF_MEMORY = 3


def pdf_text(path: str, max_chars: int) -> str:
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


def docx_text(path: str, max_chars: int) -> str:
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


READERS = {"pdf": pdf_text, "docx": docx_text}


def main() -> int:
    path, file_type, limit, max_chars = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        try:
            text = READERS[file_type](path, max_chars)
        except MemoryError:
            raise
        except Exception as error:  # any failure of a third-party parser on hostile input
            sys.stdout.buffer.write(json.dumps({"error": type(error).__name__}).encode())
            return UNREADABLE
        sys.stdout.buffer.write(text.encode("utf-8", errors="replace"))
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main())
