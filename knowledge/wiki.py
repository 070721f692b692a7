"""Every write of the wiki: create, edit, revert, protect.

Each edit names the revision it was made from (`base_revision`); when the page has moved on since,
the edit is refused with an `EditConflict` that carries both texts, so nobody overwrites a change
they never saw. Pages are rendered on save (`units.markdown.render_markdown`) with their
`[[links]]` resolved, and a new page has the pages that were waiting for it rendered again in the
background (`knowledge.tasks_wiki`): there may be any number of them.

What one account may store is bounded: a revision by a registered user has at most
TEXT_MAX_LENGTH_REGISTERED characters, and every account but an editor's saves at most
DAILY_TEXT_QUOTA characters of revisions in 24 hours (each revision stores the whole text).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models_wiki import (
    TITLE_MAX_LENGTH,
    WikiLink,
    WikiPage,
    WikiRevision,
    normalize_title,
    title_to_slug,
)
from knowledge.tasks_wiki import render_pages_linking_to
from units import access, stamps
from units.markdown import internal_link_titles, render_markdown
from units.models import User

# Editors may save the longest texts; other registered users half as long (enough for any
# article, and it halves what a throwaway account can store per edit).
TEXT_MAX_LENGTH = 200_000
TEXT_MAX_LENGTH_REGISTERED = 100_000
# Characters of revisions an account (editors aside) may save in 24 hours: some forty saves of a
# long page. The rate limit of the views bounds edits per minute, this bounds what they store.
DAILY_TEXT_QUOTA = 2_000_000
QUOTA_WINDOW = timedelta(hours=24)
# Characters that would break a `[[link]]`, a URL path or an HTML attribute.
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]{}|#<>/\\?%\"\x00-\x1f\x7f]")
# Slugs of the wiki's own pages (their URLs sit beside the pages').
RESERVED_SLUGS = {"new", "changes", "protected", "page", "search"}
# The stamp of every public wiki page: each write moves it, as its transaction's last step.
STAMP = "knowledge:wiki"


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


def text_max_length(user: User) -> int:
    """The longest text `user` may save (editors more than other registered users)."""
    return TEXT_MAX_LENGTH if access.can_edit_protected_wiki(user) else TEXT_MAX_LENGTH_REGISTERED


def saved_today(user: User) -> int:
    """Characters of the revisions `user` saved in the last 24 hours (one query)."""
    since = timezone.now() - QUOTA_WINDOW
    total = WikiRevision.objects.filter(author=user, created_at__gte=since).aggregate(
        total=Sum("size")
    )["total"]
    return total or 0


def _check_text(text: str, user: User, *, length: bool = True) -> None:
    """Refuse a text longer than `user` may save (unless `length` is False: a revert restores
    a text that was accepted once) or beyond their quota of the last 24 hours (not editors)."""
    limit = text_max_length(user)
    if length and len(text) > limit:
        raise ValidationError(
            _("A page has at most %(max)d characters.") % {"max": limit}, code="long"
        )
    if access.can_edit_protected_wiki(user):
        return
    if saved_today(user) + len(text) > DAILY_TEXT_QUOTA:
        raise ValidationError(
            _(
                "Your account has saved as much wiki text as it may in 24 hours "
                "(%(max)d characters). Try again later."
            )
            % {"max": DAILY_TEXT_QUOTA},
            code="quota",
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
    _check_text(text, user)
    title = normalize_title(title)
    slug = title_to_slug(title)
    if WikiPage.objects.filter(slug=slug).exists():
        raise ValidationError({"title": _("A page with this title already exists.")})
    page = WikiPage.objects.create(title=title, slug=slug)
    page = _add_revision(page=page, user=user, text=text, comment=comment, parent=None)
    if WikiLink.objects.filter(target_title=title).exclude(source=page).exists():
        transaction.on_commit(lambda: render_pages_linking_to.enqueue(title=title))
    stamps.bump(STAMP)
    return page


RENDER_BATCH = 100


def pages_linking_to_render(*, title: str) -> int:
    """Render again the current text of every page that links to `title` (its missing link is
    now a link), a batch of pages at a time; their revisions keep the HTML they were written
    with. A page edited meanwhile is left alone: its edit rendered it already. Returns how many
    pages were rendered."""
    rendered = 0
    pages = (
        WikiPage.objects.filter(links__target_title=title)
        .select_related("current")
        .only("pk", "current_id", "current__text")
        .order_by("pk")
    )
    for page in pages.iterator(chunk_size=RENDER_BATCH):
        html, _titles = render_wiki_text(page.current.text if page.current else "")
        rendered += WikiPage.objects.filter(pk=page.pk, current_id=page.current_id).update(
            html=html
        )
    if rendered:
        stamps.bump(STAMP)  # `update()` sends no signal
    return rendered


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
    _check_text(text, user)
    if page.revision_number != base_revision:
        raise EditConflict(
            page=page,
            current_number=page.revision_number,
            current_text=page.current.text if page.current else "",
            your_text=text,
        )
    if page.current and page.current.text == text:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    page = _add_revision(page=page, user=user, text=text, comment=comment, parent=page.current)
    stamps.bump(STAMP)
    return page


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
    _check_text(revision.text, user, length=False)
    comment = _("Reverted to revision %(number)d") % {"number": revision.number}
    page = _add_revision(
        page=page,
        user=user,
        text=revision.text,
        comment=comment,
        parent=page.current,
        reverted_to=revision,
    )
    stamps.bump(STAMP)
    return page


@transaction.atomic
def page_protect(*, page: WikiPage, user: User, protected: bool) -> WikiPage:
    """Protect `page` (only editors may change it then) or open it again; editors only."""
    if not access.can_edit_protected_wiki(user):
        raise PermissionDenied
    page = WikiPage.objects.select_for_update().get(pk=page.pk)
    page.protected = protected
    page.save(update_fields=["protected", "updated_at"])
    stamps.bump(STAMP)
    return page
