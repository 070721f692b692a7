"""Pages of the knowledge base's documents: landing pages, Thai search, a document's page and its
files, the editor's and the LAO officer's forms, and the review of proposed good practices."""

from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from knowledge import selectors, services
from knowledge.citation import citation_en, citation_th
from knowledge.files import FILE_TYPES
from knowledge.filters import DocumentFilter
from knowledge.forms import DocumentForm, GoodPracticeForm, ReturnForm, document_edit_form
from knowledge.models import DocumentKind
from units import access
from units.filters import filter_query, valid_filters
from units.pagecache import cached_for_visitors
from units.views.workflow import (
    Confirmation,
    confirmation_page,
    is_confirmed,
    posted_version,
    workflow_step,
)


def documents_stamps(request, **kwargs) -> list[str]:
    """What the public document pages show: documents, their files, topics, tags and good
    practices (`services.STAMP`; downloads move nothing, the counter lags by the page's
    timeout)."""
    return [services.STAMP]


def _links(user) -> dict:
    return {
        "is_editor": access.is_knowledge_editor(user),
        "proposes": bool(getattr(user, "lao_id", None))
        and access.can_propose_good_practice(user, user.lao),
    }


@cached_for_visitors(stamps=documents_stamps)
def index(request):
    """Area 4: search, the newest research, reports and good practices."""
    context = {
        "documents": selectors.latest_documents(),
        "filter": DocumentFilter(),
        **_links(request.user),
    }
    return render(request, "knowledge/index.html", context)


@cached_for_visitors(stamps=documents_stamps)
def academic(request):
    """Area 6: the newest academic papers, articles and manuals."""
    context = {"documents": selectors.latest_documents(academic=True), "filter": DocumentFilter()}
    return render(request, "knowledge/academic.html", context)


# Every filter of the FilterSet (q, kind, topic, year, province, lao) and the page number.
@cached_for_visitors(stamps=documents_stamps, params=(*DocumentFilter.base_filters, "page"))
def search(request):
    """Published documents filtered by kind, topic, year, LAO, province; ranked by `q`."""
    documents = DocumentFilter(request.GET, queryset=selectors.published_documents())
    query = valid_filters(documents).get("q") or ""
    page = selectors.document_search(
        documents=documents.qs, query=query, number=_page_number(request)
    )
    keep = filter_query(documents)
    return render(
        request,
        "knowledge/search.html",
        {"filter": documents, "page": page, "keep": keep.urlencode()},
    )


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


@cached_for_visitors(stamps=documents_stamps)
def document(request, pk):
    """A document's stable page: text, files, citation, share links, related documents, and
    the review buttons for editors."""
    doc = selectors.document_for_user(user=request.user, pk=pk)
    url = request.build_absolute_uri(doc.get_absolute_url())
    context = {
        "document": doc,
        **selectors.document_page(document=doc),
        "citation_th": citation_th(doc, url),
        "citation_en": citation_en(doc, url),
        "share": _share_links(doc, url),
        "can_review": access.is_knowledge_editor(request.user)
        and not access.is_submitter(request.user, doc),
        "can_edit": _can_edit(request.user, doc),
        "manages_files": access.is_knowledge_editor(request.user),
        "return_form": ReturnForm(subject=doc),
    }
    return render(request, "knowledge/document.html", context)


def _can_edit(user, doc) -> bool:
    if access.is_knowledge_editor(user):
        return True
    return (
        doc.kind == DocumentKind.GOOD_PRACTICE
        and not doc.is_published
        and access.can_propose_good_practice(user, doc.lao)
    )


def _share_links(doc, url: str) -> list[tuple[str, str]]:
    link, title = quote(url, safe=""), quote(doc.title, safe="")
    return [
        ("LINE", f"https://social-plugins.line.me/lineit/share?url={link}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={link}"),
        ("X", f"https://twitter.com/intent/tweet?url={link}&text={title}"),
        (_("E-mail"), f"mailto:?subject={title}&body={link}"),
    ]


