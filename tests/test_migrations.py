"""Migrations on real SQLite files: every earlier version upgrades with its data intact, a
failing migration changes nothing, and two openers at once apply each migration once."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.paths import MIGRATIONS_DIR
from bot.storage import MigrationError
from bot.storage.connection import Database
from bot.storage.migrations import migrations, split_statements

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "data" / "migration_seeds"
LATEST = len(migrations())


def schema(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").fetchall())


def contents(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table's columns and rows."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {table: ([c[1] for c in conn.execute(f"PRAGMA table_info({table})")],
                        conn.execute(f"SELECT * FROM {table}").fetchall())
                for table in tables}


# Where text was blanked by retention, migration 003 forgets what had been derived from it
# (issue 14): those answers' crisis flag and feedback may change (tests/test_privacy_data.py
# checks how); every other value stays.
FORGOTTEN = {"answers": ("crisis", "feedback")}


def assert_kept(before: dict, after: dict) -> None:
    """Every table, row and value of ``before`` is still in ``after`` (new columns aside)."""
    for table, (columns, rows) in before.items():
        assert table in after, f"table {table} is gone"
        after_columns, after_rows = after[table]
        kept = [c for c in columns if c in after_columns]

        def project(rows: list, cols: list[str], kept: list[str] = kept,
                    table: str = table) -> list:
            def value(row: tuple, c: str) -> Any:
                blanked = "text" in cols and row[cols.index("text")] is None
                return "forgotten" if blanked and c in FORGOTTEN.get(table, ()) else \
                    row[cols.index(c)]
            return sorted((tuple(value(row, c) for c in kept) for row in rows), key=repr)

        assert project(after_rows, after_columns) == project(rows, columns), table


def migrations_up_to(version: int, directory: Path) -> Path:
    directory.mkdir(parents=True)
    for number, path in migrations():
        if number <= version:
            shutil.copy(path, directory / path.name)
    return directory


async def build(path: Path, version: int, work: Path) -> None:
    """A database at ``version`` holding each migration's seed rows, added right after it
    (as a real database collects data between upgrades)."""
    for number in range(1, version + 1):
        async with Database(path, migrations_dir=migrations_up_to(number, work / f"m{number}")):
            pass
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript((SEEDS / f"{number:03d}.sql").read_text(encoding="utf-8"))
    if version == 0:
        async with Database(path, migrations_dir=migrations_up_to(0, work / "m0")):
            pass


def test_every_migration_has_seed_rows_for_every_table(tmp_path: Path):
    for number, path in migrations():
        assert (SEEDS / f"{number:03d}.sql").is_file(), f"write {SEEDS}/{number:03d}.sql " \
            f"with rows for what {path.name} adds"
    db = tmp_path / "seeded.sqlite3"
    asyncio.run(build(db, LATEST, tmp_path))
    empty = [table for table, (_, rows) in contents(db).items() if not rows]
    assert not empty, f"no seed rows for {empty}"


@pytest.mark.parametrize("start", range(LATEST + 1))
async def test_upgrade_from_every_earlier_version_keeps_the_data(tmp_path: Path, start: int):
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    await build(old, start, tmp_path)
    before = contents(old)
    async with Database(old) as db:
        assert await db.version() == LATEST
    async with Database(fresh):
        pass
    assert schema(old) == schema(fresh)
    assert_kept(before, contents(old))
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("number", range(1, LATEST + 2))
async def test_a_failing_migration_leaves_the_previous_version_and_data_intact(
        tmp_path: Path, number: int):
    path = tmp_path / "db.sqlite3"
    await build(path, number - 1, tmp_path)
    before, shape = contents(path), schema(path)
    broken = migrations_up_to(number - 1, tmp_path / "broken")
    real = dict(migrations()).get(number)
    (broken / f"{number:03d}_broken.sql").write_text(
        (real.read_text(encoding="utf-8") if real else "")
        + "\nCREATE TABLE half_done (x INTEGER);\nDELETE FROM people;\n"
          "INSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(MigrationError, match=f"rolled back.*stays at version {number - 1}"):
        async with Database(path, migrations_dir=broken):
            pass
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == number - 1
    assert schema(path) == shape  # no half_done table, nothing of the migration
    assert contents(path) == before  # the people (and what cascades from them) are all there
    async with Database(path) as db:  # and the real migrations still apply afterwards
        assert await db.version() == LATEST
    assert_kept(before, contents(path))


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


@pytest.mark.parametrize("outdated", [False, True], ids=["fresh", "outdated"])
async def test_two_openers_at_once_apply_each_migration_once(tmp_path: Path, outdated: bool):
    directory = with_extra_migration(tmp_path / "m") if outdated else MIGRATIONS_DIR
    expected = LATEST + 1 if outdated else LATEST
    for round_ in range(10):
        path = tmp_path / f"{round_}.sqlite3"
        if outdated:
            await build(path, LATEST, tmp_path / f"build{round_}")

        async def open_it(path: Path = path) -> int:
            async with Database(path, migrations_dir=directory) as db:
                return await db.version()

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
