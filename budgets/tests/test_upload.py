"""The provincial upload of budget lines ("budgets.lines") through the upload machinery:
preview, commit (replace semantics), bad workbooks, permissions, template, query counts."""

import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from budgets import services
from budgets.models import (
    BudgetLine,
    BudgetPlan,
    PlanStatus,
    RevenueEstimate,
    Work,
)
from budgets.services import LineData, StalePlanError
from budgets.tests.factories import Classification
from budgets.uploads import BUDGET_LINES_UPLOAD
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
from units.uploads.widgets import AmountWidget

pytestmark = UPLOAD_TESTS

HEADERS = ["รหัส อปท.", "ปีงบประมาณ", "รหัสแผนงาน", "รหัสงาน", "รหัสหมวดรายจ่าย", "รายการ", "จำนวนเงิน"]
YEAR = current_fiscal_year()


@dataclass
class UploadWorld(UploadRegion, Classification):
    """Province 40's LAOs 6400100-6400103: 6400101 has a draft with one line and revenue,
    6400102 a returned plan, the others none yet."""

    officer: User
    draft: BudgetPlan
    returned: BudgetPlan


@pytest.fixture
def world(classification) -> UploadWorld:
    region = upload_region(laos=4)
    officer = UserFactory(role=Role.OFFICER, lao=region.laos[1])
    return UploadWorld(
        **vars(region),
        **vars(classification),
        officer=officer,
        draft=make_plan(classification, region.laos[1], user=officer),
        returned=make_plan(classification, region.laos[2], status=PlanStatus.RETURNED),
    )


def make_plan(world, lao, *, status=PlanStatus.DRAFT, user=None, year=YEAR):
    user = user or UserFactory(role=Role.OFFICER, lao=lao)
    plan = services.budget_plan_create(lao=lao, fiscal_year=year, user=user)
    plan = services.budget_plan_save(
        plan=plan,
        user=user,
        version=plan.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุเดิม", Decimal("500"))],
        revenues={world.grant.pk: Decimal("9000")},
    )
    if status != PlanStatus.DRAFT:
        BudgetPlan.objects.filter(pk=plan.pk).update(
            status=status, enacted_at=plan.updated_at if status == PlanStatus.ENACTED else None
        )
        plan.refresh_from_db()
    return plan


GOOD_ROWS = [
    ["6400100", YEAR, "EDUCATION", "EDUCATION.02", "MATERIALS", "วัสดุการศึกษา", "1,250,000.50"],
    [6400100, YEAR, "education", None, "utilities", "ค่าไฟฟ้า", 1000],
    ["6400101", str(YEAR), "PUBLIC_HEALTH", "", "SERVICES", "โครงการรณรงค์ไข้เลือดออก", 20000.25],
    ["6400101", YEAR, "EDUCATION", None, "MATERIALS", "วัสดุเดิม", "500"],
    ["6400102", YEAR, "CENTRAL_FUND", None, "CENTRAL_FUND_ITEMS", "เบี้ยยังชีพผู้สูงอายุ", "300,000"],
]


def snapshot():
    """Everything an upload may change."""
    return (
        list(
            BudgetPlan.objects.order_by("pk").values_list(
                "pk", "lao_id", "fiscal_year", "status", "version", "total_expenditure"
            )
        ),
        list(
            BudgetLine.objects.order_by("pk").values_list(
                "pk", "plan_id", "programme_id", "work_id", "expense_type_id", "item", "amount"
            )
        ),
    )


def lines_of(code, year=YEAR):
    return list(
        BudgetLine.objects.filter(plan__lao__dla_code=code, plan__fiscal_year=year)
        .order_by("position", "id")
        .values_list("programme__key", "work__key", "expense_type__key", "item", "amount")
    )


def check_refused(client, content):
    with translation.override("en"):
        upload_refused(client, BUDGET_LINES_UPLOAD, content, snapshot=snapshot)
    return invalid_job()


# --- good workbook: preview, commit, replace ---------------------------------------------------