def document_file(request, pk, file_pk):
    """A document's file as an attachment (never shown inline): its cleaned original name
    (RFC 5987 for Thai), the type its content was checked to be, `nosniff`; counted."""
    attached = selectors.document_file_for_user(user=request.user, pk=pk, file_pk=file_pk)
    doc = attached.document
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    services.document_download_count(document=doc)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attached.original_name,
        content_type=FILE_TYPES[attached.file_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _editors_file(request, pk, file_pk):
    """The file an editor manages; 404 for everyone else, before anything is read."""
    if not access.is_knowledge_editor(request.user):
        raise Http404("Only editors manage a document's files.")
    return selectors.document_file_for_user(user=request.user, pk=pk, file_pk=file_pk)


def _take(request, step, attached, done: str):
    """Take a file step as workflow steps are taken: refused is 404, a reason is a message."""
    try:
        step(attached=attached, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(attached.document)


@require_POST
@login_required
def document_file_retry(request, pk, file_pk):
    """An editor has the text of a file that failed read again."""
    attached = _editors_file(request, pk, file_pk)
    return _take(
        request,
        services.document_file_extraction_retry,
        attached,
        _("The file's text will be read again in a moment."),
    )


REMOVE_FILE = Confirmation(
    question=gettext_lazy("Remove the file from the document?"),
    consequence=gettext_lazy(
        "The file is deleted and its text is no longer found by search; it cannot be undone "
        "(upload it again to bring it back)."
    ),
    button=gettext_lazy("Remove the file"),
    subject=lambda attached: f"{attached.original_name} · {attached.document.title}",
)


@require_http_methods(["GET", "POST"])
@login_required
def document_file_delete(request, pk, file_pk):
    """An editor removes a file, from its confirmation page only."""
    attached = _editors_file(request, pk, file_pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            confirmation=REMOVE_FILE,
            subject=attached,
            action=request.path,
            back=reverse("knowledge:document", args=[pk]),
            hidden={},
        )
    return _take(request, services.document_file_delete, attached, _("The file is removed."))


@login_required
def document_new(request):
    """An editor publishes a document."""
    if not access.is_knowledge_editor(request.user):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.document_publish_new(
                user=request.user, data=form.cleaned_data, files=form.cleaned_data["files"]
            )
        finally:
            form.discard_files()
        messages.success(request, _("The document is published."))
        return redirect(doc)
    return render(
        request, "knowledge/document_form.html", {"form": form, "heading": _("New document")}
    )


@login_required
def good_practice_new(request):
    """An LAO's officer proposes a good practice of their LAO (404 for anyone else)."""
    lao = request.user.lao if getattr(request.user, "lao_id", None) else None
    if lao is None or not access.can_propose_good_practice(request.user, lao):
        raise Http404
    form = GoodPracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.good_practice_propose(
                user=request.user, lao=lao, data=form.cleaned_data, files=form.cleaned_data["files"]
            )
        finally:
            form.discard_files()
        messages.success(request, _("The good practice is sent to the editors for review."))
        return redirect(doc)
    return render(
        request,
        "knowledge/document_form.html",
        {"form": form, "heading": _("Propose a good practice"), "lao": lao},
    )


@login_required
def document_edit(request, pk):
    """Editors change any document; an officer their LAO's good practice until it is published
    (a returned one goes back for review). A refusal (someone saved in between, a title that
    normalizes to nothing) shows on the form with what was typed, under the version posted, so
    that saving again cannot silently overwrite the other person's changes."""
    doc = selectors.document_for_user(user=request.user, pk=pk)
    if not _can_edit(request.user, doc):
        raise Http404
    form = document_edit_form(doc, request.POST or None, request.FILES or None)
    version = posted_version(request) if request.method == "POST" else doc.version
    if request.method == "POST" and form.is_valid():
        if _submitted(request, form, services.document_update, document=doc, version=version):
            messages.success(request, _("The document is saved."))
            return redirect(doc)
    return render(
        request,
        "knowledge/document_form.html",
        {"form": form, "heading": _("Edit the document"), "document": doc, "version": version},
    )


def _submitted(request, form, service, **arguments) -> bool:
    """Hand a valid form's data and checked files to `service(user=, data=, files=,
    **arguments)`: True when it took them. Its refusal shows on the form (PermissionDenied is
    a 404); the checked files it did not store are discarded either way."""
    try:
        service(
            user=request.user, data=form.cleaned_data, files=form.cleaned_data["files"], **arguments
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _refused(form, error)
        return False
    finally:
        form.discard_files()
    return True


def _refused(form, error: ValidationError) -> None:
    """A service's refusal on the form: on the fields it names, or above them."""
    named = set(getattr(error, "error_dict", {}))
    form.add_error(None, error if named <= set(form.fields) else error.messages)


@login_required
def good_practices(request):
    """An officer's good practices (every status, with the editor's comment); for editors, the
    proposals waiting for review."""
    if access.is_knowledge_editor(request.user):
        rows, mine = selectors.review_queue(), False
    elif getattr(request.user, "lao_id", None) and access.can_propose_good_practice(
        request.user, request.user.lao
    ):
        rows, mine = selectors.lao_good_practices(lao=request.user.lao), True
    else:
        raise Http404
    page_obj = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/good_practices.html", {"page_obj": page_obj, "mine": mine})


def _reviews(user, lao) -> bool:
    return access.is_knowledge_editor(user)


_step = partial(
    workflow_step,
    load=selectors.document_for_user,
    argument="document",
    page="knowledge:document",
    allowed=_reviews,
)

good_practice_publish = _step(
    service=services.good_practice_publish,
    done=gettext_lazy("The good practice is published."),
    confirm=Confirmation(
        question=gettext_lazy("Publish the good practice?"),
        consequence=gettext_lazy(
            "Everyone can read it; it shows on its LAO's profile and is suggested to similar LAOs."
        ),
        button=gettext_lazy("Publish"),
    ),
)
good_practice_return = _step(
    service=services.good_practice_return,
    done=gettext_lazy("The good practice is returned to the LAO with your comment."),
    form=ReturnForm,
    confirm=Confirmation(
        question=gettext_lazy("Return the good practice to the LAO?"),
        consequence=gettext_lazy(
            "The LAO reads your comment, revises it and sends it again; until then it is not "
            "published."
        ),
        button=gettext_lazy("Return to the LAO"),
    ),
)
