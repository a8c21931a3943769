"""Migrations on real databases (SQLite files, and PostgreSQL schemas in that pass): every
earlier version upgrades with its data intact, a failing migration changes nothing, and two
openers at once apply each migration once."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.paths import MIGRATIONS_DIR
from bot.storage import MigrationError, Store
from bot.storage.migrations import migrations, split_statements
from bot.storage.postgres import _MIGRATION_LOCK as MIGRATION_LOCK
from bot.storage.sql import Tx
from tests.postgres import new_database, server_url
from tests.stored import contents, on_sqlite, rows, schema

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "data" / "migration_seeds"
LATEST = len(migrations())


@asynccontextmanager
async def unmigrated(database: Path | str) -> AsyncIterator[Store]:
    """The database opened as it is: nothing migrated, to read its version and rows."""
    store = Store(database)
    await store.db.open(migrate=False)
    try:
        yield store
    finally:
        await store.db.close()


# Where text was blanked by retention, migration 003 forgets what had been derived from it
# (issue 14): those answers' crisis flag and feedback may change (tests/test_privacy_data.py
# checks how); every other value stays.
FORGOTTEN = {"answers": ("crisis", "feedback")}


def assert_kept(before: dict, after: dict) -> None:
    """Every table, row and value of ``before`` is still in ``after`` (new columns aside)."""
    for table, (columns, before_rows) in before.items():
        assert table in after, f"table {table} is gone"
        after_columns, after_rows = after[table]
        kept = [c for c in columns if c in after_columns]

        def project(table_rows: list, cols: list[str], kept: list[str] = kept,
                    table: str = table) -> list:
            def value(row: tuple, c: str) -> Any:
                blanked = "text" in cols and row[cols.index("text")] is None
                return "forgotten" if blanked and c in FORGOTTEN.get(table, ()) else \
                    row[cols.index(c)]
            return sorted((tuple(value(row, c) for c in kept) for row in table_rows), key=repr)

        assert project(after_rows, after_columns) == project(before_rows, columns), table


def migrations_up_to(version: int, directory: Path) -> Path:
    directory.mkdir(parents=True)
    for number, path in migrations():
        if number <= version:
            shutil.copy(path, directory / path.name)
    return directory


async def build(database: Path | str, version: int, work: Path) -> None:
    """A database at ``version`` holding each migration's seed rows, added right after it
    (as a real database collects data between upgrades; foreign keys checked)."""
    for number in range(1, version + 1):
        seed = split_statements((SEEDS / f"{number:03d}.sql").read_text(encoding="utf-8"))

        async def seeded(tx: Tx, seed: list[str] = seed) -> None:
            for statement in seed:
                await tx.execute(statement)

        async with Store(database,
                         migrations_dir=migrations_up_to(number, work / f"m{number}")) as store:
            await store.db.write(seeded)
    if version == 0:
        async with Store(database, migrations_dir=migrations_up_to(0, work / "m0")):
            pass


async def test_every_migration_has_seed_rows_for_every_table(database: Path | str,
                                                             tmp_path: Path):
    for number, path in migrations():
        assert (SEEDS / f"{number:03d}.sql").is_file(), f"write {SEEDS}/{number:03d}.sql " \
            f"with rows for what {path.name} adds"
    await build(database, LATEST, tmp_path)
    async with unmigrated(database) as store:
        empty = [table for table, (_, rows) in (await contents(store)).items() if not rows]
    assert not empty, f"no seed rows for {empty}"


@pytest.mark.parametrize("start", range(LATEST + 1))
async def test_upgrade_from_every_earlier_version_keeps_the_data(database: Path | str,
                                                                 tmp_path: Path, start: int):
    await build(database, start, tmp_path)
    async with unmigrated(database) as store:
        before = await contents(store)
    async with Store(database) as store:
        assert await store.db.version() == LATEST
        upgraded, after = await schema(store), await contents(store)
        if on_sqlite(database):
            assert await rows(store, "PRAGMA foreign_key_check") == []
    async with new_database(tmp_path, "fresh.sqlite3") as fresh, Store(fresh) as store:
        assert upgraded == await schema(store)
    assert_kept(before, after)


@pytest.mark.parametrize("number", range(1, LATEST + 2))
async def test_a_failing_migration_leaves_the_previous_version_and_data_intact(
        database: Path | str, tmp_path: Path, number: int):
    await build(database, number - 1, tmp_path)
    async with unmigrated(database) as store:
        before, shape = await contents(store), await schema(store)
    broken = migrations_up_to(number - 1, tmp_path / "broken")
    real = dict(migrations()).get(number)
    (broken / f"{number:03d}_broken.sql").write_text(
        (real.read_text(encoding="utf-8") if real else "")
        + "\nCREATE TABLE half_done (x INTEGER);\nDELETE FROM people;\n"
          "INSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(MigrationError, match=f"rolled back.*stays at version {number - 1}"):
        async with Store(database, migrations_dir=broken):
            pass
    async with unmigrated(database) as store:
        assert await store.db.version() == number - 1
        assert await schema(store) == shape  # no half_done table, nothing of the migration
        # the people (and what cascades from them) are all there
        assert await contents(store) == before
    async with Store(database) as store:  # and the real migrations still apply afterwards
        assert await store.db.version() == LATEST
        after = await contents(store)
    assert_kept(before, after)


def test_migration_files_are_numbered_without_gaps(tmp_path: Path):
    (tmp_path / "001_a.sql").write_text("SELECT 1;")
    (tmp_path / "003_c.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="expected migration number 002"):
        migrations(tmp_path)


def test_split_statements_keeps_triggers_whole():
    script = ("-- a comment\nCREATE TABLE t (x);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
              "  UPDATE t SET x = 1;\nEND;\n-- trailing comment\n")
    assert len(split_statements(script)) == 2


def with_extra_migration(directory: Path) -> Path:
    shutil.copytree(MIGRATIONS_DIR, directory)
    (directory / f"{LATEST + 1:03d}_extra.sql").write_text("CREATE TABLE extra (x INTEGER);\n")
    return directory


@pytest.mark.database  # a new database each round: SQLite files, or PostgreSQL schemas
@pytest.mark.parametrize("outdated", [False, True], ids=["fresh", "outdated"])
async def test_two_openers_at_once_apply_each_migration_once(tmp_path: Path, outdated: bool):
    directory = with_extra_migration(tmp_path / "m") if outdated else MIGRATIONS_DIR
    expected = LATEST + 1 if outdated else LATEST
    for round_ in range(10):
        async with new_database(tmp_path, f"{round_}.sqlite3") as where:
            if outdated:
                await build(where, LATEST, tmp_path / f"build{round_}")

            async def open_it(where: Path | str = where) -> int:
                async with Store(where, migrations_dir=directory) as store:
                    return await store.db.version()

            assert await asyncio.gather(open_it(), open_it()) == [expected, expected]


def test_two_processes_opening_a_new_database_at_once(tmp_path: Path):
    procs = [subprocess.Popen(
        [sys.executable, "-m", "tests.open_race", str(tmp_path)], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) for _ in range(2)]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for round_ in range(15):
            for proc in procs:  # both get the line at (nearly) the same moment
                assert proc.stdin is not None
                proc.stdin.write(f"{round_}\n")
                proc.stdin.flush()
            replies = [proc.stdout.readline().strip() for proc in procs if proc.stdout]
            assert replies == [f"ok {LATEST}"] * 2, (round_, replies)
    finally:
        for proc in procs:
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == 0, err


@pytest.mark.database
@pytest.mark.skipif(server_url() is None, reason="PostgreSQL's migration lock")
async def test_a_migration_waits_for_another_process_migrating_past_the_busy_timeout(
        tmp_path: Path):
    """PostgreSQL: requests wait a lock busy_timeout long, but a process starting while
    another one migrates waits for it, however long it takes (here 10 times the timeout)."""
    url = server_url()
    assert url is not None
    async with new_database(tmp_path, "db") as where:
        other = await asyncpg.connect(url)  # another process, migrating
        try:
            await other.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)

            async def finish_soon() -> None:
                await asyncio.sleep(1.0)
                await other.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

            async def open_it() -> int:
                async with Store(where, busy_timeout_ms=100) as store:
                    return await store.db.version()

            _, version = await asyncio.gather(finish_soon(), open_it())
        finally:
            await other.close()
    assert version == LATEST
