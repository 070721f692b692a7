"""The budget section of the LAO profile (registered with units.profile in BudgetsConfig)."""

from budgets.selectors import lao_budget_summary


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
