from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from budgets.demo import plan_totals, seed_budgets
        from budgets.profile import budget_section_context, explorer_action_context
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
        )
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
