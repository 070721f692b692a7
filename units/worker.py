"""Liveness of the background worker: the heartbeat it writes and what the pages read from it.

The worker (`manage.py units_run_worker`) writes its row of WorkerHeartbeat every
HEARTBEAT_EVERY seconds, through the database because the cache is per process. `/healthz/worker`
and the upload pages read the newest beat: older than STALE_AFTER means no worker is working.
"""

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from units.models import WorkerHeartbeat

HEARTBEAT_EVERY = 10  # seconds
# Six missed beats: a worker busy with a long task still beats (from its own thread).
STALE_AFTER = 60  # seconds
# Rows of workers gone for this long are removed when a worker starts.
FORGET_AFTER = datetime.timedelta(days=1)


class WorkerState(enum.StrEnum):
    OK = "ok"
    STALE = "stale"
    NEVER = "never"


@dataclass(frozen=True)
class WorkerHealth:
    state: WorkerState
    last_seen: datetime.datetime | None
    age_seconds: int | None

    @property
    def alive(self) -> bool:
        return self.state == WorkerState.OK


def worker_beat(*, worker_id: str, hostname: str, pid: int, started_at) -> None:
    """Record that the worker `worker_id` is alive now (one upsert)."""
    now = timezone.now()
    WorkerHeartbeat.objects.bulk_create(
        [
            WorkerHeartbeat(
                worker_id=worker_id, hostname=hostname, pid=pid, started_at=started_at, beat_at=now
            )
        ],
        update_conflicts=True,
        unique_fields=["worker_id"],
        update_fields=["hostname", "pid", "started_at", "beat_at"],
    )


def worker_forget_old(*, now=None) -> int:
    """Remove the rows of workers not seen for FORGET_AFTER; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return deleted


def worker_last_seen() -> datetime.datetime | None:
    """The newest beat of any worker, or None when no worker ever beat (one query)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]


def worker_health(*, now=None) -> WorkerHealth:
    """Whether a worker beat within STALE_AFTER seconds (one query)."""
    last_seen = worker_last_seen()
    if last_seen is None:
        return WorkerHealth(WorkerState.NEVER, None, None)
    age = max(0, int(((now or timezone.now()) - last_seen).total_seconds()))
    state = WorkerState.OK if age <= STALE_AFTER else WorkerState.STALE
    return WorkerHealth(state, last_seen, age)
