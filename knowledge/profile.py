"""What the knowledge base adds to the LAO profile (registered with units.profile in
KnowledgeConfig): documents about the LAO, its good practices among them, and the good practices
of similar LAOs (units.similar: benchmarks' nearest neighbours once registered, else the same kind
and size)."""

from knowledge.selectors import lao_knowledge


def knowledge_section_context(lao, request) -> dict:
    """Two queries (`selectors.lao_knowledge`)."""
    return lao_knowledge(lao=lao)