def test_good_workbook_previews_then_commits(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    before = snapshot()
    response = post_upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert response["Location"] == reverse("units:upload-detail", args=[job.pk])
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert snapshot() == before  # the dry run writes nothing
    summary = job.summary
    assert summary["rows"] == 5
    assert (summary["changed"], summary["unchanged"]) == (3, 0)
    assert (summary["plans_new"], summary["plans_replaced"], summary["plans_unchanged"]) == (
        1,
        2,
        0,
    )
    assert (summary["lines_before"], summary["lines_after"]) == (2, 5)
    assert Decimal(summary["total_before"]) == Decimal("1000")
    assert Decimal(summary["total_after"]) == Decimal("1571500.75")
    by_code = {lao["code"]: lao for lao in summary["changes"]}
    assert list(by_code) == ["6400100", "6400101", "6400102"]
    assert by_code["6400100"]["plans"] == [
        {
            "year": YEAR,
            "status": "new",
            "lines_before": 0,
            "lines_after": 2,
            "total_before": "0",
            "total_after": "1251000.50",
            "changed": True,
        }
    ]
    assert by_code["6400101"]["plans"][0]["status"] == "draft"
    assert by_code["6400102"]["plans"][0]["status"] == "returned"
    assert Decimal(by_code["6400101"]["total_before"]) == Decimal("500")
    assert Decimal(by_code["6400101"]["total_after"]) == Decimal("20500.25")

    with django_assert_num_queries(4):  # session, user, can_upload, job
        page = client.get(reverse("units:upload-detail", args=[job.pk]))
    html = page.content.decode()
    assert "budget-upload-preview" in html and "upload-commit" in html
    assert "1,251,000.50" in html and "New draft" in html

    draft_version = world.draft.version
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, (job.message, job.errors)
    assert job.summary["committed"] == {
        "plans_created": 1,
        "plans_replaced": 2,
        "lines": 5,
        "plans_unchanged": 0,
    }
    new = BudgetPlan.objects.get(lao__dla_code="6400100", fiscal_year=YEAR)
    assert (new.status, new.version, new.total_expenditure) == (
        PlanStatus.DRAFT,
        1,
        Decimal("1251000.50"),
    )
    assert lines_of("6400100") == [
        ("EDUCATION", "EDUCATION.02", "MATERIALS", "วัสดุการศึกษา", Decimal("1250000.50")),
        ("EDUCATION", None, "UTILITIES", "ค่าไฟฟ้า", Decimal("1000.00")),
    ]
    draft = BudgetPlan.objects.get(pk=world.draft.pk)
    assert draft.status == PlanStatus.DRAFT
    assert draft.version == draft_version + 1
    assert draft.total_expenditure == Decimal("20500.25")
    assert draft.total_revenue == Decimal("9000")  # revenue is left as it is
    assert RevenueEstimate.objects.filter(plan=draft).count() == 1
    assert [line[3] for line in lines_of("6400101")] == ["โครงการรณรงค์ไข้เลือดออก", "วัสดุเดิม"]
    returned = BudgetPlan.objects.get(pk=world.returned.pk)
    assert returned.status == PlanStatus.RETURNED
    assert returned.total_expenditure == Decimal("300000")
    assert lines_of("6400103") == []

    html = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "upload-status-committed" in html


def test_same_workbook_twice_gives_the_same_lines(client, world):
    client.force_login(world.staff)
    content = workbook(HEADERS, GOOD_ROWS)
    upload(client, BUDGET_LINES_UPLOAD, content)
    assert latest_job().status == UploadStatus.COMMITTED
    first = snapshot()

    post_upload(client, BUDGET_LINES_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID
    assert (job.summary["changed"], job.summary["unchanged"]) == (0, 3)
    assert job.summary["plans_unchanged"] == 3
    commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED
    assert job.summary["committed"]["plans_unchanged"] == 3
    assert snapshot() == first  # same lines, no duplicates, versions untouched
    assert BudgetLine.objects.count() == 5

    # One line changed: that plan alone is replaced, with a new version.
    changed = [row[:] for row in GOOD_ROWS]
    changed[4][6] = "310,000"
    post_upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, changed))
    job = latest_job()
    assert (job.summary["changed"], job.summary["unchanged"]) == (1, 2)
    commit(client, job)
    returned = BudgetPlan.objects.get(pk=world.returned.pk)
    assert returned.total_expenditure == Decimal("310000")
    assert BudgetLine.objects.count() == 5


def test_an_open_editor_is_refused_after_an_upload(client, world):
    seen = world.draft  # the officer opened the editor on this version
    client.force_login(world.staff)
    upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    with pytest.raises(StalePlanError):
        services.budget_plan_save(
            plan=seen, user=world.officer, version=seen.version, lines=[], revenues={}
        )
    assert BudgetPlan.objects.get(pk=seen.pk).total_expenditure == Decimal("20500.25")


