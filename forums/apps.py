from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Learning community")

    def ready(self):
        from forums.demo import seed_forums
        from forums.profile import discussion_section_context
        from units.demo import register_seeder
        from units.profile import register_profile_section

        # The recent discussion of an LAO and "ask this LAO" on its profile.
        register_profile_section(
            "discussion",
            title=_("Discussion"),
            template="forums/_profile_section.html",
            context=discussion_section_context,
            order=60,
        )
        # Boards and threads of the national demo seed (after projects: threads point at some).
        register_seeder("forums", seed_forums, order=60)
