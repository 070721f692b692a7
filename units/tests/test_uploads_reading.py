"""Safe reading of uploaded workbooks: refused before parsing, cells as text."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from units.uploads.reading import UploadRejected, cell_text, check_workbook, read_first_sheet
from units.uploads.spreadsheets import workbook_bytes


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the portal's second language."""
    with translation.override("en"):
        yield


def plain_workbook(rows=(("รหัส อปท.", "ประชากร"), ("6400100", 12))) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, edit) -> bytes:
    """The same workbook with its first sheet's XML passed through `edit`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            target.writestr(item.filename, data)
    return out.getvalue()


def huge_dimension_workbook() -> bytes:
    """4-5 KB on disk, but declares (and uses) cell GR1000000: calamine would allocate GBs."""

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:GR1000000"/>')
        return xml.replace(
            b"</sheetData>", b'<row r="1000000"><c r="GR1000000"><v>1</v></c></row></sheetData>'
        )

    return rewrite_sheet(plain_workbook(), edit)


def write(tmp_path, content: bytes):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    return path


def test_reads_cells_as_text_with_excel_row_numbers_and_skips_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["รหัส อปท.", "ประชากร", "ชื่อ"])
    sheet.append([6400100, 12345.0, "  ทดสอบ  "])
    sheet.append([None, None, None])
    sheet.append(["0100101", "1,234", 1.5])
    for row in range(6, 20):  # blank trailing rows, e.g. formatting left behind
        sheet.cell(row=row, column=2).value = ""
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_first_sheet(write(tmp_path, buffer.getvalue()))
    assert result.headers == ["รหัส อปท.", "ประชากร", "ชื่อ"]
    assert result.rows == [(2, ["6400100", "12345", "ทดสอบ"]), (4, ["0100101", "1,234", "1.5"])]


def test_cell_text():
    assert cell_text(6110101.0) == "6110101"
    assert cell_text(0.25) == "0.25"
    assert cell_text("   ") is None
    assert cell_text(True) == "TRUE"


@pytest.mark.parametrize(
    "content",
    [b"", b"a,b\n1,2\n", b"%PDF-1.4 not a zip", b"PK\x03\x04broken"],
    ids=["empty", "csv", "pdf", "broken-zip"],
)
def test_non_workbooks_are_refused(tmp_path, content):
    with pytest.raises(UploadRejected):
        check_workbook(write(tmp_path, content))


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(UploadRejected, match="not an Excel workbook"):
        check_workbook(write(tmp_path, buffer.getvalue()))


def test_huge_declared_dimension_is_refused_before_parsing(tmp_path):
    content = huge_dimension_workbook()
    assert len(content) < 10_000
    with pytest.raises(UploadRejected, match="too large"):
        read_first_sheet(write(tmp_path, content))


def test_huge_actual_extent_without_a_dimension_is_refused(tmp_path):
    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:B2"/>', b"")
        return xml.replace(b"</sheetData>", b'<row r="2"><c r="ZZ2"><v>1</v></c></row></sheetData>')

    with pytest.raises(UploadRejected, match="too large"):
        check_workbook(write(tmp_path, rewrite_sheet(plain_workbook(), edit)))


def test_zip_bomb_is_refused(tmp_path, settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    content = plain_workbook()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(UploadRejected, match="unpacks to too much data"):
        check_workbook(write(tmp_path, out.getvalue()))
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 10_000
    with pytest.raises(UploadRejected, match="unpacks to too much data"):
        check_workbook(write(tmp_path, out.getvalue()))


def test_empty_sheet_is_refused(tmp_path):
    with pytest.raises(UploadRejected, match="empty"):
        read_first_sheet(write(tmp_path, plain_workbook(rows=())))


def test_written_workbooks_keep_formulas_as_text():
    content = workbook_bytes(
        title="t",
        headers=["a", "b"],
        rows=[["=1+1", 5], ["+66 81", "-x"], ["@SUM(A1)", None]],
        text_columns=[0],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5 and sheet["B2"].data_type == "n"
    assert sheet["A4"].data_type == "s"
