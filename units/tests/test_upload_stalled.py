"""A job nobody picked up or that stopped: the page says so after a bounded wait and offers
Retry and Cancel; a retried or cancelled job is never checked or saved twice."""

import datetime

import psycopg
import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from units.models import LAO, Role, UploadJob, UploadStatus, WorkerHeartbeat
from units.tests.factories import UserFactory
from units.tests.uploads import REGISTRY_HEADERS, UPLOAD_TESTS, make_job, upload_region, workbook
from units.uploads import engine, liveness
from units.uploads.laos import REGISTRY_UPLOAD
from units.uploads.tasks import SKIPPED, check_upload, commit_upload

pytestmark = UPLOAD_TESTS


@pytest.fixture
def region():
    return upload_region(laos=1)


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def beat(at):
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=at, beat_at=at)


def stalled_check(staff, *, queued_for=datetime.timedelta(seconds=90)):
    """A check queued that long ago and never taken by a worker."""
    job = make_job(staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100", "", "9000"]]))
    UploadJob.objects.filter(pk=job.pk).update(progress_at=timezone.now() - queued_for)
    return job


def stopped_commit(staff):
    """A checked job whose commit a worker took, then went silent three minutes ago."""
    job = make_job(staff, REGISTRY_UPLOAD, workbook(REGISTRY_HEADERS, [["6400100", "", "9000"]]))
    engine.run_check(job.pk)
    UploadJob.objects.filter(pk=job.pk).update(
        status=UploadStatus.COMMITTING, started_at=ago(minutes=4), progress_at=ago(minutes=3)
    )
    return job


@pytest.fixture
def other_session():
    """A second PostgreSQL session on the test database, as a live worker would have."""
    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as session:
        yield session


def progress(client, job):
    return client.get(reverse("units:upload-progress", args=[job.pk]), HTTP_HX_REQUEST="true")


# --- the notice --------------------------------------------------------------------------------


def test_queued_job_without_a_worker_says_nobody_picked_it_up(
    client, region, django_assert_num_queries
):
    job = stalled_check(region.staff)
    client.force_login(region.staff)
    with django_assert_num_queries(5):  # session, user, can_upload, job, worker heartbeat
        html = progress(client, job).content.decode()
    assert "No background worker has picked up this upload since" in html
    assert 'action="' + reverse("units:upload-retry", args=[job.pk]) in html
    assert 'action="' + reverse("units:upload-cancel", args=[job.pk]) in html
    assert "csrfmiddlewaretoken" in html
    assert 'hx-trigger="every 10s"' in html  # still polled: a worker coming back moves it on
    with django_assert_num_queries(5):
        page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    assert "upload-stalled" in page


def test_a_fresh_queue_or_a_live_worker_shows_no_notice(client, region, django_assert_num_queries):
    client.force_login(region.staff)
    young = stalled_check(region.staff, queued_for=datetime.timedelta(seconds=20))
    with django_assert_num_queries(4):  # no heartbeat query before the wait is over
        assert "upload-stalled" not in progress(client, young).content.decode()
    beat(ago(seconds=5))
    behind_others = stalled_check(region.staff)  # 90 s in the queue, but a worker beats
    html = progress(client, behind_others).content.decode()
    assert "upload-stalled" not in html and 'hx-trigger="every 1s"' in html


def test_a_live_worker_that_never_takes_the_job_is_bounded_too(client, region):
    beat(ago(seconds=5))
    job = stalled_check(region.staff, queued_for=datetime.timedelta(minutes=3))
    client.force_login(region.staff)
    assert "No background worker has picked up" in progress(client, job).content.decode()


def test_running_job_without_progress_says_it_stopped(client, region, django_assert_num_queries):
    job = stopped_commit(region.staff)
    client.force_login(region.staff)
    with django_assert_num_queries(4):  # a started job needs no heartbeat
        html = progress(client, job).content.decode()
    assert "This upload has stopped: nothing has moved since" in html
    moving = stopped_commit(region.staff)
    UploadJob.objects.filter(pk=moving.pk).update(progress_at=ago(seconds=30))
    assert "upload-stalled" not in progress(client, moving).content.decode()


# --- retry -------------------------------------------------------------------------------------


def test_retry_runs_the_check_again(client, region, django_capture_on_commit_callbacks):
    job = stalled_check(region.staff)
    client.force_login(region.staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("units:upload-retry", args=[job.pk]), follow=True)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == UploadStatus.VALID, (job.message, job.errors)
    assert job.started_at is not None
    assert "The upload is queued again." in response.content.decode()


def test_retry_commits_a_stopped_commit_once(client, region, django_capture_on_commit_callbacks):
    job = stopped_commit(region.staff)
    client.force_login(region.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("units:upload-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTED, job.message
    assert LAO.objects.get(dla_code="6400100").population == 9000
    # The first commit's task, if a worker takes it now, sees the job saved and does nothing.
    assert commit_upload.call(job_id=job.pk, language="en") == SKIPPED
    # And a second Retry is refused: the job is saved.
    response = client.post(reverse("units:upload-retry", args=[job.pk]), follow=True)
    assert "This upload has been saved already." in response.content.decode()


def test_retry_is_refused_while_a_worker_still_runs_the_job(
    client, region, other_session, django_capture_on_commit_callbacks
):
    job = stopped_commit(region.staff)
    other_session.execute("SELECT pg_advisory_lock(%s)", [liveness.LOCK_NAMESPACE | job.pk])
    client.force_login(region.staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("units:upload-retry", args=[job.pk]), follow=True)
        cancel = client.post(reverse("units:upload-cancel", args=[job.pk]), follow=True)
    assert callbacks == []
    assert "A worker is still running this upload" in response.content.decode()
    assert "A worker is still running this upload" in cancel.content.decode()
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTING
    # A second run of the same job does nothing while the first holds it.
    assert commit_upload.call(job_id=job.pk, language="en") == SKIPPED
    assert LAO.objects.get(dla_code="6400100").population != 9000


def test_retry_of_a_moving_job_is_refused(client, region, django_capture_on_commit_callbacks):
    job = stalled_check(region.staff, queued_for=datetime.timedelta(seconds=5))
    client.force_login(region.staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("units:upload-retry", args=[job.pk]), follow=True)
    assert callbacks == []
    assert "This upload is moving again" in response.content.decode()


# --- cancel ------------------------------------------------------------------------------------


def test_cancel_marks_the_job_and_its_late_task_does_nothing(client, region):
    job = stalled_check(region.staff)
    client.force_login(region.staff)
    response = client.post(reverse("units:upload-cancel", args=[job.pk]), follow=True)
    assert "The upload is cancelled" in response.content.decode()
    job.refresh_from_db()
    assert job.status == UploadStatus.CANCELLED
    assert check_upload.call(job_id=job.pk, language="en") == SKIPPED
    job.refresh_from_db()
    assert job.status == UploadStatus.CANCELLED and job.started_at is None
    page = client.get(reverse("units:upload-detail", args=[job.pk])).content.decode()
    # No more polling (the header's own hx-get for its counts is on every signed-in page).
    progress = reverse("units:upload-progress", args=[job.pk])
    assert "upload-status-cancelled" in page and progress not in page


def test_a_cancelled_commit_saves_nothing(client, region):
    job = stopped_commit(region.staff)
    client.force_login(region.staff)
    client.post(reverse("units:upload-cancel", args=[job.pk]))
    assert commit_upload.call(job_id=job.pk, language="en") == SKIPPED
    assert LAO.objects.get(dla_code="6400100").population != 9000
    assert UploadJob.objects.get(pk=job.pk).status == UploadStatus.CANCELLED


# --- who may ------------------------------------------------------------------------------------


def test_other_province_staff_get_404_and_change_nothing(client, region):
    job = stopped_commit(region.staff)
    other_staff = UserFactory(role=Role.PROVINCIAL, province=region.far.province)
    client.force_login(other_staff)
    for name in ["units:upload-retry", "units:upload-cancel"]:
        assert client.post(reverse(name, args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == UploadStatus.COMMITTING


def test_buttons_need_post_and_a_login(client, region):
    job = stalled_check(region.staff)
    for name in ["units:upload-retry", "units:upload-cancel"]:
        url = reverse(name, args=[job.pk])
        assert client.post(url)["Location"].startswith(reverse("login"))
    client.force_login(region.staff)
    for name in ["units:upload-retry", "units:upload-cancel"]:
        assert client.get(reverse(name, args=[job.pk])).status_code == 405
    assert UploadJob.objects.get(pk=job.pk).status == UploadStatus.PENDING


def test_admins_may_rescue_any_job(client, region):
    job = stalled_check(region.staff)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    client.post(reverse("units:upload-cancel", args=[job.pk]))
    assert UploadJob.objects.get(pk=job.pk).status == UploadStatus.CANCELLED


def test_buttons_need_the_csrf_token(region):
    from django.test import Client

    job = stalled_check(region.staff)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(region.staff)
    assert strict.post(reverse("units:upload-cancel", args=[job.pk])).status_code == 403
    assert UploadJob.objects.get(pk=job.pk).status == UploadStatus.PENDING
