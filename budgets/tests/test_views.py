from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from budgets import selectors, services
from budgets.models import BudgetPlan, PlanStatus, RevenueSource
from budgets.services import LineData
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
YEAR = 2570


def plan_with_lines(world, status=PlanStatus.DRAFT):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    plan = services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุการศึกษา", Decimal("1000"))],
        revenues={world.grant.pk: Decimal("1000")},
    )
    if status == PlanStatus.SUBMITTED:
        plan = services.budget_plan_submit(plan=plan, user=world.officer, version=plan.version)
    return plan


def edit_data(world, plan, amount="1,250,000.50", version=None, item="ค่าวัสดุสำนักงาน"):
    data = {
        "version": plan.version if version is None else version,
        "line-TOTAL_FORMS": "1",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": "2000",
        "line-0-programme": world.education.pk,
        "line-0-work": "",
        "line-0-expense_type": world.materials.pk,
        "line-0-item": item,
        "line-0-amount": amount,
    }
    for source in RevenueSource.objects.all():
        data[f"rev-source_{source.pk}"] = "1,250,000.50" if source == world.grant else ""
    return data


def test_officer_creates_edits_and_submits_a_plan(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("budgets:plan-new"), {"fiscal_year": YEAR})
    plan = BudgetPlan.objects.get(lao=world.lao, fiscal_year=YEAR)
    assert response["Location"] == reverse("budgets:plan-edit", args=[plan.pk])
    response = client.post(reverse("budgets:plan-edit", args=[plan.pk]), edit_data(world, plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.total_expenditure == Decimal("1250000.50")
    assert plan.total_revenue == Decimal("1250000.50")
    response = client.post(
        reverse("budgets:plan-submit", args=[plan.pk]),
        {"version": plan.version, "confirm": "yes"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert "1,250,000.50" in response.content.decode()


def test_the_edit_page_lists_lines_in_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    plan = plan_with_lines(world)
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("budgets:plan-edit", args=[plan.pk]))
    assert response.status_code == 200
    assert "วัสดุการศึกษา" in response.content.decode()


def test_bad_amount_keeps_what_was_typed(client, world):
    plan = plan_with_lines(world)
    client.force_login(world.officer)
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.pk]),
        edit_data(world, plan, amount="สองพัน", item="รายการที่พิมพ์ไว้"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "รายการที่พิมพ์ไว้" in html and "สองพัน" in html
    plan.refresh_from_db()
    assert plan.total_expenditure == Decimal("1000")


def test_a_second_editor_with_an_old_version_is_refused(client, world):
    plan = plan_with_lines(world)
    stale = plan.version
    client.force_login(world.officer)
    client.post(reverse("budgets:plan-edit", args=[plan.pk]), edit_data(world, plan))
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.pk]),
        edit_data(world, plan, amount="5", version=stale, item="ของผู้แก้ไขคนที่สอง"),
    )
    assert response.status_code == 409
    assert "ของผู้แก้ไขคนที่สอง" in response.content.decode()
    plan.refresh_from_db()
    assert plan.total_expenditure == Decimal("1250000.50")


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen"])
def test_others_cannot_open_or_edit_the_plan(client, world, who):
    plan = plan_with_lines(world)
    client.force_login(getattr(world, who))
    assert client.get(reverse("budgets:plan", args=[plan.pk])).status_code == 404
    response = client.post(reverse("budgets:plan-edit", args=[plan.pk]), edit_data(world, plan))
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.total_expenditure == Decimal("1000")


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    plan = plan_with_lines(world)
    response = client.get(reverse("budgets:plan-edit", args=[plan.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_executives_read_plans_but_cannot_edit(client, world):
    plan = plan_with_lines(world)
    client.force_login(world.executive)
    assert client.get(reverse("budgets:plan", args=[plan.pk])).status_code == 200
    response = client.post(reverse("budgets:plan-edit", args=[plan.pk]), edit_data(world, plan))
    assert response.status_code == 404


def test_a_deactivated_executive_reads_no_plan(world):
    # A deactivated account keeps no scope, even where its user object is still at hand (a
    # request under way, a task): the read-everything rule checks is_active.
    plan = plan_with_lines(world)
    executive = world.executive
    executive.is_active = False
    assert not selectors.plans_visible_to(user=executive).exists()
    with pytest.raises(Http404):
        selectors.plan_for_user(user=executive, pk=plan.pk)


def test_provincial_staff_review_queue_enact_and_return(
    client, world, django_assert_max_num_queries
):
    plan = plan_with_lines(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("budgets:review"))
    assert plan.lao.full_name_th in response.content.decode()
    response = client.post(
        reverse("budgets:plan-return", args=[plan.pk]),
        {"version": plan.version, "comment": "ยอดรวมไม่ตรง", "confirm": "yes"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "ยอดรวมไม่ตรง"
    plan = services.budget_plan_submit(plan=plan, user=world.officer, version=plan.version)
    client.post(
        reverse("budgets:plan-enact", args=[plan.pk]), {"version": plan.version, "confirm": "yes"}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENACTED


def test_staff_of_another_province_cannot_enact(client, world):
    plan = plan_with_lines(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.far_staff)
    response = client.post(reverse("budgets:plan-enact", args=[plan.pk]), {"version": plan.version})
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert client.get(reverse("budgets:review")).status_code == 200
    assert plan.lao.full_name_th not in client.get(reverse("budgets:review")).content.decode()


def test_plan_list_filters_and_counts_queries(client, world, django_assert_max_num_queries):
    plan_with_lines(world)
    client.force_login(world.officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("budgets:plans"), {"fiscal_year": YEAR})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1
    response = client.get(reverse("budgets:plans"), {"status": "enacted"})
    assert len(response.context["page_obj"].object_list) == 0


def test_new_plan_is_offered_only_where_it_leads_to_a_form(client, world):
    # An officer's plan is for their LAO; staff of many LAOs start from one LAO (?lao=code).
    new_plan = reverse("budgets:plan-new")
    client.force_login(world.officer)
    html = client.get(reverse("budgets:plans")).content.decode()
    assert f'href="{new_plan}"' in html
    assert client.get(new_plan).status_code == 200

    client.force_login(world.staff)
    html = client.get(reverse("budgets:plans")).content.decode()
    assert new_plan not in html
    html = client.get(reverse("budgets:plans"), {"lao": world.lao.dla_code}).content.decode()
    assert f"{new_plan}?lao={world.lao.dla_code}" in html
    assert client.get(new_plan, {"lao": world.lao.dla_code}).status_code == 200
    assert client.get(new_plan, {"lao": world.far.dla_code}).status_code == 404


def test_the_budgets_landing_page_guides_each_visitor(client, world, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get(reverse("budgets:index")).content.decode()
    assert reverse("budgets:classification") in html and reverse("units:index") in html
    assert reverse("budgets:review") not in html
    client.force_login(world.staff)
    html = client.get(reverse("budgets:index")).content.decode()
    assert reverse("budgets:review") in html and reverse("units:upload-list") in html


# --- four eyes: the submitter of a plan does not review it ---------------------------------------


def submitted_by_staff(world):
    """A plan that the provincial staff both prepared and submitted (staff edit their province)."""
    plan = plan_with_lines(world)
    return services.budget_plan_submit(plan=plan, user=world.staff, version=plan.version)


@pytest.mark.parametrize("action", ["enact", "return"])
def test_the_submitter_cannot_review_the_plan_in_the_service(world, action):
    plan = submitted_by_staff(world)
    with pytest.raises(ValidationError) as error:
        if action == "enact":
            services.budget_plan_enact(plan=plan, user=world.staff, version=plan.version)
        else:
            services.budget_plan_return(
                plan=plan, user=world.staff, version=plan.version, comment="แก้ไข"
            )
    assert error.value.code == "submitter"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # Another reviewer of the province may.
    colleague = UserFactory(role=Role.PROVINCIAL, province=plan.lao.province, username="colleague")
    plan = services.budget_plan_enact(plan=plan, user=colleague, version=plan.version)
    assert plan.status == PlanStatus.ENACTED and plan.reviewed_by == colleague


def test_the_submitter_sees_why_there_are_no_review_buttons(client, world):
    plan = submitted_by_staff(world)
    client.force_login(world.staff)
    response = client.get(reverse("budgets:plan", args=[plan.pk]))
    html = response.content.decode()
    assert response.context["can_review"] is False
    assert response.context["reviewer_submitted"] is True
    assert reverse("budgets:plan-enact", args=[plan.pk]) not in html
    assert "คุณเป็นผู้ส่งแผนนี้" in html
    response = client.post(
        reverse("budgets:plan-enact", args=[plan.pk]),
        {"version": plan.version, "confirm": "yes"},
        follow=True,
    )
    assert "คุณเป็นผู้ส่งแผนนี้" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_plan_submitted_by_the_officer_shows_the_review_buttons(client, world):
    plan = plan_with_lines(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.staff)
    response = client.get(reverse("budgets:plan", args=[plan.pk]))
    assert response.context["can_review"] is True
    assert response.context["reviewer_submitted"] is False


@pytest.mark.parametrize("suffix", ["html", "exe", "csv.exe", "xlsx%22"])
def test_lines_download_answers_404_for_other_suffixes(client, world, suffix):
    url = reverse("budgets:lao-lines", args=[world.lao.url_code, "csv"])
    assert client.get(url).status_code == 200
    assert client.get(url.removesuffix("csv") + suffix).status_code == 404
