"""Where officers and provincial staff start: the landing after login, the work page ("My
work"), the header's counts and the links each role is offered."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import PlanStatus
from budgets.tests.factories import BudgetPlanFactory
from projects import reports
from projects.models import Notification, Project, ReportStatus, Stage
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from units.demo import DEMO_PASSWORD
from units.models import UploadJob, UploadStatus
from units.thai import fiscal_year_of

pytestmark = pytest.mark.django_db

WORK = reverse("portal:work")
BADGES = reverse("portal:header-badges")


def log_in(client, username, **extra):
    """Log in through the login page (as a person does), following the redirects."""
    return client.post(
        reverse("login") + extra.pop("query", ""),
        {"username": username, "password": DEMO_PASSWORD},
        follow=True,
    )


def returned_report(lao, quarter, reviewer, comment="แก้ตัวเลขการเบิกจ่าย"):
    fiscal_year, number = quarter
    return ProgressReportFactory(
        lao=lao,
        fiscal_year=fiscal_year,
        quarter=number,
        status=ReportStatus.RETURNED,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
        return_comment=comment,
    )


def quiet(project, days=100):
    """Make the project's last sign of progress `days` old."""
    Project.objects.filter(pk=project.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )
    return project


# --- The landing after login ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("officer", "portal:work"),
        ("staff", "portal:work"),
        ("executive", "projects:dashboard"),
        ("citizen", "portal:home"),
        ("editor", "portal:home"),
        ("admin", "portal:home"),
    ],
)
def test_each_role_lands_on_its_first_page(client, tree, username, landing):
    response = log_in(client, username)
    assert response.redirect_chain[0][0] == reverse("portal:landing")
    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200


def test_a_safe_next_wins_over_the_landing_and_an_unsafe_one_does_not(client, tree):
    response = log_in(client, "officer", query="?next=/units/")
    assert [url for url, _status in response.redirect_chain] == ["/units/"]
    client.logout()
    response = log_in(client, "officer", query="?next=https://evil.example/")
    assert response.redirect_chain[-1][0] == WORK


