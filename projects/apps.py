from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Development projects")

    def ready(self):
        # The national demo seed: development plans, projects, the rollup (after budgets).
        from projects.demo import seed_projects
        from units.demo import register_seeder

        register_seeder("projects", seed_projects, order=40)
        # The "projects" section of the LAO profile (replaces its placeholder).
        from projects.profile import (
            dashboard_action_context,
            follow_action_context,
            projects_section_context,
            projects_section_stamps,
        )
        from units.profile import register_profile_action, register_profile_section

        register_profile_section(
            "projects",
            title=_("Development projects"),
            template="projects/_profile_section.html",
            context=projects_section_context,
            order=20,
            stamps=projects_section_stamps,
        )
        # Follow the LAO from its profile; staff open its lagging projects on the dashboard.
        # Visitors (the cached profile) get the same "log in to follow" link: no form.
        register_profile_action(
            "follow",
            template="projects/_profile_follow.html",
            context=follow_action_context,
            order=10,
        )
        register_profile_action(
            "project-dashboard",
            template="projects/_profile_dashboard_link.html",
            context=dashboard_action_context,
            order=30,
        )
        # The provincial upload of project progress (units/uploads machinery).
        from projects.uploads import projects_progress_upload_type
        from units.uploads.registry import register_upload_type

        register_upload_type(projects_progress_upload_type)
