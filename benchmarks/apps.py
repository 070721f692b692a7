from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Statistics and rankings")

    def ready(self):
        from benchmarks.demo import seed_indicators
        from benchmarks.neighbours import nearest_neighbours
        from benchmarks.profile import completeness_section_context
        from benchmarks.profile_ranking import ranking_section_context
        from benchmarks.tasks import recompute_after_change
        from benchmarks.uploads import imported_values_upload_type
        from units.changes import register_data_change_listener
        from units.demo import register_seeder
        from units.profile import register_profile_section
        from units.similar import register_similar_laos_provider
        from units.uploads.registry import register_upload_type

        # After budgets (30) and projects (40): the indicators are computed from their data.
        register_seeder("benchmarks", seed_indicators, order=50)
        # An enacted plan, an accepted report or an upload changes the LAO's figures of that
        # year: the whole pipeline (values, peers, neighbours, ranks, composite, completeness).
        register_data_change_listener("benchmarks.recompute", recompute_after_change)
        # The profile's sections units reserves for benchmarks.
        register_profile_section(
            "ranking",
            title=_("Ranking"),
            template="benchmarks/_profile_ranking.html",
            context=ranking_section_context,
            order=30,
        )
        register_profile_section(
            "completeness",
            title=_("Data completeness"),
            template="benchmarks/_profile_completeness.html",
            context=completeness_section_context,
            order=40,
        )
        # DLA and provincial staff upload LPA, ITA and other imported values.
        register_upload_type(imported_values_upload_type)
        # "Similar LAOs" (good practices on profiles) are the nearest neighbours.
        register_similar_laos_provider(nearest_neighbours)
