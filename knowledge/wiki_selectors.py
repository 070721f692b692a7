"""Page-level reads of the wiki."""

from django.core.cache import cache
from django.db.models import QuerySet

from knowledge.diff import DiffRow, diff_rows
from knowledge.models_wiki import WikiPage, WikiRevision, normalize_title, title_to_slug

# Fields of a revision a history or recent-changes row shows (the text is not read: it can be
# long, and the size of the parent gives the change in size).
REVISION_ROW_FIELDS = (
    "number",
    "comment",
    "size",
    "created_at",
    "page_id",
    "author__username",
    "parent__size",
    "parent__number",
    "reverted_to__number",
)
DIFF_CACHE_SECONDS = 24 * 3600


def wiki_page(*, slug: str) -> WikiPage | None:
    """The page whose slug is `slug` (or whose title `slug` is, spaces and underscores alike),
    with its current revision's number, date and author, and its stored HTML; None when there
    is none. One query."""
    return (
        WikiPage.objects.by_slug(slug)
        .select_related("current__author")
        .only(
            "title",
            "slug",
            "protected",
            "revision_number",
            "html",
            "updated_at",
            "is_demo",
            "current__number",
            "current__created_at",
            "current__comment",
            "current__author__username",
        )
        .first()
    )


def wiki_page_for_edit(*, slug: str) -> WikiPage | None:
    """The page with its current text (for the edit form); None when there is none. One
    query."""
    return (
        WikiPage.objects.by_slug(slug)
        .select_related("current")
        .only("title", "slug", "protected", "revision_number", "current__text")
        .first()
    )


def wiki_pages(*, query: str = "") -> QuerySet[WikiPage]:
    """Pages by title, those whose title contains `query` when given."""
    pages = WikiPage.objects.only("title", "slug", "protected", "updated_at", "is_demo")
    query = normalize_title(query)
    if query:
        pages = pages.filter(title__icontains=query)
    return pages.order_by("title")


def protected_wiki_pages() -> QuerySet[WikiPage]:
    """The protected pages by title."""
    return WikiPage.objects.protected().only("title", "slug", "updated_at").order_by("title")


def page_history(*, page: WikiPage) -> QuerySet[WikiRevision]:
    """The revisions of `page`, newest first, with author, base size and restored number."""
    return (
        WikiRevision.objects.filter(page=page)
        .select_related("author", "parent", "reverted_to")
        .only(*REVISION_ROW_FIELDS)
        .order_by("-number")
    )


def recent_changes() -> QuerySet[WikiRevision]:
    """Every page's revisions, newest first, with the page's title and slug."""
    return (
        WikiRevision.objects.select_related("author", "parent", "reverted_to", "page")
        .only(*REVISION_ROW_FIELDS, "page__title", "page__slug")
        .order_by("-created_at", "-pk")
    )


def page_revision(*, page: WikiPage, number: int) -> WikiRevision | None:
    """Revision `number` of `page`, with its text, HTML and author; None when there is none."""
    return WikiRevision.objects.filter(page=page, number=number).select_related("author").first()


def revision_pair(
    *, page: WikiPage, old: int, new: int
) -> tuple[WikiRevision, WikiRevision] | None:
    """Revisions `old` and `new` of `page` (with their authors) in one query; None unless both
    exist."""
    found = {
        revision.number: revision
        for revision in WikiRevision.objects.filter(page=page, number__in={old, new})
        .select_related("author")
        .only("number", "text", "comment", "size", "created_at", "page_id", "author__username")
    }
    if old in found and new in found:
        return found[old], found[new]
    return None


def revision_diff(*, old: WikiRevision, new: WikiRevision) -> list[DiffRow]:
    """The rows of the diff from `old` to `new` (bounded work, `knowledge.diff.DIFF_BUDGET`).
    Revisions never change, so the diff of a pair is cached (by their ids) once computed."""
    key = f"wiki-diff:v2:{old.pk}:{new.pk}"
    rows = cache.get(key)
    if rows is None:
        rows = diff_rows(old.text, new.text)
        cache.set(key, rows, DIFF_CACHE_SECONDS)
    return rows


def pages_linking_to(*, page: WikiPage) -> QuerySet[WikiPage]:
    """The pages whose current text links to `page` ("what links here"), by title."""
    return (
        WikiPage.objects.filter(links__target_title=page.title)
        .only("title", "slug")
        .order_by("title")
    )


def canonical_slug(slug: str) -> str:
    """The slug a page of this title has (for redirecting a title typed into the URL)."""
    return title_to_slug(slug)
