"""Every write of the knowledge base's documents (the wiki's are in wiki.py).

Editors publish documents directly. An LAO's officer proposes a good practice of their LAO; an
editor publishes it or returns it with a comment; the officer revises a returned one and sends it
again. Each step re-reads the document FOR UPDATE and checks the version the user saw. Text is
stored normalized (`search.normalize`) and the searchable chunks are rebuilt with it.
"""

import logging
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.files import CheckedFile, storage_name
from knowledge.models import (
    Document,
    DocumentChunk,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    ExtractionStatus,
)
from knowledge.search import chunk_text, normalize
from units import access, stamps
from units.models import LAO, User

logger = logging.getLogger(__name__)

# The stamp of everything the public document pages show (documents, files, topics, tags, good
# practices): every write that changes one of them moves it, as its transaction's last step.
STAMP = "knowledge"

# Fields a form may set (others are the workflow's).
TEXT_FIELDS = (
    "title",
    "abstract",
    "body",
    "authors",
    "source",
    "practice_result",
    "practice_contact",
)
OTHER_FIELDS = ("kind", "year", "tags", "topics", "practice_cost")


def _apply(document: Document, data: dict) -> list[LAO] | None:
    for name in TEXT_FIELDS:
        if name in data:
            setattr(document, name, normalize(data[name] or ""))
    for name in OTHER_FIELDS:
        if name in data:
            setattr(document, name, data[name])
    document.tags = [normalize(tag)[:60] for tag in document.tags if normalize(tag)]
    if not document.title:
        raise ValidationError({"title": _("A document needs a title.")})
    return data.get("laos")


