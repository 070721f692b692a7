"""Steps that cannot be undone in projects: confirming a project's final stage (with the warning
of money not yet paid out), and the quarterly report's confirmation pages, withdrawal,
quarter-end rule and narrative."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import reports, rules, services
from projects.models import ProgressReport, ReportStatus, Stage
from projects.tests.workflow import move
from units.thai import fiscal_quarter_of, fiscal_year_of

pytestmark = pytest.mark.django_db
YEAR = 2568  # every quarter has ended
Q2_END = datetime.date(2025, 3, 31)
CONTRACT = {
    "contract_amount": Decimal("1000000"),
    "contractor": "หจก. ก่อสร้างดี",
    "contract_date": datetime.date(2026, 1, 15),
}


def confirmed(**data):
    return {**data, "confirm": "yes"}


# --- A project's final stage --------------------------------------------------------------------


def test_final_stages():
    assert [stage for stage in Stage.values if rules.is_final(stage)] == [
        "completed",
        "cancelled",
        "carried_over",
    ]


@pytest.mark.parametrize(
    ("to_stage", "disbursed", "contract", "budget", "share"),
    [
        ("completed", "680000", "1000000", "1200000", 68),
        ("completed", "999999", "1000000", "1000000", 99),
        ("completed", "300000", None, "1000000", 30),
        ("completed", "1000000", "1000000", "1200000", None),
        ("completed", "0", "0", "1000000", None),
        ("cancelled", "0", "1000000", "1000000", None),
    ],
)
def test_completing_below_the_limit_warns(to_stage, disbursed, contract, budget, share):
    warning = rules.completion_warning(
        to_stage=to_stage,
        disbursed_total=Decimal(disbursed),
        contract_amount=Decimal(contract) if contract is not None else None,
        budget_amount=Decimal(budget),
    )
    if share is None:
        assert warning is None
    else:
        assert warning.code == "under_disbursed" and f"{share} %" in warning.message


def in_progress_with_payment(world, amount="680000"):
    project = move(
        world.project,
        world.officer,
        "funded",
        "procurement",
        "contracted",
        "in_progress",
        **CONTRACT,
    )
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 2, 1),
        amount=Decimal(amount),
        reference="1",
    )
    project.refresh_from_db()
    return project


def test_completing_at_68_percent_warns_before_it_is_confirmed(english_client, world):
    client = english_client
    project = in_progress_with_payment(world)
    client.force_login(world.officer)
    url = reverse("projects:project-stage", args=[project.pk])
    move_ = {"to_stage": "completed", "version": project.version, "note": "ส่งมอบงาน"}
    page = client.post(url, move_)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Only 68 % of the contract amount is disbursed" in html
    assert "680,000.00 of 1,000,000.00 baht" in html
    assert "cannot be changed again" in html
    assert 'name="to_stage" value="completed"' in html and 'value="ส่งมอบงาน"' in html
    project.refresh_from_db()
    assert project.stage == Stage.IN_PROGRESS
    client.post(url, confirmed(**move_))
    project.refresh_from_db()
    assert project.stage == Stage.COMPLETED and project.progress_percent == 100
    assert project.stage_changes.last().note == "ส่งมอบงาน"


def test_cancelling_asks_first_and_other_moves_do_not(english_client, world):
    client = english_client
    client.force_login(world.officer)
    project = world.project
    url = reverse("projects:project-stage", args=[project.pk])
    client.post(url, {"to_stage": "funded", "version": project.version})
    project.refresh_from_db()
    assert project.stage == Stage.FUNDED  # not final: no confirmation
    page = client.post(url, {"to_stage": "cancelled", "version": project.version})
    assert "Cancel the project?" in page.content.decode()
    assert page.context["warnings"] == []
    project.refresh_from_db()
    assert project.stage == Stage.FUNDED
    client.post(url, confirmed(to_stage="cancelled", version=project.version))
    project.refresh_from_db()
    assert project.stage == Stage.CANCELLED


def test_a_refused_final_move_is_refused_without_asking(client, world):
    client.force_login(world.officer)
    project = world.project  # planned: it cannot complete
    url = reverse("projects:project-stage", args=[project.pk])
    response = client.post(url, {"to_stage": "completed", "version": project.version})
    assert response.status_code == 400
    assert "warnings" not in response.context
    project.refresh_from_db()
    assert project.stage == Stage.PLANNED


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "executive"])
def test_others_are_not_asked_to_confirm_a_final_stage(client, world, who):
    client.force_login(getattr(world, who))
    url = reverse("projects:project-stage", args=[world.project.pk])
    response = client.post(url, {"to_stage": "cancelled", "version": world.project.version})
    assert response.status_code == 404
    response = client.post(url, confirmed(to_stage="cancelled", version=world.project.version))
    assert response.status_code == 404
    world.project.refresh_from_db()
    assert world.project.stage == Stage.PLANNED


# --- Reports: the quarter-end rule --------------------------------------------------------------


def prepared(tree, *, fiscal_year=YEAR, quarter=2):
    return reports.report_prepare(
        lao=tree.lao, fiscal_year=fiscal_year, quarter=quarter, user=tree.officer
    )


def submitted(tree, quarter=2):
    report = prepared(tree, quarter=quarter)
    return reports.report_submit(report=report, user=tree.officer, version=report.version)


def test_a_report_is_submitted_from_the_day_after_its_quarter(tree, monkeypatch):
    report = prepared(tree)
    assert reports.submit_opens_on(YEAR, 2) == datetime.date(2025, 4, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: Q2_END)
    with pytest.raises(ValidationError) as error:
        reports.report_submit(report=report, user=tree.officer, version=report.version)
    assert error.value.code == "quarter_open"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    monkeypatch.setattr(
        timezone, "localdate", lambda *args, **kwargs: Q2_END.replace(day=1, month=4)
    )
    report = reports.report_submit(report=report, user=tree.officer, version=report.version)
    assert report.status == ReportStatus.SUBMITTED


def test_the_report_page_says_when_the_current_quarter_can_be_submitted(english_client, tree):
    client = english_client
    today = timezone.localdate()
    report = prepared(tree, fiscal_year=fiscal_year_of(today), quarter=fiscal_quarter_of(today))
    client.force_login(tree.officer)
    page = client.get(reverse("projects:report", args=[report.pk]))
    html = page.content.decode()
    opens = reports.submit_opens_on(report.fiscal_year, report.quarter)
    assert not page.context["quarter_ended"] and page.context["submit_opens"] == opens
    assert reverse("projects:report-submit", args=[report.pk]) not in html
    assert f"can be submitted from {opens.day} {opens:%b %Y}" in html
    response = client.post(
        reverse("projects:report-submit", args=[report.pk]),
        confirmed(version=report.version),
        follow=True,
    )
    assert "The quarter has not ended yet" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- Reports: the narrative --------------------------------------------------------------------


def test_the_narrative_is_written_while_preparing_and_frozen_after(tree):
    report = prepared(tree)
    report = reports.report_write_narrative(
        report=report, user=tree.officer, version=report.version, narrative=" ผู้รับจ้างทิ้งงาน "
    )
    assert report.narrative == "ผู้รับจ้างทิ้งงาน"
    report = reports.report_prepare(
        lao=tree.lao, fiscal_year=YEAR, quarter=2, user=tree.officer, version=report.version
    )
    assert report.narrative == "ผู้รับจ้างทิ้งงาน"  # refreshing the figures keeps it
    report = reports.report_submit(report=report, user=tree.officer, version=report.version)
    with pytest.raises(ValidationError):
        reports.report_write_narrative(
            report=report, user=tree.officer, version=report.version, narrative="x"
        )
    report = reports.report_accept(report=report, user=tree.staff, version=report.version)
    with pytest.raises(ValidationError):
        reports.report_write_narrative(
            report=report, user=tree.officer, version=report.version, narrative="x"
        )
    report.refresh_from_db()
    assert report.narrative == "ผู้รับจ้างทิ้งงาน"


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen", "executive"])
def test_only_the_laos_writers_write_the_narrative(tree, who):
    report = prepared(tree)
    with pytest.raises(PermissionDenied):
        reports.report_write_narrative(
            report=report, user=getattr(tree, who), version=report.version, narrative="x"
        )


def test_the_officer_writes_the_narrative_and_the_reviewer_reads_it(
    client, tree, django_assert_num_queries
):
    report = prepared(tree)
    client.force_login(tree.officer)
    page = client.get(reverse("projects:report", args=[report.pk]))
    assert page.context["narrative_form"] is not None
    client.post(
        reverse("projects:report-narrative", args=[report.pk]),
        {"narrative": "ขอคำแนะนำการจัดซื้อจัดจ้าง", "version": report.version},
    )
    report.refresh_from_db()
    assert report.narrative == "ขอคำแนะนำการจัดซื้อจัดจ้าง"
    report = reports.report_submit(report=report, user=tree.officer, version=report.version)
    client.force_login(tree.staff)
    with django_assert_num_queries(4):
        page = client.get(reverse("projects:report", args=[report.pk]))
    assert page.context["narrative_form"] is None
    assert "ขอคำแนะนำการจัดซื้อจัดจ้าง" in page.content.decode()
    queue = client.get(reverse("projects:report-review"))
    assert "ขอคำแนะนำการจัดซื้อจัดจ้าง" in queue.content.decode()


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "executive"])
def test_others_cannot_write_the_narrative(client, tree, who):
    report = prepared(tree)
    client.force_login(getattr(tree, who))
    response = client.post(
        reverse("projects:report-narrative", args=[report.pk]),
        {"narrative": "x", "version": report.version},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.narrative == ""


# --- Reports: confirmation pages and withdrawal -------------------------------------------------


def test_accepting_asks_first(english_client, tree):
    client = english_client
    report = submitted(tree)
    client.force_login(tree.staff)
    url = reverse("projects:report-accept", args=[report.pk])
    for page in (client.get(url), client.post(url, {"version": report.version})):
        assert "freezes the report" in page.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(url, confirmed(version=report.version))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_submitting_without_a_narrative_is_pointed_out(english_client, tree):
    client = english_client
    report = prepared(tree)
    client.force_login(tree.officer)
    page = client.get(reverse("projects:report-submit", args=[report.pk]))
    assert page.context["warnings"] == [
        "You have written nothing about problems, obstacles or help needed."
    ]


def test_the_officer_withdraws_a_submitted_report(tree):
    report = submitted(tree)
    report = reports.report_withdraw(report=report, user=tree.officer, version=report.version)
    assert report.status == ReportStatus.DRAFT and report.submitted_by is None
    with pytest.raises(reports.StaleReportError):
        reports.report_withdraw(report=report, user=tree.officer, version=report.version - 1)


@pytest.mark.parametrize("step", ["accept", "return", "none"])
def test_a_report_that_is_not_waiting_for_review_cannot_be_withdrawn(tree, step):
    report = submitted(tree) if step != "none" else prepared(tree)
    if step == "accept":
        report = reports.report_accept(report=report, user=tree.staff, version=report.version)
    elif step == "return":
        report = reports.report_return(
            report=report, user=tree.staff, version=report.version, comment="แก้ไข"
        )
    with pytest.raises(ValidationError) as error:
        reports.report_withdraw(report=report, user=tree.officer, version=report.version)
    assert error.value.code == "reviewed"


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen", "executive"])
def test_only_the_laos_writers_withdraw_a_report(tree, who):
    report = submitted(tree)
    with pytest.raises(PermissionDenied):
        reports.report_withdraw(report=report, user=getattr(tree, who), version=report.version)


def test_withdraw_from_the_report_page(client, tree):
    report = submitted(tree)
    client.force_login(tree.officer)
    page = client.get(reverse("projects:report", args=[report.pk]))
    url = reverse("projects:report-withdraw", args=[report.pk])
    assert page.context["can_withdraw"] and url in page.content.decode()
    client.post(url, {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    client.force_login(tree.staff)
    assert not client.get(reverse("projects:report", args=[report.pk])).context["can_withdraw"]


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "executive"])
def test_another_laos_officer_cannot_withdraw_the_report(client, tree, who):
    report = submitted(tree)
    client.force_login(getattr(tree, who))
    response = client.post(
        reverse("projects:report-withdraw", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_withdraw_after_acceptance_is_refused_on_the_page(english_client, tree):
    client = english_client
    report = submitted(tree)
    report = reports.report_accept(report=report, user=tree.staff, version=report.version)
    client.force_login(tree.officer)
    response = client.post(
        reverse("projects:report-withdraw", args=[report.pk]),
        {"version": report.version},
        follow=True,
    )
    assert "has not been reviewed yet can be withdrawn" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
