"""Steps that cannot be undone, in a browser: the officer is warned before completing a project
whose contract is not fully paid, can step back, and confirms; a plan without revenue asks for
a reason on its confirmation page, and the officer withdraws the submitted plan."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from budgets import services as budget_services
from budgets.importers import classification_import
from budgets.models import BudgetPlan, ExpenseType, PlanStatus, Programme
from budgets.services import LineData
from projects import services
from projects.models import Project, Stage
from projects.services import ProjectData
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, live_server, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_completing_warns_and_a_plan_without_revenue_asks_why(live_server, page: Page, artefacts):
    classification_import()
    province = ProvinceFactory(code="42")
    lao = LAOFactory(subdistrict__district=DistrictFactory(province=province), dla_code="6420001")
    officer = UserFactory(username="officer42", role=Role.OFFICER, lao=lao)
    education = Programme.objects.get(key="EDUCATION")
    project = services.project_create(
        lao=lao,
        user=officer,
        data=ProjectData(
            name="ขุดลอกคลอง",
            fiscal_year=2569,
            budget_amount=Decimal("1000000"),
            programme=education,
        ),
    )
    for stage in (Stage.FUNDED, Stage.PROCUREMENT, Stage.CONTRACTED, Stage.IN_PROGRESS):
        project = services.project_change_stage(
            project=project,
            user=officer,
            to_stage=stage,
            version=project.version,
            contract_amount=Decimal("1000000"),
            contractor="หจก. คลองใส",
            contract_date=datetime.date(2026, 1, 5),
        )
    services.disbursement_add(
        project=project, user=officer, date=datetime.date(2026, 2, 1), amount=Decimal("680000")
    )

    # Completing at 68 % disbursed: the confirmation page warns; "Cancel" changes nothing.
    manage_url = f"/projects/manage/{project.pk}/"
    log_in(page, live_server, "officer42", manage_url)
    page.locator(".stage-form[data-stage=completed] button[type=submit]").click()
    expect(page.locator(".step-warnings")).to_contain_text("68 %")
    page.screenshot(path=artefacts / "steps-complete-warning.png", full_page=True)
    page.locator(".step-confirm a.button-secondary").click()
    expect(page).to_have_url(f"{live_server.url}{manage_url}")
    assert Project.objects.get(pk=project.pk).stage == Stage.IN_PROGRESS
    page.locator(".stage-form[data-stage=completed] button[type=submit]").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".lead .project-stage")).to_have_attribute("data-stage", "completed")

    # A plan with lines but no revenue: submitting asks for the reason, then it can be withdrawn.
    plan = budget_services.budget_plan_create(lao=lao, fiscal_year=2570, user=officer)
    budget_services.budget_plan_save(
        plan=plan,
        user=officer,
        version=plan.version,
        lines=[
            LineData(
                education.pk, ExpenseType.objects.get(key="MATERIALS").pk, "วัสดุ", Decimal("500")
            )
        ],
        revenues={},
    )
    page.goto(f"{live_server.url}/budgets/plans/{plan.pk}/")
    expect(page.locator(".revenue-flag")).to_be_visible()
    page.locator(f"form[action='/budgets/plans/{plan.pk}/submit/'] button").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".errorlist")).to_be_visible()  # no reason given
    page.locator("textarea[name=imbalance_reason]").fill("ใช้เงินสะสมปีก่อน")
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".badge-submitted")).to_be_visible()
    expect(page.locator(".imbalance-reason")).to_have_text("ใช้เงินสะสมปีก่อน")
    page.locator("button.plan-withdraw").click()
    expect(page.locator(".badge-draft")).to_be_visible()
    assert BudgetPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