def _lock(document: Document, *, version: int) -> Document:
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.version != version:
        raise ValidationError(
            _(
                "Someone else changed this document after you opened it. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="stale",
        )
    return current


def _save(document: Document, laos, *, always: list[LAO] = ()) -> Document:
    document.save()
    if laos is not None or always:
        document.laos.set({*(laos or []), *always})
    document_chunks_rebuild(document=document)
    return document


def _attach(document: Document, files: list[CheckedFile]) -> None:
    for checked in files:
        document_file_add(document=document, checked=checked)


@transaction.atomic
def document_publish_new(*, user: User, data: dict, files: list[CheckedFile] = ()) -> Document:
    """An editor publishes a new document (any kind but a good practice, which an LAO
    proposes); its files' text is read afterwards by the worker."""
    if not access.is_knowledge_editor(user):
        raise PermissionDenied
    document = Document(
        status=DocumentStatus.PUBLISHED, created_by=user, published_at=timezone.now()
    )
    laos = _apply(document, data)
    if document.kind == DocumentKind.GOOD_PRACTICE:
        raise ValidationError({"kind": _("Good practices are proposed by their LAO.")})
    _save(document, laos)
    _attach(document, files)
    stamps.bump(STAMP)
    return document


@transaction.atomic
def document_update(
    *, document: Document, user: User, data: dict, version: int, files: list[CheckedFile] = ()
) -> Document:
    """An editor changes a document; an LAO's officer changes their good practice while it
    waits or was returned (a returned one goes back for review)."""
    document = _lock(document, version=version)
    editor = access.is_knowledge_editor(user)
    proposer = (
        document.kind == DocumentKind.GOOD_PRACTICE
        and not document.is_published
        and access.can_propose_good_practice(user, document.lao)
    )
    if not (editor or proposer):
        raise PermissionDenied
    if document.kind == DocumentKind.GOOD_PRACTICE:
        data = {**data, "kind": DocumentKind.GOOD_PRACTICE}
    elif data.get("kind") == DocumentKind.GOOD_PRACTICE:
        raise ValidationError({"kind": _("Good practices are proposed by their LAO.")})
    laos = _apply(document, data)
    if proposer and not editor and document.status == DocumentStatus.RETURNED:
        document.status = DocumentStatus.SUBMITTED
        document.submitted_by = user
    document.version = F("version") + 1
    _save(document, laos, always=[document.lao] if document.lao_id else [])
    document.refresh_from_db()
    _attach(document, files)
    stamps.bump(STAMP)
    return document


@transaction.atomic
def good_practice_propose(
    *, user: User, lao: LAO, data: dict, files: list[CheckedFile] = ()
) -> Document:
    """An LAO's officer proposes a good practice of their LAO: what was done (the body), its
    result, cost and a contact. It waits for an editor."""
    if not access.can_propose_good_practice(user, lao):
        raise PermissionDenied
    document = Document(
        kind=DocumentKind.GOOD_PRACTICE,
        status=DocumentStatus.SUBMITTED,
        lao=lao,
        created_by=user,
        submitted_by=user,
    )
    laos = _apply(document, {**data, "kind": DocumentKind.GOOD_PRACTICE})
    _save(document, laos, always=[lao])
    _attach(document, files)
    return document


def _check_review(user: User, document: Document) -> None:
    if not access.is_knowledge_editor(user):
        raise PermissionDenied
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(_("Only a good practice waiting for review can be reviewed."))
    if access.is_submitter(user, document):
        raise ValidationError(_("You proposed this good practice: another editor must review it."))


@transaction.atomic
def good_practice_publish(*, document: Document, user: User, version: int) -> Document:
    """An editor publishes a proposed good practice: it shows in search, on its LAO's profile
    and on the profiles of similar LAOs."""
    document = _lock(document, version=version)
    _check_review(user, document)
    document.status = DocumentStatus.PUBLISHED
    document.reviewed_by, document.reviewed_at = user, timezone.now()
    document.published_at = document.reviewed_at
    document.return_comment = ""
    document.version = F("version") + 1
    document.save()
    document.refresh_from_db()
    stamps.bump(STAMP)
    return document


@transaction.atomic
def good_practice_return(*, document: Document, user: User, version: int, comment: str) -> Document:
    """An editor returns a proposed good practice to its LAO with a comment."""
    document = _lock(document, version=version)
    _check_review(user, document)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the LAO should revise.")})
    document.status = DocumentStatus.RETURNED
    document.reviewed_by, document.reviewed_at = user, timezone.now()
    document.return_comment = comment.strip()
    document.version = F("version") + 1
    document.save()
    document.refresh_from_db()
    stamps.bump(STAMP)
    return document


def document_chunks_rebuild(*, document: Document) -> int:
    """Replace the document's search chunks with its abstract, body and files' text cut into
    chunks (`search.chunk_text`); returns how many."""
    texts = [document.abstract, document.body]
    texts += list(
        document.files.exclude(extracted_text="")
        .order_by("pk")
        .values_list("extracted_text", flat=True)
    )
    chunks = chunk_text("\n\n".join(text for text in texts if text))
    DocumentChunk.objects.filter(document=document).delete()
    DocumentChunk.objects.bulk_create(
        DocumentChunk(document=document, position=position, text=text)
        for position, text in enumerate(chunks)
    )
    return len(chunks)


def document_file_add(*, document: Document, checked: CheckedFile) -> DocumentFile:
    """Store a checked upload under a generated name and have the worker read its text (PDF,
    DOCX, XLSX) once the transaction commits. The temporary copy is removed."""
    from knowledge.files import TEXT_TYPES
    from knowledge.tasks import extract_file_text

    try:
        with open(checked.path, "rb") as handle:
            name = default_storage.save(storage_name(checked.file_type), File(handle))
    finally:
        os.unlink(checked.path)
    attached = DocumentFile.objects.create(
        document=document,
        file=name,
        original_name=checked.original_name,
        file_type=checked.file_type,
        size=checked.size,
        extraction=ExtractionStatus.PENDING
        if checked.file_type in TEXT_TYPES
        else ExtractionStatus.NONE,
    )
    if checked.file_type in TEXT_TYPES:
        transaction.on_commit(lambda: extract_file_text.enqueue(file_id=attached.pk))
    return attached


@transaction.atomic
def document_file_text_store(
    *, file_id: int, text: str | None, error: str = ""
) -> DocumentFile | None:
    """Keep the text read from a file (None: it could not be read, `error` says why, a
    `models.ExtractionError`) and rebuild its document's chunks; None when the file is gone."""
    attached = DocumentFile.objects.select_for_update().filter(pk=file_id).first()
    if attached is None:
        return None
    if text is None:
        attached.extraction = ExtractionStatus.FAILED
        attached.extraction_error = error
        attached.extracted_text = ""
    else:
        attached.extracted_text = normalize(text)
        attached.extraction = ExtractionStatus.DONE
        attached.extraction_error = ""
    # `update()` rather than `save()`: no signal moves the stamp before the chunks are rebuilt
    # (a long text takes a while), so other writers wait for it only at the very end.
    DocumentFile.objects.filter(pk=attached.pk).update(
        extraction=attached.extraction,
        extraction_error=attached.extraction_error,
        extracted_text=attached.extracted_text,
    )
    document_chunks_rebuild(document=attached.document)
    stamps.bump(STAMP)  # search finds the file's text now, the page shows its status
    return attached


def _file_of(user: User, attached: DocumentFile) -> DocumentFile:
    if not access.is_knowledge_editor(user):
        raise PermissionDenied
    current = (
        DocumentFile.objects.select_for_update().defer("extracted_text").filter(pk=attached.pk)
    ).first()
    if current is None:
        raise ValidationError(_("The file was removed in the meantime."), code="gone")
    return current


@transaction.atomic
def document_file_extraction_retry(*, attached: DocumentFile, user: User) -> DocumentFile:
    """An editor has the worker read a file's text again after it failed (a worker that ran out
    of memory or time may have a higher limit now); it is pending until then."""
    from knowledge.tasks import extract_file_text

    attached = _file_of(user, attached)
    if attached.extraction != ExtractionStatus.FAILED:
        raise ValidationError(
            _("Only a file whose text could not be read can be read again."), code="not_failed"
        )
    attached.extraction, attached.extraction_error = ExtractionStatus.PENDING, ""
    attached.save(update_fields=["extraction", "extraction_error"])
    transaction.on_commit(lambda: extract_file_text.enqueue(file_id=attached.pk))
    logger.info(
        "User %s asked to read file %s (%s) of document %s again",
        user.pk, attached.pk, attached.original_name, attached.document_id,
    )  # fmt: skip
    return attached


@transaction.atomic
def document_file_delete(*, attached: DocumentFile, user: User) -> None:
    """An editor removes a file from its document: the row and its text go now, the document's
    search chunks are rebuilt without it, and the stored file is deleted once the transaction
    commits (a rollback keeps it). Logged with who removed what."""
    attached = _file_of(user, attached)
    document = Document.objects.select_for_update().get(pk=attached.document_id)
    file_id, name, stored = attached.pk, attached.original_name, attached.file.name
    attached.delete()
    document_chunks_rebuild(document=document)
    stamps.bump(STAMP)
    transaction.on_commit(lambda: default_storage.delete(stored))
    logger.info(
        "User %s removed file %s (%s, stored as %s) from document %s",
        user.pk, file_id, name, stored, document.pk,
    )  # fmt: skip


def document_download_count(*, document: Document) -> None:
    """Count one download of the document's files. No stamp moves (downloads are far more
    frequent than edits): the counter of a cached page lags by the page's timeout."""
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
