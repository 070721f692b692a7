"""The upload of imported indicator values ("benchmarks.values") through the upload machinery,
end to end with real workbooks: template, dry run with row errors, scope per row, atomic commit,
the recompute it asks for, permissions and query counts."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks import uploads
from benchmarks.imported import imported_indicators_sync
from benchmarks.models import (
    Indicator,
    IndicatorValue,
    IndicatorYear,
    Reason,
    Source,
    Unit,
    ValueStatus,
)
from benchmarks.services import STAMP, indicators_sync
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from benchmarks.uploads import IMPORTED_VALUES_UPLOAD
from units import stamps
from units.models import LAOKind, Role, UploadJob, UploadStatus
from units.tests.factories import UserFactory
from units.tests.uploads import (
    UPLOAD_TESTS,
    commit,
    invalid_job,
    latest_job,
    make_job,
    post_upload,
    upload_refused,
    upload_region,
    workbook,
)
from units.thai import current_fiscal_year
from units.uploads import engine

pytestmark = UPLOAD_TESTS

HEADERS = [
    "รหัส อปท.",
    "ชื่อ อปท.",
    "รหัสตัวชี้วัด",
    "ชื่อตัวชี้วัด",
    "ปีงบประมาณ",
    "ค่า",
    "ข้อมูล ณ วันที่",
    "สถานะ",
    "ข้อมูลตัวอย่าง",
]
YEAR = current_fiscal_year()
LAST = YEAR - 1


@pytest.fixture
def region():
    indicators_sync()
    imported_indicators_sync()
    return upload_region(laos=3)


@pytest.fixture
def recomputes(monkeypatch):
    """The recomputes asked for after commits (the engine's pipeline is tested on its own)."""
    calls = []
    monkeypatch.setattr(uploads, "recompute_after_upload", lambda **kwargs: calls.append(kwargs))
    return calls


def row(code, indicator, year, value, as_of=None, status=None, name="ชื่อใดก็ได้"):
    return [code, name, indicator, "", year, value, as_of, status, None]


GOOD_ROWS = [
    row("6400100", "ita", LAST, 91.25, "2025-09-30", "เป็นที่สุด"),
    row(6400100, "LPA-Finance", str(LAST), "100"),
    row("6400101", "ita", LAST, "78.5", None, "provisional"),
    row("6400102", "ita", LAST, None),  # blank value: left out
]


def snapshot():
    return sorted(
        IndicatorValue.objects.values_list(
            "indicator__code", "lao__dla_code", "fiscal_year", "value", "reason", "source",
            "as_of", "status", "is_demo",
        )
    )  # fmt: skip


def value_of(code, indicator, year=LAST):
    return IndicatorValue.objects.get(
        lao__dla_code=code, indicator__code=indicator, fiscal_year=year
    )


# --- a good workbook: preview, commit, recompute ------------------------------------------------


def test_good_workbook_previews_then_commits_and_asks_one_recompute(
    client, region, recomputes, django_assert_num_queries
):
    # A demo value and a value with a reason are replaced; a value equal to the upload is not.
    IndicatorValueFactory(
        indicator=Indicator.objects.get(code="ita"),
        lao=region.laos[0],
        fiscal_year=LAST,
        value=Decimal("80"),
        source=Source.IMPORTED,
        is_demo=True,
    )
    IndicatorValueFactory(
        indicator=Indicator.objects.get(code="lpa-finance"),
        lao=region.laos[0],
        fiscal_year=LAST,
        value=None,
        reason=Reason.NOT_SUBMITTED,
        source=Source.IMPORTED,
    )
    unchanged = IndicatorValueFactory(
        indicator=Indicator.objects.get(code="ita"),
        lao=region.laos[1],
        fiscal_year=LAST,
        value=Decimal("78.5"),
        source=Source.IMPORTED,
        status=ValueStatus.PROVISIONAL,
    )
    client.force_login(region.staff)
    before = snapshot()
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert snapshot() == before  # the dry run writes nothing
    summary = job.summary
    assert summary["rows"] == 4
    assert (summary["changed"], summary["unchanged"]) == (1, 1)  # LAOs
    assert (summary["values_new"], summary["values_changed"]) == (0, 2)
    assert (summary["values_unchanged"], summary["rows_blank"]) == (1, 1)
    assert [change["row"] for change in summary["changes"]] == [2, 3]
    ita = summary["changes"][0]
    assert ita["code"] == "6400100"
    assert ita["fields"][0][1:] == ["80 (Provisional)", "91.25 (Final)", True]
    assert summary["changes"][1]["fields"][0][1] == "Not submitted"

    with django_assert_num_queries(4):  # session, user, can_upload, job
        page = client.get(reverse("units:upload-detail", args=[job.pk]))
    html = page.content.decode()
    assert "imported-upload-counts" in html and "upload-commit" in html
    assert "91.25 (Final)" in html and "demo-mark" in html

    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, (job.message, job.errors)
    assert job.summary["committed"] == {"written": 2, "unchanged": 1}
    ita = value_of("6400100", "ita")
    assert (ita.value, ita.reason, ita.source, ita.status, ita.is_demo) == (
        Decimal("91.25"),
        "",
        Source.IMPORTED,
        ValueStatus.FINAL,
        False,
    )
    assert ita.as_of == datetime.date(2025, 9, 30)
    lpa = value_of("6400100", "lpa-finance")
    assert (lpa.value, lpa.reason, lpa.status) == (Decimal("100"), "", ValueStatus.FINAL)
    assert lpa.as_of == timezone.localdate()  # blank date: the day of the upload
    assert value_of("6400101", "ita").computed_at == unchanged.computed_at  # not written again
    assert not IndicatorValue.objects.filter(lao=region.laos[2]).exists()
    # One recompute of the uploaded year, whatever the number of LAOs, re-ranking only the
    # indicator-years the upload changed.
    ita_id, lpa_id = (Indicator.objects.get(code=code).pk for code in ("ita", "lpa-finance"))
    assert recomputes == [
        {
            "fiscal_years": [LAST],
            "lao_ids": [region.laos[0].pk],
            "indicator_years": sorted({(ita_id, LAST), (lpa_id, LAST)}),
        }
    ]


def test_the_same_workbook_twice_changes_nothing_the_second_time(client, region, recomputes):
    client.force_login(region.staff)
    content = workbook(HEADERS, GOOD_ROWS)
    post_upload(client, IMPORTED_VALUES_UPLOAD, content)
    commit(client, latest_job())
    first = snapshot()
    post_upload(client, IMPORTED_VALUES_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID
    assert job.summary["changed"] == 0
    html = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "changes nothing" in html
    commit(client, job)
    assert snapshot() == first
    assert len(recomputes) == 1  # nothing changed: nothing to recompute


def test_the_commit_runs_the_benchmarks_recompute_of_the_uploaded_year(client, region):
    """The real hand-over: once the upload commits, the benchmarks pipeline runs (at once in
    tests) and the uploaded year's statistics of the indicator are there."""
    client.force_login(region.staff)
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    assert not IndicatorYear.objects.exists()  # not for a dry run
    commit(client, latest_job())
    ita = IndicatorYear.objects.get(indicator__code="ita", fiscal_year=LAST)
    assert ita.ranked_count == 2
    assert ita.maximum == Decimal("91.25")


def test_the_commit_moves_the_page_cache_stamp_before_any_recompute(client, region, recomputes):
    """The uploaded values show at once: cached benchmarks pages must not wait for the
    recompute (not run here) to drop the old ones. A file that changes nothing moves nothing."""
    client.force_login(region.staff)
    (before,) = stamps.read([STAMP])
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    assert stamps.read([STAMP]) == (before,)  # not for a dry run
    commit(client, latest_job())
    assert len(recomputes) == 1
    (after,) = stamps.read([STAMP])
    assert after > before
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    commit(client, latest_job())
    assert stamps.read([STAMP]) == (after,)


# --- row errors: nothing is written ------------------------------------------------------------


def test_row_errors_are_reported_and_nothing_is_written(client, region, recomputes):
    IndicatorFactory(code="hidden-score", source=Source.IMPORTED, is_active=False)
    IndicatorFactory(code="pao-only", source=Source.IMPORTED, kinds=[LAOKind.PAO])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        row("6400100", "ita", LAST, 90),  # 2: good, but the file has errors
        row("6499999", "ita", LAST, 90),  # 3: no such LAO
        row("6410001", "ita", LAST, 90),  # 4: another province
        row("6400101", "no-such", LAST, 90),  # 5: unknown indicator
        row("6400101", "capital-share", LAST, 90),  # 6: computed
        row("6400101", "ita", YEAR + 1, 90),  # 7: a year not begun
        row("6400101", "ita", YEAR - 11, 90),  # 8: too old
        row("6400101", "lpa-finance", LAST, "ดีมาก"),  # 9: not a number
        row("6400101", "lpa-services", LAST, 100.5),  # 10: above 100
        row("6400101", "lpa-governance", LAST, -1),  # 11: below 0
        row("6400100", "ITA", LAST, 91),  # 12: duplicate of row 2
        row("6400101", "ita", LAST, 90, tomorrow),  # 13: dated in the future
        row("6400101", "lpa-management", LAST, 90, None, "ผ่าน"),  # 14: no such status
        row("6400101", "hidden-score", LAST, 90),  # 15: hidden indicator
        row("6400101", "pao-only", LAST, 90),  # 16: not for this kind
        row("6400101", None, LAST, 90),  # 17: indicator missing
        row("6400102", "ita", LAST, "12.34567"),  # 18: five decimals
    ]
    client.force_login(region.staff)
    upload_refused(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, rows), snapshot=snapshot)
    job = invalid_job()
    errors = {(error["row"], error["column"]): error["message"] for error in job.errors}
    expected = {
        (3, "รหัส อปท."): "No LAO has the code 6499999.",
        (4, "รหัส อปท."): "LAO 6410001 is not in your province: you cannot change it.",
        (5, "รหัสตัวชี้วัด"): "No indicator has the code “no-such”",
        (6, "รหัสตัวชี้วัด"): "computed by the portal",
        (7, "ปีงบประมาณ"): f"from {YEAR - 10} to {YEAR}",
        (8, "ปีงบประมาณ"): "is not a fiscal year you can upload",
        (9, "ค่า"): "is not a number",
        (10, "ค่า"): "100.5 is outside the range of this indicator: 0 to 100.",
        (11, "ค่า"): "-1 is outside the range of this indicator: 0 to 100.",
        (12, "รหัสตัวชี้วัด"): "Duplicate: row 2 already has this LAO, indicator and fiscal year.",
        (13, "ข้อมูล ณ วันที่"): "is in the future",
        (14, "สถานะ"): "is not a status",
        (15, "รหัสตัวชี้วัด"): "is hidden",
        (16, "รหัสตัวชี้วัด"): "does not apply to this kind of LAO",
        (17, "รหัสตัวชี้วัด"): "This column is required.",
        (18, "ค่า"): "more than four decimals",
    }
    assert set(errors) == set(expected)
    for key, message in expected.items():
        assert message in errors[key], (key, errors[key])
    assert job.error_count == len(expected)
    assert not IndicatorValue.objects.exists()
    assert recomputes == []


