"""Page-level reads of the knowledge base's documents."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from knowledge.models import ACADEMIC_KINDS, Document, DocumentFile, DocumentStatus, Topic
from knowledge.search import SearchPage, search_page
from units import access
from units.models import LAO, User
from units.similar import similar_laos

PAGE_SIZE = 20
PROFILE_LIMIT = 5
RELATED_LIMIT = 5
# What lists show of a document: the heavy body and abstract stay in the table.
LIST_FIELDS = (
    "id",
    "kind",
    "status",
    "title",
    "authors",
    "year",
    "source",
    "published_at",
    "lao_id",
)


def published_documents() -> QuerySet:
    """Published documents, newest first."""
    return Document.objects.published().order_by("-published_at", "-pk")


def document_search(*, documents: QuerySet, query: str, number: int) -> SearchPage:
    """Page `number` of `documents` (a filtered published queryset): ranked matches of `query`
    with highlighted snippets, or the newest documents when there is no query. Three queries
    with a query (count, page, snippets), two without (count, page), none for a query shorter
    than `search.MIN_QUERY_LENGTH` (`too_short`)."""
    if query:
        return search_page(documents, query, number=number, size=PAGE_SIZE)
    total = documents.order_by().values("pk")[:1001].count()
    number = max(1, min(number, (min(total, 1000) + PAGE_SIZE - 1) // PAGE_SIZE or 1))
    start = (number - 1) * PAGE_SIZE
    results = list(documents.only(*LIST_FIELDS)[start : start + PAGE_SIZE])
    return SearchPage(
        results=results,
        total=min(total, 1000),
        more=total > 1000,
        number=number,
        has_next=start + PAGE_SIZE < min(total, 1000),
        query="",
    )


def latest_documents(*, academic: bool = False, limit: int = 8) -> list[Document]:
    """The newest published documents (the academic kinds only, or the others), for the landing
    pages. One query."""
    documents = published_documents().only(*LIST_FIELDS)
    if academic:
        documents = documents.filter(kind__in=ACADEMIC_KINDS)
    else:
        documents = documents.exclude(kind__in=ACADEMIC_KINDS)
    return list(documents[:limit])


def _visible_to(user: User) -> Q:
    """Published documents, plus for editors every proposal and for an LAO's proposers
    (`access.can_propose_good_practice`) those of their LAOs."""
    if access.is_knowledge_editor(user):
        return Q()
    visible = Q(status=DocumentStatus.PUBLISHED)
    if access.is_admin(user) or not user.is_authenticated:
        return visible
    if getattr(user, "lao_id", None) and user.role == "officer":
        visible |= Q(lao_id=user.lao_id)
    return visible


def document_for_user(*, user: User, pk: int) -> Document:
    """The document `user` may read, with its LAO (and the LAO's geography); 404 for a missing
    one and for a proposal that is not theirs to see. One query."""
    document = (
        Document.objects.filter(_visible_to(user), pk=pk)
        .select_related("lao", "lao__province")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def document_files(*, document: Document) -> list[DocumentFile]:
    """The document's files in upload order, each with `text_length` (characters of text read
    from it) instead of the text itself, which may be megabytes. One query."""
    return list(
        document.files.defer("extracted_text")
        .annotate(text_length=Length("extracted_text"))
        .order_by("pk")
    )


def document_file_for_user(*, user: User, pk: int, file_pk: int) -> DocumentFile:
    """A file of the document `pk` that `user` may read (`document_for_user`), without its
    text; 404 for a missing one. Two queries."""
    document = document_for_user(user=user, pk=pk)
    attached = document.files.defer("extracted_text").filter(pk=file_pk).first()
    if attached is None:
        raise Http404("No such file of this document.")
    attached.document = document
    return attached


def document_page(*, document: Document) -> dict:
    """What the document page shows besides the document: its files (`document_files`), the
    LAOs it concerns and related documents. Three queries."""
    return {
        "files": document_files(document=document),
        "laos": list(
            document.laos.select_related("province").order_by("province__code", "dla_code")
        ),
        "related": related_documents(document=document),
        "topic_labels": [Topic(topic).label for topic in document.topics if topic in Topic.values],
    }


def related_documents(*, document: Document, limit: int = RELATED_LIMIT) -> list[Document]:
    """Published documents sharing a topic or a tag with `document` (else of its kind), newest
    first. One query, on the topics' GIN index."""
    shared = Q(kind=document.kind)
    if document.topics or document.tags:
        shared = Q(topics__overlap=document.topics) | Q(tags__overlap=document.tags)
    return list(
        published_documents().filter(shared).exclude(pk=document.pk).only(*LIST_FIELDS)[:limit]
    )


def review_queue() -> QuerySet:
    """Good practices waiting for an editor, oldest first, with their LAO."""
    return (
        Document.objects.filter(status=DocumentStatus.SUBMITTED)
        .select_related("lao", "lao__province")
        .only(
            *LIST_FIELDS,
            "updated_at",
            "lao__full_name_th",
            "lao__name_th",
            "lao__province__name_th",
        )
        .order_by("updated_at", "pk")
    )


def lao_good_practices(*, lao: LAO) -> QuerySet:
    """The good practices of `lao` in every status (for its officers), newest first."""
    return Document.objects.filter(lao=lao).only(*LIST_FIELDS, "return_comment").order_by("-pk")


def lao_knowledge(*, lao: LAO) -> dict:
    """The profile section: published documents about `lao` (its good practices among them)
    and the good practices of similar LAOs (`units.similar`), each list at most PROFILE_LIMIT.
    Two queries (the similar LAOs are a subquery)."""
    about = list(published_documents().filter(laos=lao).only(*LIST_FIELDS)[:PROFILE_LIMIT])
    suggested = list(
        published_documents()
        .good_practices()
        .filter(lao__in=similar_laos(lao).values("pk"))
        .select_related("lao")
        .only(
            *LIST_FIELDS,
            "lao__full_name_th",
            "lao__name_th",
            "lao__name_en",
            "lao__dla_code",
            "lao__kind",
        )[:PROFILE_LIMIT]
    )
    return {"about": about, "suggested": suggested}
