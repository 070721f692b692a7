"""Documents of the knowledge base (DESIGN.md §3): research, study reports, good practices,
academic papers, articles and manuals, their attached files and the chunks Thai search reads.

Thai is written without spaces, so documents are found by substring through pg_trgm. A trigram
index over whole long bodies is useless (every long body holds nearly every common trigram), so
the searchable text (abstract, body, text extracted from files) is also kept split into
~1,500-character `DocumentChunk`s at paragraph ends, and the chunks are indexed (STACK.md).
The wiki's models are in models_wiki.py, imported at the end of this module.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import LAO


class DocumentKind(models.TextChoices):
    RESEARCH = "research", _("Research")
    REPORT = "report", _("Study report")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    ACADEMIC = "academic", _("Academic paper")
    ARTICLE = "article", _("Newspaper or article")
    MANUAL = "manual", _("Manual or guideline")


# Kinds listed on the academic landing page (area 6 of the mission).
ACADEMIC_KINDS = (DocumentKind.ACADEMIC, DocumentKind.ARTICLE, DocumentKind.MANUAL)


class Topic(models.TextChoices):
    PLANNING = "planning", _("Planning")
    FINANCE = "finance", _("Finance and budget")
    PERSONNEL = "personnel", _("Personnel")
    TRANSFER = "transfer", _("Transfer of functions")
    PUBLIC_SERVICES = "services", _("Public services")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    ENVIRONMENT = "environment", _("Environment and waste")
    HEALTH = "health", _("Health and social welfare")
    EDUCATION = "education", _("Education")
    PARTICIPATION = "participation", _("Participation and governance")


class DocumentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for revision")
    PUBLISHED = "published", _("Published")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        """Documents everyone may read."""
        return self.filter(status=DocumentStatus.PUBLISHED)

    def good_practices(self):
        return self.filter(kind=DocumentKind.GOOD_PRACTICE)

    def about(self, lao):
        """Documents that concern `lao` (through `laos`)."""
        return self.filter(laos=lao)


class Document(models.Model):
    """One document. Editors publish documents directly; an LAO's officer proposes a good
    practice of their LAO (`lao`), which an editor publishes or returns with a comment."""

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PUBLISHED,
    )
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    body = models.TextField(_("text"), blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("year (BE)"), null=True, blank=True)
    source = models.CharField(_("source or publisher"), max_length=300, blank=True)
    tags = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, verbose_name=_("tags")
    )
    topics = ArrayField(
        models.CharField(max_length=16, choices=Topic.choices),
        default=list,
        blank=True,
        verbose_name=_("topics"),
    )
    # The LAO whose good practice this is (the one that proposes it); None for other documents.
    lao = models.ForeignKey(
        LAO,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("LAO of the good practice"),
    )
    laos = models.ManyToManyField(
        LAO, blank=True, related_name="documents", verbose_name=_("LAOs it concerns")
    )
    # A good practice: what was done is the body; these say what came of it.
    practice_result = models.TextField(_("result"), blank=True)
    practice_cost = models.DecimalField(
        _("cost (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    practice_contact = models.CharField(_("contact"), max_length=300, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    # Optimistic locking of the review steps: every step increments it.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_comment = models.TextField(_("comment of the reviewer"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            # Titles are short: a trigram index over them is selective (STACK.md).
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="document_title_trgm"),
            GinIndex(fields=["topics"], name="document_topics"),
            models.Index(fields=["status", "kind", "year"], name="document_status_kind_year"),
            models.Index(fields=["status", "-published_at"], name="document_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DocumentKind.GOOD_PRACTICE) | Q(lao__isnull=False),
                name="document_good_practice_has_lao",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.PUBLISHED) | Q(kind=DocumentKind.GOOD_PRACTICE),
                name="document_only_good_practices_wait",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:document", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Reading the text")
    DONE = "done", _("Text read")
    NONE = "none", _("No text to read")
    FAILED = "failed", _("The text could not be read")


class ExtractionError(models.TextChoices):
    """Why a file's text could not be read (shown to editors beside a failed file)."""

    TOO_LARGE = "too_large", _("it holds too much to read")
    DAMAGED = "damaged", _("the file is damaged or cannot be read")
    MEMORY = "memory", _("reading it needed more memory than allowed")
    TIMEOUT = "timeout", _("reading it took too long")
    MISSING = "missing", _("the stored file is missing")


def document_file_path(instance, filename: str) -> str:
    """Where a file is stored: a name the portal chose (services pass it), never the user's."""
    return filename


class DocumentFile(models.Model):
    """A file attached to a document, stored under a generated name; `original_name` (cleaned)
    is only what the download is called."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("document")
    )
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("type"), max_length=8)  # pdf, docx, xlsx, png, jpg, gif, webp
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    extraction = models.CharField(
        _("text"), max_length=8, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_error = models.CharField(
        _("why the text could not be read"),
        max_length=16,
        choices=ExtractionError.choices,
        blank=True,
    )
    extracted_text = models.TextField(_("extracted text"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.original_name


class DocumentChunk(models.Model):
    """~1,500 characters of a document's searchable text, cut at a paragraph end: the unit the
    trigram index finds (0.9–33 ms a term where whole bodies took ~900 ms, STACK.md)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="chunk_document_position")
        ]
        indexes = [GinIndex(fields=["text"], opclasses=["gin_trgm_ops"], name="chunk_text_trgm")]

    def __str__(self):
        return f"{self.document_id}#{self.position}"


from knowledge.models_wiki import *  # noqa: E402,F401,F403
