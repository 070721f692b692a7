"""Whether a queued or running upload job is still moving, and the lock that says a run is live.

A job waits in the queue (`started_at` empty) until a worker takes it; then every progress write
moves `progress_at`. The job page tells the uploader, after a bounded wait, that nobody picked
the job up or that it stopped, and offers Retry and Cancel (units/uploads/services.py).

A run of a job holds a PostgreSQL session advisory lock keyed by the job for as long as it runs.
The lock dies with the worker's connection (a crash, a killed process, a database restart), so
"the lock is free" means no run of this job is alive: only then may a job be re-queued or
cancelled without two commits racing or a finishing run overwriting the cancellation.
"""

import datetime
import enum

from django.db import connections
from django.utils import timezone

from units.models import UploadJob, UploadStatus
from units.worker import worker_health

# A job nobody picked up within this long, while no worker beats, will not be picked up.
PICKUP_WAIT = datetime.timedelta(seconds=60)
# A job with no sign of life for this long has stopped (or is queued behind a stuck worker).
STALL_AFTER = datetime.timedelta(minutes=2)
RUNNING = frozenset({UploadStatus.PENDING, UploadStatus.VALIDATING, UploadStatus.COMMITTING})

# High 32 bits of the advisory lock key: "UPLD", so upload locks never collide with others.
LOCK_NAMESPACE = 0x55504C44 << 32


class Stall(enum.StrEnum):
    NOT_PICKED_UP = "not_picked_up"
    STOPPED = "stopped"


def job_stall(job: UploadJob, *, now=None) -> Stall | None:
    """Why a queued or running job is not moving, or None while it is (or is finished).

    Asks for the worker's heartbeat (one query) only when a job has waited in the queue past
    PICKUP_WAIT; otherwise no query.
    """
    if job.status not in RUNNING:
        return None
    idle = (now or timezone.now()) - job.progress_at
    if job.started_at is not None:
        return Stall.STOPPED if idle > STALL_AFTER else None
    if idle > STALL_AFTER or (idle > PICKUP_WAIT and not worker_health(now=now).alive):
        return Stall.NOT_PICKED_UP
    return None


def _key(job_id: int) -> int:
    return LOCK_NAMESPACE | job_id


def run_lock_acquire(job_id: int) -> bool:
    """Hold the job's run lock on the default connection's session; False if a run holds it."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(job_id)])
        return cursor.fetchone()[0]


def run_lock_release(job_id: int) -> None:
    """Let go of the job's run lock (a lost connection has let go of it already)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(job_id)])


def run_lock_is_free(job_id: int) -> bool:
    """True when no run of the job is alive. Call inside a transaction: the probe holds the lock
    until that transaction ends, so no run can start in between."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_key(job_id)])
        return cursor.fetchone()[0]
