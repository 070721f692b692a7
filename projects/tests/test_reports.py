"""Quarterly progress reports: quarters and due dates, the snapshot at a quarter's end, the
workflow with its forbidden cases, the pages and the missing list."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import reports
from projects.models import (
    Disbursement,
    Follow,
    Notification,
    ProgressReport,
    ReportStatus,
    Stage,
    StageChange,
)
from projects.tests.factories import ProjectFactory
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = 2568  # Oct 2024 – Sep 2025: every quarter has ended and is past due
Q2_END = datetime.date(2025, 3, 31)


def moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def project(lao, code, *, budget="100000", fiscal_year=YEAR, **fields):
    return ProjectFactory(
        lao=lao, code=code, fiscal_year=fiscal_year, budget_amount=Decimal(budget), **fields
    )


def move(project_, from_stage, to_stage, day, hour=12):
    StageChange.objects.create(
        project=project_, from_stage=from_stage, to_stage=to_stage, at=moment(day, hour)
    )


def prepared(tree, quarter=2):
    return reports.report_prepare(
        lao=tree.lao, fiscal_year=YEAR, quarter=quarter, user=tree.officer
    )


def submitted(tree, quarter=2):
    report = prepared(tree, quarter)
    return reports.report_submit(report=report, user=tree.officer, version=report.version)


# --- Quarters and due dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "start", "end", "due"),
    [
        (1, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31), datetime.date(2026, 1, 15)),
        (2, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), datetime.date(2026, 4, 15)),
        (3, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), datetime.date(2026, 7, 15)),
        (4, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 10, 15)),
    ],
)
def test_quarters_of_the_thai_fiscal_year_and_their_due_dates(quarter, start, end, due):
    assert reports.quarter_range(2569, quarter) == (start, end)
    assert reports.quarter_due_date(2569, quarter) == due


def test_a_report_is_overdue_only_past_its_due_date_and_unsent():
    due = datetime.date(2026, 1, 15)
    after = datetime.date(2026, 1, 16)
    assert reports.is_overdue(due_date=due, status=None, today=after)
    assert reports.is_overdue(due_date=due, status=ReportStatus.DRAFT, today=after)
    assert reports.is_overdue(due_date=due, status=ReportStatus.RETURNED, today=after)
    assert not reports.is_overdue(due_date=due, status=ReportStatus.SUBMITTED, today=after)
    assert not reports.is_overdue(due_date=due, status=ReportStatus.ACCEPTED, today=after)
    assert not reports.is_overdue(due_date=due, status=None, today=due)


def test_the_latest_due_quarter_is_the_last_one_that_ended():
    assert reports.latest_due_quarter(datetime.date(2025, 11, 20)) == (2568, 4)
    assert reports.latest_due_quarter(datetime.date(2026, 2, 1)) == (2569, 1)


# --- The snapshot -----------------------------------------------------------------------------


def test_the_snapshot_shows_each_project_as_it_stood_at_the_quarter_end(tree):
    lao = tree.lao
    road = project(lao, "2568-001", stage=Stage.IN_PROGRESS, progress_percent=60)
    move(road, Stage.PLANNED, Stage.FUNDED, datetime.date(2024, 11, 1))
    move(road, Stage.FUNDED, Stage.PROCUREMENT, datetime.date(2025, 1, 10))
    move(road, Stage.PROCUREMENT, Stage.CONTRACTED, datetime.date(2025, 3, 31), hour=23)
    move(road, Stage.CONTRACTED, Stage.IN_PROGRESS, datetime.date(2025, 4, 1), hour=0)
    road.contract_amount = Decimal("90000")
    road.save()
    Disbursement.objects.create(project=road, date=datetime.date(2025, 3, 31), amount=1000)
    Disbursement.objects.create(project=road, date=Q2_END, amount=500, reference="B")
    Disbursement.objects.create(project=road, date=datetime.date(2025, 4, 1), amount=7000)
    # Its first change came after the quarter: it was still in the stage it started with.
    well = project(lao, "2568-002", stage=Stage.FUNDED)
    move(well, Stage.PLANNED, Stage.FUNDED, datetime.date(2025, 5, 1))
    # No stage change logged at all: its current stage.
    project(lao, "2568-003", stage=Stage.PLANNED, budget="50000.50")
    project(lao, "2569-001", fiscal_year=2569)  # another fiscal year
    project(tree.neighbour, "2568-001")  # another LAO

    report = prepared(tree)

    items = {item.project.code: item for item in report.items.select_related("project")}
    assert set(items) == {"2568-001", "2568-002", "2568-003"}
    road_item = items["2568-001"]
    # A stage change after the end (1 April, 00:00 Bangkok) is not shown...
    assert road_item.stage == Stage.CONTRACTED
    assert road_item.progress_percent == 0
    # ...nor a disbursement dated after the end.
    assert road_item.disbursed_total == Decimal("1500")
    assert road_item.budget_amount == Decimal("100000")
    assert items["2568-002"].stage == Stage.PLANNED
    assert items["2568-002"].disbursed_total == 0
    assert items["2568-003"].stage == Stage.PLANNED
    assert report.status == ReportStatus.DRAFT
    assert report.due_date == datetime.date(2025, 4, 15)


def test_the_snapshot_takes_a_fixed_number_of_queries(tree, django_assert_num_queries):
    for number in range(20):
        item = project(tree.lao, f"2568-{number:03d}", stage=Stage.FUNDED)
        move(item, Stage.PLANNED, Stage.FUNDED, datetime.date(2024, 12, 1))
        Disbursement.objects.create(project=item, date=datetime.date(2025, 1, 5), amount=10)
    with django_assert_num_queries(4):
        snapshots = reports.project_snapshots(lao=tree.lao, fiscal_year=YEAR, quarter=2)
    assert len(snapshots) == 20
    assert all(s.disbursed_total == 10 and s.stage == Stage.FUNDED for s in snapshots)


def test_preparing_again_refreshes_a_draft_and_bumps_its_version(tree):
    road = project(tree.lao, "2568-001")
    report = prepared(tree)
    Disbursement.objects.create(project=road, date=datetime.date(2025, 2, 1), amount=300)
    again = reports.report_prepare(
        lao=tree.lao,
        fiscal_year=YEAR,
        quarter=2,
        user=tree.officer,
        version=report.version,
    )
    assert again.pk == report.pk and again.version == report.version + 1
    assert again.items.get().disbursed_total == Decimal("300")
    with pytest.raises(reports.StaleReportError):
        reports.report_prepare(
            lao=tree.lao,
            fiscal_year=YEAR,
            quarter=2,
            user=tree.officer,
            version=report.version,
        )


def test_a_quarter_that_has_not_begun_cannot_be_reported(tree):
    next_year = reports.fiscal_year_of(timezone.localdate()) + 1
    with pytest.raises(ValidationError):
        reports.report_prepare(lao=tree.lao, fiscal_year=next_year, quarter=1, user=tree.officer)
    assert not ProgressReport.objects.exists()


# --- The workflow -----------------------------------------------------------------------------


def test_submit_return_fix_resubmit_and_accept(tree):
    road = project(tree.lao, "2568-001")
    report = submitted(tree)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == tree.officer
    report = reports.report_return(
        report=report, user=tree.staff, version=report.version, comment="ยอดเบิกจ่ายไม่ครบ"
    )
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == "ยอดเบิกจ่ายไม่ครบ"
    Disbursement.objects.create(project=road, date=datetime.date(2025, 3, 1), amount=2500)
    report = reports.report_prepare(
        lao=tree.lao,
        fiscal_year=YEAR,
        quarter=2,
        user=tree.officer,
        version=report.version,
    )
    assert report.status == ReportStatus.RETURNED  # until it is sent again
    report = reports.report_submit(report=report, user=tree.officer, version=report.version)
    report = reports.report_accept(report=report, user=tree.staff, version=report.version)
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == tree.staff and report.return_comment == ""
    assert report.items.get().disbursed_total == Decimal("2500")


def test_accepting_tells_the_followers_of_the_lao(tree, django_capture_on_commit_callbacks):
    follower = UserFactory(role=Role.CITIZEN, username="follower")
    Follow.objects.create(user=follower, lao=tree.lao)
    Follow.objects.create(user=tree.citizen, lao=tree.far)
    report = submitted(tree)
    with django_capture_on_commit_callbacks():
        reports.report_accept(report=report, user=tree.staff, version=report.version)
    notification = Notification.objects.get()
    assert notification.user == follower
    assert "ไตรมาสที่ 2" in notification.message and str(YEAR) in notification.message


def test_an_accepted_report_is_frozen(tree):
    road = project(tree.lao, "2568-001")
    report = submitted(tree)
    report = reports.report_accept(report=report, user=tree.staff, version=report.version)
    Disbursement.objects.create(project=road, date=datetime.date(2025, 3, 1), amount=999)
    with pytest.raises(ValidationError):
        reports.report_prepare(
            lao=tree.lao,
            fiscal_year=YEAR,
            quarter=2,
            user=tree.officer,
            version=report.version,
        )
    for step in (reports.report_submit, reports.report_accept):
        with pytest.raises(ValidationError):
            step(report=report, user=tree.staff, version=report.version)
    with pytest.raises(ValidationError):
        reports.report_return(report=report, user=tree.staff, version=report.version, comment="x")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.items.get().disbursed_total == 0


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen", "executive"])
def test_only_the_lao_and_its_province_may_prepare_and_submit(tree, who):
    with pytest.raises(PermissionDenied):
        reports.report_prepare(lao=tree.lao, fiscal_year=YEAR, quarter=2, user=getattr(tree, who))
    report = prepared(tree)
    with pytest.raises(PermissionDenied):
        reports.report_submit(report=report, user=getattr(tree, who), version=report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["officer", "far_staff", "citizen", "executive"])
def test_only_staff_of_the_province_may_accept_or_return(tree, who):
    report = submitted(tree)
    with pytest.raises(PermissionDenied):
        reports.report_accept(report=report, user=getattr(tree, who), version=report.version)
    with pytest.raises(PermissionDenied):
        reports.report_return(
            report=report, user=getattr(tree, who), version=report.version, comment="x"
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_stale_version_is_refused_and_a_return_needs_a_comment(tree):
    report = submitted(tree)
    with pytest.raises(reports.StaleReportError):
        reports.report_accept(report=report, user=tree.staff, version=report.version - 1)
    with pytest.raises(ValidationError):
        reports.report_return(report=report, user=tree.staff, version=report.version, comment=" ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- Pages ------------------------------------------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_officer_quarters_page_shows_due_dates_and_overdue(
    client, tree, django_assert_max_num_queries
):
    submitted(tree, quarter=1)
    prepared(tree, quarter=2)
    client.force_login(tree.officer)
    english(client)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:report-list"), {"fiscal_year": YEAR})
    assert response.status_code == 200
    rows = {row.quarter: row for row in response.context["quarters"]}
    assert rows[1].report.status == ReportStatus.SUBMITTED and not rows[1].overdue
    assert rows[2].report.status == ReportStatus.DRAFT and rows[2].overdue
    assert rows[3].report is None and rows[3].overdue and rows[3].can_prepare
    assert rows[4].due_date == datetime.date(2025, 10, 15)
    html = response.content.decode()
    assert html.count("Overdue") == 3
    assert "15 Apr 2025" in html


def test_officer_prepares_from_the_page_and_submits(client, tree):
    project(tree.lao, "2568-001", budget="1250000.50")
    client.force_login(tree.officer)
    response = client.post(reverse("projects:report-prepare"), {"fiscal_year": YEAR, "quarter": 2})
    report = ProgressReport.objects.get(lao=tree.lao, fiscal_year=YEAR, quarter=2)
    assert response["Location"] == reverse("projects:report", args=[report.pk])
    response = client.post(
        reverse("projects:report-submit", args=[report.pk]),
        {"version": report.version, "confirm": "yes"},
        follow=True,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "1,250,000.50" in response.content.decode()


def test_the_report_page_has_items_and_totals_in_few_queries(
    client, tree, django_assert_num_queries
):
    for number in range(15):
        project(tree.lao, f"2568-{number:03d}", budget="1000.25")
    report = prepared(tree)
    client.force_login(tree.staff)
    with django_assert_num_queries(4):
        response = client.get(reverse("projects:report", args=[report.pk]))
    assert response.status_code == 200
    assert response.context["report"].item_count == 15
    assert response.context["report"].budget_total == Decimal("15003.75")
    assert "15,003.75" in response.content.decode()


def test_staff_return_and_accept_through_the_pages(client, tree):
    report = submitted(tree)
    client.force_login(tree.staff)
    queue = client.get(reverse("projects:report-review"))
    assert list(queue.context["page_obj"]) == [report]
    client.post(
        reverse("projects:report-return", args=[report.pk]),
        {"version": report.version, "comment": "แก้ไขความก้าวหน้า", "confirm": "yes"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    report = reports.report_submit(report=report, user=tree.officer, version=report.version)
    client.post(
        reverse("projects:report-accept", args=[report.pk]),
        {"version": report.version, "confirm": "yes"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_the_review_queue_is_scoped_and_bounded(client, tree, django_assert_max_num_queries):
    submitted(tree)
    far_officer = UserFactory(role=Role.OFFICER, lao=tree.far, username="farofficer")
    far = reports.report_prepare(lao=tree.far, fiscal_year=YEAR, quarter=2, user=far_officer)
    reports.report_submit(report=far, user=far_officer, version=far.version)
    client.force_login(tree.staff)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("projects:report-review"))
    assert [r.lao for r in response.context["page_obj"]] == [tree.lao]
    client.force_login(tree.officer)
    assert client.get(reverse("projects:report-review")).status_code == 404


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen"])
def test_others_cannot_open_or_move_the_report(client, tree, who):
    report = submitted(tree)
    client.force_login(getattr(tree, who))
    assert client.get(reverse("projects:report", args=[report.pk])).status_code == 404
    for name in ("report-accept", "report-return", "report-submit"):
        response = client.post(
            reverse(f"projects:{name}", args=[report.pk]),
            {"version": report.version, "comment": "x"},
        )
        assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_executive_reads_but_cannot_review(client, tree, django_assert_max_num_queries):
    report = submitted(tree)
    reports.report_prepare(lao=tree.neighbour, fiscal_year=YEAR, quarter=2, user=tree.staff)
    client.force_login(tree.executive)
    response = client.get(reverse("projects:report", args=[report.pk]))
    assert response.status_code == 200 and not response.context["can_review"]
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:report-list"), {"fiscal_year": YEAR})
    assert response.context["page_obj"].paginator.count == 2
    assert [r.overdue for r in response.context["page_obj"]] == [False, True]
    response = client.post(
        reverse("projects:report-accept", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_officer_cannot_prepare_for_another_lao(client, tree):
    client.force_login(tree.far_staff)
    response = client.post(
        reverse("projects:report-prepare"),
        {"fiscal_year": YEAR, "quarter": 2, "lao": tree.lao.dla_code},
    )
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, tree):
    report = submitted(tree)
    for url in (
        reverse("projects:report-list"),
        reverse("projects:report", args=[report.pk]),
        reverse("projects:report-review"),
        reverse("projects:report-missing"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client.post(reverse("projects:report-accept", args=[report.pk]), {"version": 1})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- The missing list -------------------------------------------------------------------------


def test_the_missing_list_shows_laos_without_a_sent_report(
    client, tree, django_assert_max_num_queries
):
    prepared(tree)  # a draft: still missing
    neighbour = reports.report_prepare(
        lao=tree.neighbour, fiscal_year=YEAR, quarter=2, user=tree.neighbour_officer
    )
    reports.report_submit(report=neighbour, user=tree.neighbour_officer, version=neighbour.version)
    for number in range(5):
        LAOFactory(
            subdistrict__district=DistrictFactory(province=tree.province),
            dla_code=f"63001{number:02d}",
        )
    client.force_login(tree.staff)
    english(client)
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("projects:report-missing"), {"fiscal_year": YEAR, "quarter": 2}
        )
    laos = list(response.context["page_obj"])
    assert tree.lao in laos and tree.neighbour not in laos and tree.far not in laos
    assert len(laos) == 6
    draft = next(lao for lao in laos if lao == tree.lao)
    assert draft.report_status == ReportStatus.DRAFT
    assert "Draft" in response.content.decode()


def test_the_missing_list_downloads_and_is_closed_to_officers(client, tree):
    client.force_login(tree.staff)
    response = client.get(
        reverse("projects:report-missing-download", args=["csv"]),
        {"fiscal_year": YEAR, "quarter": 2},
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "6300001" in text and "6300002" in text and "6310001" not in text
    response = client.get(
        reverse("projects:report-missing-download", args=["xlsx"]),
        {"fiscal_year": YEAR, "quarter": 2},
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(tree.officer)
    assert client.get(reverse("projects:report-missing")).status_code == 404


def test_executives_see_every_province_in_the_missing_list(client, tree):
    client.force_login(tree.executive)
    response = client.get(reverse("projects:report-missing"), {"fiscal_year": YEAR, "quarter": 2})
    assert len(list(response.context["page_obj"])) == 3
    response = client.get(
        reverse("projects:report-missing"), {"fiscal_year": YEAR, "quarter": 2, "province": "31"}
    )
    assert list(response.context["page_obj"]) == [tree.far]


def test_the_missing_list_reads_province_names_only_in_a_fixed_number_of_queries(
    client, tree, django_assert_num_queries
):
    """The province choice lists names: the boundaries (heavy GeoJSON) stay in the database,
    and provincial staff are offered their own province only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tree.executive)
    query = {"fiscal_year": YEAR, "quarter": 2, "province": "31"}
    # session, user, any province readable, the chosen province, the province choices, count,
    # page
    with django_assert_num_queries(7), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("projects:report-missing"), query)
    assert not any("boundary" in q["sql"] for q in queries.captured_queries)
    html = response.content.decode()
    assert '<option value="31" selected>' in html and '<option value="30">' in html
    assert '<option value="2" selected>' in html
    client.force_login(tree.staff)
    html = client.get(reverse("projects:report-missing"), {"quarter": 2}).content.decode()
    form = html.split('class="filter-form"', 1)[1].split("</form>", 1)[0]
    assert '<option value="30"' in form and '<option value="31"' not in form


