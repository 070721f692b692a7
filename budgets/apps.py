from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from budgets.demo import seed_budgets
        from units.demo import register_seeder

        register_seeder("budgets", seed_budgets, order=30)