def test_amounts_from_number_cells_and_float_noise(world):
    widget = AmountWidget()
    assert widget.clean("1,250,000.50") == Decimal("1250000.50")
    assert widget.clean("0.30000000000000004") == Decimal("0.30")
    assert widget.clean("1.5e3") == Decimal("1500.00")
    assert widget.clean(" 12 500 ") == Decimal("12500.00")
    assert widget.clean("0") == Decimal("0.00")


# --- bad workbooks: a clear message, nothing written --------------------------------------------


def test_wrong_headers_are_refused_with_the_expected_columns(client, world):
    client.force_login(world.staff)
    headers = ["code", "year", "programme", "work", "type", "item", "amount"]
    job = check_refused(client, workbook(headers, GOOD_ROWS))
    assert "The header row does not match the template" in job.message
    assert "รหัสหมวดรายจ่าย" in job.message


ROW = ["6400100", YEAR, "EDUCATION", "EDUCATION.02", "MATERIALS", "วัสดุ", "1000"]


def variant(**changes):
    row = ROW[:]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            variant(c2="EDUCATON", c3=None),
            "รหัสแผนงาน",
            "No programme is named “EDUCATON”",
        ),
        (variant(c4="CANDY"), "รหัสหมวดรายจ่าย", "No expense type is named or coded “CANDY”"),
        (variant(c3="EDUCATION.99"), "รหัสงาน", "No work is named “EDUCATION.99”"),
        (
            variant(c3="AGRICULTURE.01"),
            "รหัสงาน",
            "Work งานส่งเสริมการเกษตร belongs to programme แผนงานการเกษตร, not to แผนงานการศึกษา.",
        ),
        (
            variant(c6="a lot"),
            "จำนวนเงิน",
            "“a lot” is not an amount in baht (write it like 1,250,000.50).",
        ),
        (variant(c6="-5"), "จำนวนเงิน", "The amount cannot be negative (-5)."),
        (variant(c6=-5), "จำนวนเงิน", "The amount cannot be negative (-5)."),
        (
            variant(c6="10.125"),
            "จำนวนเงิน",
            "“10.125” has more than two decimals: amounts are in baht and satang.",
        ),
        (
            variant(c6="1,000,000,000,000"),
            "จำนวนเงิน",
            "1,000,000,000,000 is too large: at most 999,999,999,999.99 baht per line.",
        ),
        (
            variant(c1=2026),
            "ปีงบประมาณ",
            f"“2026” is not a fiscal year you can upload: write a Buddhist Era year from "
            f"{YEAR - 1} to {YEAR + 1}.",
        ),
        (variant(c1=YEAR + 5), "ปีงบประมาณ", "is not a fiscal year you can upload"),
        (variant(c5=None), "รายการ", "This column is required."),
        (variant(c6=None), "จำนวนเงิน", "This column is required."),
        (variant(c2=None, c3=None), "รหัสแผนงาน", "This column is required."),
        (variant(c5="x" * 501), "รายการ", "The text is too long: at most 500 characters."),
        (variant(c0="6499999"), "รหัส อปท.", "No LAO has the code 6499999."),
    ],
    ids=[
        "unknown-programme",
        "unknown-type",
        "unknown-work",
        "work-of-another-programme",
        "text-amount",
        "negative-text",
        "negative-number",
        "three-decimals",
        "too-large",
        "year-ce",
        "year-far",
        "no-item",
        "no-amount",
        "no-programme",
        "long-item",
        "unknown-lao",
    ],
)
def test_bad_cells_are_row_errors_and_nothing_is_written(client, world, row, column, message):
    client.force_login(world.staff)
    good = ["6400101", YEAR, "EDUCATION", None, "MATERIALS", "วัสดุใหม่", "2,000"]
    job = check_refused(client, workbook(HEADERS, [good, row]))
    assert [(error["row"], error["column"]) for error in job.errors] == [(3, column)]
    assert message in job.errors[0]["message"]


