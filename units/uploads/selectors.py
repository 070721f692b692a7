"""Reads of the upload machinery: keyword-only functions returning shaped querysets."""

from django.db.models import QuerySet
from django.http import Http404

from units import access
from units.models import UploadJob

RECENT_UPLOADS = 20


def uploads_recent_for_user(*, user) -> QuerySet[UploadJob]:
    """The user's latest uploads for the upload page; only the list's columns (the error list
    and summary JSON can be large)."""
    return (
        UploadJob.objects.filter(user=user)
        .only(
            "id",
            "kind",
            "original_name",
            "status",
            "total_rows",
            "error_count",
            "created_at",
            "user_id",
        )
        .order_by("-created_at", "-id")[:RECENT_UPLOADS]
    )


def upload_for_user(*, user, pk: int) -> UploadJob:
    """The job if `user` may see it (the uploader, or an administrator); 404 otherwise."""
    jobs = UploadJob.objects.select_related("user")
    if not access.is_admin(user):
        jobs = jobs.filter(user=user)
    try:
        return jobs.get(pk=pk)
    except UploadJob.DoesNotExist:
        raise Http404("No upload of yours has this number.") from None
