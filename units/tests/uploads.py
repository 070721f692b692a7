"""Helpers for the tests of every upload type (units, budgets, projects): real .xlsx workbooks
built with openpyxl, sent through the upload pages, checked and committed as the worker would.

Test modules of uploads mark themselves with `UPLOAD_TESTS`. The page queues the check (and the
commit) in an `on_commit` callback, which a test's transaction never reaches: the helpers run
those callbacks as the request ends, as pytest-django's `django_capture_on_commit_callbacks`
does."""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from units.models import LAO, LAOChange, Province, Role, UploadJob, UploadStatus, User
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory
from units.uploads.laos import REGISTRY_UPLOAD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTRY_HEADERS = [
    "รหัส อปท.",
    "ชื่อ อปท.",
    "ประชากร",
    "ครัวเรือน",
    "โทรศัพท์",
    "อีเมล",
    "เว็บไซต์",
    "ผู้บริหาร",
]

# Upload progress goes through the "progress" alias (a mirror of default in tests); messages are
# checked in English. Use as `pytestmark = UPLOAD_TESTS`.
UPLOAD_TESTS = [
    pytest.mark.django_db(databases=["default", "progress"]),
    pytest.mark.usefixtures("english_client", "close_progress_connection"),
]


def workbook(headers: Sequence, rows: Iterable[Sequence], *, blank_tail: int = 0) -> bytes:
    """An .xlsx whose first sheet has `headers` on row 1 and `rows` below; `blank_tail` empty
    rows after them (a cell set to None and one to "", as spreadsheets leave them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for _blank in range(blank_tail):
        sheet.cell(row=sheet.max_row + 1, column=1, value=None)
        sheet.cell(row=sheet.max_row, column=3).value = ""
    return book_bytes(book)


def book_bytes(book: openpyxl.Workbook) -> bytes:
    """The .xlsx file of a workbook built in a test."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plain_workbook(rows=(("รหัส อปท.", "ประชากร"), ("6400100", 12))) -> bytes:
    """A workbook of `rows` as given (none at all: a workbook without cells)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    return book_bytes(book)


def rewrite_parts(content: bytes, edits: dict) -> bytes:
    """The same workbook with some zip members passed through their edit function."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data)
            target.writestr(item.filename, data)
    return out.getvalue()


def rewrite_sheet(content: bytes, edit) -> bytes:
    """The same workbook with its first sheet's XML passed through `edit`."""
    return rewrite_parts(content, {"xl/worksheets/sheet1.xml": edit})


def huge_dimension_workbook() -> bytes:
    """4-5 KB on disk, but declares (and uses) cell GR1000000: calamine would allocate GBs."""

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:GR1000000"/>')
        return xml.replace(
            b"</sheetData>", b'<row r="1000000"><c r="GR1000000"><v>1</v></c></row></sheetData>'
        )

    return rewrite_sheet(plain_workbook(), edit)


def upload_file(content: bytes, name: str = "upload.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def run_on_commit():
    """Run the callbacks queued by `transaction.on_commit` as the block ends."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def post_upload(client, kind: str, content: bytes, *, name: str = "upload.xlsx"):
    """Send `content` through the upload page as `kind`; the check runs before this returns."""
    with run_on_commit():
        return client.post(
            reverse("units:upload-list"), {"kind": kind, "file": upload_file(content, name)}
        )


def commit(client, job: UploadJob):
    """Press "commit" on the job's page; the commit runs before this returns."""
    with run_on_commit():
        return client.post(reverse("units:upload-commit", args=[job.pk]))


def latest_job() -> UploadJob:
    return UploadJob.objects.latest("id")


def upload(client, kind: str, content: bytes) -> UploadJob:
    """Upload, check and commit `content` through the pages as the logged-in user; the job
    as it is afterwards (committed, or invalid with its errors)."""
    post_upload(client, kind, content)
    job = latest_job()
    commit(client, job)
    job.refresh_from_db()
    return job


def upload_refused(client, kind: str, content: bytes, *, snapshot, name="upload.xlsx"):
    """Send `content` through the upload page and check that nothing `snapshot()` reads (all
    that the upload type may write) has changed; the response."""
    before = snapshot()
    response = post_upload(client, kind, content, name=name)
    assert snapshot() == before
    return response


def registry_values() -> list[tuple]:
    """Every LAO field the registry upload may change."""
    return list(
        LAO.objects.order_by("dla_code").values_list(
            "dla_code", "population", "households", "phone", "email", "website", "demo_fields"
        )
    )


def registry_refused(client, content: bytes, *, name="registry.xlsx"):
    """A registry upload that changes nothing, not even the history; the response."""
    response = upload_refused(client, REGISTRY_UPLOAD, content, snapshot=registry_values, name=name)
    assert LAOChange.objects.count() == 0
    return response


def invalid_job() -> UploadJob:
    """The latest job, which the check found invalid."""
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    return job


def make_job(user: User, kind: str, content: bytes) -> UploadJob:
    """A queued job with its file, neither checked nor committed (for the engine's own tests)."""
    job = UploadJob(kind=kind, user=user, original_name="t.xlsx", size=len(content))
    job.file.save("t.xlsx", upload_file(content), save=False)
    job.save()
    return job


@dataclass
class UploadRegion:
    """Province 40 (`home`) with `laos` 6400100, 6400101, … in one district and its staff
    `staff40`; `far` (6410001) in province 41 (`other`)."""

    home: Province
    other: Province
    laos: list[LAO]
    far: LAO
    staff: User


def upload_region(*, laos: int = 3, **lao_fields) -> UploadRegion:
    home, other = ProvinceFactory(code="40"), ProvinceFactory(code="41")
    district = DistrictFactory(province=home)
    return UploadRegion(
        home=home,
        other=other,
        laos=[
            LAOFactory(subdistrict__district=district, dla_code=f"640010{n}", **lao_fields)
            for n in range(laos)
        ],
        far=LAOFactory(subdistrict__district=DistrictFactory(province=other), dla_code="6410001"),
        staff=UserFactory(username="staff40", role=Role.PROVINCIAL, province=home),
    )