# --- Four eyes: the submitter of a report does not review it ------------------------------------


def submitted_by_staff(tree):
    """A report that the provincial staff prepared and submitted for an LAO of their province."""
    report = reports.report_prepare(lao=tree.lao, fiscal_year=YEAR, quarter=2, user=tree.staff)
    return reports.report_submit(report=report, user=tree.staff, version=report.version)


@pytest.mark.parametrize("action", ["accept", "return"])
def test_the_submitter_cannot_review_the_report_in_the_service(tree, action):
    report = submitted_by_staff(tree)
    with pytest.raises(ValidationError) as error:
        if action == "accept":
            reports.report_accept(report=report, user=tree.staff, version=report.version)
        else:
            reports.report_return(
                report=report, user=tree.staff, version=report.version, comment="แก้ไข"
            )
    assert error.value.code == "submitter"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    colleague = UserFactory(role=Role.PROVINCIAL, province=tree.lao.province, username="c2")
    report = reports.report_accept(report=report, user=colleague, version=report.version)
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == colleague


def test_the_submitter_sees_why_there_are_no_review_buttons(client, tree):
    report = submitted_by_staff(tree)
    client.force_login(tree.staff)
    response = client.get(reverse("projects:report", args=[report.pk]))
    assert response.context["can_review"] is False
    assert response.context["reviewer_submitted"] is True
    html = response.content.decode()
    assert reverse("projects:report-accept", args=[report.pk]) not in html
    assert "คุณเป็นผู้ส่งรายงานนี้" in html
    response = client.post(
        reverse("projects:report-accept", args=[report.pk]),
        {"version": report.version, "confirm": "yes"},
        follow=True,
    )
    assert "คุณเป็นผู้ส่งรายงานนี้" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # A report the officer sent keeps the staff's review buttons.
    other = submitted(tree, quarter=3)
    response = client.get(reverse("projects:report", args=[other.pk]))
    assert response.context["can_review"] is True
    assert response.context["reviewer_submitted"] is False
