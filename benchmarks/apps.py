from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Statistics and rankings")

    def ready(self):
        from benchmarks.demo import seed_indicators
        from benchmarks.tasks import recompute_after_change
        from units.changes import register_data_change_listener
        from units.demo import register_seeder

        # After budgets (30) and projects (40): the indicators are computed from their data.
        register_seeder("benchmarks", seed_indicators, order=50)
        # An enacted plan or an accepted report changes the LAO's indicators of that year.
        register_data_change_listener("benchmarks.recompute", recompute_after_change)
