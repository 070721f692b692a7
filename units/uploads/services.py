"""Writes of the upload machinery: keyword-only, atomic, named `upload_<action>`."""

import uuid

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from units.models import UploadJob, UploadStatus
from units.uploads import liveness
from units.uploads.registry import UploadType
from units.uploads.tasks import check_upload, commit_upload


@transaction.atomic
def upload_create(*, user, upload_type: UploadType, file) -> UploadJob:
    """Store an uploaded workbook as a new job and queue its dry run (after the commit).

    `file` must have passed UploadForm's checks (reading.check_workbook): the dry run and the
    commit trust them and do not repeat them."""
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
        status=UploadStatus.COMMITTING,
        processed_rows=0,
        started_at=None,
        progress_at=timezone.now(),
    )
    if not started:
        return False
    language = translation.get_language()
    transaction.on_commit(lambda: commit_upload.enqueue(job_id=job.pk, language=language))
    return True


class UploadNotStalled(Exception):
    """Retry or Cancel was refused: the job is moving, running, or finished. The message says
    which, for the uploader."""


def _lock_stalled(job_id: int) -> UploadJob:
    """The job under its row lock, if it is stalled and no run of it is alive; else raise."""
    job = UploadJob.objects.select_for_update().get(pk=job_id)
    if job.status == UploadStatus.COMMITTED:
        raise UploadNotStalled(_("This upload has been saved already."))
    if job.status not in liveness.RUNNING:
        raise UploadNotStalled(_("This upload is no longer waiting or running."))
    if liveness.job_stall(job) is None:
        raise UploadNotStalled(_("This upload is moving again: wait for it to finish."))
    if not liveness.run_lock_is_free(job.pk):
        raise UploadNotStalled(_("A worker is still running this upload: wait for it to finish."))
    return job


@transaction.atomic
def upload_retry(*, job: UploadJob, user) -> UploadJob:
    """Queue again the check or the commit of a stalled job.

    Safe for a commit: under the job's row lock the job is still COMMITTING (the commit writes
    COMMITTED in its own transaction, so an earlier run that saved would show), and the run lock
    is free (no earlier run is alive, so none can still save). Raises UploadNotStalled otherwise.
    """
    job = _lock_stalled(job.pk)
    step = commit_upload if job.status == UploadStatus.COMMITTING else check_upload
    status = UploadStatus.COMMITTING if step is commit_upload else UploadStatus.PENDING
    UploadJob.objects.filter(pk=job.pk).update(
        status=status, processed_rows=0, started_at=None, progress_at=timezone.now(), message=""
    )
    language = translation.get_language()
    transaction.on_commit(lambda: step.enqueue(job_id=job.pk, language=language))
    job.refresh_from_db()
    return job


@transaction.atomic
def upload_cancel(*, job: UploadJob, user) -> UploadJob:
    """Mark a stalled job cancelled; its queued task, if a worker takes it later, does nothing
    (units/uploads/tasks.py). Raises UploadNotStalled when it is moving, running or finished."""
    job = _lock_stalled(job.pk)
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.CANCELLED, message="")
    job.refresh_from_db()
    return job
