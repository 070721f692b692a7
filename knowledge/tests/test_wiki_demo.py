"""The demo wiki: deterministic, idempotent, marked as demo data, with the page bench/ reads."""

import io
from urllib.parse import unquote

import pytest
from django.db.models import Count

from bench.pages import PAGES
from knowledge.demo_wiki import PAGES as PAGE_COUNTS
from knowledge.demo_wiki import demo_titles, seed_wiki
from knowledge.models_wiki import WikiLink, WikiPage, WikiRevision

pytestmark = pytest.mark.django_db


def test_demo_wiki_is_written_once_with_history_and_links(client):
    seed_wiki(scale="small", stdout=io.StringIO())
    seed_wiki(scale="small", stdout=io.StringIO())
    pages = WikiPage.objects.all()
    assert pages.count() == PAGE_COUNTS["small"] and all(page.is_demo for page in pages)
    assert not pages.filter(current=None).exists()
    counts = set(pages.annotate(n=Count("revisions")).values_list("n", flat=True))
    assert counts == {1, 2, 3}
    for page in pages.select_related("current"):
        assert page.current.number == page.revision_number
        assert page.current.html == page.html
    # Revisions are in order in time, each made from the one before.
    for revision in WikiRevision.objects.exclude(parent=None).select_related("parent"):
        assert revision.parent.number == revision.number - 1
        assert revision.parent.created_at < revision.created_at
    assert WikiLink.objects.exists()
    first = WikiPage.objects.get(title=demo_titles(1)[0])
    assert first.revision_number == 3
    assert 'class="internal"' in first.html and 'class="missing"' in first.html
    assert "ข้อมูลตัวอย่าง" in client.get(first.get_absolute_url()).content.decode()


def test_the_bench_pages_of_the_wiki_exist(client):
    seed_wiki(scale="small", stdout=io.StringIO())
    paths = [path for name, path, *_targets in PAGES if name.startswith("wiki")]
    assert len(paths) == 2
    for path in paths:
        assert client.get(unquote(path)).status_code == 200, path
