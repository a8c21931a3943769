"""The data folder is 0700 and the database, its -wal, -shm and journal files and every
backup 0600, whatever the umask: people write about their own health in their answers."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage import Store
from tests.test_practice_cli import ROOT


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022], ids=["umask-0", "umask-022"])
def umask(request: pytest.FixtureRequest):
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


async def test_the_folder_database_wal_shm_and_backups_are_private(tmp_path: Path, umask: int):
    data = tmp_path / "data" / "peerprep"
    db = data / "peerprep.sqlite3"
    async with Store(db) as store:
        sam = await store.people.for_local("sam")
        await store.people.set_timezone(sam.id, "Europe/Paris")
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert wal.exists() and shm.exists()
        await store.db.backup(tmp_path / "backups" / "monday.sqlite3")
        files = {p: mode(p) for p in (db, wal, shm)}
    assert mode(data) == 0o700 and mode(data.parent) == 0o700
    assert files == {db: 0o600, wal: 0o600, shm: 0o600}
    assert mode(tmp_path / "backups") == 0o700
    assert mode(tmp_path / "backups" / "monday.sqlite3") == 0o600
    assert not (tmp_path / "backups" / "monday.sqlite3-journal").exists()


async def test_a_rollback_journal_is_private_too(tmp_path: Path, umask: int):
    """SQLite gives a journal the database's own mode: the 0600 file is what matters."""
    db = tmp_path / "peerprep.sqlite3"
    async with Store(db):
        pass
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO people (local_name, created_at) VALUES ('kim', 'now')")
        conn.execute("PRAGMA cache_size = 1")
        journal = db.with_name(db.name + "-journal")
        assert journal.exists()
        assert mode(journal) == 0o600
        conn.execute("COMMIT")


async def test_files_an_older_version_left_readable_are_tightened(tmp_path: Path):
    db = tmp_path / "peerprep.sqlite3"
    async with Store(db) as store:
        await store.people.for_local("sam")
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if path.exists():
            os.chmod(path, 0o644)
    async with Store(db):
        assert mode(db) == 0o600
        assert mode(db.with_name(db.name + "-wal")) == 0o600


@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_the_command_line_makes_private_files(tmp_path: Path, mask: int):
    """Through the real command line; DATA_DIR existed, world-readable, from before."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    environ |= {"DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin,
                              capture_output=True, text=True, cwd=ROOT, env=environ,
                              timeout=60, check=False, umask=mask)

    (tmp_path / "data").mkdir(mode=0o755)
    os.chmod(tmp_path / "data", 0o755)  # as an older version left it
    done = run("practice", "--user", "sam", "--questions", "1",
               stdin="I would listen first and ask what they need.\n\ne\n")
    assert done.returncode == 0, done.stderr
    backup = tmp_path / "elsewhere" / "copy.sqlite3"
    done = run("db", "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "peerprep.sqlite3") == 0o600
    assert mode(backup.parent) == 0o700 and mode(backup) == 0o600


def test_a_database_elsewhere_leaves_data_dir_alone(tmp_path: Path):
    from bot.storage.files import private_data_dir
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    private_data_dir(shared, tmp_path / "elsewhere" / "peerprep.sqlite3")
    assert mode(shared) == 0o755
    private_data_dir(shared, shared / "peerprep.sqlite3")
    assert mode(shared) == 0o700