def test_one_bad_row_blocks_the_whole_file(client, region, recomputes):
    client.force_login(region.staff)
    rows = [*GOOD_ROWS, row("6400102", "lpa-finance", LAST, 101)]
    upload_refused(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, rows), snapshot=snapshot)
    job = invalid_job()
    assert [(e["row"], e["column"]) for e in job.errors] == [(6, "ค่า")]
    assert not IndicatorValue.objects.exists()


def test_the_commit_checks_again_and_writes_nothing_when_a_row_became_invalid(
    client, region, recomputes
):
    client.force_login(region.staff)
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.VALID
    # An administrator hides LPA finance between the preview and the commit.
    Indicator.objects.filter(code="lpa-finance").update(is_active=False)
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.INVALID
    assert "nothing was saved" in job.message
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "รหัสตัวชี้วัด")]
    assert not IndicatorValue.objects.exists()  # not even the good ITA rows
    assert recomputes == []


def test_an_admins_own_imported_indicator_is_accepted_with_its_own_range(
    client, region, recomputes
):
    IndicatorFactory(code="water-per-capita", source=Source.IMPORTED, unit=Unit.BAHT_PER_PERSON)
    client.force_login(region.staff)
    rows = [row("6400100", "water-per-capita", LAST, "1,250.5")]
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    commit(client, job)
    assert value_of("6400100", "water-per-capita").value == Decimal("1250.5")

    upload_refused(
        client,
        IMPORTED_VALUES_UPLOAD,
        workbook(HEADERS, [row("6400100", "water-per-capita", LAST, -5)]),
        snapshot=snapshot,
    )
    assert "cannot be negative" in invalid_job().errors[0]["message"]


