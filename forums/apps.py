from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Learning community")

    def ready(self):
        from forums import pagestamps
        from forums.demo import seed_forums
        from forums.models import Board, Post, Thread
        from forums.profile import discussion_section_context, discussion_section_stamps
        from units.demo import register_seeder
        from units.profile import register_profile_section
        from units.stamps import bump_on_change

        # The recent discussion of an LAO and "ask this LAO" on its profile.
        register_profile_section(
            "discussion",
            title=_("Discussion"),
            template="forums/_profile_section.html",
            context=discussion_section_context,
            order=60,
            stamps=discussion_section_stamps,
        )
        # Boards and threads of the national demo seed (after projects: threads point at some).
        register_seeder("forums", seed_forums, order=60)
        # The services bump their stamps themselves; these cover the admin and the shell.
        bump_on_change(Board, pagestamps.board_change_stamps)
        bump_on_change(Thread, pagestamps.thread_change_stamps)
        bump_on_change(Post, pagestamps.post_change_stamps)
