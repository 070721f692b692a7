"""The demo documents: chunked as the service chunks, searchable, labelled, idempotent."""

import pytest

from knowledge.demo import RARE_TERMS, documents_seed
from knowledge.models import Document
from knowledge.search import chunk_text, search_page
from knowledge.selectors import published_documents

pytestmark = pytest.mark.django_db


def test_seed_chunks_like_the_service_and_runs_once(tree):
    done = documents_seed(count=40, length=(1_000, 4_000))
    assert done["documents"] == 40 and done["characters"] > 40_000
    document = Document.objects.order_by("pk").first()
    stored = list(document.chunks.order_by("position").values_list("text", flat=True))
    assert stored == chunk_text(f"{document.abstract}\n\n{document.body}")
    assert not Document.objects.filter(is_demo=False).exists()
    assert not Document.objects.filter(kind="good_practice", lao=None).exists()
    # the rare term of the first document is found, ranked, highlighted
    page = search_page(published_documents(), RARE_TERMS[0], number=1, size=20)
    assert page.total == 1 and f"<mark>{RARE_TERMS[0]}</mark>" in page.results[0].snippet
    assert documents_seed(count=40, length=(1_000, 4_000))["documents"] == 0


def test_a_large_seed_builds_the_chunk_index_once_after_the_load(tree):
    """The national seed drops the trigram index and builds it after the COPYs, inside the
    seed's transaction, where deferred foreign-key checks are still pending."""
    from django.db import connection

    done = documents_seed(count=30, length=(1_000, 2_000), rebuild_index_from=1)
    assert done["documents"] == 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'chunk_text_trgm'")
        assert cursor.fetchone() == (1,)
    page = search_page(published_documents(), RARE_TERMS[0], number=1, size=20)
    assert page.total == 1
