"""The store on a real SQLite file: pragmas, locking, a full disk, backups (migrations:
test_migrations.py); and what any store must do, on SQLite and PostgreSQL alike: reads see
every commit, concurrent writers and two stores on one database, a write under way when the
store closes."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.storage import CannotOpen, StorageBusy, StorageError, StorageFull, Store
from bot.storage.migrations import migrations
from bot.storage.writer import WorkWaited
from tests.postgres import sqlite_only
from tests.stored import WriteLock, on_sqlite

ROOT = Path(__file__).resolve().parent.parent

async def on_writer(store: Store, sql: str) -> list[Any]:
    """``sql`` on the writer connection (``fetch_all`` reads on the read-only one)."""
    return list(await store.db.conn.execute(sql))


class WriterGate:
    """Holds a write's work under way until ``open()``: on SQLite's writer thread it blocks
    the thread, as a long statement would (no event loop runs there); on PostgreSQL the work
    waits, as on a slow server. ``under_way()`` returns once a work is held."""

    def __init__(self) -> None:
        self._held, self._thread_may_go = threading.Event(), threading.Event()
        self._loop_may_go = asyncio.Event()

    async def hold(self) -> None:  # inside the work
        self._held.set()
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._thread_may_go.wait(10)  # the writer's thread: no loop to block
        else:
            await self._loop_may_go.wait()

    async def under_way(self) -> None:
        assert await asyncio.to_thread(self._held.wait, 10)

    def open(self) -> None:
        self._thread_may_go.set()
        self._loop_may_go.set()


async def test_fresh_database_is_at_the_latest_version(database: Path | str):
    async with Store(database) as store:
        assert await store.db.version() == len(migrations())
        if not on_sqlite(database):
            return
        assert (await on_writer(store, "PRAGMA journal_mode"))[0][0] == "wal"
        assert (await on_writer(store, "PRAGMA foreign_keys"))[0][0] == 1
        assert (await on_writer(store, "PRAGMA synchronous"))[0][0] == 2  # FULL


@pytest.mark.parametrize("where", ["{file}/sub/db.sqlite3", "{file}", "{tmp}"])
async def test_a_place_that_cannot_hold_a_database_is_cannot_open(tmp_path: Path, where: str):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    path = Path(where.format(file=text, tmp=tmp_path))
    with pytest.raises(CannotOpen):
        async with Store(path):
            pass
    assert text.read_text() == "not a database\n" * 100


async def test_reads_see_every_commit_and_cannot_write(database: Path | str):
    async with Store(database) as store:
        sam = await store.people.for_local("sam")
        await store.people.set_timezone(sam.id, "Europe/Paris")
        assert (await store.people.get(sam.id)).timezone == "Europe/Paris"  # read after write
        with pytest.raises(StorageError):
            await store.db.fetch_all("DELETE FROM people")
        assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 1


async def test_locked_database_gives_a_clear_try_again(database: Path | str):
    """Another process holds the database for writing past the store's wait (SQLite's
    busy_timeout; on PostgreSQL its locks, the same time): a clear 'try again', in time."""
    async with Store(database, busy_timeout_ms=100) as store:
        person = await store.people.for_local("sam")
        async with WriteLock(database):
            started = time.monotonic()
            with pytest.raises(StorageBusy) as caught:
                await asyncio.wait_for(store.people.set_timezone(person.id, "Europe/Paris"), 10)
            assert time.monotonic() - started < 5  # the wait is bounded
            assert "try again" in caught.value.user_message
        # Nothing was half-written, and the store serves the next request.
        assert (await store.people.get(person.id)).timezone is None
        await store.people.set_timezone(person.id, "Europe/Paris")
        assert (await store.people.get(person.id)).timezone == "Europe/Paris"


async def test_a_lock_released_within_busy_timeout_just_waits(database: Path | str):
    async with Store(database, busy_timeout_ms=3000) as store:
        person = await store.people.for_local("sam")
        blocker = await WriteLock(database).hold()

        async def release_soon() -> None:
            await asyncio.sleep(0.3)
            await blocker.release()

        await asyncio.gather(release_soon(), store.people.set_timezone(person.id, "Asia/Tokyo"))
        assert (await store.people.get(person.id)).timezone == "Asia/Tokyo"


async def test_full_database_is_reported_and_nothing_is_half_written(db_path: Path):
    async with Store(db_path) as store:
        person = await store.people.for_local("sam")
        pages = (await store.db.fetch_one("PRAGMA page_count"))[0]
        await on_writer(store, f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(StorageFull):
            async def work(conn):
                await conn.execute("UPDATE people SET timezone = 'UTC' WHERE id = ?", (person.id,))
                await conn.execute_many(
                    "INSERT INTO people (local_name, created_at) VALUES (?, 'x')",
                    [(f"filler-{i}-" + "x" * 500,) for i in range(200)],
                )

            await store.db.write(work)
        assert (await store.people.get(person.id)).timezone is None
        count = (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0]
        assert count == 1


async def test_two_concurrent_writers_on_one_connection_do_not_interleave(
        database: Path | str):
    async with Store(database) as store:
        names = [f"person-{i}" for i in range(50)]
        people = await asyncio.gather(*(store.people.for_local(n) for n in names))
        assert len({p.id for p in people}) == 50


async def test_two_processes_writing_the_same_file(database: Path | str):
    async with Store(database) as first, Store(database) as second:
        await asyncio.gather(
            *(first.people.for_local(f"a{i}") for i in range(30)),
            *(second.people.for_local(f"b{i}") for i in range(30)),
        )
        assert (await first.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 60


async def test_backup_is_a_consistent_copy(db_path: Path, tmp_path: Path):
    async with Store(db_path) as store:
        await store.people.for_local("sam")
        target = tmp_path / "backups" / "copy.sqlite3"
        await store.db.backup(target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT local_name FROM people").fetchall() == [("sam",)]


def test_db_backup_while_another_process_writes(db_path: Path, tmp_path: Path):
    """``python -m bot db backup`` during a stream of answers: the copy is whole and every
    answer in it is counted in its day's and period's totals (no half transaction)."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_writer", str(db_path)], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    copies = [tmp_path / f"copy-{i}.sqlite3" for i in range(3)]
    try:
        assert writer.stdout is not None
        acked = 0
        for line in writer.stdout:
            acked += line.startswith("ack")
            if acked >= 40:
                break
        for copy in copies:  # the writer keeps going all the while
            env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
            backup = subprocess.run(
                [sys.executable, "-m", "bot", "db", "backup", str(copy)], cwd=ROOT, text=True,
                capture_output=True, env={**env, "DATABASE_PATH": str(db_path)}, timeout=60,
                check=False)
            assert backup.returncode == 0, backup.stderr
        assert writer.poll() is None, "the writer stopped during the backups"
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    counts = []
    for copy in copies:
        with closing(sqlite3.connect(copy)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            answers = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            days = conn.execute(
                "SELECT COALESCE(SUM(answers), 0) FROM practice_days").fetchone()[0]
            totals = conn.execute(
                "SELECT COALESCE(SUM(answers), 0) FROM period_totals WHERE period = 'all'"
            ).fetchone()[0]
            assert answers == days == totals, (copy.name, answers, days, totals)
            counts.append(answers)
    assert counts[0] >= 40 and counts == sorted(counts)


async def test_deleting_a_person_removes_everything_about_them(store: Store):
    sam = await store.people.for_local("sam")
    await store.interviews.create(sam.id, "all", None, ["pss-13"], "terminal")
    await store.people.delete(sam.id)
    for table in ("interviews", "answers", "review_cards", "practice_days", "streaks"):
        count = (await store.db.fetch_one(f"SELECT COUNT(*) FROM {table}"))[0]
        assert count == 0, table


@sqlite_only
async def test_group_commit_isolates_a_failing_write(store: Store):
    def ok(name: str):
        async def work(conn):
            return (await conn.fetch_one(
                "INSERT INTO people (local_name, created_at) VALUES (?, 'x') RETURNING id",
                (name,)))[0]
        return work

    async def bad(conn):
        await conn.execute("INSERT INTO people (local_name, created_at) VALUES ('half', 'x')")
        raise ValueError("this write fails after one statement")

    results = await asyncio.gather(store.db.write(ok("a")), store.db.write(bad),
                                   store.db.write(ok("b")), return_exceptions=True)
    assert isinstance(results[1], ValueError)
    names = {r[0] for r in await store.db.fetch_all("SELECT local_name FROM people")}
    assert names == {"a", "b"}  # the failing write left nothing behind


@sqlite_only
async def test_a_lone_write_runs_in_its_own_transaction_and_fails_whole(store: Store):
    async def half(conn):
        await conn.execute("INSERT INTO people (local_name, created_at) VALUES ('half', 'x')")
        raise ValueError("this write fails after one statement")

    with pytest.raises(ValueError):
        await store.db.write(half)
    assert store.db._flusher is None  # nothing else was writing: no flusher task was needed
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 0
    await store.db.write(lambda conn: conn.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('whole', 'x')"))
    assert [r[0] for r in await store.db.fetch_all("SELECT local_name FROM people")] == ["whole"]


@sqlite_only
async def test_writes_arriving_during_a_lone_write_wait_and_commit_after_it(store: Store):
    order: list[str] = []

    gate = WriterGate()

    async def slow(conn):
        await gate.hold()  # the others arrive meanwhile
        await conn.execute("INSERT INTO people (local_name, created_at) VALUES ('slow', 'x')")
        order.append("slow")

    def quick(name: str):
        async def work(conn):
            await conn.execute("INSERT INTO people (local_name, created_at) VALUES (?, 'x')",
                               (name,))
            order.append(name)
        return work

    first = asyncio.create_task(store.db.write(slow))
    await gate.under_way()
    others = [asyncio.create_task(store.db.write(quick(f"q{i}"))) for i in range(3)]
    await asyncio.sleep(0)  # each has arrived and waits
    gate.open()
    await asyncio.gather(first, *others)
    assert order == ["slow", "q0", "q1", "q2"]


@sqlite_only
async def test_a_cancelled_lone_write_leaves_the_store_usable(store: Store):
    gate = WriterGate()

    async def slow(conn):
        await gate.hold()
        await conn.execute("INSERT INTO people (local_name, created_at) VALUES ('slow', 'x')")

    task = asyncio.create_task(store.db.write(slow))
    await gate.under_way()
    task.cancel()
    gate.open()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The writer finishes the cancelled caller's transaction (all or nothing, as any write
    # whose caller stopped waiting); the next write runs after it, not inside it.
    await store.db.write(lambda conn: conn.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('next', 'x')"))
    names = {r[0] for r in await store.db.fetch_all("SELECT local_name FROM people")}
    assert names == {"slow", "next"}
    assert (await store.db.fetch_one("PRAGMA integrity_check"))[0] == "ok"


async def test_closing_lets_a_write_under_way_finish_whole(database: Path | str):
    """The bot stopping while a write whose caller stopped waiting is still running (a
    message note at shutdown): the write commits whole, nothing raises on a closed
    connection."""
    gate = WriterGate()

    async def slow(conn):
        await gate.hold()
        await conn.execute("INSERT INTO people (local_name, created_at) VALUES ('slow', 'x')")

    store = Store(database)
    await store.__aenter__()
    task = asyncio.create_task(store.db.write(slow))
    await gate.under_way()
    task.cancel()
    closing = asyncio.create_task(store.__aexit__(None, None, None))
    await asyncio.sleep(0)  # closing has begun, the write still held
    gate.open()
    await closing
    with pytest.raises(asyncio.CancelledError):
        await task
    async with Store(database) as reopened:
        names = {r[0] for r in await reopened.db.fetch_all("SELECT local_name FROM people")}
    assert names == {"slow"}


@sqlite_only
async def test_group_commit_on_a_full_disk_fails_every_write_of_the_batch(store: Store):
    pages = (await store.db.fetch_one("PRAGMA page_count"))[0]
    await on_writer(store, f"PRAGMA max_page_count = {pages + 1}")

    def big(i: int):
        return lambda conn: conn.execute_many(
            "INSERT INTO people (local_name, created_at) VALUES (?, 'x')",
            [(f"{i}-{j}-" + "x" * 500,) for j in range(100)])

    results = await asyncio.gather(*(store.db.write(big(i)) for i in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, StorageFull) for r in results), results
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 0
    await on_writer(store, f"PRAGMA max_page_count = {pages + 1000}")
    await store.db.write(lambda conn: conn.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('after', 'x')"))
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 1


@sqlite_only
async def test_a_write_whose_statement_fills_the_disk_commits_nothing(store: Store):
    """A write stops at the failing statement: it raises it, and nothing of it commits,
    neither what came before nor what would have come after."""
    pages = (await store.db.fetch_one("PRAGMA page_count"))[0]
    await on_writer(store, f"PRAGMA max_page_count = {pages + 1}")
    fill = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
            "INSERT INTO people (local_name, created_at) "
            "SELECT 'big-' || i || printf('%.*c', 500, 'x'), 'x' FROM n")
    after = ("INSERT INTO people (local_name, created_at) VALUES ('after', 'x')", ())

    async def work(tx):
        for sql, params in [after, (fill, ()), after]:
            await tx.execute(sql, params)

    with pytest.raises(StorageFull):
        await store.db.write(work)
    await on_writer(store, f"PRAGMA max_page_count = {pages + 1000}")
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 0
    assert not store.db.conn.in_transaction


@sqlite_only
@pytest.mark.parametrize(("pause", "error"), [(0, WorkWaited), (0.01, RuntimeError)],
                         ids=["gives way", "waits on the loop"])
async def test_a_write_that_waits_on_something_else_fails_whole(store: Store, pause: float,
                                                                 error: type[Exception]):
    """A write's work runs whole on SQLite's writer thread: one that waits on anything but
    its statements cannot (there is no event loop there) and fails at once with nothing of
    it written, rather than hang the writer; a work marked ``waits`` runs from the loop
    and may."""
    async def waiting(tx):
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('early', 'x')")
        await asyncio.sleep(pause)
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('late', 'x')")

    with pytest.raises(error):
        await asyncio.wait_for(store.db.write(waiting), 10)
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 0
    await asyncio.wait_for(store.db.write(waiting, waits=True), 10)
    names = [r[0] for r in await store.db.fetch_all("SELECT local_name FROM people ORDER BY id")]
    assert names == ["early", "late"]


@sqlite_only
async def test_an_answer_is_one_trip_to_the_writer_thread(store: Store, engine, bank):
    """Why the writer has a thread of its own: a trip to a thread costs far more than a
    statement (docs/PERFORMANCE.md), and an answer's write, about ten statements, is one."""
    person = await store.people.for_local("sam")
    question = bank.questions[0]
    await engine.answer_daily(person.id, question, question.example_answer, key="first")
    trips = 0
    call = store.db.conn.call

    async def counted(job):
        nonlocal trips
        trips += 1
        return await call(job)

    store.db.conn.call = counted  # type: ignore[method-assign]
    result = await engine.answer_daily(person.id, question, question.example_answer,
                                       key="second")
    assert not result.duplicate and result.streak == 1
    assert trips == 1
    counts = await store.db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM answers), (SELECT reviews FROM review_cards), "
        "(SELECT answers FROM practice_days)")
    assert tuple(counts) == (2, 2, 2)


@sqlite_only
async def test_a_work_that_goes_on_after_sqlite_ended_its_transaction_writes_nothing(
        store: Store):
    """SQLite rolls the whole transaction back by itself on some errors (here an interrupt;
    a full disk or an I/O error may too). A work that catches the error and goes on would
    run its next statements outside any transaction, each committed alone: they are
    refused, and the write fails with nothing of it stored."""
    caught: list[str] = []

    async def work(tx):
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('before', 'x')")
        tx.conn.set_progress_handler(lambda: 1, 1)  # the next statement is interrupted
        try:
            await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('cut', 'x')")
        except sqlite3.OperationalError as exc:
            caught.append(str(exc))
        finally:
            tx.conn.set_progress_handler(None, 1)
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('after', 'x')")

    with pytest.raises(StorageError, match="already ended"):
        await store.db.write(work)
    assert caught == ["interrupted"]
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 0
    await store.db.write(lambda tx: tx.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('next', 'x')"))
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM people"))[0] == 1


@sqlite_only
async def test_a_failed_rollback_neither_hides_the_error_nor_blocks_the_next_write(
        store: Store, caplog):
    denied = True

    def authorizer(action: int, *args: Any) -> int:
        refuse = denied and action == sqlite3.SQLITE_TRANSACTION and args[0] == "ROLLBACK"
        return sqlite3.SQLITE_DENY if refuse else sqlite3.SQLITE_OK

    async def failing(tx):
        tx.conn.set_authorizer(authorizer)
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('half', 'x')")
        raise ValueError("the work's own failure")

    with pytest.raises(ValueError, match="own failure"):
        await store.db.write(failing)
    assert "rollback failed" in caplog.text
    denied = False  # the transaction the failed rollback left open ends before the next
    await store.db.write(lambda tx: tx.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('next', 'x')"))
    assert [r[0] for r in await store.db.fetch_all("SELECT local_name FROM people")] == ["next"]


@sqlite_only
async def test_a_waiting_work_in_a_batch_fails_alone(store: Store):
    async def insert(tx, name):
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES (?, 'x')", (name,))

    async def waiting(tx):
        await insert(tx, "waiting")
        await asyncio.sleep(0)

    first = asyncio.create_task(store.db.write(lambda tx: insert(tx, "first")))
    await asyncio.sleep(0)  # the first is on the writer: the rest make one batch
    batch = [store.db.write(lambda tx: insert(tx, "a")), store.db.write(waiting),
             store.db.write(lambda tx: insert(tx, "b"))]
    results = await asyncio.gather(first, *batch, return_exceptions=True)
    assert isinstance(results[2], WorkWaited), results
    names = {r[0] for r in await store.db.fetch_all("SELECT local_name FROM people")}
    assert names == {"first", "a", "b"}


@sqlite_only
async def test_a_cancelled_write_that_waits_still_commits_whole(store: Store):
    """A write run from the loop (``waits``) is shielded as the others are: its caller
    stopping to wait does not cut it short between its statements."""
    under_way, go_on = asyncio.Event(), asyncio.Event()

    async def work(tx):
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('one', 'x')")
        under_way.set()
        await go_on.wait()
        await tx.execute("INSERT INTO people (local_name, created_at) VALUES ('two', 'x')")

    task = asyncio.create_task(store.db.write(work, waits=True))
    await under_way.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    go_on.set()
    await store.db.write(lambda tx: tx.execute(
        "INSERT INTO people (local_name, created_at) VALUES ('next', 'x')"))
    names = [r[0] for r in await store.db.fetch_all("SELECT local_name FROM people ORDER BY id")]
    assert names == ["one", "two", "next"]
