"""Safe reading of uploaded workbooks: refused before parsing, cells as text."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from units.tables import workbook_bytes
from units.tests.uploads import (
    book_bytes,
    huge_dimension_workbook,
    plain_workbook,
    rewrite_parts,
    rewrite_sheet,
)
from units.uploads.reading import UploadRejected, cell_text, check_workbook, read_sheet


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the portal's second language."""
    with translation.override("en"):
        yield


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
    result = read_sheet(write(tmp_path, book_bytes(book)))
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
        read_sheet(write(tmp_path, content))


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
        read_sheet(write(tmp_path, plain_workbook(rows=())))


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


# --- the extent check reads the XML, however it is spelled ----------------------------------------


def far_cell(xml: bytes, cell: bytes) -> bytes:
    """The sheet with one more row holding `cell` (raw XML) before </sheetData>."""
    return xml.replace(b"</sheetData>", cell + b"</sheetData>")


PREFIXED_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<x:sheetData>"
    b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>'
    b'<x:row r="1048576"><x:c r="GR1048576"><x:v>1</x:v></x:c></x:row>'
    b"</x:sheetData></x:worksheet>"
)


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: far_cell(xml, b"<row r='1048576'><c r='GR1048576'><v>1</v></c></row>"),
        lambda xml: far_cell(xml, b'<row r = "1048576" ><c r = "GR1048576" ><v>1</v></c></row>'),
        lambda xml: far_cell(xml, b"<row><c r='gr1048576'><v>1</v></c></row>"),
        lambda xml: PREFIXED_SHEET,
        # The dimension still says A1:B2: it is not believed.
        lambda xml: far_cell(xml, b'<row r="1048576"><c r="GR1048576"><v>1</v></c></row>'),
        lambda xml: far_cell(
            xml.replace(b'<dimension ref="A1:B2"/>', b""),
            b"<row><c r='GR1048576'><v>1</v></c></row>",
        ),
        # No reference at all: the cell lands right of AX3, in column 51.
        lambda xml: far_cell(xml, b'<row r="3"><c r="AX3"><v>1</v></c><c><v>2</v></c></row>'),
        # Rows without references count on from the last one.
        lambda xml: far_cell(xml, b'<row r="100020"/><row><c><v>1</v></c></row>'),
    ],
    ids=[
        "single-quotes",
        "spaces-around-equals",
        "lower-case",
        "namespace-prefix",
        "lying-dimension",
        "no-dimension",
        "implied-column",
        "implied-row",
    ],
)
def test_far_cells_are_refused_however_the_xml_spells_them(tmp_path, edit):
    content = rewrite_sheet(plain_workbook(), edit)
    assert len(content) < 10_000
    with pytest.raises(UploadRejected, match="The sheet is too large"):
        check_workbook(write(tmp_path, content))


def test_the_edge_of_the_limits_is_accepted(tmp_path, settings):
    """Column 50 and the last allowed row: the checks refuse only what is beyond."""
    settings.UPLOAD_MAX_ROWS = 1000

    def edit(xml):
        return far_cell(xml, b'<row r="1000"><c r="AX1000"><v>1</v></c><c><v>2</v></c></row>')

    with pytest.raises(UploadRejected, match="too large"):  # the second cell is column 51
        check_workbook(write(tmp_path, rewrite_sheet(plain_workbook(), edit)))

    def edit(xml):
        return far_cell(xml, b"<row r='1000'><c r='AW1000'><v>1</v></c><c><v>2</v></c></row>")

    check_workbook(write(tmp_path, rewrite_sheet(plain_workbook(), edit)))


@pytest.mark.parametrize(
    "cell",
    [b'<row r="5"><c r="A$5"><v>1</v></c></row>', b'<row r="x"><c><v>1</v></c></row>'],
    ids=["cell", "row"],
)
def test_malformed_positions_are_refused(tmp_path, cell):
    content = rewrite_sheet(plain_workbook(), lambda xml: far_cell(xml, cell))
    with pytest.raises(UploadRejected, match="a cell has an invalid position"):
        check_workbook(write(tmp_path, content))


def test_xml_with_a_dtd_or_entities_is_refused(tmp_path):
    def edit(xml: bytes) -> bytes:
        bomb = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        return xml.replace(b"<worksheet", bomb + b"<worksheet", 1).replace(
            b"</sheetData>",
            b'<row r="3"><c r="A3" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData>',
        )

    with pytest.raises(UploadRejected, match="not an Excel workbook"):
        check_workbook(write(tmp_path, rewrite_sheet(plain_workbook(), edit)))


def two_sheet_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["just notes"])
    data = book.create_sheet("data")
    data.append(["รหัส อปท.", "ประชากร"])
    data.append(["6400100", 12])
    return book_bytes(book)


