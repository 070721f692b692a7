from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from knowledge.demo import seed_knowledge
        from knowledge.profile import knowledge_section_context
        from units.demo import register_seeder
        from units.profile import register_profile_section

        register_seeder("knowledge", seed_knowledge, order=60)
        from knowledge.demo_wiki import seed_wiki

        register_seeder("wiki", seed_wiki, order=61)
        register_profile_section(
            "knowledge",
            title=_("Documents and good practices"),
            template="knowledge/_profile_section.html",
            context=knowledge_section_context,
            order=60,
        )
