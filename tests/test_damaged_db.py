"""A damaged database, or one from a newer PeerPrep: start-up stops it with one line naming
the fix, and ``db check``, ``db upgrade``, ``db backup`` and ``db restore`` each do the
right thing with it (see docs/RELIABILITY.md)."""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.cli import main
from bot.interview.engine import InterviewService
from bot.storage import SchemaTooNew, StorageDamaged, Store
from bot.storage.migrations import migrations
from tests.stored import on_sqlite

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("I would listen first, reflect back what I hear, and ask what the person wants "
          "from our time together, respecting their choices about next steps.")


def make_database(path: Path, bank: Bank) -> None:
    """A database with a person, an interview and one answer in it."""
    async def fill() -> None:
        async with Store(path) as store:
            engine = InterviewService(store, bank)
            person = await store.people.for_local("ana")
            started = await engine.start(person.id, count=2)
            interview = started.interview
            await engine.answer(interview.id, interview.position, interview.attempt, ANSWER,
                                question_id=interview.current_question_id)
    asyncio.run(fill())


def damage(path: Path, pages: tuple[int, ...] = (3, 4, 5, 6)) -> None:
    """Bytes that are no b-tree page written over a few pages (the header on page 1 is left
    alone: the file is still an SQLite database, only partly damaged)."""
    with closing(sqlite3.connect(path)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * size)
            file.write(b"\xa5" * size)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``python -m bot ARGS`` in this process (fast), with DATA_DIR in ``tmp_path``; returns
    the exit code, stdout and stderr."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "DEV_")) or name == "DATABASE_PATH":
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def damaged_db(tmp_path: Path, bank: Bank) -> Path:
    path = tmp_path / "peerprep.sqlite3"
    make_database(path, bank)
    damage(path)
    return path


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


async def test_opening_a_damaged_database_is_refused_with_the_fix(damaged_db: Path):
    with pytest.raises(StorageDamaged) as caught:
        async with Store(damaged_db):
            pass
    text = str(caught.value)
    assert "is damaged" in text and "db check" in text and "db restore BACKUP" in text
    assert not caught.value.retry_helps


async def test_a_database_from_a_newer_peerprep_is_refused(database: Path | str):
    newer = len(migrations()) + 1
    async with Store(database) as store:
        if not on_sqlite(database):  # where PostgreSQL keeps the version
            await store.db.write(lambda tx: tx.execute(
                "UPDATE peerprep_schema SET version = ?", (newer,)))
    if on_sqlite(database):
        with closing(sqlite3.connect(database)) as conn:
            conn.execute(f"PRAGMA user_version = {newer}")
    with pytest.raises(SchemaTooNew) as caught:
        async with Store(database):
            pass
    assert "newer than this PeerPrep knows" in str(caught.value)
    assert f"version {newer}" in str(caught.value)


