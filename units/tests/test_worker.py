"""The worker's heartbeat and its loop that waits out database outages (units_run_worker).

The end-to-end proof, a real PostgreSQL stopped under a running worker, is in
test_worker_restart.py.
"""

import datetime

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from units import worker as liveness
from units.management.commands import units_run_worker
from units.models import WorkerHeartbeat


@pytest.mark.django_db
def test_beats_upsert_one_row_per_worker_and_old_rows_go():
    started = timezone.now()
    liveness.worker_beat(worker_id="a", hostname="h", pid=1, started_at=started)
    first = WorkerHeartbeat.objects.get(worker_id="a").beat_at
    liveness.worker_beat(worker_id="a", hostname="h", pid=1, started_at=started)
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get(worker_id="a").beat_at >= first
    long_ago = timezone.now() - datetime.timedelta(days=2)
    WorkerHeartbeat.objects.create(worker_id="old", started_at=long_ago, beat_at=long_ago)
    assert liveness.worker_forget_old() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["a"]


@pytest.mark.django_db
def test_health_is_never_then_ok_then_stale():
    assert liveness.worker_health().state == liveness.WorkerState.NEVER
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="a", started_at=now, beat_at=now)
    assert liveness.worker_health(now=now + datetime.timedelta(seconds=59)).alive
    stale = liveness.worker_health(now=now + datetime.timedelta(seconds=61))
    assert stale.state == liveness.WorkerState.STALE and stale.age_seconds == 61


class FakeHeartbeat:
    """Stands in for the heartbeat thread: these tests look at the loop only."""

    def __init__(self, **kwargs):
        self.stopped = False

    def start(self):
        pass

    def stop(self):
        self.stopped = True


def make_worker():
    return units_run_worker.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.fixture
def loop(monkeypatch):
    """The upstream loop replaced by a script of outcomes; records sleeps and reconnects."""
    record = {"sleeps": [], "closed": 0, "runs": 0}
    outcomes = []

    def fake_run(self):
        record["runs"] += 1
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    def close_all():
        record["closed"] += 1

    monkeypatch.setattr(db_worker.Worker, "run", fake_run)
    monkeypatch.setattr(units_run_worker, "Heartbeat", FakeHeartbeat)
    monkeypatch.setattr(units_run_worker.connections, "close_all", close_all)
    monkeypatch.setattr(units_run_worker.time, "sleep", record["sleeps"].append)
    return outcomes, record


def test_connection_errors_reconnect_with_growing_backoff(loop):
    outcomes, record = loop
    refused = OperationalError("connection refused")
    outcomes.extend([refused] * 7 + [InterfaceError("connection already closed"), None])
    make_worker().run()
    assert record["runs"] == 9
    assert record["sleeps"] == [1, 2, 4, 8, 16, 30, 30, 30]  # capped at 30 s
    assert record["closed"] == 8


def test_other_errors_still_stop_the_worker(loop):
    outcomes, record = loop
    outcomes.extend([OperationalError("the database system is shutting down"), ProgrammingError()])
    with pytest.raises(ProgrammingError):
        make_worker().run()
    assert record["sleeps"] == [1]


def test_a_stopping_worker_does_not_reconnect(loop, monkeypatch):
    outcomes, record = loop
    worker = make_worker()

    def stop_then_fail(self):
        record["runs"] += 1
        worker.running = False  # a TERM arrived while the database was going away
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(db_worker.Worker, "run", stop_then_fail)
    worker.run()
    assert record["runs"] == 1 and record["sleeps"] == []
