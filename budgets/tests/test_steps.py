"""Steps of a budget plan that cannot be undone: the confirmation pages, withdrawing a submitted
plan, and the revenue flag that needs a reason to submit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets import rules, services
from budgets.models import PlanAction, PlanStatus
from budgets.services import LineData, StalePlanError

pytestmark = pytest.mark.django_db
YEAR = 2570


def plan_of(world, *, spent="1000", revenue="1000", status=PlanStatus.DRAFT, reason=""):
    plan = services.budget_plan_create(lao=world.lao, fiscal_year=YEAR, user=world.officer)
    plan = services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุการศึกษา", Decimal(spent))],
        revenues={world.grant.pk: Decimal(revenue)},
    )
    if status in (PlanStatus.SUBMITTED, PlanStatus.ENACTED, PlanStatus.RETURNED):
        plan = services.budget_plan_submit(
            plan=plan, user=world.officer, version=plan.version, imbalance_reason=reason
        )
    if status == PlanStatus.ENACTED:
        plan = services.budget_plan_enact(plan=plan, user=world.staff, version=plan.version)
    if status == PlanStatus.RETURNED:
        plan = services.budget_plan_return(
            plan=plan, user=world.staff, version=plan.version, comment="แก้ไข"
        )
    return plan


def confirmed(**data):
    return {**data, "confirm": "yes"}


# --- The revenue flag -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "revenue", "has_lines", "code"),
    [
        ("1000", "900", True, "deficit"),
        ("1000", "0", True, "no_revenue"),
        ("0", "0", True, "no_revenue"),
        ("1000", "1000", True, None),
        ("900", "1000", True, None),
        ("0", "0", False, None),
    ],
)
def test_the_revenue_flag(spent, revenue, has_lines, code):
    flag = rules.revenue_flag(
        total_expenditure=Decimal(spent), total_revenue=Decimal(revenue), has_lines=has_lines
    )
    assert (flag.code if flag else None) == code


def test_a_flagged_plan_needs_a_reason_to_submit(world):
    plan = plan_of(world, spent="1000", revenue="600")
    with pytest.raises(ValidationError) as error:
        services.budget_plan_submit(
            plan=plan, user=world.officer, version=plan.version, imbalance_reason="  "
        )
    assert error.value.error_dict["imbalance_reason"][0].code == "reason_required"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plan = services.budget_plan_submit(
        plan=plan, user=world.officer, version=plan.version, imbalance_reason=" ใช้เงินสะสม "
    )
    assert plan.status == PlanStatus.SUBMITTED and plan.imbalance_reason == "ใช้เงินสะสม"
    event = plan.events.get(action=PlanAction.SUBMITTED)
    assert event.comment == "ใช้เงินสะสม"


def test_a_balanced_plan_keeps_no_reason(world):
    plan = plan_of(world, spent="1000", revenue="1200")
    plan = services.budget_plan_submit(
        plan=plan, user=world.officer, version=plan.version, imbalance_reason="ไม่จำเป็น"
    )
    assert plan.status == PlanStatus.SUBMITTED and plan.imbalance_reason == ""


def test_the_editor_and_the_plan_page_flag_a_deficit(client, world):
    plan = plan_of(world, spent="1000", revenue="600")
    client.force_login(world.officer)
    response = client.get(reverse("budgets:plan-edit", args=[plan.pk]))
    assert response.context["revenue_flag"].code == "deficit"
    assert '<p id="revenue-flag" class="warning revenue-flag" >' in response.content.decode()
    response = client.get(reverse("budgets:plan", args=[plan.pk]))
    assert "400.00" in response.context["revenue_flag"].message
    balanced = services.budget_plan_save(
        plan=plan,
        user=world.officer,
        version=plan.version,
        lines=[LineData(world.education.pk, world.materials.pk, "วัสดุ", Decimal("600"))],
        revenues={world.grant.pk: Decimal("600")},
    )
    response = client.get(reverse("budgets:plan-edit", args=[balanced.pk]))
    assert response.context["revenue_flag"] is None
    assert '<p id="revenue-flag" class="warning revenue-flag" hidden>' in response.content.decode()


def test_submitting_a_flagged_plan_asks_for_the_reason_and_shows_it_to_the_reviewer(
    english_client, world, django_assert_num_queries
):
    client = english_client
    plan = plan_of(world, spent="1000", revenue="0")
    client.force_login(world.officer)
    url = reverse("budgets:plan-submit", args=[plan.pk])
    page = client.post(url, {"version": plan.version})
    assert page.status_code == 200
    html = page.content.decode()
    assert "no estimated revenue" in html and 'name="imbalance_reason"' in html
    refused = client.post(url, confirmed(version=plan.version, imbalance_reason=""))
    assert refused.status_code == 400
    assert refused.context["form"].has_error("imbalance_reason")
    assert "say why before submitting" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    client.post(url, confirmed(version=plan.version, imbalance_reason="รอเงินอุดหนุนเพิ่มเติม"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.imbalance_reason == "รอเงินอุดหนุนเพิ่มเติม"

    client.force_login(world.staff)
    with django_assert_num_queries(5):  # no query more for the flags
        queue = client.get(reverse("budgets:review"))
    [row] = queue.context["page_obj"]
    assert row.revenue_flag.code == "no_revenue"
    assert "รอเงินอุดหนุนเพิ่มเติม" in queue.content.decode()
    detail = client.get(reverse("budgets:plan", args=[plan.pk])).content.decode()
    assert "รอเงินอุดหนุนเพิ่มเติม" in detail
    enact = client.get(reverse("budgets:plan-enact", args=[plan.pk])).content.decode()
    assert "no estimated revenue" in enact and "รอเงินอุดหนุนเพิ่มเติม" in enact


def test_a_plan_without_a_flag_is_submitted_without_a_reason_field(client, world):
    plan = plan_of(world)
    client.force_login(world.officer)
    url = reverse("budgets:plan-submit", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and "imbalance_reason" not in page.content.decode()
    client.post(url, confirmed(version=plan.version))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- Confirmation pages -----------------------------------------------------------------------


def test_enacting_asks_first_and_says_what_will_happen(english_client, world):
    client = english_client
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.staff)
    url = reverse("budgets:plan-enact", args=[plan.pk])
    for page in (client.get(url), client.post(url, {"version": plan.version})):
        assert page.status_code == 200
        html = page.content.decode()
        assert "national totals; it cannot be undone" in html
        assert 'name="confirm" value="yes"' in html
        assert f'name="version" value="{plan.version}"' in html
        assert reverse("budgets:plan", args=[plan.pk]) in html  # Cancel
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.post(url, confirmed(version=plan.version))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENACTED


def test_a_return_keeps_the_comment_typed_on_the_plan_page(client, world):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.staff)
    url = reverse("budgets:plan-return", args=[plan.pk])
    page = client.post(url, {"version": plan.version, "comment": "ยอดรวมไม่ตรง"})
    assert page.status_code == 200
    assert page.context["form"]["comment"].value() == "ยอดรวมไม่ตรง"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    empty = client.post(url, confirmed(version=plan.version, comment=" "))
    assert empty.status_code == 400
    client.post(url, confirmed(version=plan.version, comment="ยอดรวมไม่ตรง"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "ยอดรวมไม่ตรง"


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "executive", "officer"])
def test_nobody_is_asked_to_confirm_a_step_they_cannot_take(client, world, who):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(getattr(world, who))
    for name in ("plan-enact", "plan-return"):
        assert client.get(reverse(f"budgets:{name}", args=[plan.pk])).status_code == 404
    if who != "officer":
        assert client.get(reverse("budgets:plan-submit", args=[plan.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    for name in ("plan-enact", "plan-withdraw"):
        response = client.post(reverse(f"budgets:{name}", args=[plan.pk]), confirmed(version=1))
        assert response.status_code == 302 and reverse("login") in response["Location"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- Withdrawing a submitted plan --------------------------------------------------------------


def test_the_officer_withdraws_a_submitted_plan(world):
    plan = plan_of(world, spent="1000", revenue="600", status=PlanStatus.SUBMITTED, reason="สะสม")
    plan = services.budget_plan_withdraw(plan=plan, user=world.officer, version=plan.version)
    assert plan.status == PlanStatus.DRAFT
    assert plan.submitted_at is None and plan.submitted_by is None
    assert plan.imbalance_reason == "สะสม"  # offered again on the next submit
    assert plan.events.first().action == PlanAction.WITHDRAWN
    with pytest.raises(StalePlanError):
        services.budget_plan_withdraw(plan=plan, user=world.officer, version=plan.version - 1)


@pytest.mark.parametrize("status", [PlanStatus.ENACTED, PlanStatus.RETURNED, PlanStatus.DRAFT])
def test_a_plan_that_is_not_waiting_for_review_cannot_be_withdrawn(world, status):
    plan = plan_of(world, status=status)
    with pytest.raises(ValidationError) as error:
        services.budget_plan_withdraw(plan=plan, user=world.officer, version=plan.version)
    assert error.value.code == "reviewed"
    plan.refresh_from_db()
    assert plan.status == status


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "citizen", "executive"])
def test_only_the_laos_writers_withdraw(world, who):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.budget_plan_withdraw(plan=plan, user=getattr(world, who), version=plan.version)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_withdraw_from_the_plan_page(client, world):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.officer)
    page = client.get(reverse("budgets:plan", args=[plan.pk]))
    url = reverse("budgets:plan-withdraw", args=[plan.pk])
    assert page.context["can_withdraw"] and url in page.content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, {"version": plan.version})
    assert response["Location"] == reverse("budgets:plan", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_reviewers_are_offered_return_not_withdraw(client, world):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(world.staff)
    page = client.get(reverse("budgets:plan", args=[plan.pk]))
    assert page.context["can_review"] and not page.context["can_withdraw"]


@pytest.mark.parametrize("who", ["neighbour_officer", "far_staff", "executive"])
def test_another_laos_officer_cannot_withdraw(client, world, who):
    plan = plan_of(world, status=PlanStatus.SUBMITTED)
    client.force_login(getattr(world, who))
    response = client.post(reverse("budgets:plan-withdraw", args=[plan.pk]), {"version": 3})
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_withdraw_after_review_is_refused_on_the_page(english_client, world):
    client = english_client
    plan = plan_of(world, status=PlanStatus.ENACTED)
    client.force_login(world.officer)
    assert not client.get(reverse("budgets:plan", args=[plan.pk])).context["can_withdraw"]
    response = client.post(
        reverse("budgets:plan-withdraw", args=[plan.pk]), {"version": plan.version}, follow=True
    )
    assert "has not been reviewed yet can be withdrawn" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENACTED
