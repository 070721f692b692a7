"""Run the background task worker, surviving database restarts, and write its heartbeat.

django-tasks-db's `db_worker` exits on the first OperationalError (a PostgreSQL restart, a
network cut) and nothing starts it again, so every upload waits forever. This command runs the
same worker loop, and when the database goes away it closes the connections, waits with
exponential backoff (1 s doubling to 30 s) and carries on. A thread writes the worker's
heartbeat (units/worker.py) every few seconds, even while a long task runs, so `/healthz/worker`
and the upload pages can tell when no worker is working. `make run` starts it under a supervisor
that restarts it if it exits anyway (scripts/serve.sh).
"""

import logging
import os
import socket
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from units import worker as liveness

logger = logging.getLogger(__name__)

BACKOFF_START = 1.0  # seconds
BACKOFF_MAX = 30.0  # seconds
# Errors that mean "the database is not reachable right now", worth waiting out.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every `every` seconds through the thread's own connection."""

    def __init__(self, *, worker_id: str, every: float):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()
        self.started_at = timezone.now()

    def run(self) -> None:
        pruned = False
        try:
            while True:
                try:
                    if not pruned:
                        liveness.worker_forget_old()
                        pruned = True
                    liveness.worker_beat(
                        worker_id=self.worker_id,
                        hostname=socket.gethostname()[:255],
                        pid=os.getpid(),
                        started_at=self.started_at,
                    )
                except DatabaseError as error:
                    # The main loop logs the outage; here a line at debug level is enough.
                    logger.debug("Heartbeat not written: %s", error)
                    connections.close_all()
                if self.stopping.wait(self.every):
                    return
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()


class ResilientWorker(db_worker.Worker):
    """django-tasks-db's worker loop, restarted after connection errors instead of exiting."""

    def __init__(self, *, heartbeat_every: float = liveness.HEARTBEAT_EVERY, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat_every = heartbeat_every

    def run(self) -> None:
        heartbeat = Heartbeat(worker_id=self.worker_id, every=self.heartbeat_every)
        heartbeat.start()
        try:
            self.run_until_stopped()
        finally:
            heartbeat.stop()

    def run_until_stopped(self) -> None:
        delay = BACKOFF_START
        while self.running:
            entered = time.monotonic()
            try:
                super().run()
                return  # a clean end: --batch, --max-tasks, or a signal
            except CONNECTION_ERRORS as error:
                if not self.running:  # asked to stop while the database went away: just stop
                    logger.warning("Database unavailable while stopping: %s", error)
                    return
                if time.monotonic() - entered > BACKOFF_MAX:
                    delay = BACKOFF_START  # a new outage after a good while: start over
                logger.warning(
                    "Database unavailable (%s: %s); reconnecting in %.0f s",
                    type(error).__name__,
                    str(error).strip().splitlines()[0] if str(error).strip() else "",
                    delay,
                )
                # Broken connections would fail again; the next query opens a fresh one.
                connections.close_all()
                self.startup_delay = False
                time.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db's db_worker) so that it survives "
        "database restarts, and write its heartbeat for /healthz/worker."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=liveness.HEARTBEAT_EVERY,
            help="Seconds between heartbeats (default: %(default)r)",
        )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        heartbeat,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
            heartbeat_every=heartbeat,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
