"""Reads of the upload machinery: keyword-only functions returning shaped querysets."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from units import access
from units.models import UploadJob, UploadStatus

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


# The work page's "uploads in progress" looks back this far: an older job checked but never
# saved was left behind, and stays on the upload page.
IN_PROGRESS_DAYS = 7
# Not finished: waiting or being checked, checked and waiting for the uploader to save, saving.
IN_PROGRESS = (
    UploadStatus.PENDING,
    UploadStatus.VALIDATING,
    UploadStatus.VALID,
    UploadStatus.COMMITTING,
)


def uploads_in_progress_for_user(*, user, now) -> QuerySet[UploadJob]:
    """The user's unfinished uploads of the last IN_PROGRESS_DAYS, newest first; only the
    list's columns."""
    return (
        UploadJob.objects.filter(
            user=user,
            status__in=IN_PROGRESS,
            created_at__gte=now - datetime.timedelta(days=IN_PROGRESS_DAYS),
        )
        .only("id", "kind", "original_name", "status", "total_rows", "created_at", "user_id")
        .order_by("-created_at", "-id")
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