def test_every_sheet_is_checked_and_sheets_are_found_by_the_xml_parser(tmp_path):
    """The far cell is on the second sheet, and workbook.xml spells its attributes with single
    quotes and another prefix for the relationships namespace: still found, still refused."""

    def workbook_xml(xml: bytes) -> bytes:
        xml = xml.replace(b"xmlns:r=", b"xmlns:rel=").replace(b' r:id="', b" rel:id = '")
        return xml.replace(b'rId1"', b"rId1'").replace(b'rId2"', b"rId2'")

    content = rewrite_parts(
        two_sheet_workbook(),
        {
            "xl/workbook.xml": workbook_xml,
            "xl/worksheets/sheet2.xml": lambda xml: far_cell(
                xml, b"<row r='9'><c r='GR1048576'><v>1</v></c></row>"
            ),
        },
    )
    assert b"rel:id = 'rId2'" in zipfile.ZipFile(io.BytesIO(content)).read("xl/workbook.xml")
    with pytest.raises(UploadRejected, match="The sheet is too large"):
        check_workbook(write(tmp_path, content))


# --- the memory ceiling -------------------------------------------------------------------------


def test_a_workbook_needing_more_memory_than_the_ceiling_is_refused_not_a_crash(
    tmp_path, settings, caplog
):
    """Within the row and column limits, yet calamine's dense sheet would need ~1.6 GB: the
    child process dies under the ceiling and the upload gets a clear message."""
    settings.UPLOAD_MAX_ROWS = 2_000_000
    settings.UPLOAD_PARSE_MEMORY_MB = 128

    def edit(xml):
        return far_cell(xml, b'<row r="1000000"><c r="AX1000000"><v>1</v></c></row>')

    content = rewrite_sheet(plain_workbook(), edit)
    check_workbook(write(tmp_path, content))  # passes the extent check
    with pytest.raises(UploadRejected, match="too large or too complex to read") as refused:
        read_sheet(write(tmp_path, content))
    assert "memory" in str(refused.value.message)
    assert "ended with exit status" in caplog.text
    # The same ceiling reads an ordinary workbook: the refusal was the sheet, not the setting.
    assert read_sheet(write(tmp_path, plain_workbook())).rows == [(2, ["6400100", "12"])]


def test_a_damaged_workbook_is_refused_with_calamines_reason(tmp_path):
    content = rewrite_sheet(plain_workbook(), lambda xml: xml.replace(b"</sheetData>", b""))
    with pytest.raises(UploadRejected, match="could not be read"):
        read_sheet(write(tmp_path, content), checked=True)


# --- the sheet and header row are found by the template's headers ---------------------------------

EXPECTED = ["รหัส อปท.", "ชื่อ อปท.", "ประชากร"]
REQUIRED = ["รหัส อปท.", "ประชากร"]


def messy_workbook(*, notes_first: bool, title_rows: int) -> bytes:
    book = openpyxl.Workbook()
    data = book.active
    data.title = "ข้อมูล"
    if notes_first:
        notes = book.create_sheet("คำอธิบาย", 0)
        notes.append(["คอลัมน์", "คำอธิบาย"])
        notes.append(["รหัส อปท.", "รหัส 7 หลักของกรมส่งเสริมฯ"])
        notes.append(["ประชากร", "จำนวนคน"])
    for number in range(1, title_rows + 1):
        data.cell(row=number, column=1, value=f"รายงานประชากร บรรทัด {number}")
    data.append(["รหัส อปท.", "ชื่อ อปท.", " ประชากร\n"])  # spaces and a wrapped header
    data.append(["6400100", "อบต.หนึ่ง", 1200])
    data.append([None, None, None])
    data.append(["6400101", None, "1,300"])
    return book_bytes(book)


@pytest.mark.parametrize(
    ("notes_first", "title_rows", "sheet", "header_row"),
    [
        (False, 0, "ข้อมูล", 1),
        (False, 2, "ข้อมูล", 3),
        (True, 0, "ข้อมูล", 1),
        (True, 4, "ข้อมูล", 5),
    ],
    ids=["well-formed", "title-rows", "notes-sheet-first", "both"],
)
def test_the_sheet_and_header_row_are_found_by_the_templates_headers(
    tmp_path, notes_first, title_rows, sheet, header_row
):
    content = messy_workbook(notes_first=notes_first, title_rows=title_rows)
    result = read_sheet(write(tmp_path, content), expected=EXPECTED, required=REQUIRED)
    assert (result.name, result.header_row) == (sheet, header_row)
    assert result.headers == EXPECTED
    # Row numbers are those Excel shows; the blank row is left out.
    assert result.rows == [
        (header_row + 1, ["6400100", "อบต.หนึ่ง", "1200"]),
        (header_row + 3, ["6400101", None, "1,300"]),
    ]


def test_a_header_below_the_scanned_rows_is_not_found(tmp_path):
    """Only the first 20 rows are searched; the first sheet's best row is then used, and the
    engine names the missing columns."""
    content = messy_workbook(notes_first=True, title_rows=25)
    result = read_sheet(write(tmp_path, content), expected=EXPECTED, required=REQUIRED)
    assert result.name == "คำอธิบาย"
    assert "ชื่อ อปท." not in result.headers


def test_a_hidden_sheet_yields_to_a_visible_one(tmp_path):
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "old"
    hidden.append(EXPECTED)
    hidden.append(["6499999", "", 1])
    hidden.sheet_state = "hidden"
    visible = book.create_sheet("new")
    visible.append(EXPECTED)
    visible.append(["6400100", "", 2])
    result = read_sheet(write(tmp_path, book_bytes(book)), expected=EXPECTED, required=REQUIRED)
    assert result.name == "new"
    assert result.rows == [(2, ["6400100", None, "2"])]
