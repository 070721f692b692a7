"""Pages of the upload machinery: the upload page, a job's page (progress, preview, errors),
the commit, and the template and error-report downloads. Provincial staff and administrators."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from units import access
from units.models import UploadStatus
from units.uploads import engine, selectors, services
from units.uploads.forms import UploadForm
from units.uploads.reading import XLSX_CONTENT_TYPE
from units.uploads.registry import get_upload_type, upload_types_for
from units.uploads.spreadsheets import workbook_bytes

RUNNING = {UploadStatus.PENDING, UploadStatus.VALIDATING, UploadStatus.COMMITTING}
ERRORS_PER_PAGE = 50
CHANGES_PER_PAGE = 50


def uploader_required(view):
    """Logged in (else the login page) and allowed to upload (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can_upload(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@uploader_required
def upload_list(request):
    upload_types = upload_types_for(request.user, can_upload_checked=True)
    form = UploadForm(request.POST or None, request.FILES or None, upload_types=upload_types)
    if request.method == "POST" and form.is_valid():
        job = services.upload_create(
            user=request.user, upload_type=form.upload_type, file=form.cleaned_data["file"]
        )
        return redirect("units:upload-detail", pk=job.pk)
    context = {
        "form": form,
        "upload_types": upload_types,
        "uploads": selectors.uploads_recent_for_user(user=request.user),
        "max_megabytes": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "units/uploads/list.html", context, status=400 if form.errors else 200)


@uploader_required
def upload_detail(request, pk):
    job = selectors.upload_for_user(user=request.user, pk=pk)
    upload_type = get_upload_type(job.kind)
    errors = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    # Errors (invalid jobs) and changes (valid ones) never show together: one page parameter.
    changes = Paginator(job.summary.get("changes", []), CHANGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "job": job,
        "upload_type": upload_type,
        "running": job.status in RUNNING,
        "errors_page": errors,
        "changes_page": changes,
        "has_error_report": job.status == UploadStatus.INVALID and job.error_count > 0,
    }
    return render(request, "units/uploads/detail.html", context)


@uploader_required
def upload_progress(request, pk):
    """The progress partial the job page polls every second; reloads the page when done."""
    job = selectors.upload_for_user(user=request.user, pk=pk)
    if job.status not in RUNNING and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "units/uploads/_progress.html", {"job": job, "running": True})


@require_POST
@uploader_required
def upload_commit(request, pk):
    job = selectors.upload_for_user(user=request.user, pk=pk)
    if job.user_id != request.user.pk:
        raise Http404("Only the uploader commits an upload.")
    services.upload_commit(job=job, user=request.user)
    return redirect("units:upload-detail", pk=job.pk)


@uploader_required
def upload_error_report(request, pk):
    job = selectors.upload_for_user(user=request.user, pk=pk)
    name = engine.error_report_name(job)
    if job.status != UploadStatus.INVALID or not default_storage.exists(name):
        raise Http404("This upload has no error report.")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"errors-upload-{job.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@uploader_required
def upload_template(request, kind):
    upload_type = get_upload_type(kind)
    if upload_type is None or upload_type not in upload_types_for(
        request.user, can_upload_checked=True
    ):
        raise Http404("No such upload type.")
    resource = upload_type.resource()
    export_fields = resource.get_export_fields()
    headers = [field.column_name for field in export_fields]
    column_notes = getattr(resource, "column_notes", {})
    notes = [(_("Column"), _("Column (English)"), _("How to fill it in"))]
    notes += [
        (header, *(str(part) for part in column_notes.get(header, ("", "")))) for header in headers
    ]
    # A type may say more (or otherwise) under the columns: resource.template_notes(request=).
    template_notes = getattr(resource, "template_notes", None)
    extra = (
        template_notes(request=request)
        if template_notes
        else [_("A blank cell leaves the current value unchanged.")]
    )
    notes += [("", "", str(note)) for note in extra]
    content = workbook_bytes(
        title=upload_type.key,
        headers=headers,
        rows=upload_type.template_rows(user=request.user),
        text_columns=[
            index
            for index, field in enumerate(export_fields)
            if field.attribute == upload_type.lao_code_field
        ],
        widths=[18] * len(headers),
        notes=notes,
        notes_title=_("Notes"),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="template-{upload_type.key}-{stamp}.xlsx"'
    )
    return response