def test_the_bot_and_practice_stop_a_damaged_database_with_one_line(damaged_db: Path,
                                                                    tmp_path: Path):
    """The real processes: one line, the fix named, exit 1, no traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    env |= {"DATA_DIR": str(tmp_path), "DISCORD_TOKEN": "a-token-never-used"}
    for args, stdin in ((["run"], ""), (["practice", "--new"], f"{ANSWER}\n\n")):
        result = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=60,
                                check=False)
        line = one_line(result.stderr)
        assert result.returncode == 1, result.stderr
        assert "is damaged" in line and "db check" in line and "db restore" in line, line


def test_db_check_reports_damage_and_a_sound_database(cli, tmp_path: Path, bank: Bank):
    make_database(tmp_path / "peerprep.sqlite3", bank)
    code, out, _ = cli("db", "check")
    assert code == 0 and "integrity check ok" in out
    damage(tmp_path / "peerprep.sqlite3")
    code, out, _ = cli("db", "check")
    assert code == 1
    assert "integrity check FAILED" in out and "db restore BACKUP" in out


def test_db_upgrade_says_the_database_is_damaged(cli, damaged_db: Path):
    code, _, err = cli("db", "upgrade")
    assert code == 1
    assert "is damaged" in one_line(err)


def test_db_backup_refuses_a_damaged_source(cli, damaged_db: Path, tmp_path: Path):
    target = tmp_path / "copy.sqlite3"
    code, _, err = cli("db", "backup", str(target))
    assert code == 1 and "is damaged" in one_line(err)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy")] == []


def test_db_backup_refuses_an_existing_target_unless_forced(cli, tmp_path: Path, bank: Bank):
    make_database(tmp_path / "peerprep.sqlite3", bank)
    target = tmp_path / "notes.txt"
    target.write_text("something precious\n")
    code, _, err = cli("db", "backup", str(target))
    assert code == 2 and "already exists" in one_line(err) and "--force" in err
    assert target.read_text() == "something precious\n"
    code, out, _ = cli("db", "backup", "--force", str(target))
    assert code == 0 and "integrity check ok" in out
    assert os.stat(target).st_mode & 0o777 == 0o600  # it holds people's answers
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT text FROM answers").fetchone()[0] == ANSWER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "peerprep.sqlite3"]


def test_db_restore_keeps_the_damaged_file_and_puts_the_backup_in_place(
        cli, tmp_path: Path, bank: Bank):
    database = tmp_path / "peerprep.sqlite3"
    make_database(database, bank)
    backup = tmp_path / "backups" / "monday.sqlite3"
    code, _, err = cli("db", "backup", str(backup))
    assert code == 0, err
    damage(database)
    damaged_bytes = database.read_bytes()

    code, out, err = cli("db", "restore", str(backup))
    assert code == 0, err
    aside = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged_bytes
    assert str(aside[0]) in out
    code, out, _ = cli("db", "check")
    assert code == 0, out

    async def answers() -> list[str]:
        async with Store(database) as store:
            return [row[0] for row in await store.db.fetch_all("SELECT text FROM answers")]
    assert asyncio.run(answers()) == [ANSWER]


def test_db_restore_refuses_a_damaged_backup_and_changes_nothing(cli, tmp_path: Path,
                                                                bank: Bank):
    database = tmp_path / "peerprep.sqlite3"
    make_database(database, bank)
    backup = tmp_path / "bad.sqlite3"
    code, _, _ = cli("db", "backup", str(backup))
    assert code == 0
    damage(backup)
    before = database.read_bytes()
    code, _, err = cli("db", "restore", str(backup))
    assert code == 1 and "damaged too" in one_line(err)
    assert database.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_a_copy_that_fails_its_check_never_takes_the_backups_name(tmp_path: Path, bank: Bank):
    """The last step of ``db backup``: a damaged copy is refused and nothing is replaced."""
    from bot.storage.connection import _install_copy

    copy = tmp_path / ".copy.part"
    make_database(copy, bank)
    damage(copy)
    target = tmp_path / "copy.sqlite3"
    target.write_text("the previous backup\n")
    with pytest.raises(StorageDamaged):
        _install_copy(copy, target, True)
    assert target.read_text() == "the previous backup\n"


def test_a_storage_fault_while_a_command_runs_is_one_line(cli, tmp_path: Path, bank: Bank,
                                                          monkeypatch: pytest.MonkeyPatch):
    """Injects: another process holding the write lock while ``progress --timezone`` saves
    the new zone (the busy timeout shortened to keep the test quick). Holds: one line that
    says the database is busy and to try again, exit 1, no traceback."""
    from bot.cli import common

    database = tmp_path / "peerprep.sqlite3"
    make_database(database, bank)
    monkeypatch.setattr(common, "Store", functools.partial(Store, busy_timeout_ms=200))
    with closing(sqlite3.connect(database, isolation_level=None)) as blocker:
        blocker.execute("BEGIN IMMEDIATE")
        code, _, err = cli("progress", "--user", "ana", "--timezone", "Europe/London")
        blocker.execute("ROLLBACK")
    assert code == 1
    line = one_line(err)
    assert "busy" in line and "try again in a moment" in line, line


def test_db_restore_refuses_while_the_database_is_open_elsewhere(cli, tmp_path: Path,
                                                                 bank: Bank):
    """A running bot keeps its open file: moving it aside would split its writes off from
    the restored copy. Another process with the database open (here an idle connection in
    a child process) makes restore refuse and change nothing."""
    database = tmp_path / "peerprep.sqlite3"
    make_database(database, bank)
    backup = tmp_path / "monday.sqlite3"
    assert cli("db", "backup", str(backup))[0] == 0
    holder = subprocess.Popen(  # an open, idle connection, as a bot between requests
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM people').fetchall()\n"
         "print('open', flush=True); time.sleep(60)", str(database)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = database.read_bytes()
        code, _, err = cli("db", "restore", str(backup))
        assert code == 1 and "open in another process" in one_line(err)
        assert database.read_bytes() == before
        assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert cli("db", "restore", str(backup))[0] == 0


def test_db_restore_into_a_new_data_dir_makes_it_private(
        cli, tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch):
    backup = tmp_path / "monday.sqlite3"
    make_database(backup, bank)
    new = tmp_path / "new" / "data"
    monkeypatch.setenv("DATA_DIR", str(new))
    old = os.umask(0o022)
    try:
        code, _, err = cli("db", "restore", str(backup))
    finally:
        os.umask(old)
    assert code == 0, err
    assert new.stat().st_mode & 0o777 == 0o700  # as PeerPrep makes DATA_DIR
    assert (new / "peerprep.sqlite3").stat().st_mode & 0o777 == 0o600
