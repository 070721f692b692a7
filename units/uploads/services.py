"""Writes of the upload machinery: keyword-only, atomic, named `upload_<action>`."""

import uuid

from django.db import transaction
from django.utils import translation

from units.models import UploadJob, UploadStatus
from units.uploads.registry import UploadType
from units.uploads.tasks import check_upload, commit_upload


@transaction.atomic
def upload_create(*, user, upload_type: UploadType, file) -> UploadJob:
    """Store an uploaded workbook as a new job and queue its dry run (after the commit)."""
    job = UploadJob(
        kind=upload_type.key,
        user=user,
        original_name=(file.name or "upload.xlsx")[:255],
        size=file.size,
    )
    # A name of our own: people's file names may hold anything.
    job.file.save(f"{uuid.uuid4().hex}.xlsx", file, save=False)
    job.save()
    language = translation.get_language()
    transaction.on_commit(lambda: check_upload.enqueue(job_id=job.pk, language=language))
    return job


@transaction.atomic
def upload_commit(*, job: UploadJob, user) -> bool:
    """Queue the commit of a checked job; False when it is not (or no longer) ready.

    The status moves VALID → COMMITTING in one conditional UPDATE, so a double click or two
    tabs cannot commit the same file twice.
    """
    started = UploadJob.objects.filter(pk=job.pk, status=UploadStatus.VALID).update(
        status=UploadStatus.COMMITTING, processed_rows=0
    )
    if not started:
        return False
    language = translation.get_language()
    transaction.on_commit(lambda: commit_upload.enqueue(job_id=job.pk, language=language))
    return True
