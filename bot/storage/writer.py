"""SQLite's writer: one connection on a thread of its own, where each write runs whole.

A write's work is a coroutine over a ``Tx`` (the same code serves PostgreSQL). Sent from
the event loop one statement at a time, as through aiosqlite, every statement is a trip to
a thread and back: measured here, ~170 µs of wall time and ~90 µs of the loop's own CPU a
trip, against ~6 µs for the statement itself; an answer is about ten statements, and the
trips cost more than everything else it stores (docs/PERFORMANCE.md). So on SQLite the work
goes to the writer's thread and is driven to its end there (``drive``): its statements run
at once on the thread's connection (``ThreadTx``), nothing in it waits, and a write, or a
batch of writes committed together, is one trip. Reads stay on aiosqlite's connections.

Everything that uses the writer's connection goes through ``WriterThread``: jobs run one at
a time, in the order sent, so a statement run outside a write (a pragma, a check) comes
between two writes run on the thread, never inside one; it may come between the statements
of a ``waits`` write, unless it takes ``Database``'s lock as backups and checkpoints do.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from bot.storage.sql import Params, Tx

log = logging.getLogger(__name__)
T = TypeVar("T")

# SQLite rolls a whole transaction back by itself on some errors (disk full, I/O error,
# interrupt); a work that caught the error and went on would run its next statements
# outside any transaction, each committed on its own.
ENDED = ("the write's transaction had already ended (SQLite rolled it back after an earlier "
         "error): its later statements were not run")

Work = Callable[[Tx], Awaitable[Any]]


class WorkWaited(RuntimeError):
    """A write's work waited on something other than its statements (a sleep, a lock, a
    network call): it cannot run on the writer's thread, and nothing of it was written."""


def drive(awaitable: Awaitable[T]) -> T:
    """Run a write's work to its end here and now. Its statements complete at once on this
    thread, so the coroutine finishes in one step; one that stops to wait on anything else is
    closed (its ``finally`` blocks run) and ``WorkWaited`` is raised."""
    if not asyncio.iscoroutine(awaitable):
        raise TypeError(f"a write's work must be a coroutine, not {type(awaitable).__name__}")
    try:
        awaitable.send(None)
    except StopIteration as done:
        return done.value
    awaitable.close()
    raise WorkWaited("a write's work waited on something other than its statements")


def within(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn``, still inside the write's transaction (else the statement is refused)."""
    if not conn.in_transaction:
        raise sqlite3.OperationalError(ENDED)
    return conn


class ThreadTx:
    """``Tx`` on the writer's connection, on its thread, inside the transaction the writer
    opened: each statement runs when called, and a failing one raises at once."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        return within(self.conn).execute(sql, params).rowcount

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        within(self.conn).executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # Every row is fetched: an INSERT ... RETURNING finishes only once it is stepped to
        # its end.
        return within(self.conn).execute(sql, params).fetchall()

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


class LoopTx:
    """``Tx`` for a work that runs on the event loop (``Database.write(waits=True)``): each
    statement is a trip to the writer's thread."""

    __slots__ = ("writer",)

    def __init__(self, writer: WriterThread) -> None:
        self.writer = writer

    async def execute(self, sql: str, params: Params = ()) -> int:
        return await self.writer.call(lambda conn: within(conn).execute(sql, params).rowcount)

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.writer.call(lambda conn: within(conn).executemany(sql, rows))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return await self.writer.call(lambda conn: within(conn).execute(sql, params).fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, unless SQLite has already done it (disk full, I/O
    error). Should the rollback itself fail, that is logged and the error that caused it is
    the one raised (the next ``begin`` tries again)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback failed", exc_info=True)


def begin(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, taking the write lock up front so a read-modify-write never fails
    half-way on a busy database; first ending a transaction a failed rollback left open,
    which would otherwise refuse every write from then on."""
    rollback(conn)
    conn.execute("BEGIN IMMEDIATE")


def run_alone(conn: sqlite3.Connection, work: Work) -> Any:
    """``work`` in a transaction of its own."""
    begin(conn)
    try:
        value = drive(work(ThreadTx(conn)))
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return value


def run_batch(conn: sqlite3.Connection, works: Sequence[Work]) -> list[tuple[bool, Any]]:
    """Every work in a savepoint of its own, one commit for all: (True, value) for a work
    that was written, (False, its exception) for one that rolled back alone. Raises when the
    batch failed as a whole (nothing of it committed)."""
    tx = ThreadTx(conn)
    outcomes: list[tuple[bool, Any]] = []
    begin(conn)
    try:
        for work in works:
            conn.execute("SAVEPOINT work")
            try:
                value = drive(work(tx))
            except Exception as exc:
                if not conn.in_transaction:
                    raise  # SQLite rolled the whole transaction back (disk full, I/O error)
                conn.execute("ROLLBACK TO work")
                conn.execute("RELEASE work")
                outcomes.append((False, exc))
            else:
                conn.execute("RELEASE work")
                outcomes.append((True, value))
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return outcomes


class WriterThread:
    """The writer's connection and the one thread that uses it."""

    def __init__(self) -> None:
        self._thread: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None  # used on the thread only

    async def open(self, connect: Callable[[], sqlite3.Connection]) -> None:
        """Start the thread and make the connection there (``connect``)."""
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        try:
            self._conn = await asyncio.get_running_loop().run_in_executor(self._thread, connect)
        except BaseException:
            self._thread.shutdown(wait=False)
            self._thread = None
            raise

    async def call(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """``job(connection)`` on the writer's thread, after every job sent before it."""
        if self._thread is None or self._conn is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return await asyncio.get_running_loop().run_in_executor(
            self._thread, partial(job, self._conn))

    async def execute(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One statement, outside any write (a pragma, a check); its rows."""
        return await self.call(lambda conn: conn.execute(sql, params).fetchall())

    @property
    def in_transaction(self) -> bool:
        return self._conn is not None and self._conn.in_transaction

    async def close(self) -> None:
        """Close the connection, after every job sent before, and end the thread."""
        thread, conn = self._thread, self._conn
        if thread is None:
            return
        self._thread = self._conn = None
        try:
            if conn is not None:
                await asyncio.get_running_loop().run_in_executor(thread, conn.close)
        finally:
            thread.shutdown(wait=False)