def test_the_landing_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("portal:landing"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The officer's work page ------------------------------------------------------------------


@pytest.fixture
def officer_scene(tree):
    """An officer's LAO with something in every section of the work page, and the same kinds of
    things at the neighbour's LAO, which must not show."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    latest, second, third, fourth = reports.recent_ended_quarters(today)
    BudgetPlanFactory(lao=tree.lao, fiscal_year=current, status=PlanStatus.ENACTED)
    plan = BudgetPlanFactory(
        lao=tree.lao,
        fiscal_year=current + 1,
        status=PlanStatus.RETURNED,
        reviewed_by=tree.staff,
        reviewed_at=timezone.now(),
        return_comment="รายได้ไม่ครบ",
    )
    BudgetPlanFactory(
        lao=tree.neighbour, fiscal_year=current, status=PlanStatus.RETURNED, return_comment="x"
    )
    ProgressReportFactory(
        lao=tree.lao, fiscal_year=latest[0], quarter=latest[1], status=ReportStatus.SUBMITTED
    )
    report = returned_report(tree.lao, second, tree.staff)
    returned_report(tree.neighbour, second, tree.staff)
    stale = quiet(ProjectFactory(lao=tree.lao, fiscal_year=current, stage=Stage.IN_PROGRESS))
    ProjectFactory(lao=tree.lao, fiscal_year=current, stage=Stage.IN_PROGRESS)  # moving
    quiet(ProjectFactory(lao=tree.lao, fiscal_year=current, stage=Stage.COMPLETED))  # closed
    quiet(ProjectFactory(lao=tree.lao, fiscal_year=current + 1))  # its year has not begun
    quiet(ProjectFactory(lao=tree.neighbour, fiscal_year=current, stage=Stage.FUNDED))
    for message in ("ใหม่ 1", "ใหม่ 2"):
        Notification.objects.create(user=tree.officer, message=message)
    Notification.objects.create(user=tree.officer, message="อ่านแล้ว", read_at=timezone.now())
    Notification.objects.create(user=tree.neighbour_officer, message="ของคนอื่น")
    return {
        "today": today,
        "current": current,
        "plan": plan,
        "report": report,
        "stale": stale,
        "quarters": (latest, second, third, fourth),
    }


def test_the_officer_sees_what_waits_in_their_lao_in_few_queries(
    client, tree, officer_scene, django_assert_num_queries
):
    client.force_login(tree.officer)
    # session, user, the LAO, its plans of two years, returned plans, returned reports, the
    # recent quarters' reports, quiet projects, unread notifications
    with django_assert_num_queries(9):
        response = client.get(WORK)
    assert response.status_code == 200
    assert response.templates[0].name == "portal/work_officer.html"
    context = response.context
    current = officer_scene["current"]
    plan_years = dict(context["plan_years"])
    assert plan_years[current].status == PlanStatus.ENACTED
    assert plan_years[current + 1] == officer_scene["plan"]
    assert context["returned_plans"] == [officer_scene["plan"]]
    assert context["returned_reports"] == [officer_scene["report"]]
    latest, second, third, fourth = officer_scene["quarters"]
    # The submitted latest quarter is done; the returned one and the two never begun wait.
    assert [(row.fiscal_year, row.quarter) for row in context["quarters"]] == [
        fourth,
        third,
        second,
    ]
    assert all(row.overdue for row in context["quarters"])
    assert context["quarters"][2].report == officer_scene["report"]
    assert context["quiet_projects"].rows == [officer_scene["stale"]]
    assert [n.message for n in context["notifications"].rows] == ["ใหม่ 2", "ใหม่ 1"]
    html = response.content.decode()
    assert "รายได้ไม่ครบ" in html and "แก้ตัวเลขการเบิกจ่าย" in html
    assert reverse("budgets:plan-edit", args=[officer_scene["plan"].pk]) in html
    assert reverse("projects:report", args=[officer_scene["report"].pk]) in html
    assert reverse("projects:manage-project", args=[officer_scene["stale"].pk]) in html


def test_an_officer_without_a_plan_is_offered_to_create_it(client, tree):
    client.force_login(tree.officer)
    response = client.get(WORK)
    assert all(plan is None for _year, plan in response.context["plan_years"])
    assert reverse("budgets:plan-new") in response.content.decode()


def test_the_quiet_projects_list_is_cut_with_the_full_count(client, tree):
    for _number in range(12):
        quiet(ProjectFactory(lao=tree.lao, fiscal_year=fiscal_year_of(timezone.localdate())))
    client.force_login(tree.officer)
    listed = client.get(WORK).context["quiet_projects"]
    assert (len(listed.rows), listed.count, listed.more) == (10, 12, 2)


# --- The provincial overview ------------------------------------------------------------------


@pytest.fixture
def province_scene(tree):
    """Province 30 (the staff's) with a plan and a report waiting, a plan returned to an LAO,
    an LAO missing its report and an upload in progress; province 31 with the same, which
    must not show."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    latest, second, _third, _fourth = reports.recent_ended_quarters(today)
    plan = BudgetPlanFactory(
        lao=tree.lao, fiscal_year=current, status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
    )
    BudgetPlanFactory(lao=tree.far, fiscal_year=current, status=PlanStatus.SUBMITTED)
    returned = BudgetPlanFactory(
        lao=tree.neighbour,
        fiscal_year=current,
        status=PlanStatus.RETURNED,
        reviewed_by=tree.staff,
        reviewed_at=timezone.now(),
        return_comment="ขาดประมาณการรายรับ",
    )
    # The LAO sent the latest quarter's report; its neighbour has not (missing), and waits
    # for review of an older one.
    ProgressReportFactory(
        lao=tree.lao, fiscal_year=latest[0], quarter=latest[1], status=ReportStatus.ACCEPTED
    )
    report = ProgressReportFactory(
        lao=tree.neighbour,
        fiscal_year=second[0],
        quarter=second[1],
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    ProgressReportFactory(
        lao=tree.far, fiscal_year=second[0], quarter=second[1], status=ReportStatus.SUBMITTED
    )
    job = UploadJob.objects.create(
        kind="units.registry",
        user=tree.staff,
        file="uploads/a.xlsx",
        original_name="ทะเบียน.xlsx",
        status=UploadStatus.VALIDATING,
    )
    UploadJob.objects.create(
        kind="units.registry",
        user=tree.staff,
        file="uploads/b.xlsx",
        original_name="done.xlsx",
        status=UploadStatus.COMMITTED,
    )
    left = UploadJob.objects.create(
        kind="units.registry",
        user=tree.staff,
        file="uploads/c.xlsx",
        original_name="left.xlsx",
        status=UploadStatus.VALID,
    )
    UploadJob.objects.filter(pk=left.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    UploadJob.objects.create(
        kind="units.registry",
        user=tree.far_staff,
        file="uploads/d.xlsx",
        original_name="far.xlsx",
        status=UploadStatus.PENDING,
    )
    Notification.objects.create(user=tree.staff, message="แจ้งเตือน")
    return {"plan": plan, "report": report, "returned": returned, "job": job, "latest": latest}


def test_provincial_staff_see_one_overview_of_their_province_in_few_queries(
    client, tree, province_scene, django_assert_num_queries
):
    client.force_login(tree.staff)
    # session, user, the counts of every set (with their province), then the rows of each set
    # that is not empty: plans waiting, reports waiting, plans returned, their uploads, unread
    # notifications (no report was returned)
    with django_assert_num_queries(8):
        response = client.get(WORK)
    assert response.status_code == 200
    assert response.templates[0].name == "portal/work_reviewer.html"
    context = response.context
    assert context["province"] == tree.province
    assert context["plans_waiting"].rows == [province_scene["plan"]]
    assert context["reports_waiting"].rows == [province_scene["report"]]
    assert context["missing"]["count"] == 1
    assert (context["missing"]["fiscal_year"], context["missing"]["quarter"]) == (
        province_scene["latest"]
    )
    assert context["returned_plans"].rows == [province_scene["returned"]]
    assert context["returned_reports"].rows == []
    assert context["uploads"] == [province_scene["job"]]
    assert context["notifications"].count == 1
    html = response.content.decode()
    fiscal_year, quarter = province_scene["latest"]
    assert (
        f"{reverse('projects:report-missing')}?fiscal_year={fiscal_year}&amp;quarter={quarter}"
        in html
    )
    # The LAO's own button on what was returned to it: staff may revise it for the LAO.
    assert reverse("budgets:plan-edit", args=[province_scene["returned"].pk]) in html
    assert "ขาดประมาณการรายรับ" in html
    for url_name in ("budgets:review", "projects:report-review", "units:upload-list"):
        assert reverse(url_name) in html


def test_a_quiet_province_costs_one_query_beyond_the_session(
    client, tree, django_assert_num_queries
):
    """Nothing waits, nothing was returned, no upload, no notification: the counts' query
    alone says so, and no list is read."""
    client.force_login(tree.staff)
    with django_assert_num_queries(3):  # session, user, the counts with their province
        response = client.get(WORK)
    context = response.context
    assert context["province"] == tree.province
    assert context["province"].name_th in response.content.decode()
    for name in ("plans_waiting", "reports_waiting", "returned_plans", "returned_reports"):
        assert (context[name].rows, context[name].count) == ([], 0)
    assert context["uploads"] == []
    assert context["notifications"].count == 0
    # The province's two active LAOs have not sent the last quarter's report.
    assert context["missing"]["count"] == 2


def test_the_provincial_lists_are_cut_and_counted_within_the_province(client, tree):
    current = fiscal_year_of(timezone.localdate())
    for offset in range(12):
        BudgetPlanFactory(
            lao=tree.lao if offset % 2 else tree.neighbour,
            fiscal_year=current - 6 + offset,
            status=PlanStatus.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(days=offset),
        )
        BudgetPlanFactory(
            lao=tree.far, fiscal_year=current - 6 + offset, status=PlanStatus.SUBMITTED
        )
    for offset in range(11):
        BudgetPlanFactory(
            lao=tree.neighbour,
            fiscal_year=current - 20 + offset,
            status=PlanStatus.RETURNED,
            reviewed_by=tree.staff,
            reviewed_at=timezone.now() - datetime.timedelta(days=offset),
            return_comment="แก้",
        )
    client.force_login(tree.staff)
    context = client.get(WORK).context
    waiting = context["plans_waiting"]
    assert (len(waiting.rows), waiting.count, waiting.more) == (10, 12, 2)
    assert {plan.lao_id for plan in waiting.rows} == {tree.lao.pk, tree.neighbour.pk}
    # Oldest submission first, as the review queue orders them.
    assert [plan.submitted_at for plan in waiting.rows] == sorted(
        plan.submitted_at for plan in waiting.rows
    )
    returned = context["returned_plans"]
    assert (len(returned.rows), returned.count, returned.more) == (10, 11, 1)
    # An administrator counts every province's.
    client.force_login(tree.admin)
    assert client.get(WORK).context["plans_waiting"].count == 24


def test_administrators_see_every_province(client, tree, province_scene):
    client.force_login(tree.admin)
    context = client.get(WORK).context
    assert context["province"] is None
    assert len(context["plans_waiting"].rows) == 2
    assert len(context["reports_waiting"].rows) == 2


@pytest.mark.parametrize("username", ["citizen", "executive", "editor"])
def test_roles_without_a_work_page_get_404(client, tree, username):
    client.force_login(getattr(tree, username))
    assert client.get(WORK).status_code == 404


def test_the_work_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(WORK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The header's counts ----------------------------------------------------------------------


def test_the_badges_count_what_waits_for_an_officer_in_one_query(
    client, tree, officer_scene, django_assert_num_queries
):
    client.force_login(tree.officer)
    with django_assert_num_queries(3):  # session, user, the counts
        response = client.get(BADGES, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    today = officer_scene["today"]
    latest, second, _third, _fourth = officer_scene["quarters"]
    overdue = reports.overdue_quarters(today)
    # The submitted report is not late; the returned one is counted once, as returned.
    late = len(overdue) - (latest in overdue) - (second in overdue)
    assert response.context["waiting"] == 1 + 1 + late  # returned plan, returned report
    assert response.context["notifications"] == 2
    html = response.content.decode()
    assert f'href="{WORK}"' in html
    assert f">{1 + 1 + late}<" in html


def test_the_badges_of_provincial_staff_count_their_province_only(
    client, tree, province_scene, django_assert_num_queries
):
    client.force_login(tree.staff)
    with django_assert_num_queries(3):
        response = client.get(BADGES)
    assert response.context["waiting"] == 2  # one plan and one report of province 30
    assert response.context["notifications"] == 1
    client.force_login(tree.far_staff)
    assert client.get(BADGES).context["waiting"] == 2  # province 31's plan and report
    client.force_login(tree.neighbour_officer)
    assert client.get(BADGES).context["notifications"] == 0


def test_citizens_get_their_notifications_but_no_work_link(client, tree):
    Notification.objects.create(user=tree.citizen, message="โครงการเปลี่ยนขั้น")
    client.force_login(tree.citizen)
    response = client.get(BADGES)
    assert response.context["waiting"] is None
    html = response.content.decode()
    assert f'href="{WORK}"' not in html
    assert f'class="header-notifications" href="{reverse("notifications")}"' in html


def test_the_badges_count_unread_webboard_notifications_too(
    client, tree, django_assert_num_queries
):
    from forums import services as forum_services

    board = forum_services.lao_board(lao=tree.lao)
    thread = forum_services.thread_create(board=board, user=tree.citizen, title="ถาม", body="ถาม")
    forum_services.post_reply(thread=thread, user=tree.officer, body="ตอบ", official=True)
    Notification.objects.create(user=tree.citizen, message="โครงการเปลี่ยนขั้น")
    client.force_login(tree.citizen)
    with django_assert_num_queries(3):  # session, user, the counts
        assert client.get(BADGES).context["notifications"] == 2


def test_anonymous_visitors_get_no_badges(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(BADGES)
    assert response.status_code == 204
    assert response.content == b""


def test_the_header_loads_the_badges_after_the_page(client, tree):
    client.force_login(tree.officer)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'hx-get="{BADGES}"' in html and 'hx-trigger="load"' in html
    assert f'class="header-work" href="{WORK}"' in html  # the link without JavaScript
    assert html.count("htmx-2.min.js") == 1
    client.force_login(tree.citizen)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'hx-get="{BADGES}"' in html and f'href="{WORK}"' not in html
    client.logout()
    html = client.get(reverse("portal:home")).content.decode()
    assert BADGES not in html and "htmx" not in html.replace("htmx-config", "")


# --- Links each role is offered ---------------------------------------------------------------

HREF = re.compile(r'<a [^>]*href="(/[^"#]*)')
# Pages where each role looks for its work, and from which it follows links.
START_PAGES = [
    "portal:home",
    "portal:e-government",
    "budgets:index",
    "budgets:plans",
    "projects:index",
    "projects:report-list",
    "projects:manage",
    "portal:work",
]
NOT_FOLLOWED = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/")


def offered_links(client) -> set[str]:
    links = set()
    for url_name in START_PAGES:
        response = client.get(reverse(url_name))
        if response.status_code == 200:
            links |= set(HREF.findall(response.content.decode()))
    return {link.replace("&amp;", "&") for link in links if not link.startswith(NOT_FOLLOWED)}


@pytest.mark.parametrize(
    "username", ["officer", "staff", "executive", "editor", "citizen", "admin"]
)
def test_every_link_a_role_is_offered_opens(client, tree, province_scene, username):
    client.force_login(getattr(tree, username))
    refused = {
        link: status
        for link in sorted(offered_links(client))
        if (status := client.get(link).status_code) in (403, 404)
    }
    assert refused == {}


def test_the_missing_list_is_offered_only_to_those_who_may_read_it(client, tree):
    missing = reverse("projects:report-missing")
    client.force_login(tree.officer)
    for url_name in ("projects:index", "projects:report-list"):
        assert missing not in client.get(reverse(url_name)).content.decode()
    client.force_login(tree.editor)
    assert missing not in client.get(reverse("projects:report-list")).content.decode()
    client.force_login(tree.staff)
    for url_name in ("projects:index", "projects:report-list"):
        assert missing in client.get(reverse(url_name)).content.decode()
    client.force_login(tree.executive)
    assert missing in client.get(reverse("projects:index")).content.decode()


def test_the_budgets_page_offers_review_and_upload_to_reviewers_only(client, tree):
    review, upload = reverse("budgets:review"), reverse("units:upload-list")
    client.force_login(tree.executive)
    html = client.get(reverse("budgets:index")).content.decode()
    assert reverse("budgets:explorer") in html
    assert review not in html and upload not in html
    client.force_login(tree.admin)
    html = client.get(reverse("budgets:index")).content.decode()
    assert review in html and upload in html
