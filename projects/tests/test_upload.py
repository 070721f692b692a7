"""The provincial upload of project progress ("projects.progress") through the upload
machinery: preview, commit (stages, history, disbursements, totals, rollups, followers),
idempotency, bad workbooks, permissions, template, query counts."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from budgets.tests.factories import imported_classification
from projects import services, uploads
from projects.models import (
    Disbursement,
    Follow,
    Notification,
    Project,
    ProjectRollup,
    Stage,
    StageChange,
)
from projects.rollups import rollups_rebuild
from projects.services import ProjectData
from projects.uploads import PROGRESS_UPLOAD
from units.models import Role, UploadJob, UploadStatus, User
from units.tests.factories import UserFactory
from units.tests.uploads import (
    UPLOAD_TESTS,
    UploadRegion,
    commit,
    invalid_job,
    latest_job,
    make_job,
    post_upload,
    upload,
    upload_refused,
    upload_region,
    workbook,
)
from units.thai import current_fiscal_year
from units.uploads import engine

pytestmark = UPLOAD_TESTS

HEADERS = [
    "รหัส อปท.",
    "รหัสโครงการ",
    "ชื่อโครงการ",
    "ขั้นตอน",
    "ความก้าวหน้า (%)",
    "วันที่เบิกจ่าย",
    "จำนวนเงินเบิกจ่าย",
    "เลขที่อ้างอิง",
]
YEAR = current_fiscal_year()
FIRST, SECOND = f"{YEAR}-001", f"{YEAR}-002"


def new_project(lao, user, programme, *, budget, stages=(), contract=None):
    project = services.project_create(
        lao=lao,
        user=user,
        data=ProjectData(
            name=f"โครงการ {lao.dla_code}",
            fiscal_year=YEAR,
            budget_amount=Decimal(budget),
            programme=programme,
        ),
    )
    for stage in stages:
        extra = {}
        if stage == Stage.CONTRACTED:
            extra = {
                "contract_amount": Decimal(contract),
                "contractor": "หจก. ก่อสร้าง",
                "contract_date": datetime.date(2025, 12, 1),
            }
        project = services.project_change_stage(
            project=project, user=user, to_stage=stage, version=project.version, **extra
        )
    return project


@dataclass
class UploadWorld(UploadRegion):
    """Province 40's LAOs 6400100-6400102 and 6410001 (`far`, province 41) with projects of
    this fiscal year in every stage the upload moves from; `follower` follows `c`."""

    a: Project  # 6400100: planned
    b: Project  # 6400100: in procurement, its contract already recorded
    c: Project  # 6400101: contracted for 800,000 of a 1,000,000 budget
    d: Project  # 6400102: in procurement without a contract (and without a programme)
    e: Project  # 6410001 (another province): contracted
    follower: User


@pytest.fixture
def world() -> UploadWorld:
    education = imported_classification().education
    region = upload_region(laos=3)
    laos, staff = region.laos, region.staff
    to_procurement = [Stage.FUNDED, Stage.PROCUREMENT]
    a = new_project(laos[0], staff, education, budget="100000")
    b = new_project(laos[0], staff, education, budget="500000", stages=to_procurement)
    Project.objects.filter(pk=b.pk).update(contract_amount=Decimal("450000"))
    c = new_project(
        laos[1],
        staff,
        education,
        budget="1000000",
        stages=[*to_procurement, Stage.CONTRACTED],
        contract="800000",
    )
    d = new_project(laos[2], staff, None, budget="200000", stages=to_procurement)
    far_staff = UserFactory(role=Role.PROVINCIAL, province=region.other)
    e = new_project(
        region.far,
        far_staff,
        education,
        budget="300000",
        stages=[*to_procurement, Stage.CONTRACTED],
        contract="300000",
    )
    follower = UserFactory(role=Role.CITIZEN, username="follower")
    Follow.objects.create(user=follower, project=c)
    rollups_rebuild()
    return UploadWorld(**vars(region), a=a, b=b, c=c, d=d, e=e, follower=follower)


GOOD_ROWS = [
    ["6400100", FIRST, "ignored name", "funded", None, None, None, None],
    ["6400100", SECOND, None, "ลงนามสัญญาแล้ว", 10, None, None, None],
    ["6400100", SECOND, None, None, None, datetime.date(2026, 1, 31), "100,000", "V-B1"],
    [6400101, FIRST, None, "กำลังดำเนินการ", "40", "31/01/2569", "300,000", "V-1"],
    ["6400101", FIRST, None, None, 60, "2026-02-15", 200000.5, "V-2"],
    ["6400102", FIRST, None, None, "5%", None, None, None],
]


def snapshot():
    """Everything an upload may change."""
    return (
        list(
            Project.objects.order_by("pk").values_list(
                "pk", "stage", "progress_percent", "disbursed_total", "version", "stage_changed_at"
            )
        ),
        list(StageChange.objects.order_by("pk").values_list("pk", "project_id", "to_stage")),
        list(Disbursement.objects.order_by("pk").values_list("pk", "project_id", "amount")),
        list(Notification.objects.order_by("pk").values_list("pk")),
        rollup_cells(),
    )


def rollup_cells():
    return sorted(
        ProjectRollup.objects.values_list(
            "fiscal_year",
            "province_id",
            "kind",
            "programme_id",
            "budget_amount",
            "disbursed_amount",
            "projects",
            *[stage.value for stage in Stage],
        ),
        key=lambda cell: tuple(-1 if value is None else value for value in cell[:4]),
    )


def state(project):
    project.refresh_from_db()
    return (project.stage, project.progress_percent, project.disbursed_total)


def check_refused(client, content):
    with translation.override("en"):
        upload_refused(client, PROGRESS_UPLOAD, content, snapshot=snapshot)
    return invalid_job()


# --- good workbook: preview, commit -----------------------------------------------------------


def test_good_workbook_previews_then_commits(client, world, django_assert_max_num_queries):
    client.force_login(world.staff)
    before = snapshot()
    versions = {key: getattr(world, key).version for key in "abcd"}
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert snapshot() == before  # the dry run writes nothing
    summary = job.summary
    assert summary["rows"] == 6
    assert (summary["stage_moves"], summary["progress_changes"]) == (3, 3)  # C: 40 then 60
    assert summary["disbursements"] == 3
    assert Decimal(summary["disbursed"]) == Decimal("600000.50")
    assert summary["already_recorded"] == 0
    assert summary["projects_changed"] == 4
    by_code = {lao["code"]: lao for lao in summary["changes"]}
    assert list(by_code) == ["6400100", "6400101", "6400102"]
    assert by_code["6400101"] == {
        "code": "6400101",
        "name": world.laos[1].full_name_th,
        "rows": 2,
        "stage_moves": 1,
        "progress_changes": 1,
        "disbursements": 2,
        "disbursed": "500000.50",
        "already_recorded": 0,
        "changed": True,
    }

    with django_assert_max_num_queries(4):
        page = client.get(reverse("units:upload-detail", args=[job.pk]))
    html = page.content.decode()
    assert "project-upload-preview" in html and "upload-commit" in html

    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, (job.message, job.errors)
    assert job.summary["committed"]["disbursements"] == 3
    assert job.summary["committed"]["notified"] == 1

    assert state(world.a) == (Stage.FUNDED, 0, Decimal("0"))
    assert state(world.b) == (Stage.CONTRACTED, 10, Decimal("100000"))
    assert state(world.c) == (Stage.IN_PROGRESS, 60, Decimal("500000.50"))
    assert state(world.d) == (Stage.PROCUREMENT, 5, Decimal("0"))
    for key in "abcd":
        assert getattr(world, key).version == versions[key] + 1
    assert world.c.stage_changed_at > world.c.created_at

    moves = StageChange.objects.filter(note=f"@upload:{job.pk}").order_by("project_id")
    assert [(m.project_id, m.from_stage, m.to_stage, m.user_id) for m in moves] == [
        (world.a.pk, Stage.PLANNED, Stage.FUNDED, world.staff.pk),
        (world.b.pk, Stage.PROCUREMENT, Stage.CONTRACTED, world.staff.pk),
        (world.c.pk, Stage.CONTRACTED, Stage.IN_PROGRESS, world.staff.pk),
    ]
    paid = Disbursement.objects.filter(created_by=world.staff).order_by("pk")
    assert [(d.project_id, d.date, d.amount, d.reference) for d in paid] == [
        (world.b.pk, datetime.date(2026, 1, 31), Decimal("100000"), "V-B1"),
        (world.c.pk, datetime.date(2026, 1, 31), Decimal("300000"), "V-1"),
        (world.c.pk, datetime.date(2026, 2, 15), Decimal("200000.50"), "V-2"),
    ]
    # The rollups moved with the projects: the same as rebuilt from scratch.
    moved = rollup_cells()
    rollups_rebuild()
    assert moved == rollup_cells()
    assert moved != before[-1]
    # The follower of C is told of its stage change.
    note = Notification.objects.get(user=world.follower)
    assert note.url == reverse("projects:detail", args=[world.c.pk])


def test_committed_progress_shows_at_once_on_the_visitors_pages(client, world):
    """The profile and the project list of the LAOs of the upload, cached for visitors, are
    renewed by the commit (one stamp per LAO, moved by projects_progress_apply)."""
    from django.test import Client

    visitor = Client()
    lao = world.laos[1]
    urls = [
        reverse("units:detail", args=[lao.url_code]),
        reverse("projects:lao", args=[lao.url_code]),
    ]
    for url in urls:
        assert "500,000.50" not in visitor.get(url).content.decode()
    client.force_login(world.staff)
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    commit(client, latest_job())
    for url in urls:
        assert "500,000.50" in visitor.get(url).content.decode(), url


def test_changed_laos_are_counted_beyond_the_preview(world, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PREVIEW_LAOS", 1)
    job = make_job(world.staff, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID, job.errors
    assert len(job.summary["changes"]) == 1
    assert (job.summary["changed"], job.summary["unchanged"]) == (3, 0)


def test_same_workbook_twice_changes_nothing_the_second_time(client, world):
    client.force_login(world.staff)
    content = workbook(HEADERS, GOOD_ROWS)
    upload(client, PROGRESS_UPLOAD, content)
    assert latest_job().status == UploadStatus.COMMITTED
    first = snapshot()

    post_upload(client, PROGRESS_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    summary = job.summary
    assert summary["already_recorded"] == 3
    assert (summary["disbursements"], summary["stage_moves"], summary["progress_changes"]) == (
        0,
        0,
        0,
    )
    assert (summary["changed"], summary["unchanged"]) == (0, 3)
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED
    assert snapshot() == first


def test_rows_of_one_project_apply_in_order_and_completion_sets_progress(client, world):
    client.force_login(world.staff)
    rows = [
        ["6400101", FIRST, None, "in_progress", None, "2026-01-05", "700000", "A"],
        ["6400101", FIRST, None, "Completed", None, "2026-01-06", "100000", "B"],
    ]
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    commit(client, job)
    assert latest_job().status == UploadStatus.COMMITTED
    assert state(world.c) == (Stage.COMPLETED, 100, Decimal("800000"))
    assert list(
        StageChange.objects.filter(project=world.c, note__startswith="@upload:")
        .order_by("pk")
        .values_list("from_stage", "to_stage")
    ) == [(Stage.CONTRACTED, Stage.IN_PROGRESS), (Stage.IN_PROGRESS, Stage.COMPLETED)]

    # The same workbook again: the stages already reached and the payments change nothing.
    first = snapshot()
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["already_recorded"], job.summary["projects_changed"]) == (2, 0)
    commit(client, job)
    assert snapshot() == first


# --- bad workbooks ------------------------------------------------------------------------------


def test_wrong_headers_are_refused(client, world):
    client.force_login(world.staff)
    headers = ["code", "project", "name", "stage", "progress", "date", "amount", "reference"]
    job = check_refused(client, workbook(headers, GOOD_ROWS))
    assert "The header row does not match the template" in job.message
    assert "จำนวนเงินเบิกจ่าย" in job.message


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["6400100", "2500-999", None, "funded", None, None, None, None],
            "รหัสโครงการ",
            "This LAO has no project with the code 2500-999.",
        ),
        (
            ["6400101", SECOND, None, None, 5, None, None, None],
            "รหัสโครงการ",
            f"This LAO has no project with the code {SECOND}.",
        ),
        (
            ["6400100", FIRST, None, "completed", None, None, None, None],
            "ขั้นตอน",
            "A project cannot move from “Planned” to “Completed”.",
        ),
        (
            ["6400102", FIRST, None, "contracted", None, None, None, None],
            "ขั้นตอน",
            "the upload cannot set contracts",
        ),
        (
            ["6400101", FIRST, None, None, None, "2026-01-31", "800,000.01", "X"],
            "จำนวนเงินเบิกจ่าย",
            "This would disburse more than the contract amount: at most 799,000.00 baht is left.",
        ),
        (
            ["6400100", FIRST, None, None, None, "2026-01-31", "1000", "X"],
            "จำนวนเงินเบิกจ่าย",
            "Money can be disbursed only for a contracted, ongoing or completed project",
        ),
        (
            ["6400101", FIRST, None, None, None, "31/02/2569", "1000", "X"],
            "วันที่เบิกจ่าย",
            "“31/02/2569” is not a date",
        ),
        (
            ["6400101", FIRST, None, None, None, "yesterday", "1000", "X"],
            "วันที่เบิกจ่าย",
            "“yesterday” is not a date",
        ),
        (
            ["6400101", FIRST, None, None, None, "01/01/2600", "1000", "X"],
            "วันที่เบิกจ่าย",
            "is in the future",
        ),
        (
            ["6400101", FIRST, None, None, None, "2026-01-31", "a lot", "X"],
            "จำนวนเงินเบิกจ่าย",
            "“a lot” is not an amount in baht",
        ),
        (
            ["6400101", FIRST, None, None, None, "2026-01-31", "-5", "X"],
            "จำนวนเงินเบิกจ่าย",
            "The amount cannot be negative (-5).",
        ),
        (
            ["6400101", FIRST, None, None, None, "2026-01-31", 0, "X"],
            "จำนวนเงินเบิกจ่าย",
            "A disbursement must be more than zero baht.",
        ),
        (
            ["6400101", FIRST, None, None, None, "2026-01-31", None, "X"],
            "จำนวนเงินเบิกจ่าย",
            "A disbursement needs both a date and an amount.",
        ),
        (
            ["6400101", FIRST, None, None, 101, None, None, None],
            "ความก้าวหน้า (%)",
            "“101” is not a progress",
        ),
        (
            ["6400101", FIRST, None, "signed", None, None, None, None],
            "ขั้นตอน",
            "“signed” is not a stage.",
        ),
        (
            ["6410001", FIRST, None, None, 5, None, None, None],
            "รหัส อปท.",
            "LAO 6410001 is not in your province: you cannot change it.",
        ),
        (
            ["6400101", None, None, None, 5, None, None, None],
            "รหัสโครงการ",
            "The project code is required.",
        ),
    ],
    ids=[
        "unknown-project",
        "project-of-another-lao",
        "illegal-move",
        "contract-not-recorded",
        "beyond-contract",
        "planned-stage",
        "bad-date",
        "text-date",
        "future-date",
        "text-amount",
        "negative-amount",
        "zero-amount",
        "date-without-amount",
        "progress-over-100",
        "unknown-stage",
        "another-province",
        "no-project-code",
    ],
)
def test_bad_rows_are_errors_and_nothing_is_written(client, world, row, column, message):
    client.force_login(world.staff)
    good = ["6400101", FIRST, None, None, 30, "2026-01-31", "1000", "OK"]
    job = check_refused(client, workbook(HEADERS, [good, row]))
    assert [(error["row"], error["column"]) for error in job.errors] == [(3, column)]
    assert message in job.errors[0]["message"]


def test_disbursements_beyond_the_contract_count_earlier_rows(client, world):
    client.force_login(world.staff)
    rows = [
        ["6400101", FIRST, None, None, None, "2026-01-31", "500,000", "V-1"],
        ["6400101", FIRST, None, None, None, "2026-02-28", "300,000", "V-2"],
        ["6400101", FIRST, None, None, None, "2026-03-31", "0.01", "V-3"],
        ["6400101", FIRST, None, None, None, "2026-03-31", "0.01", "V-3"],
    ]
    job = check_refused(client, workbook(HEADERS, rows))
    assert [(error["row"], error["column"]) for error in job.errors] == [
        (4, "จำนวนเงินเบิกจ่าย"),
        (5, "จำนวนเงินเบิกจ่าย"),
    ]
    assert "at most 0.00 baht is left" in job.errors[0]["message"]


def test_commit_checks_again_under_locks(client, world):
    client.force_login(world.staff)
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.VALID
    # Meanwhile C is cancelled on its page: its rows become invalid.
    services.project_change_stage(
        project=world.c,
        user=world.staff,
        to_stage=Stage.CANCELLED,
        version=Project.objects.get(pk=world.c.pk).version,
    )
    before = snapshot()
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.INVALID
    assert {error["row"] for error in job.errors} == {5, 6}
    assert snapshot() == before


# --- permissions -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("units:upload-template", args=[PROGRESS_UPLOAD]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICER, Role.EXECUTIVE])
def test_other_roles_cannot_upload(client, world, role):
    scope = {"lao": world.laos[0]} if role == Role.OFFICER else {}
    client.force_login(UserFactory(role=role, **scope))
    before = snapshot()
    template = client.get(reverse("units:upload-template", args=[PROGRESS_UPLOAD]))
    assert template.status_code == 403
    response = post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    assert response.status_code == 403
    assert UploadJob.objects.count() == 0
    assert snapshot() == before


def test_staff_of_another_province_get_row_errors_and_admins_may_upload_anywhere(client, world):
    client.force_login(UserFactory(role=Role.PROVINCIAL, province=world.far.province))
    job = check_refused(client, workbook(HEADERS, GOOD_ROWS))
    assert job.error_count == 6
    assert {error["column"] for error in job.errors} == {"รหัส อปท."}

    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    rows = [*GOOD_ROWS, ["6410001", FIRST, None, "in_progress", 20, "2026-01-10", "1000", "F"]]
    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    commit(client, job)
    assert latest_job().status == UploadStatus.COMMITTED
    assert state(world.e) == (Stage.IN_PROGRESS, 20, Decimal("1000"))


# --- template ----------------------------------------------------------------------------------


def test_template_has_the_open_projects_of_the_province(client, world, django_assert_num_queries):
    services.project_change_stage(
        project=world.a,
        user=world.staff,
        to_stage=Stage.CANCELLED,
        version=world.a.version,
    )
    client.force_login(world.staff)
    with django_assert_num_queries(4):  # session, user, can_upload, projects
        response = client.get(reverse("units:upload-template", args=[PROGRESS_UPLOAD]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        ("6400100", SECOND, "Procurement", 0, None, None, None),
        ("6400101", FIRST, "Contracted", 0, None, None, None),
        ("6400102", FIRST, "Procurement", 0, None, None, None),
    ]
    assert rows[1][2] == world.b.name
    notes = [cell for row in book.worksheets[1].iter_rows(values_only=True) for cell in row]
    assert "Project code" in notes

    # Round trip: uploading the template back changes nothing.
    post_upload(client, PROGRESS_UPLOAD, response.content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["changed"], job.summary["projects_changed"]) == (0, 0)


# --- speed: queries do not grow with the rows ----------------------------------------------------


@pytest.mark.parametrize("payments", [5, 20])
def test_check_and_commit_queries_do_not_grow_with_rows(world, payments, django_assert_num_queries):
    rows = [
        ["6400101", FIRST, None, "in_progress", n, f"2026-01-{n % 28 + 1:02d}", "100", f"V{n}"]
        for n in range(payments)
    ] + [
        ["6400100", SECOND, None, "contracted", n, "2026-01-02", "10", f"W{n}"]
        for n in range(payments)
    ]
    job = make_job(world.staff, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    # job; scope; projects; disbursements; LAOs; job saved
    with django_assert_num_queries(6):
        engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID, job.errors
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
    # job; savepoint; scope; projects locked; disbursements; projects_progress_apply (savepoint,
    # scope, update, stage changes, disbursements, rollups, followers of every project moved
    # (savepoint, follows, notifications, release), the LAOs' stamps, release: 12); LAOs; job
    # saved; release
    with django_assert_num_queries(20):
        engine.run_commit(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert Disbursement.objects.filter(reference__startswith="V").count() == payments


def test_many_stage_changes_notify_followers_in_bulk(client, world):
    lao_follower = UserFactory(role=Role.CITIZEN, username="lao-follower")
    Follow.objects.create(user=lao_follower, lao=world.laos[0])
    client.force_login(world.staff)
    upload(client, PROGRESS_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert job.summary["committed"]["notified"] == 3
    assert sorted(
        Notification.objects.values_list("user__username", "url").order_by("user__username", "url")
    ) == sorted(
        [
            ("follower", reverse("projects:detail", args=[world.c.pk])),
            ("lao-follower", reverse("projects:detail", args=[world.a.pk])),
            ("lao-follower", reverse("projects:detail", args=[world.b.pk])),
        ]
    )


def test_excel_serial_dates_and_thai_years(world):
    from projects.resources import DisbursementDateWidget

    widget = DisbursementDateWidget()
    assert widget.clean("46053") == datetime.date(2026, 1, 31)
    assert widget.clean("2026-01-31T00:00:00") == datetime.date(2026, 1, 31)
    assert widget.clean("31/1/2569") == datetime.date(2026, 1, 31)
    assert widget.clean("31.01.2026") == datetime.date(2026, 1, 31)
    with translation.override("en"), pytest.raises(ValueError, match="is not a date"):
        widget.clean("2569-13-01")


def test_same_workbook_twice_keeps_a_completed_project_at_100_percent(client, world):
    """A row that named a stage the project has since passed used to still apply its progress
    cell: the second upload took a completed project back to 40 %."""
    client.force_login(world.staff)
    rows = [
        ["6400101", FIRST, None, "in_progress", 40, "2026-01-05", "700000", "A"],
        ["6400101", FIRST, None, "completed", None, None, None, None],
    ]
    upload(client, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    assert latest_job().status == UploadStatus.COMMITTED
    assert state(world.c) == (Stage.COMPLETED, 100, Decimal("700000"))
    first = snapshot()

    post_upload(client, PROGRESS_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["projects_changed"], job.summary["progress_changes"]) == (0, 0)
    commit(client, job)
    assert latest_job().status == UploadStatus.COMMITTED
    assert snapshot() == first
    assert state(world.c) == (Stage.COMPLETED, 100, Decimal("700000"))


def test_bulk_progress_service_refuses_projects_outside_the_users_scope(world):
    from django.core.exceptions import PermissionDenied

    from projects.rollups import project_figures

    project = Project.objects.select_related("lao").get(pk=world.e.pk)  # another province
    figures = project_figures(project)
    change = services.ProjectProgress(
        project_id=project.pk,
        lao_id=project.lao_id,
        name=project.name,
        lao_name=str(project.lao),
        before=figures,
        after=figures,
        progress=50,
    )
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.projects_progress_apply(changes=[change], user=world.staff, note="upload #0")
    assert snapshot() == before
