"""The provincial registry upload through the upload machinery: pages, dry run, errors, commit."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from units.models import LAO, ChangeSource, LAOChange, Role, UploadJob, UploadStatus
from units.tests.factories import UserFactory
from units.tests.uploads import (
    REGISTRY_HEADERS,
    UPLOAD_TESTS,
    XLSX,
    commit,
    huge_dimension_workbook,
    latest_job,
    make_job,
    post_upload,
    registry_refused,
    registry_values,
    upload,
    upload_region,
    workbook,
)
from units.uploads import engine, reading
from units.uploads.laos import REGISTRY_UPLOAD

pytestmark = UPLOAD_TESTS


@pytest.fixture
def region():
    return upload_region(
        laos=3,
        population=5000,
        households=1500,
        phone="043 000 000",
        demo_fields=["population", "households", "phone"],
    )


# --- good workbook: preview, commit, history, demo flags ----------------------------------------


def test_good_workbook_previews_then_commits_with_history(client, region):
    client.force_login(region.staff)
    content = workbook(
        REGISTRY_HEADERS,
        [
            ["6400100", "", "12,345", "3,000", "", "info@example.go.th", "www.example.go.th", ""],
            [6400101, "ignored name", 7000, None, None, None, None, "นายสมชาย ใจดี"],
            ["6400102", None, None, None, None, None, None, None],
        ],
    )
    response = post_upload(client, REGISTRY_UPLOAD, content)
    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("units:upload-detail", args=[job.pk])
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert job.summary["rows"] == 3
    assert job.summary["changed"] == 2
    assert job.summary["unchanged"] == 1
    first = job.summary["changes"][0]
    assert first["code"] == "6400100"
    assert ["ประชากร", "5000", "12345", True] in first["fields"]
    assert ["เว็บไซต์", "", "https://www.example.go.th", False] in first["fields"]
    before = registry_values()
    assert LAOChange.objects.count() == 0

    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "12345" in page and "upload-commit" in page

    response = commit(client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert job.summary["committed"] == {"changed": 2, "unchanged": 1}
    after = {row[0]: row for row in registry_values()}
    assert before != list(after.values())
    assert after["6400100"][1:6] == (
        12345,
        3000,
        "043 000 000",
        "info@example.go.th",
        "https://www.example.go.th",
    )
    assert after["6400100"][6] == ["phone"]  # population and households are real now
    assert after["6400101"][1] == 7000
    assert after["6400101"][6] == ["households", "phone"]
    assert LAO.objects.get(dla_code="6400101").chief_executive == "นายสมชาย ใจดี"
    assert after["6400102"][6] == ["population", "households", "phone"]
    changes = {change.lao.dla_code: change for change in LAOChange.objects.select_related("lao")}
    assert set(changes) == {"6400100", "6400101"}
    change = changes["6400100"]
    assert change.source == ChangeSource.UPLOAD
    assert change.user == region.staff
    assert change.note == f"@upload:{job.pk}"
    assert change.changes["population"] == ["5000", "12345"]
    assert change.changes["households"] == ["1500", "3000"]


def test_same_workbook_twice_shows_no_changes_the_second_time(client, region):
    client.force_login(region.staff)
    content = workbook(REGISTRY_HEADERS, [["6400100", "", "9,000", "2000", "", "", "", ""]])
    first = upload(client, REGISTRY_UPLOAD, content)
    assert first.status == UploadStatus.COMMITTED
    post_upload(client, REGISTRY_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID
    assert job.summary["changed"] == 0
    assert job.summary["unchanged"] == 1
    assert job.summary["changes"] == []


def test_commit_revalidates_and_writes_nothing_when_the_data_changed(client, region):
    client.force_login(region.staff)
    post_upload(
        client,
        REGISTRY_UPLOAD,
        workbook(
            REGISTRY_HEADERS,
            [["6400100", "", "6000", "", "", "", "", ""], ["6400101", "", "", "4000"]],
        ),
    )
    job = latest_job()
    assert job.status == UploadStatus.VALID
    # Meanwhile someone lowers 6400101's population below the uploaded households.
    LAO.objects.filter(dla_code="6400101").update(population=3000, households=1000)
    before = registry_values()
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.INVALID
    assert job.errors[0]["row"] == 3
    assert registry_values() == before
    assert LAOChange.objects.count() == 0


def test_a_job_is_committed_once(client, region):
    client.force_login(region.staff)
    post_upload(client, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100", "", "6000"]]))
    job = latest_job()
    for _ in range(2):
        commit(client, job)
    assert LAOChange.objects.count() == 1


# --- bad workbooks: a clear message, nothing written ----------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty (0 bytes)."),
        (b"code,population\n6400100,100\n", "The file is not an Excel workbook (.xlsx)."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "The file is not an Excel workbook (.xlsx)."),
    ],
    ids=["empty", "csv", "pdf"],
)
def test_unreadable_files_are_refused_on_the_form(client, region, content, message):
    client.force_login(region.staff)
    with translation.override("en"):
        response = registry_refused(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert UploadJob.objects.count() == 0


def test_oversized_file_is_refused(client, region, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(region.staff)
    content = workbook(REGISTRY_HEADERS, [["6400100", "x" * 50, 1]] * 200)
    assert len(content) > 1024
    with translation.override("en"):
        response = registry_refused(client, content)
    assert response.status_code == 400
    assert "The file is too large: the limit is 0 MB." in response.content.decode()


def test_wrong_headers_make_the_job_invalid_with_the_expected_columns(client, region):
    client.force_login(region.staff)
    content = workbook(["code", "name", "population"], [["6400100", "", "100"]])
    with translation.override("en"):
        registry_refused(client, content)
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    assert "The header row does not match the template" in job.message
    assert "รหัส อปท." in job.message
    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "The header row does not match the template" in page or "รหัส อปท." in page


def test_row_errors_are_listed_and_nothing_is_written(client, region):
    client.force_login(region.staff)
    content = workbook(
        REGISTRY_HEADERS,
        [
            ["6400100", "", "9,000", "", "", "", "", ""],  # valid, but not written
            ["6400101", "", "many", "", "", "", "", ""],  # text in a number column
            ["6410001", "", "100", "", "", "", "", ""],  # another province
            ["6499999", "", "100", "", "", "", "", ""],  # unknown code
            ["6400100", "", "100", "", "", "", "", ""],  # duplicate
            ["6400102", "", "100", "200", "", "not-an-email", "", ""],  # hh > pop, bad e-mail
        ],
    )
    with translation.override("en"):
        registry_refused(client, content)
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    errors = {(error["row"], error["column"]): error["message"] for error in job.errors}
    assert errors == {
        (3, "ประชากร"): "“many” is not a whole number (write a count such as 12,345).",
        (4, "รหัส อปท."): "LAO 6410001 is not in your province: you cannot change it.",
        (5, "รหัส อปท."): "No LAO has the code 6499999.",
        (6, "รหัส อปท."): "Duplicate: row 2 already has this LAO.",
        (7, "อีเมล"): "“not-an-email” is not a valid e-mail address.",
    }
    assert job.error_count == 5
    # Households > population is checked once the cells themselves are valid.
    fixed = workbook(REGISTRY_HEADERS, [["6400102", "", "100", "200"]])
    with translation.override("en"):
        registry_refused(client, fixed)
    job = latest_job()
    assert job.errors == [
        {
            "row": 2,
            "column": "ครัวเรือน",
            "message": "Households (200) cannot be more than the population (100).",
        }
    ]


def test_error_workbook_has_the_rows_with_their_errors(client, region):
    client.force_login(region.staff)
    content = workbook(
        REGISTRY_HEADERS,
        [["6400100", "", "9,000", "", "", "", "", ""], ["6400101", "", "many", "", "", "", "=1+1"]],
    )
    with translation.override("en"):
        registry_refused(client, content)
    job = latest_job()
    response = client.get(reverse("units:upload-error-report", args=[job.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (*REGISTRY_HEADERS, "ข้อผิดพลาด / errors")
    assert rows[1][0] == "6400100" and rows[1][8] in (None, "")
    # A formula in an upload is read as its cached value only (none here); nothing is evaluated.
    assert rows[2][2] == "many" and rows[2][6] in (None, "")
    assert book.active["C3"].data_type == "s"
    assert rows[2][8].startswith("ประชากร: ")


def test_thai_error_messages_by_default(client, region):
    client.force_login(region.staff)
    registry_refused(client, workbook(REGISTRY_HEADERS, [["6400101", "", "many"]]))
    job = latest_job()
    assert job.status == UploadStatus.INVALID
    assert job.errors[0]["column"] == "ประชากร"


def test_codes_as_numbers_thousands_separators_and_blank_trailing_rows(region):
    content = workbook(
        REGISTRY_HEADERS,
        [[6400100, None, "1,234,567", 12.0], [6400101.0, None, 800, "1,000"]],
        blank_tail=5,
    )
    job = make_job(region.staff, REGISTRY_UPLOAD, content)
    engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.INVALID  # 1,000 households > 800 population
    assert job.total_rows == 2
    assert [error["row"] for error in job.errors] == [3]
    content = workbook(REGISTRY_HEADERS, [[6400100, None, "1,234,567", 12.0]], blank_tail=5)
    job = make_job(region.staff, REGISTRY_UPLOAD, content)
    engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID
    assert job.summary["changes"][0]["fields"][0][:3] == ["ประชากร", "5000", "1234567"]


def test_zip_bomb_and_huge_dimension_are_refused(client, region):
    client.force_login(region.staff)
    with translation.override("en"):
        response = registry_refused(client, huge_dimension_workbook())
    assert response.status_code == 400
    assert "The sheet is too large" in response.content.decode()


def test_the_workbook_is_checked_once_on_upload_not_again_by_the_dry_run_or_commit(
    client, region, monkeypatch
):
    """The safety scan reads every cell (about a second for 50,000 rows): the form runs it, the
    dry run and the commit read the very file it passed."""
    scanned = []
    scan = reading._check_sheet_extents
    monkeypatch.setattr(
        reading, "_check_sheet_extents", lambda archive: scanned.append(1) or scan(archive)
    )
    client.force_login(region.staff)
    job = upload(client, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100", "", "9000"]]))
    assert job.status == UploadStatus.COMMITTED, job.message
    assert len(scanned) == 1


# --- pages and permissions ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    for url in [
        reverse("units:upload-list"),
        reverse("units:upload-template", args=[REGISTRY_UPLOAD]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICER, Role.EXECUTIVE, Role.EDITOR])
def test_other_roles_are_refused(client, region, role):
    scope = {"lao": region.laos[0]} if role == Role.OFFICER else {}
    client.force_login(UserFactory(role=role, is_staff=role != Role.CITIZEN, **scope))
    assert client.get(reverse("units:upload-list")).status_code == 403
    template = client.get(reverse("units:upload-template", args=[REGISTRY_UPLOAD]))
    assert template.status_code == 403


def test_upload_page_lists_recent_uploads_in_few_queries(client, region, django_assert_num_queries):
    for _job in range(3):
        make_job(region.staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100"]]))
    client.force_login(region.staff)
    with django_assert_num_queries(4):  # session, user, can_upload, uploads
        response = client.get(reverse("units:upload-list"))
    assert response.status_code == 200
    assert response.content.decode().count("upload-status-pending") == 3


def test_jobs_of_others_are_404_but_admins_see_them(client, region, django_assert_num_queries):
    job = make_job(region.staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100"]]))
    other_staff = UserFactory(role=Role.PROVINCIAL, province=region.far.province)
    client.force_login(other_staff)
    for name in ["units:upload-detail", "units:upload-progress", "units:upload-error-report"]:
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("units:upload-commit", args=[job.pk])).status_code == 404
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    with django_assert_num_queries(4):  # session, user, can_upload, job + uploader
        response = client.get(reverse("units:upload-detail", args=[job.pk]))
    assert response.status_code == 200


def test_running_job_page_polls_its_progress(client, region, django_assert_num_queries):
    job = make_job(region.staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100"]]))
    UploadJob.objects.filter(pk=job.pk).update(
        status=UploadStatus.VALIDATING, total_rows=200, processed_rows=50
    )
    client.force_login(region.staff)
    html = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("units:upload-progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress max="200" value="50">' in html
    assert "htmx" in html and "<script" in html
    with django_assert_num_queries(4):
        partial = client.get(
            reverse("units:upload-progress", args=[job.pk]), HTTP_HX_REQUEST="true"
        )
    assert partial.status_code == 200
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.VALID)
    done = client.get(reverse("units:upload-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_valid_job_page_pins_its_queries(client, region, django_assert_num_queries):
    job = make_job(
        region.staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100", "", "9000"]])
    )
    engine.run_check(job.pk)
    client.force_login(region.staff)
    with django_assert_num_queries(4):
        response = client.get(reverse("units:upload-detail", args=[job.pk]))
    html = response.content.decode()
    assert reverse("units:detail", args=["6400100"]) in html
    assert 'action="' + reverse("units:upload-commit", args=[job.pk]) in html


def test_provincial_staff_commit_only_their_province_and_admins_any(client, region):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    post_upload(
        client,
        REGISTRY_UPLOAD,
        workbook(REGISTRY_HEADERS, [["6400100", "", "7777"], ["6410001", "", "8888"]]),
    )
    job = latest_job()
    assert job.status == UploadStatus.VALID
    commit(client, job)
    assert LAO.objects.get(dla_code="6410001").population == 8888


# --- template ----------------------------------------------------------------------------------


def test_template_is_prefilled_with_the_province_and_codes_as_text(
    client, region, django_assert_num_queries
):
    LAO.objects.filter(dla_code="6400101").update(
        email='=HYPERLINK("http://evil")', demo_fields=["population"]
    )
    client.force_login(region.staff)
    with django_assert_num_queries(4):  # session, user, can_upload, LAOs
        response = client.get(reverse("units:upload-template", args=[REGISTRY_UPLOAD]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*REGISTRY_HEADERS, "ข้อมูลตัวอย่าง"]
    assert [row[0] for row in rows[1:]] == ["6400100", "6400101", "6400102"]  # not 6410001
    assert sheet["A2"].data_type == "s" and sheet["A2"].number_format == "@"
    # Current values, demo ones too, so staff can check them; the last column marks the demo
    # ones (the region's LAOs have demo population, households and phone).
    assert rows[1][2:5] == (5000, 1500, "043 000 000")
    assert "ประชากร, ครัวเรือน, โทรศัพท์" in rows[1][-1]
    assert rows[2][2] == 5000 and "ประชากร" in rows[2][-1] and "ครัวเรือน" not in rows[2][-1]
    assert rows[2][5] == '=HYPERLINK("http://evil")'
    assert sheet["F3"].data_type == "s"  # text, not a formula
    assert len(book.worksheets) == 2  # the notes sheet with English names


def test_uploading_the_template_back_changes_nothing(client, region):
    client.force_login(region.staff)
    content = client.get(reverse("units:upload-template", args=[REGISTRY_UPLOAD])).content
    post_upload(client, REGISTRY_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert job.summary["changed"] == 0
