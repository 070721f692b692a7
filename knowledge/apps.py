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
            stamps=lambda code: documents_stamps(None),
        )
        # Edits through the admin or a single save move the stamps of the public pages; the
        # services move them too, as their last step, and their bulk writes (chunks, links)
        # send no signal. A wiki revision is only written with its page, whose save counts.
        from knowledge.models import Document, DocumentFile
        from knowledge.models_wiki import WikiPage
        from units import stamps

        for model in (Document, DocumentFile):
            stamps.bump_on_change(model, documents_stamps)
        stamps.bump_on_change(WikiPage, wiki_stamps)


def documents_stamps(instance) -> list[str]:
    from knowledge.services import STAMP

    return [STAMP]


def wiki_stamps(instance) -> list[str]:
    from knowledge.wiki import STAMP

    return [STAMP]
