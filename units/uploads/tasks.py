"""Background tasks of the upload machinery (django.tasks; `manage.py db_worker` runs them).

Arguments are JSON: the job id and the uploader's language, so the row errors are written in the
language of the person who uploaded.
"""

from django.tasks import task
from django.utils import translation

from units.uploads import engine


@task()
def check_upload(*, job_id: int, language: str) -> str:
    """Dry run of an uploaded workbook; returns the job's status."""
    with translation.override(language):
        return engine.run_check(job_id).status


@task()
def commit_upload(*, job_id: int, language: str) -> str:
    """Write a checked workbook in one transaction; returns the job's status."""
    with translation.override(language):
        return engine.run_commit(job_id).status
