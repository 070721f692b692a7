"""The wiki (สารานุกรม): pages in Markdown with their full revision history.

A page keeps the HTML of its current text, rendered when it is saved (rendering a long Thai page
takes ~0.1 s, too slow for every view), so that reading a page is one query. Each revision keeps
its own text and the HTML it had when it was written, its author, comment and the revision it was
made from. `WikiLink` records the `[[titles]]` each page links to: "what links here", and which
pages to render again when a page they point at is created.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["WikiLink", "WikiPage", "WikiRevision", "normalize_title", "title_to_slug"]

TITLE_MAX_LENGTH = 200
# PDF extractors and some keyboards write SARA AM as NIKHAHIT + SARA AA; both must find one page.
_SARA_AM_DECOMPOSED = "\u0e4d\u0e32"


def normalize_title(title: str) -> str:
    """The canonical form of a title: single spaces (underscores are spaces, as in the URL), no
    space at either end, SARA AM as one character."""
    title = (title or "").replace("_", " ").replace(_SARA_AM_DECOMPOSED, "\u0e33")
    return re.sub(r"\s+", " ", title).strip()


def title_to_slug(title: str) -> str:
    """The URL form of a title: spaces become underscores, Thai stays Thai (slugify would drop
    Thai vowel and tone marks, which are not letters to it)."""
    return normalize_title(title).replace(" ", "_")


class WikiPageQuerySet(models.QuerySet):
    def by_slug(self, slug: str) -> "WikiPageQuerySet":
        """The page with this slug, or with the slug of this text read as a title."""
        return self.filter(slug=title_to_slug(slug))

    def protected(self) -> "WikiPageQuerySet":
        """Pages only editors may change."""
        return self.filter(protected=True)


class WikiPage(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, unique=True)
    slug = models.CharField(_("slug"), max_length=TITLE_MAX_LENGTH, unique=True)
    protected = models.BooleanField(
        _("protected"), default=False, help_text=_("Only editors may change a protected page.")
    )
    current = models.ForeignKey(
        "knowledge.WikiRevision",
        verbose_name=_("current revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The current revision's number, kept here so that the edit form's base revision and the
    # conflict check need no join.
    revision_number = models.PositiveIntegerField(_("revision number"), default=0)
    html = models.TextField(_("HTML"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = WikiPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        ordering = ["title"]
        indexes = [models.Index(fields=["-updated_at"], name="wiki_page_updated")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(title__regex=r"\S"), name="wiki_page_title_not_blank"
            ),
            models.CheckConstraint(
                condition=~models.Q(slug__contains="/")
                & ~models.Q(slug__contains=" ")
                & models.Q(slug__regex=r"\S"),
                name="wiki_page_slug_path_safe",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:wiki-page", args=[self.slug])


class WikiRevision(models.Model):
    page = models.ForeignKey(
        WikiPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("base revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The revision this one was edited from."),
    )
    reverted_to = models.ForeignKey(
        "self",
        verbose_name=_("restores revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), editable=False)
    size = models.PositiveIntegerField(_("size (characters)"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wiki_revisions",
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("wiki revision")
        verbose_name_plural = _("wiki revisions")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="wiki_revision_number"),
            models.CheckConstraint(
                condition=models.Q(size=Length("text")), name="wiki_revision_size_is_text_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} #{self.number}"

    @property
    def author_name(self) -> str:
        """The author's username, "" once the account is gone; select `author`."""
        return self.author.username if self.author_id else ""

    @property
    def size_change(self) -> int:
        """Characters added (positive) or removed since the base revision; select `parent`."""
        return self.size - (self.parent.size if self.parent_id else 0)


class WikiLink(models.Model):
    """One `[[title]]` of a page's current text (titles normalized; the target may not exist)."""

    source = models.ForeignKey(
        WikiPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="links"
    )
    target_title = models.CharField(_("linked title"), max_length=TITLE_MAX_LENGTH)

    class Meta:
        verbose_name = _("wiki link")
        verbose_name_plural = _("wiki links")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_title"], name="wiki_link_unique_per_page"
            )
        ]
        indexes = [models.Index(fields=["target_title"], name="wiki_link_target")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_title}"
