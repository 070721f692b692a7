"""Workbooks as people send them: a title above the header row, a notes sheet first; the job page
says which sheet and row were read, and a refused file shows its reason alone."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from units.models import LAO, UploadStatus
from units.tests.uploads import (
    REGISTRY_HEADERS,
    UPLOAD_TESTS,
    book_bytes,
    commit,
    latest_job,
    post_upload,
    registry_refused,
    upload_region,
)
from units.uploads import engine
from units.uploads.laos import REGISTRY_UPLOAD
from units.uploads.registry import get_upload_type

pytestmark = UPLOAD_TESTS


@pytest.fixture
def region():
    return upload_region(laos=2, population=5000, households=1500)


def messy_workbook(rows, *, title_rows=2, notes_first=True, headers=REGISTRY_HEADERS) -> bytes:
    """The data sheet "ข้อมูล" with title rows above its header row, after a notes sheet."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = "ข้อมูล"
    if notes_first:
        notes = book.create_sheet("คำอธิบาย", 0)
        notes.append(["คอลัมน์", "คำอธิบาย"])
        for header in headers:
            notes.append([header, "กรอกตามแบบฟอร์ม"])
    if title_rows:
        data.cell(row=1, column=1, value="ข้อมูล อปท. จังหวัดขอนแก่น ปี 2569")
    for number in range(2, title_rows + 1):
        data.cell(row=number, column=1, value=None)
        data.cell(row=number, column=2, value="")
    for row_number, row in enumerate([headers, *rows], start=title_rows + 1):
        for column, value in enumerate(row, start=1):
            data.cell(row=row_number, column=column, value=value)
    return book_bytes(book)


def test_title_rows_and_a_notes_sheet_first_are_read_and_the_page_says_where(
    client, region, django_assert_num_queries
):
    client.force_login(region.staff)
    content = messy_workbook(
        [["6400100", "", "12,345"], ["6400101", "", "7000"]], title_rows=2, notes_first=True
    )
    post_upload(client, REGISTRY_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert job.summary["source"] == {"sheet": "ข้อมูล", "header_row": 3}
    assert [change["row"] for change in job.summary["changes"]] == [4, 5]
    with django_assert_num_queries(4):  # session, user, can_upload, job + uploader
        page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "Read sheet “ข้อมูล”, header on row 3." in page

    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert LAO.objects.get(dla_code="6400100").population == 12345
    assert job.summary["source"] == {"sheet": "ข้อมูล", "header_row": 3}
    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "Read sheet “ข้อมูล”, header on row 3." in page


@pytest.mark.parametrize(
    ("title_rows", "notes_first"), [(3, False), (0, True)], ids=["title-rows", "notes-sheet"]
)
def test_row_errors_keep_the_row_numbers_excel_shows(client, region, title_rows, notes_first):
    client.force_login(region.staff)
    content = messy_workbook(
        [["6400100", "", "9000"], ["6400101", "", "many"]],
        title_rows=title_rows,
        notes_first=notes_first,
    )
    with translation.override("en"):
        registry_refused(client, content)
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    header_row = title_rows + 1
    assert [error["row"] for error in job.errors] == [header_row + 2]
    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "1 error: nothing was saved" in page
    assert f"Read sheet “ข้อมูล”, header on row {header_row}." in page
    report = client.get(reverse("units:upload-error-report", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert list(book.active.iter_rows(min_row=3, values_only=True))[0][2] == "many"


def test_a_refused_file_shows_its_reason_alone(client, region, django_assert_num_queries):
    """A file-level error (here the header row) is not a count of row errors: no "0 errors"."""
    client.force_login(region.staff)
    content = messy_workbook([["6400100", "", "100"]], headers=["code", "name", "population"])
    with translation.override("en"):
        registry_refused(client, content)
    job = latest_job()
    assert job.status == UploadStatus.INVALID and job.error_count == 0
    with django_assert_num_queries(4):
        page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "The header row does not match the template" in page
    assert "nothing was saved" not in page
    assert "0 errors" not in page
    assert reverse("units:upload-error-report", args=[job.pk]) not in page
    assert "Fix the workbook and upload it again" in page


def test_a_workbook_beyond_the_memory_ceiling_fails_the_job_cleanly(client, region, settings):
    """Within the row and column limits (so the form takes it), but its dense sheet needs more
    memory than the parse may use: the job is refused with a clear message, the worker lives."""
    settings.UPLOAD_MAX_ROWS = 2_000_000
    settings.UPLOAD_PARSE_MEMORY_MB = 128
    client.force_login(region.staff)
    book = openpyxl.Workbook()
    book.active.append(REGISTRY_HEADERS)
    book.active.append(["6400100", "", "100"])
    book.active["AX1000000"] = 1
    with translation.override("en"):
        response = registry_refused(client, book_bytes(book))
    assert response.status_code == 302  # the form's checks pass: the parse itself is refused
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    assert "too large or too complex to read" in job.message
    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "too large or too complex to read" in page
    assert "0 errors" not in page


@pytest.mark.parametrize("kind", ["units.registry", "budgets.lines", "projects.progress"])
def test_every_upload_type_finds_its_header_below_a_title(tmp_path, kind):
    upload_type = get_upload_type(kind)
    headers = engine.template_headers(upload_type.resource())
    path = tmp_path / "upload.xlsx"
    path.write_bytes(messy_workbook([["x"] * len(headers)], title_rows=4, headers=headers))
    sheet = engine.read_upload(path, upload_type=upload_type)
    assert (sheet.name, sheet.header_row, sheet.headers) == ("ข้อมูล", 5, headers)
    assert sheet.rows == [(6, ["x"] * len(headers))]
