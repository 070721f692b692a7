"""Background tasks of the upload machinery (django.tasks; `manage.py units_run_worker` runs them).

Arguments are JSON: the job id and the uploader's language, so the row errors are written in the
language of the person who uploaded.

A task first takes its job: under the job's row lock it checks that the job still waits for this
step (not cancelled, not already done by an earlier run of a re-queued job) and takes the job's
run lock (units/uploads/liveness.py), held until the task ends. A task that finds the job
otherwise does nothing, so a retried or cancelled job is never checked or saved twice.
"""

import contextlib

from django.db import DatabaseError, transaction
from django.tasks import task
from django.utils import timezone, translation

from units.models import UploadJob, UploadStatus
from units.uploads import engine, liveness

SKIPPED = "skipped"


@contextlib.contextmanager
def taken(job_id: int, *, waiting_in: UploadStatus):
    """Yield True when this run took the job (status `waiting_in`, no other run alive)."""
    with transaction.atomic():
        status = (
            UploadJob.objects.select_for_update()
            .filter(pk=job_id)
            .values_list("status", flat=True)
            .first()
        )
        took = status == waiting_in and liveness.run_lock_acquire(job_id)
        if took:
            now = timezone.now()
            UploadJob.objects.filter(pk=job_id).update(started_at=now, progress_at=now)
    try:
        yield took
    finally:
        if took:
            with contextlib.suppress(DatabaseError):  # a lost connection released it already
                liveness.run_lock_release(job_id)


@task()
def check_upload(*, job_id: int, language: str) -> str:
    """Dry run of an uploaded workbook; returns the job's status."""
    with taken(job_id, waiting_in=UploadStatus.PENDING) as took:
        if not took:
            return SKIPPED
        with translation.override(language):
            return engine.run_check(job_id).status


@task()
def commit_upload(*, job_id: int, language: str) -> str:
    """Write a checked workbook in one transaction; returns the job's status."""
    with taken(job_id, waiting_in=UploadStatus.COMMITTING) as took:
        if not took:
            return SKIPPED
        with translation.override(language):
            return engine.run_commit(job_id).status