# --- who may upload ------------------------------------------------------------------------------


def test_staff_of_another_province_get_row_errors_and_admins_may_upload_anywhere(
    client, region, recomputes
):
    client.force_login(UserFactory(role=Role.PROVINCIAL, province=region.far.province))
    upload_refused(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS), snapshot=snapshot)
    job = invalid_job()
    assert {error["column"] for error in job.errors} == {"รหัส อปท."}
    assert job.error_count == 4

    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    rows = [*GOOD_ROWS, row("6410001", "ita", LAST, 66)]
    post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    commit(client, job)
    assert value_of("6410001", "ita").value == Decimal("66")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICER, Role.EXECUTIVE, Role.EDITOR])
def test_other_roles_cannot_upload(client, region, role):
    scope = {"lao": region.laos[0]} if role == Role.OFFICER else {}
    client.force_login(UserFactory(role=role, **scope))
    template = client.get(reverse("units:upload-template", args=[IMPORTED_VALUES_UPLOAD]))
    assert template.status_code == 403
    response = post_upload(client, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    assert response.status_code == 403
    assert UploadJob.objects.count() == 0
    assert not IndicatorValue.objects.exists()


# --- the template ------------------------------------------------------------------------------


def test_template_lists_the_provinces_laos_by_imported_indicator_and_comes_back_unchanged(
    client, region, recomputes, django_assert_num_queries
):
    IndicatorFactory(code="hidden-score", source=Source.IMPORTED, is_active=False)
    IndicatorValueFactory(
        indicator=Indicator.objects.get(code="ita"),
        lao=region.laos[1],
        fiscal_year=YEAR,
        value=Decimal("88.5"),
        source=Source.IMPORTED,
        is_demo=True,
    )
    IndicatorValueFactory(  # another province: not in the template
        indicator=Indicator.objects.get(code="ita"), lao=region.far, fiscal_year=YEAR
    )
    client.force_login(region.staff)
    # session, user, can_upload, indicators, LAOs, values, the notes' list of indicators
    with django_assert_num_queries(7):
        response = client.get(reverse("units:upload-template", args=[IMPORTED_VALUES_UPLOAD]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    body = rows[1:]
    assert len(body) == 3 * 6  # 3 LAOs × 6 shown imported indicators
    assert {line[0] for line in body} == {"6400100", "6400101", "6400102"}
    assert [line[2] for line in body[:6]] == [
        "lpa-management",
        "lpa-personnel",
        "lpa-finance",
        "lpa-services",
        "lpa-governance",
        "ita",
    ]
    ita = next(line for line in body if line[0] == "6400101" and line[2] == "ita")
    assert ita[4:] == (YEAR, 88.5, "2026-11-01", "Provisional", "Demo data")
    assert sheet["A2"].data_type == "s"
    notes = " ".join(
        str(cell) for line in book.worksheets[1].iter_rows(values_only=True) for cell in line
    )
    assert "lpa-finance" in notes and "ita" in notes and "hidden-score" not in notes

    post_upload(client, IMPORTED_VALUES_UPLOAD, response.content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["changed"], job.summary["values_unchanged"]) == (0, 1)
    assert job.summary["rows_blank"] == 17


# --- speed: queries do not grow with the rows ----------------------------------------------------


@pytest.mark.parametrize("years", [2, 6])
def test_check_and_commit_queries_do_not_grow_with_rows(
    region, recomputes, years, django_assert_num_queries
):
    rows = [
        row(f"640010{n}", indicator, YEAR - year, 90 - year)
        for n in range(3)
        for indicator in ("ita", "lpa-finance", "lpa-services")
        for year in range(years)
    ]
    job = make_job(region.staff, IMPORTED_VALUES_UPLOAD, workbook(HEADERS, rows))
    # job; scope; indicators; LAOs; current values; job saved
    with django_assert_num_queries(6):
        engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID, job.errors
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
    # job; savepoint; scope; indicators; LAOs; values locked; the upsert; the page cache's
    # stamp; release; job saved
    with django_assert_num_queries(10):
        engine.run_commit(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert IndicatorValue.objects.count() == len(rows)
