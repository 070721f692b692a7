from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Statistics and rankings")

    def ready(self):
        from benchmarks.demo import seed_indicators
        from benchmarks.models import CompositeVersion, Indicator, IndicatorValue
        from benchmarks.neighbours import nearest_neighbours
        from benchmarks.profile import completeness_section_context
        from benchmarks.profile_ranking import ranking_section_context
        from benchmarks.tasks import recompute_after_change
        from benchmarks.uploads import imported_values_upload_type
        from units import stamps
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
            stamps=lambda code: ["benchmarks", stamps.lao_stamp("benchmarks", code)],
        )
        register_profile_section(
            "completeness",
            title=_("Data completeness"),
            template="benchmarks/_profile_completeness.html",
            context=completeness_section_context,
            order=40,
            stamps=lambda code: ["benchmarks", stamps.lao_stamp("benchmarks", code)],
        )
        # DLA and provincial staff upload LPA, ITA and other imported values.
        register_upload_type(imported_values_upload_type)
        # "Similar LAOs" (good practices on profiles) are the nearest neighbours.
        register_similar_laos_provider(nearest_neighbours)
        # Edits through the admin or a single save (an indicator renamed or hidden, a value
        # corrected, a composite version added) change every public page of the area; the
        # recompute's bulk writes move the stamp themselves.
        for model in (Indicator, IndicatorValue, CompositeVersion):
            stamps.bump_on_change(model, area_stamps)


def area_stamps(instance) -> list[str]:
    from benchmarks.models import STAMP

    return [STAMP]
