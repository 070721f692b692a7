"""scripts/pg.sh starts a working cluster wherever the checkout is, without opening its folders.

Each test copies the script into a fresh checkout folder and runs it as `make run` would. pytest's
temporary folders are mode 700 and owned by root, the very case of a clone in root's home.
"""

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the postgres OS user is used only as root"),
    pytest.mark.skipif(
        not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")), reason="no initdb"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_checkout(parent: Path) -> Path:
    checkout = parent / "lao-portal"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "pg.sh", checkout / "scripts" / "pg.sh")
    return checkout


def pg(checkout: Path, command: str, fallback: Path) -> str:
    env = {**os.environ, "PG_FALLBACK_ROOT": str(fallback), "PG_PORT": str(free_port())}
    result = subprocess.run(
        [str(checkout / "scripts" / "pg.sh"), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip() + result.stderr.strip()


def select_one(checkout: Path, fallback: Path) -> int:
    url = pg(checkout, "url", fallback)
    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute("SELECT 1").fetchone()[0]


@pytest.fixture
def fallback():
    # Outside the closed folder, as /var/lib/lao-portal is: reachable by the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="lao-pg-fallback-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_checkout_in_a_closed_folder_gets_a_cluster_outside_it(tmp_path, fallback):
    tmp_path.chmod(0o700)
    checkout = make_checkout(tmp_path)
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in (tmp_path, checkout)}
    try:
        said = pg(checkout, "start", fallback)
        assert "cannot reach" in said
        where = Path(pg(checkout, "where", fallback))
        assert where.parent == fallback
        assert (checkout / "var" / "pg-location").read_text().strip() == str(where)
        assert select_one(checkout, fallback) == 1
        # Nothing was opened up to make it work.
        assert {path: stat.S_IMODE(path.stat().st_mode) for path in modes} == modes

        # stop and start again find the same cluster through the recorded location.
        pg(checkout, "stop", fallback)
        pg(checkout, "start", fallback)
        assert Path(pg(checkout, "where", fallback)) == where
        assert select_one(checkout, fallback) == 1
    finally:
        pg(checkout, "destroy", fallback)
    assert not where.exists()
    assert not (checkout / "var" / "pg-location").exists()


def test_a_reachable_checkout_keeps_its_cluster_in_var_pg(fallback):
    parent = Path(tempfile.mkdtemp(prefix="lao-open-checkout-"))
    parent.chmod(0o755)
    checkout = make_checkout(parent)
    try:
        said = pg(checkout, "start", fallback)
        assert "cannot reach" not in said
        assert Path(pg(checkout, "where", fallback)) == checkout / "var" / "pg"
        assert select_one(checkout, fallback) == 1
        assert list(fallback.iterdir()) == []
    finally:
        pg(checkout, "destroy", fallback)
        shutil.rmtree(parent, ignore_errors=True)
