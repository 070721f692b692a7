"""The budget section of the LAO profile (registered with units.profile in BudgetsConfig)."""

from django.urls import reverse

from budgets.models import PlanStatus
from budgets.selectors import lao_budget_summary
from units import access
from units.stamps import lao_stamp

# The classification's names (programmes, expense categories) shown on public pages of other
# areas too (an LAO's projects): moved by the import and by the admin's edits.
CLASSIFICATION_STAMP = "budgets:classification"


def budget_section_context(lao, request) -> dict:
    """Enacted budgets of the LAO and the data of its chart (programmes, latest vs previous)."""
    summary = lao_budget_summary(lao=lao)
    if summary["plans"]:
        datasets = [
            {
                "label": str(summary["latest"].fiscal_year),
                "data": [float(row["amount"]) for row in summary["programmes"]],
            }
        ]
        if summary["previous"]:
            datasets.append(
                {
                    "label": str(summary["previous"].fiscal_year),
                    "data": [float(row["previous"] or 0) for row in summary["programmes"]],
                }
            )
        summary["chart"] = {
            "labels": [row["item"].name_th for row in summary["programmes"]],
            "datasets": datasets,
        }
    return summary


def budget_section_stamps(code: str) -> list[str]:
    """The section shows the LAO's enacted plans: their stamp, moved by each enactment."""
    return [lao_stamp("budgets", code)]


def classification_stamps(item) -> list[str]:
    return [CLASSIFICATION_STAMP]


def enacted_plan_stamps(plan) -> list[str]:
    """What a saved or deleted plan changes in public: its LAO's budget pages if it is enacted
    (one query for its LAO), nothing otherwise."""
    if plan.status != PlanStatus.ENACTED:
        return []
    return [lao_stamp("budgets", plan.lao.url_code)]


def explorer_action_context(lao, request) -> dict | None:
    """The link to the LAO's page of the budget explorer, for those who may open the explorer
    (back-office roles); None for others."""
    if not access.can_view_back_office(request.user):
        return None
    return {"url": reverse("budgets:explorer-lao", args=[lao.url_code])}
