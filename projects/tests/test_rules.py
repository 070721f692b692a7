"""projects.rules: the rules of a project's stage and money, shared by the project's page
(projects.services) and the progress upload, and their agreement with the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from projects import rules
from projects.models import Project, Stage
from projects.tests.workflow import make_project


def test_transitions_follow_the_workflow():
    assert rules.allowed_next_stages(Stage.PLANNED) == [
        Stage.FUNDED,
        Stage.CANCELLED,
        Stage.CARRIED_OVER,
    ]
    assert rules.allowed_next_stages(Stage.COMPLETED) == []
    assert rules.transition_violation(Stage.PROCUREMENT, Stage.CONTRACTED) is None
    with translation.override("en"):
        violation = rules.transition_violation(Stage.PLANNED, Stage.COMPLETED)
    assert violation.code == "transition" and violation.field is None
    assert violation.message == "A project cannot move from “Planned” to “Completed”."


def test_a_passed_stage_is_not_a_move_back_only_on_the_way_forward():
    assert rules.stage_already_passed(Stage.IN_PROGRESS, Stage.PROCUREMENT)
    assert not rules.stage_already_passed(Stage.IN_PROGRESS, Stage.IN_PROGRESS)
    assert not rules.stage_already_passed(Stage.FUNDED, Stage.CONTRACTED)
    # Cancelled and carried over are off the way: nothing is "passed" there.
    assert not rules.stage_already_passed(Stage.CANCELLED, Stage.PLANNED)
    assert not rules.stage_already_passed(Stage.IN_PROGRESS, Stage.CANCELLED)


def test_completed_means_100_percent():
    assert rules.progress_after(Stage.COMPLETED, 40) == 100
    assert rules.progress_after(Stage.IN_PROGRESS, 40) == 40


def test_contract_and_budget_keep_disbursed_within_contract_within_budget():
    good = {
        "contract_amount": Decimal("900"),
        "contractor": "หจก. ดี",
        "contract_date": datetime.date(2026, 1, 1),
        "budget_amount": Decimal("1000"),
        "disbursed_total": Decimal("0"),
    }
    assert rules.contract_violations(**good) == []
    over = rules.contract_violations(**{**good, "contract_amount": Decimal("1000.01")})
    assert [(v.code, v.field) for v in over] == [("over_budget", "contract_amount")]
    missing = rules.contract_violations(
        **{**good, "contract_amount": Decimal(0), "contractor": " ", "contract_date": None}
    )
    assert {v.field for v in missing} == {"contract_amount", "contractor", "contract_date"}
    below = rules.contract_violations(**{**good, "disbursed_total": Decimal("901")})
    assert [v.code for v in below] == ["below_disbursed"]

    budget = {"contract_amount": Decimal("900"), "disbursed_total": Decimal("100")}
    assert rules.budget_violation(budget_amount=Decimal("900"), **budget) is None
    assert rules.budget_violation(budget_amount=Decimal("899"), **budget).code == "below_contract"
    no_contract = {**budget, "contract_amount": None}
    assert rules.budget_violation(budget_amount=Decimal("99"), **no_contract).code == (
        "below_disbursed"
    )


def test_disbursements_in_order_stage_amount_limit():
    project = {"contract_amount": None, "budget_amount": Decimal("100")}
    assert rules.disbursement_violation(
        stage=Stage.PLANNED, amount=Decimal(0), disbursed_total=Decimal(0), **project
    ).code == "stage"  # fmt: skip
    assert rules.disbursement_violation(
        stage=Stage.IN_PROGRESS, amount=Decimal(0), disbursed_total=Decimal(0), **project
    ).code == "amount"  # fmt: skip
    assert rules.disbursement_violation(
        stage=Stage.IN_PROGRESS, amount=Decimal(100), disbursed_total=Decimal(0), **project
    ) is None  # fmt: skip
    with translation.override("en"):
        violation = rules.disbursement_violation(
            stage=Stage.IN_PROGRESS,
            amount=Decimal("0.01"),
            disbursed_total=Decimal(100),
            **project,
        )
    assert (violation.code, violation.field) == ("limit", "amount")
    assert "more than the budget: at most 0.00 baht is left" in violation.message


def test_the_limit_is_the_contract_even_at_zero_baht_as_the_database_says():
    """One copy of the limit (Project.disbursement_rate, and the page's money bar) read
    `contract_amount or budget_amount`: a contract of 0 baht fell back to the budget, where the
    constraint (Coalesce) allows nothing."""
    assert rules.disbursement_limit(contract_amount=Decimal(0), budget_amount=Decimal(500)) == 0
    assert rules.disbursement_limit(contract_amount=None, budget_amount=Decimal(500)) == 500
    assert Project(contract_amount=Decimal(0), budget_amount=Decimal(500)).disbursement_limit == 0
    assert rules.limit_violation(
        amount=Decimal("0.01"), disbursed_total=Decimal(0), contract_amount=Decimal(0),
        budget_amount=Decimal(500),
    ).code == "limit"  # fmt: skip


@pytest.mark.django_db
def test_the_database_constraint_agrees_with_the_rule(world):
    project = make_project(world, budget="500")
    Project.objects.filter(pk=project.pk).update(contract_amount=Decimal(0))
    project.refresh_from_db()
    assert project.disbursement_limit == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(disbursed_total=Decimal("0.01"))
    Project.objects.filter(pk=project.pk).update(contract_amount=None)
    Project.objects.filter(pk=project.pk).update(disbursed_total=Decimal(500))  # the budget