def test_a_row_of_another_province_blocks_the_whole_file(client, world):
    client.force_login(world.staff)
    rows = [*GOOD_ROWS, ["6410001", YEAR, "EDUCATION", None, "MATERIALS", "วัสดุ", "100"]]
    job = check_refused(client, workbook(HEADERS, rows))
    assert job.errors == [
        {
            "row": 7,
            "column": "รหัส อปท.",
            "message": "LAO 6410001 is not in your province: you cannot change it.",
        }
    ]
    assert not BudgetPlan.objects.filter(lao__dla_code="6400100").exists()


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.ENACTED])
def test_submitted_and_enacted_plans_are_refused(client, world, status):
    BudgetPlan.objects.filter(pk=world.draft.pk).update(
        status=status,
        enacted_at=world.draft.updated_at if status == PlanStatus.ENACTED else None,
    )
    client.force_login(world.staff)
    job = check_refused(client, workbook(HEADERS, GOOD_ROWS))
    assert [(error["row"], error["column"]) for error in job.errors] == [
        (4, "ปีงบประมาณ"),
        (5, "ปีงบประมาณ"),
    ]
    assert job.errors[0]["message"] == (
        f"The {YEAR} plan of this LAO has been {status}; ask the provincial office to return it "
        "before uploading its lines."
    )
    # The error workbook has the message beside the rows.
    response = client.get(reverse("units:upload-error-report", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (*HEADERS, "ข้อผิดพลาด / errors")
    assert rows[3][7].startswith("ปีงบประมาณ: ")


def test_commit_checks_again_under_locks(client, world):
    client.force_login(world.staff)
    post_upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    job = latest_job()
    assert job.status == UploadStatus.VALID
    # Meanwhile the officer submits the draft.
    draft = world.draft
    services.budget_plan_submit(plan=draft, user=world.officer, version=draft.version)
    before = snapshot()
    with translation.override("en"):
        commit(client, job)
    job.refresh_from_db()
    assert job.status == UploadStatus.INVALID
    assert job.message == "The data changed since the check: nothing was saved."
    assert [error["row"] for error in job.errors] == [4, 5]
    assert snapshot() == before


def test_the_replace_service_refuses_plans_out_of_scope_or_not_editable(world):
    item = services.PlanLines(
        lao_id=world.far.pk,
        fiscal_year=YEAR,
        plan=None,
        lines=[LineData(world.education.pk, world.materials.pk, "x", Decimal(1))],
    )
    with pytest.raises(services.PermissionDenied):
        services.budget_plans_replace_lines(items=[item], user=world.staff)
    BudgetPlan.objects.filter(pk=world.draft.pk).update(status=PlanStatus.SUBMITTED)
    submitted = BudgetPlan.objects.get(pk=world.draft.pk)
    item = services.PlanLines(
        lao_id=submitted.lao_id, fiscal_year=YEAR, plan=submitted, lines=item.lines
    )
    with pytest.raises(ValidationError):
        services.budget_plans_replace_lines(items=[item], user=world.staff)
    assert BudgetLine.objects.filter(plan=submitted).count() == 1


# --- permissions -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("units:upload-template", args=[BUDGET_LINES_UPLOAD]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OFFICER, Role.EXECUTIVE])
def test_other_roles_cannot_upload(client, world, role):
    scope = {"lao": world.laos[0]} if role == Role.OFFICER else {}
    client.force_login(UserFactory(role=role, **scope))
    before = snapshot()
    assert client.get(reverse("units:upload-template", args=[BUDGET_LINES_UPLOAD])).status_code == (
        403
    )
    response = post_upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, GOOD_ROWS))
    assert response.status_code == 403
    assert UploadJob.objects.count() == 0
    assert snapshot() == before


def test_staff_of_another_province_get_row_errors_and_admins_may_upload_anywhere(client, world):
    client.force_login(UserFactory(role=Role.PROVINCIAL, province=world.far.province))
    job = check_refused(client, workbook(HEADERS, GOOD_ROWS))
    assert job.error_count == 5
    assert {error["column"] for error in job.errors} == {"รหัส อปท."}

    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    rows = [*GOOD_ROWS, ["6410001", YEAR + 1, "EDUCATION", None, "MATERIALS", "วัสดุ", "100"]]
    post_upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, rows))
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    commit(client, job)
    assert BudgetPlan.objects.get(lao=world.far, fiscal_year=YEAR + 1).total_expenditure == 100


# --- template ----------------------------------------------------------------------------------


