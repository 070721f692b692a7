"""Pages of the upload machinery: the upload page, a job's page (progress, preview, errors),
the commit, retry and cancel of a stalled job, and the template and error-report downloads.
Provincial staff and administrators."""

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from units.access import uploader_required
from units.models import UploadStatus
from units.tables import XLSX_CONTENT_TYPE, attachment
from units.uploads import engine, liveness, selectors, services, workbooks
from units.uploads.forms import UploadForm
from units.uploads.registry import get_upload_type, upload_types

ERRORS_PER_PAGE = 50
CHANGES_PER_PAGE = 50


@uploader_required
def upload_list(request):
    types = upload_types()
    form = UploadForm(request.POST or None, request.FILES or None, upload_types=types)
    if request.method == "POST" and form.is_valid():
        job = services.upload_create(
            user=request.user, upload_type=form.upload_type, file=form.cleaned_data["file"]
        )
        return redirect("units:upload-detail", pk=job.pk)
    context = {
        "form": form,
        "upload_types": types,
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
        "running": job.status in liveness.RUNNING,
        "stall": liveness.job_stall(job),
        "errors_page": errors,
        "changes_page": changes,
        "has_error_report": job.status == UploadStatus.INVALID and job.error_count > 0,
    }
    return render(request, "units/uploads/detail.html", context)


@uploader_required
def upload_progress(request, pk):
    """The progress partial the job page polls every second; reloads the page when done."""
    job = selectors.upload_for_user(user=request.user, pk=pk)
    if job.status not in liveness.RUNNING and request.htmx:
        return HttpResponseClientRefresh()
    context = {"job": job, "running": True, "stall": liveness.job_stall(job)}
    return render(request, "units/uploads/_progress.html", context)


@require_POST
@uploader_required
def upload_commit(request, pk):
    job = selectors.upload_for_user(user=request.user, pk=pk)
    if job.user_id != request.user.pk:
        raise Http404("Only the uploader commits an upload.")
    services.upload_commit(job=job, user=request.user)
    return redirect("units:upload-detail", pk=job.pk)


@require_POST
@uploader_required
def upload_retry(request, pk):
    """Queue again the check or commit of a job that nobody picked up or that stopped."""
    job = selectors.upload_for_user(user=request.user, pk=pk)
    try:
        services.upload_retry(job=job, user=request.user)
    except services.UploadNotStalled as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The upload is queued again."))
    return redirect("units:upload-detail", pk=job.pk)


@require_POST
@uploader_required
def upload_cancel(request, pk):
    """Cancel a job that nobody picked up or that stopped; nothing of it is saved."""
    job = selectors.upload_for_user(user=request.user, pk=pk)
    try:
        services.upload_cancel(job=job, user=request.user)
    except services.UploadNotStalled as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The upload is cancelled: nothing of it was saved."))
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
    if upload_type is None:
        raise Http404("No such upload type.")
    content = workbooks.upload_template_bytes(
        upload_type=upload_type, user=request.user, request=request
    )
    return attachment(
        content,
        filename=workbooks.upload_template_name(upload_type=upload_type),
        format="xlsx",
    )
