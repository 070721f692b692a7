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
        from projects.profile import projects_section_context
        from units.profile import register_profile_section

        register_profile_section(
            "projects",
            title=_("Development projects"),
            template="projects/_profile_section.html",
            context=projects_section_context,
            order=20,
        )
        # The provincial upload of project progress (units/uploads machinery).
        from projects.uploads import projects_progress_upload_type
        from units.uploads.registry import register_upload_type

        register_upload_type(projects_progress_upload_type)