def test_template_has_the_editable_lines_of_the_province(client, world, django_assert_num_queries):
    make_plan(world, world.far)  # another province: not in the template
    make_plan(world, world.laos[3], status=PlanStatus.SUBMITTED)  # not editable
    BudgetLine.objects.filter(plan=world.returned).update(item='=HYPERLINK("http://evil")')
    client.force_login(world.staff)
    with django_assert_num_queries(4):  # session, user, can_upload, lines
        response = client.get(reverse("units:upload-template", args=[BUDGET_LINES_UPLOAD]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1:] == [
        # Thai names, as budget documents write them (not the portal's codes).
        ("6400101", YEAR, "แผนงานการศึกษา", None, "ค่าวัสดุ", "วัสดุเดิม", 500),
        ("6400102", YEAR, "แผนงานการศึกษา", None, "ค่าวัสดุ", '=HYPERLINK("http://evil")', 500),
    ]
    assert sheet["A2"].data_type == "s" and sheet["C2"].data_type == "s"
    assert sheet["F3"].data_type == "s"  # text, not a formula
    notes = [cell for row in book.worksheets[1].iter_rows(values_only=True) for cell in row]
    assert "http://testserver/budgets/classification/" in " ".join(filter(None, notes))
    assert "Fiscal year" in notes

    # Round trip: uploading the template back changes nothing.
    post_upload(client, BUDGET_LINES_UPLOAD, response.content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["changed"], job.summary["plans_unchanged"]) == (0, 2)


# --- speed: queries do not grow with the rows ----------------------------------------------------


@pytest.mark.parametrize("laos", [2, 4])
def test_check_and_commit_queries_do_not_grow_with_rows(world, laos, django_assert_num_queries):
    rows = [
        [f"640010{n}", YEAR, "EDUCATION", "EDUCATION.01", "MATERIALS", f"วัสดุ {line}", line]
        for n in range(laos)
        for line in range(50 * laos)
    ]
    job = make_job(world.staff, BUDGET_LINES_UPLOAD, workbook(HEADERS, rows))
    # job; programme, work and expense type codes; scope; plans; line counts; LAOs; job saved
    with django_assert_num_queries(9):
        engine.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID, job.errors
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
    # job; savepoint; 3 code lookups; scope; plans locked; line counts; savepoint; scope again;
    # new plans; old lines deleted; COPY; totals and versions; plan steps; release; job saved;
    # release
    with django_assert_num_queries(18):
        engine.run_commit(job.pk)
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert BudgetLine.objects.filter(plan__lao__dla_code="6400100").count() == 50 * laos


# --- Thai names and account codes --------------------------------------------------------------


def test_the_template_writes_thai_names_and_comes_back_unchanged(client, world):
    work = Work.objects.filter(programme=world.education).order_by("sort_order").last()
    services.budget_plan_save(
        plan=world.draft,
        user=world.officer,
        version=world.draft.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุเดิม", Decimal("500"), work.pk)],
        revenues={world.grant.pk: Decimal("9000")},
    )
    client.force_login(world.staff)
    content = client.get(reverse("units:upload-template", args=[BUDGET_LINES_UPLOAD])).content
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[1] == ("6400101", YEAR, "แผนงานการศึกษา", work.name_th, "ค่าวัสดุ", "วัสดุเดิม", 500)
    assert not any("EDUCATION" in str(cell) for row in rows for cell in row)

    post_upload(client, BUDGET_LINES_UPLOAD, content)
    job = latest_job()
    assert job.status == UploadStatus.VALID, job.errors
    assert (job.summary["changed"], job.summary["plans_unchanged"]) == (0, 2)


def test_thai_names_account_codes_and_old_codes_are_all_accepted(client, world):
    work = Work.objects.filter(programme=world.education).order_by("sort_order").first()
    rows = [
        # What the template offers: Thai names.
        ["6400100", YEAR, "แผนงานการศึกษา", work.name_th, "ค่าวัสดุ", "หนังสือเรียน", "1,000"],
        # An account code for the expense type, spaces as people type them.
        ["6400100", YEAR, " แผนงานการศึกษา ", None, "533000", "สีและแปรง", 200],
        # Earlier templates' codes.
        ["6400100", YEAR, "EDUCATION", work.key, "MATERIALS", "กระดาษ", "300"],
    ]
    client.force_login(world.staff)
    upload(client, BUDGET_LINES_UPLOAD, workbook(HEADERS, rows))
    assert lines_of("6400100") == [
        ("EDUCATION", work.key, "MATERIALS", "หนังสือเรียน", Decimal("1000")),
        ("EDUCATION", None, "MATERIALS", "สีและแปรง", Decimal("200")),
        ("EDUCATION", work.key, "MATERIALS", "กระดาษ", Decimal("300")),
    ]


def test_a_work_named_under_another_programme_is_refused(client, world):
    rows = [["6400100", YEAR, "แผนงานการศึกษา", "งานส่งเสริมการเกษตร", "ค่าวัสดุ", "ปุ๋ย", "100"]]
    client.force_login(world.staff)
    job = check_refused(client, workbook(HEADERS, rows))
    assert [(error["column"], error["message"]) for error in job.errors] == [
        (
            "รหัสงาน",
            "Work งานส่งเสริมการเกษตร belongs to programme แผนงานการเกษตร, not to แผนงานการศึกษา.",
        )
    ]
