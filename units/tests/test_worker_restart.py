"""A real PostgreSQL restarted and stopped under a running worker: the next task still runs; and
the supervisor `make run` uses starts a killed worker again and stops cleanly.

Each test module run makes its own throwaway cluster in a temporary folder (never the project's
cluster), runs the worker as a subprocess against it, and removes the cluster even on failure.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "lp_worker_restart"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` OS user under root."""

    def __init__(self, bindir: str):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="lp-worker-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def as_owner(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], cwd="/", check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        self.as_owner(
            f"{self.bindir}/initdb", "-D", str(self.data), "-E", "UTF8", "--locale=C.UTF-8",
            "-A", "trust", "-U", "postgres",
        )  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                "unix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\n"
            )
        self.start()
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {DB_NAME}")

    def dsn(self, name=DB_NAME) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={name}"

    def start(self) -> None:
        self.as_owner(
            f"{self.bindir}/pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode="fast") -> None:
        self.as_owner(f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop(mode="immediate")
            except subprocess.SubprocessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    if not bindirs or not os.path.exists(f"{bindirs[-1]}/initdb"):
        pytest.skip("PostgreSQL server binaries (initdb) are not installed")
    cluster = Cluster(bindirs[-1])
    try:
        cluster.create()
        cluster.env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            # The suite runs tasks immediately; the worker needs the real database backend.
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_EMAIL_URL": "consolemail://",
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        }
        for app in ["django_tasks_database", "units"]:
            manage(cluster, "migrate", app, "-v", "0")
        yield cluster
    finally:
        cluster.remove()


def manage(cluster, *args, timeout=60) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


ENQUEUE_AND_WAIT = textwrap.dedent(
    """
    import time
    from units.uploads.tasks import check_upload
    result = check_upload.enqueue(job_id=0, language="th")
    deadline = time.monotonic() + {timeout}
    while result.status not in ("SUCCESSFUL", "FAILED") and time.monotonic() < deadline:
        time.sleep(0.2)
        result.refresh()
    print("STATUS", result.status)
    """
)


def run_a_task(cluster, timeout=20) -> str:
    """Enqueue an upload check (of no job: it reads the database and skips) and wait for a
    worker to run it; its final status."""
    out = manage(cluster, "shell", "-c", ENQUEUE_AND_WAIT.format(timeout=timeout))
    return out.rsplit("STATUS", 1)[1].strip()


def last_beat_age(cluster) -> float:
    with psycopg.connect(cluster.dsn()) as db:
        row = db.execute(
            "SELECT EXTRACT(EPOCH FROM now() - max(beat_at)) FROM units_workerheartbeat"
        ).fetchone()
    return float(row[0])


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_worker_survives_a_restart_and_an_outage_of_the_database(cluster, tmp_path):
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "units_run_worker", "--interval", "0.2",
             "--no-startup-delay", "--heartbeat", "1"],
            cwd=ROOT, env=cluster.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert run_a_task(cluster) == "SUCCESSFUL"
        cluster.stop()  # a restart: "the database system is shutting down", then refused
        cluster.start()
        time.sleep(1)
        cluster.stop()  # an outage of eight seconds
        time.sleep(8)
        assert worker.poll() is None, log.read_text()[-3000:]
        cluster.start()
        assert run_a_task(cluster, timeout=30) == "SUCCESSFUL", log.read_text()[-3000:]
        assert worker.poll() is None
        assert last_beat_age(cluster) < 5  # and the heartbeat is back
        assert "Database unavailable" in log.read_text()
    finally:
        stop_process(worker)
    assert worker.returncode == 0  # TERM: a clean stop


def read_pid(path: Path, *, other_than=None, timeout=20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid = int(path.read_text())
        except (FileNotFoundError, ValueError):
            pid = None
        if pid and pid != other_than:
            return pid
        time.sleep(0.1)
    raise AssertionError(f"no new pid in {path}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_supervisor_starts_a_killed_worker_again_and_stops_cleanly(cluster, tmp_path):
    run_dir = tmp_path / "run"
    log = tmp_path / "supervisor.log"
    env = {**cluster.env, "SERVE_RUN_DIR": str(run_dir)}
    with open(log, "wb") as out:
        supervisor = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve.sh"), "supervise-worker", "--interval", "0.2",
             "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    pid_file = run_dir / "worker.pid"
    try:
        first = read_pid(pid_file)
        os.kill(first, signal.SIGKILL)
        second = read_pid(pid_file, other_than=first)
        assert run_a_task(cluster) == "SUCCESSFUL", log.read_text()[-3000:]
        assert "task worker exited with status 137" in log.read_text()
        # `make stop`: serve.sh stop ends the supervisor, which ends its worker first. (This test
        # reaps the supervisor only afterwards: serve.sh must not wait for an exited process.)
        (run_dir / "worker-supervisor.pid").write_text(str(supervisor.pid))
        stop = subprocess.run(
            ["bash", str(ROOT / "scripts" / "serve.sh"), "stop"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert stop.returncode == 0, stop.stderr
        assert "task worker supervisor stopped" in stop.stdout
        assert supervisor.wait(timeout=1) == 0
        assert not alive(second)
        assert not pid_file.exists() and not (run_dir / "worker-supervisor.pid").exists()
    finally:
        stop_process(supervisor)
        if pid_file.exists():
            pid = int(pid_file.read_text())
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
