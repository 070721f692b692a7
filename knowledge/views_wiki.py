"""The wiki's pages: read, edit, create, history, diff, revert, protect, recent changes."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from knowledge import wiki
from knowledge import wiki_selectors as selectors
from knowledge.diff import diff_rows
from knowledge.forms_wiki import (
    WikiCreateForm,
    WikiDiffForm,
    WikiEditForm,
    WikiProtectForm,
    WikiRevertForm,
    WikiSearchForm,
)
from units import access, limits
from units.pagecache import cached_for_visitors
from units.views.workflow import Confirmation, confirmation_page, is_confirmed

PAGE_SIZE = 50
# Edits (and new pages, reverts) per account and per address: enough for real work, not for a
# script filling the wiki.
EDIT_LIMIT = 30
EDIT_WINDOW = timedelta(minutes=10)

REVERT = Confirmation(
    question=gettext_lazy("Revert the page to this revision?"),
    consequence=gettext_lazy(
        "The page gets this revision's text back as a new revision; the history keeps every "
        "revision, so this can be undone by another revert."
    ),
    button=gettext_lazy("Revert"),
    subject=lambda revision: (
        _("%(title)s, revision %(number)d")
        % {"title": revision.page.title, "number": revision.number}
    ),
)
REVERT_CONFLICT = gettext_lazy(
    "The page was changed while you were deciding; look at its history again."
)
REVERTED = gettext_lazy("The page is reverted to revision %(number)d.")


def wiki_stamps(request, **kwargs) -> list[str]:
    """Every wiki page shows what any edit may change (a new page turns red links blue
    elsewhere, recent changes list every page): one stamp for the whole wiki."""
    return [wiki.STAMP]


def _page_or_404(slug: str, loader=selectors.wiki_page):
    page = loader(slug=slug)
    if page is None:
        raise Http404("No wiki page has this title.")
    return page


def _write(request, service, **arguments):
    """`service(user=, **arguments)` if the user is within the edit limit (counted outside the
    service's transaction, so that a refused write still counts). Being over the limit is a
    ValidationError with code "rate", like the service's own refusals."""
    allowed = limits.attempt_allowed(
        "knowledge.wiki_edit",
        keys=limits.request_keys(request),
        limit=EDIT_LIMIT,
        window=EDIT_WINDOW,
    )
    if not allowed:
        raise ValidationError(
            _("You have made many edits in a short time. Wait a few minutes."), code="rate"
        )
    return service(user=request.user, **arguments)


def _error_status(error: ValidationError) -> int:
    """429 when the edit limit or the account's daily quota of text is used up, 200 for any
    other refusal."""
    return 429 if getattr(error, "code", None) in ("rate", "quota") else 200


def _revision_or_404(request, slug: str, number: int):
    """Revision `number` of the page, if the user may restore it (404 otherwise, so nobody is
    asked to confirm a revert they cannot make); its `page` is the one just read."""
    page = _page_or_404(slug)
    revision = selectors.page_revision(page=page, number=number)
    if revision is None or not access.can_edit_wiki(request.user, page):
        raise Http404("No such revision you may restore.")
    revision.page = page  # named on the confirmation page without reading it again
    return revision


@cached_for_visitors(stamps=wiki_stamps, params=("q", "page"))
def wiki_index(request):
    form = WikiSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page_obj = Paginator(selectors.wiki_pages(query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page_obj": page_obj, "query": query}
    context["can_create"] = access.can_edit_wiki(request.user)
    return render(request, "knowledge/wiki_index.html", context)


@cached_for_visitors(stamps=wiki_stamps)
def wiki_page(request, slug):
    page = selectors.wiki_page(slug=slug)
    if page is None:
        context = {"title": wiki.normalize_title(slug), "can_create": False}
        context["can_create"] = access.can_edit_wiki(request.user) and not wiki.title_violation(
            slug
        )
        return render(request, "knowledge/wiki_missing.html", context, status=404)
    if page.slug != slug:
        return redirect(page, permanent=True)
    context = {
        "page": page,
        "can_edit": access.can_edit_wiki(request.user, page),
        "can_protect": access.can_edit_protected_wiki(request.user),
    }
    return render(request, "knowledge/wiki_page.html", context)


@login_required
def wiki_edit(request, slug):
    page = _page_or_404(slug, selectors.wiki_page_for_edit)
    if not access.can_edit_wiki(request.user, page):
        raise PermissionDenied
    form = WikiEditForm.of_page(page, request.POST or None)
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            page = _write(request, wiki.page_edit, page=page, **form.cleaned_data)
        except wiki.EditConflict as error:
            conflict, status = error, 409
            form = WikiEditForm.after_conflict(error, form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
            status = _error_status(error)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(page)
    context = {"page": page, "form": form, "conflict": conflict}
    if conflict:
        context["conflict_rows"] = diff_rows(conflict.current_text, conflict.your_text)
    return render(request, "knowledge/wiki_edit.html", context, status=status)


@login_required
def wiki_new(request):
    if not access.can_edit_wiki(request.user):
        raise PermissionDenied
    form = WikiCreateForm(request.POST or None, initial={"title": request.GET.get("title", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            page = _write(request, wiki.page_create, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            status = _error_status(error)
        else:
            messages.success(request, _("The page is created."))
            return redirect(page)
    return render(request, "knowledge/wiki_new.html", {"form": form}, status=status)


@cached_for_visitors(stamps=wiki_stamps, params=("page",))
def wiki_history(request, slug):
    page = _page_or_404(slug)
    page_obj = Paginator(selectors.page_history(page=page), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "page_obj": page_obj}
    return render(request, "knowledge/wiki_history.html", context)


@cached_for_visitors(stamps=wiki_stamps, params=("from", "to"))
def wiki_diff(request, slug):
    page = _page_or_404(slug)
    form = WikiDiffForm(request.GET)
    if not form.is_valid():
        raise Http404("Give two revision numbers: ?from=&to=")
    pair = selectors.revision_pair(
        page=page, old=form.cleaned_data["from_"], new=form.cleaned_data["to"]
    )
    if pair is None:
        raise Http404("No such revisions of this page.")
    old, new = pair
    context = {"page": page, "old": old, "new": new}
    context["rows"] = selectors.revision_diff(old=old, new=new)
    return render(request, "knowledge/wiki_diff.html", context)


@cached_for_visitors(stamps=wiki_stamps)
def wiki_revision(request, slug, number):
    page = _page_or_404(slug)
    revision = selectors.page_revision(page=page, number=number)
    if revision is None:
        raise Http404("No such revision of this page.")
    context = {"page": page, "revision": revision}
    context["can_revert"] = revision.number != page.revision_number and access.can_edit_wiki(
        request.user, page
    )
    return render(request, "knowledge/wiki_revision.html", context)


@login_required
def wiki_revert(request, slug, number):
    revision = _revision_or_404(request, slug, number)
    page, form = revision.page, WikiRevertForm(request.POST or None)
    back = reverse("knowledge:wiki-revision", args=[page.slug, number])
    if not (is_confirmed(request) and form.is_valid()):
        return confirmation_page(
            request,
            confirmation=REVERT,
            subject=revision,
            action=request.path,
            back=back,
            hidden={"base_revision": page.revision_number},
        )
    try:
        page = _write(request, wiki.page_revert, page=page, revision=revision, **form.cleaned_data)
    except wiki.EditConflict:
        messages.error(request, REVERT_CONFLICT)
        return redirect("knowledge:wiki-history", page.slug)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, REVERTED % {"number": number})
    return redirect(page)


@require_POST
@login_required
def wiki_protect(request, slug):
    page = _page_or_404(slug)
    form = WikiProtectForm(request.POST)
    if not (access.can_edit_protected_wiki(request.user) and form.is_valid()):
        raise PermissionDenied
    page = wiki.page_protect(page=page, user=request.user, **form.cleaned_data)
    if page.protected:
        messages.success(request, _("The page is protected: only editors may change it."))
    else:
        messages.success(request, _("The page is open to every registered user again."))
    return redirect(page)


@cached_for_visitors(stamps=wiki_stamps, params=("page",))
def wiki_changes(request):
    page_obj = Paginator(selectors.recent_changes(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/wiki_changes.html", {"page_obj": page_obj})


@cached_for_visitors(stamps=wiki_stamps)
def wiki_protected(request):
    pages = selectors.protected_wiki_pages()
    return render(request, "knowledge/wiki_protected.html", {"pages": pages})


@cached_for_visitors(stamps=wiki_stamps)
def wiki_backlinks(request, slug):
    page = _page_or_404(slug)
    context = {"page": page, "pages": selectors.pages_linking_to(page=page)}
    return render(request, "knowledge/wiki_backlinks.html", context)
