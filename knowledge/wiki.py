"""Every write of the wiki: create, edit, revert, protect.

Each edit names the revision it was made from (`base_revision`); when the page has moved on since,
the edit is refused with an `EditConflict` that carries both texts, so nobody overwrites a change
they never saw. Pages are rendered on save (`units.markdown.render_markdown`) with their
`[[links]]` resolved, and a new page renders again the pages that were waiting for it.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from knowledge.models_wiki import (
    TITLE_MAX_LENGTH,
    WikiLink,
    WikiPage,
    WikiRevision,
    normalize_title,
    title_to_slug,
)
from units import access
from units.markdown import internal_link_titles, render_markdown
from units.models import User

TEXT_MAX_LENGTH = 200_000
# Characters that would break a `[[link]]`, a URL path or an HTML attribute.
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]{}|#<>/\\?%\"\x00-\x1f\x7f]")
# Slugs of the wiki's own pages (their URLs sit beside the pages').
RESERVED_SLUGS = {"new", "changes", "protected", "page", "search"}


@dataclass
class EditConflict(Exception):
    """The page changed after the editor opened it: both texts, nothing written."""

    page: WikiPage
    current_number: int
    current_text: str
    your_text: str


def title_violation(title: str) -> str | None:
    """Why `title` cannot name a page (translated), or None."""
    title = normalize_title(title)
    if not title:
        return _("Give the page a title.")
    if len(title) > TITLE_MAX_LENGTH:
        return _("A title has at most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if FORBIDDEN_IN_TITLE.search(title):
        return _('A title cannot contain any of [ ] { } | # < > / \\ ? % ".')
    if title_to_slug(title).lower() in RESERVED_SLUGS:
        return _("This title is reserved for the wiki's own pages.")
    return None


def render_wiki_text(text: str) -> tuple[str, list[str]]:
    """The safe HTML of a wiki text with its `[[links]]` resolved against the existing pages
    (one query when it has links, none otherwise), and the normalized titles it links to."""
    titles = [normalize_title(title) for title in internal_link_titles(text)]
    titles = [title for title in dict.fromkeys(titles) if title]
    slugs = (
        dict(WikiPage.objects.filter(title__in=titles).values_list("title", "slug"))
        if titles
        else {}
    )

    def resolve(title: str) -> str | None:
        slug = slugs.get(normalize_title(title))
        return reverse("knowledge:wiki-page", args=[slug]) if slug else None

    return render_markdown(text, resolve=resolve), titles[:500]


def _check_text(text: str) -> None:
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("A page has at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}, code="long"
        )


def _add_revision(
    *,
    page: WikiPage,
    user: User | None,
    text: str,
    comment: str,
    parent: WikiRevision | None,
    reverted_to: WikiRevision | None = None,
) -> WikiPage:
    html, titles = render_wiki_text(text)
    revision = WikiRevision.objects.create(
        page=page,
        number=page.revision_number + 1,
        parent=parent,
        reverted_to=reverted_to,
        text=text,
        html=html,
        size=len(text),
        author=user,
        comment=comment[:300],
    )
    page.current = revision
    page.revision_number = revision.number
    page.html = html
    page.save(update_fields=["current", "revision_number", "html", "updated_at"])
    WikiLink.objects.filter(source=page).delete()
    WikiLink.objects.bulk_create([WikiLink(source=page, target_title=title) for title in titles])
    return page


@transaction.atomic
def page_create(*, title: str, text: str, comment: str = "", user: User) -> WikiPage:
    """A new page with its first revision by `user` (any active registered user). Pages whose
    `[[links]]` waited for this title are rendered again, now linking to it."""
    if not access.can_edit_wiki(user):
        raise PermissionDenied
    violation = title_violation(title)
    if violation:
        raise ValidationError({"title": violation})
    _check_text(text)
    title = normalize_title(title)
    slug = title_to_slug(title)
    if WikiPage.objects.filter(slug=slug).exists():
        raise ValidationError({"title": _("A page with this title already exists.")})
    page = WikiPage.objects.create(title=title, slug=slug)
    page = _add_revision(page=page, user=user, text=text, comment=comment, parent=None)
    _render_pages_linking_to(title)
    return page


def _render_pages_linking_to(title: str) -> None:
    """Render again the current text of every page that links to `title` (its missing link is
    now a link); their revisions keep the HTML they were written with."""
    pages = list(
        WikiPage.objects.filter(links__target_title=title)
        .select_related("current")
        .only("pk", "current__text")
    )
    for page in pages:
        page.html, _titles = render_wiki_text(page.current.text if page.current else "")
    WikiPage.objects.bulk_update(pages, ["html"])


def _locked(page: WikiPage, user: User) -> WikiPage:
    """The page locked for this transaction, after checking `user` may write it."""
    page = (
        WikiPage.objects.select_for_update(of=("self",)).select_related("current").get(pk=page.pk)
    )
    if not access.can_edit_wiki(user, page):
        raise PermissionDenied
    return page


@transaction.atomic
def page_edit(
    *, page: WikiPage, user: User, text: str, comment: str = "", base_revision: int
) -> WikiPage:
    """A new revision of `page` with `text`, edited from revision number `base_revision`.

    Raises `EditConflict` (nothing written) when the page has a newer revision than the base,
    `ValidationError` when the text is unchanged or too long, `PermissionDenied` when `user` may
    not write the page (anonymous, inactive, a protected page and no editor)."""
    page = _locked(page, user)
    _check_text(text)
    if page.revision_number != base_revision:
        raise EditConflict(
            page=page,
            current_number=page.revision_number,
            current_text=page.current.text if page.current else "",
            your_text=text,
        )
    if page.current and page.current.text == text:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    return _add_revision(page=page, user=user, text=text, comment=comment, parent=page.current)


@transaction.atomic
def page_revert(
    *, page: WikiPage, user: User, revision: WikiRevision, base_revision: int
) -> WikiPage:
    """A new revision of `page` that restores the text of its older `revision`, if the page is
    still at `base_revision` (what the user saw when they asked); history is never rewritten."""
    page = _locked(page, user)
    if revision.page_id != page.pk:
        raise ValidationError(_("This revision belongs to another page."), code="other_page")
    if page.revision_number != base_revision:
        raise EditConflict(
            page=page,
            current_number=page.revision_number,
            current_text=page.current.text if page.current else "",
            your_text=revision.text,
        )
    if page.current and page.current.text == revision.text:
        raise ValidationError(_("The page already has this text."), code="unchanged")
    comment = _("Reverted to revision %(number)d") % {"number": revision.number}
    return _add_revision(
        page=page,
        user=user,
        text=revision.text,
        comment=comment,
        parent=page.current,
        reverted_to=revision,
    )


@transaction.atomic
def page_protect(*, page: WikiPage, user: User, protected: bool) -> WikiPage:
    """Protect `page` (only editors may change it then) or open it again; editors only."""
    if not access.can_edit_protected_wiki(user):
        raise PermissionDenied
    page = WikiPage.objects.select_for_update().get(pk=page.pk)
    page.protected = protected
    page.save(update_fields=["protected", "updated_at"])
    return page
