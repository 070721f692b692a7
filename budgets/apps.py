from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from budgets.demo import plan_totals, seed_budgets
        from budgets.models import BudgetPlan, ExpenseCategory, Programme, Sector
        from budgets.profile import (
            budget_section_context,
            budget_section_stamps,
            classification_stamps,
            enacted_plan_stamps,
            explorer_action_context,
        )
        from units import stamps
        from units.demo import register_budget_totals, register_seeder
        from units.profile import register_profile_action, register_profile_section

        register_seeder("budgets", seed_budgets, order=30)
        register_budget_totals(plan_totals)
        register_profile_section(
            "budget",
            title=_("Budget"),
            template="budgets/_profile_section.html",
            context=budget_section_context,
            order=10,
            stamps=budget_section_stamps,
        )
        # The admin may change an enacted plan's demo mark or delete it: its LAO's public pages
        # change. The workflow's own steps bump in their services.
        stamps.bump_on_change(BudgetPlan, enacted_plan_stamps)
        # Sectors too: the budget explorer groups programmes under their names.
        for model in (Sector, Programme, ExpenseCategory):
            stamps.bump_on_change(model, classification_stamps)
        # Staff open the LAO in the budget explorer from its profile.
        register_profile_action(
            "budget-explorer",
            template="budgets/_profile_explorer_link.html",
            context=explorer_action_context,
            order=20,
        )
        # The provincial upload of budget lines (units/uploads machinery).
        from budgets.uploads import budget_lines_upload_type
        from units.uploads.registry import register_upload_type

        register_upload_type(budget_lines_upload_type)
