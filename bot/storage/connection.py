"""The SQLite connections: pragmas, one writer (on its own thread, ``writer``) with a lock,
one reader, writes and backups.

Everything that touches SQL lives in ``bot.storage``; the rest of PeerPrep sees dataclasses.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.paths import MIGRATIONS_DIR
from bot.storage.errors import (
    CannotOpen,
    MigrationError,
    StorageBusy,
    StorageDamaged,
    StorageError,
    damaged,
    too_new,
    translate,
    translate_open,
)
from bot.storage.files import private_dir, private_file
from bot.storage.migrations import migrations, split_statements
from bot.storage.sql import SQLITE, Params, Snapshot, Tx, for_dialect
from bot.storage.writer import LoopTx, WriterThread, begin, rollback, run_alone, run_batch

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


class Database:
    """One connection used as the single writer, on a thread of its own where each write
    runs whole in one trip (``writer.py``); the lock orders the writes and makes batches of
    those that arrive together. Plain reads go to a second, read-only connection (aiosqlite,
    on its own thread): in WAL mode each read sees the last commit, never a write in
    progress, and reads neither wait for the writer's lock nor for its syncs to disk. (An
    in-memory database has no second connection: there, reads share the writer and its
    lock.)
    """

    dialect = SQLITE

    def __init__(self, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self.busy_timeout_ms = busy_timeout_ms
        self._conn: WriterThread | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._pending: list[tuple[Callable[[Tx], Awaitable[Any]], asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self, *, migrate: bool = True, check: bool = True) -> None:
        """Open the database. ``check`` (the default) first runs ``PRAGMA quick_check`` and
        reads the schema version, and refuses a damaged database (``StorageDamaged``) or one
        from a newer PeerPrep (``SchemaTooNew``) with one line saying what to do; only
        ``db check`` and ``db restore`` open a database without it."""
        if self.path != Path(":memory:"):
            try:
                await asyncio.to_thread(private_dir, self.path.parent)
            except OSError as exc:
                raise CannotOpen(f"cannot create the folder {self.path.parent}: "
                                 f"{exc.strerror or exc}") from exc
            if self.path.is_dir():
                raise CannotOpen(f"{self.path} is a folder, not a database file")
            try:  # 0600 before SQLite makes it (and its -wal, -shm) with the umask's mode
                await asyncio.to_thread(private_file, self.path)
            except OSError as exc:
                raise CannotOpen(f"cannot use {self.path}: {exc.strerror or exc}") from exc
        conn = WriterThread()
        try:
            await conn.open(self._connect)
        except sqlite3.Error as exc:
            raise translate_open(self.path, exc) from exc
        self._conn = conn
        try:
            try:
                await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                await self._wal(conn)
                # FULL: an acknowledged answer survives a power loss, not only a crash.
                await conn.execute("PRAGMA synchronous = FULL")
                await conn.execute("PRAGMA foreign_keys = ON")
                # Deleted rows (a person's /privacy delete, blanked text) are overwritten
                # with zeros, not left in free pages for anyone who reads the file.
                await conn.execute("PRAGMA secure_delete = ON")
            except sqlite3.Error as exc:
                raise translate_open(self.path, exc) from exc
            if check:
                await self._check()
            if migrate:
                await self.migrate()
            if self.path != Path(":memory:"):
                self._reader = await self._open_reader()
        except BaseException:
            await self.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        """The writer's connection (made on its thread). Transactions are begun and ended
        explicitly, by ``write``."""
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    async def _check(self) -> None:
        """Refuse a damaged database, or one a newer PeerPrep wrote (cheap: ``quick_check``
        reads every page once but checks no index against its table)."""
        try:
            rows = await self.conn.execute("PRAGMA quick_check(5)")
            version = await self.version()
        except StorageDamaged as exc:
            raise damaged(self.path, str(exc)) from exc
        except sqlite3.Error as exc:
            raise translate_open(self.path, exc) from exc
        problems = [str(row[0]) for row in rows]
        if problems != ["ok"]:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise damaged(self.path, f"quick_check: {problems[0]}{more}")
        latest = len(migrations(self.migrations_dir))
        if version > latest:
            raise too_new(self.path, version, latest)

    async def _wal(self, conn: WriterThread) -> None:
        """Switch to WAL, retrying while another connection holds a lock.

        Two connections opening a new database at once can both ask for the switch; SQLite
        then refuses one at once, without waiting ``busy_timeout``, to avoid a deadlock.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_ms / 1000
        while True:
            try:
                await conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not isinstance(translate(exc), StorageBusy) or loop.time() >= deadline:
                    raise
            await asyncio.sleep(0.02)

    async def _open_reader(self) -> aiosqlite.Connection:
        try:
            reader = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise translate_open(self.path, exc) from exc
        reader.row_factory = sqlite3.Row
        try:
            await reader.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await reader.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            await reader.close()
            raise translate_open(self.path, exc) from exc
        except BaseException:
            await reader.close()
            raise
        return reader

    async def close(self) -> None:
        # Writes under way finish whole first: a write whose caller stopped waiting (shielded)
        # or that is queued would otherwise find its connection closed mid-transaction.
        if self._flusher is not None and not self._flusher.done():
            await asyncio.wait({self._flusher})
        if self._conn is not None:
            async with self._lock:
                pass
        if self._reader is not None:
            reader, self._reader = self._reader, None
            await reader.close()
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @property
    def conn(self) -> WriterThread:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    async def version(self) -> int:
        try:
            rows = await self.conn.execute("PRAGMA user_version")
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        return int(rows[0][0]) if rows else 0

    async def migrate(self) -> list[int]:
        """Apply pending migrations, each with its version bump in one transaction.

        The version is read again inside each write transaction: another process (or another
        connection of this one) opening the same database at the same moment may have applied
        a migration between the first look and ``BEGIN IMMEDIATE``; it is then skipped.
        """
        current = await self.version()
        pending = [(n, p) for n, p in migrations(self.migrations_dir) if n > current]
        applied = []
        for number, path in pending:
            statements = for_dialect(split_statements(path.read_text(encoding="utf-8")),
                                     SQLITE)
            found = [number - 1]

            async def work(tx: Tx, number: int = number, statements: list[str] = statements,
                           found: list[int] = found) -> bool:
                row = await tx.fetch_one("PRAGMA user_version")
                found[0] = int(row[0]) if row else 0
                if found[0] >= number:
                    return False  # applied by another opener since we looked
                for statement in statements:
                    await tx.execute(statement)
                await tx.execute(f"PRAGMA user_version = {number}")
                return True

            try:
                done = await self.write(work)
            except StorageError as exc:
                raise MigrationError(
                    f"migration {path.name} failed and was rolled back "
                    f"(the database stays at version {found[0]}): {exc}"
                ) from exc
            if done:
                log.info("applied migration %s", path.name)
                applied.append(number)
        return applied

    async def write(self, work: Callable[[Tx], Awaitable[T]], *,
                    conflicts_by_row: bool = False, waits: bool = False) -> T:
        """Run ``await work(tx)`` atomically on the writer; return its result once it is
        committed. This is the one way anything is written. (``conflicts_by_row`` is for
        PostgreSQL: SQLite runs one write at a time, so every write is serial.)

        ``work`` runs its statements through the ``Tx`` it is given, and nothing else: no
        other I/O, no waiting on anything but its statements (every other write waits for
        it). It runs on the writer's thread, where its statements complete at once; one that
        waits on anything else fails (``WorkWaited``) and writes nothing. It may raise to roll
        itself back. A work that must wait on something else too (``waits``: a copy reading
        its source) runs alone from the event loop instead, each statement a trip to the
        writer's thread.

        Writes that arrive together are committed together (group commit): one
        ``BEGIN IMMEDIATE`` ... ``COMMIT`` and one sync to disk for the batch, each ``work``
        in a savepoint of its own, so one failing rolls back only itself. Under load a commit
        per answer would pay one sync per answer.

        A write that finds nothing else writing or queued runs from here, in a transaction of
        its own: no flusher task and no savepoint, so a lone answer waits for nothing. Writes
        that arrive meanwhile queue as usual and are committed together once it is done.
        """
        if waits:
            await self._lock.acquire()
            return await asyncio.shield(asyncio.ensure_future(self._from_loop(work)))
        if not self._pending and not self._lock.locked():
            # The lock is free, so this takes it at once (no await suspends here): writes
            # arriving from now on queue for the next batch. The work runs as a task of its
            # own, shielded: a caller that stops waiting (cancelled) does not cut its
            # transaction short; it commits or rolls back whole, as a queued write does.
            await self._lock.acquire()
            return await asyncio.shield(asyncio.ensure_future(self._lone(work)))
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _lone(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """``work`` in a transaction of its own, under the lock its caller took, which it lets
        go of once the writer's thread is done with it."""
        try:
            return await self.conn.call(partial(run_alone, work=work))
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        finally:
            self._lock.release()

    async def _from_loop(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """``work`` in a transaction of its own, run here on the loop, each statement a trip
        to the writer's thread; under the lock its caller took, which it lets go of."""
        conn = self.conn
        try:
            try:
                await conn.call(begin)
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            try:
                value = await work(LoopTx(conn))
                await conn.execute("COMMIT")
            except BaseException as exc:
                await conn.call(rollback)
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc) from exc
                raise
            return value
        finally:
            self._lock.release()

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            works = [work for work, _ in batch]
            async with self._lock:
                try:
                    outcomes = await self.conn.call(partial(run_batch, works=works))
                except BaseException as exc:  # the batch as a whole failed: nothing committed
                    error = translate(exc) if isinstance(exc, sqlite3.Error) else exc
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    if not isinstance(exc, Exception):
                        raise
                    continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(translate(value) if isinstance(value, sqlite3.Error)
                                         else value)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        bound = params if isinstance(params, dict) else tuple(params)
        try:
            if self._reader is not None:
                return list(await self._reader.execute_fetchall(sql, bound))
            async with self._lock:
                return await self.conn.execute(sql, bound)
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def checkpoint(self, attempts: int = 20) -> bool:
        """Copy the WAL into the database and truncate it to nothing (``wal_checkpoint
        (TRUNCATE)``), so deleted rows leave no copy in the WAL. False when readers kept it
        from finishing after ``attempts`` tries."""
        if self.path == Path(":memory:"):
            return True
        for _ in range(attempts):
            async with self._lock:
                try:
                    row = (await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)"))[0]
                except sqlite3.Error as exc:
                    if not isinstance(translate(exc), StorageBusy):
                        raise translate(exc) from exc
                    row = None
            if row is not None and row[0] == 0:
                return True
            await asyncio.sleep(0.05)
        return False

    async def snapshot(self, work: Callable[[Snapshot], Awaitable[T]]) -> T:
        """``await work(reads)`` in one read transaction on a connection of its own: every
        read sees the database as it was when the first one began (WAL), while writers,
        here or in another process, carry on and are not waited for. (In memory, where
        there is one connection, it runs on the writer under its lock.)"""
        if self.path == Path(":memory:"):
            async with self._lock:  # no write comes between its reads
                try:
                    return await work(_WriterSnapshot(self.conn))
                except sqlite3.Error as exc:
                    raise translate(exc) from exc
        conn = await self._open_reader()
        try:
            return await _read_snapshot(conn, work)
        finally:
            await conn.close()

    async def backup(self, target: Path, *, overwrite: bool = False) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot writes.

        The copy is written beside ``target`` under a temporary name, only its owner may read
        it (mode 0600: it holds people's answers), it must pass ``PRAGMA integrity_check``,
        and only then does it take ``target``'s name (an atomic rename). So a failed or
        damaged copy never replaces anything, and an existing ``target`` is kept unless
        ``overwrite``."""
        temp = await asyncio.to_thread(_prepare_target, target, overwrite)
        try:
            async with self._lock:
                try:
                    await self.conn.call(lambda conn: _backup_to(conn, temp))
                except sqlite3.Error as exc:
                    raise translate(exc) from exc
            await asyncio.to_thread(_install_copy, temp, target, overwrite)
        finally:
            await asyncio.to_thread(temp.unlink, missing_ok=True)


def _backup_to(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the database on ``conn`` into the file ``target`` (SQLite's online backup)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        # One self-contained file, without a -wal beside it.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


async def _read_snapshot(conn: aiosqlite.Connection, work: Callable[[Snapshot], Awaitable[T]]
                         ) -> T:
    try:
        await conn.execute("BEGIN")
        # A deferred transaction takes its snapshot at its first read: take it now.
        await conn.execute_fetchall("SELECT COUNT(*) FROM sqlite_master")
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    try:
        return await work(SqliteSnapshot(conn))
    finally:
        if conn.in_transaction:
            try:
                await conn.execute("ROLLBACK")  # it wrote nothing: nothing to keep
            except sqlite3.Error:
                log.debug("ending a read transaction failed", exc_info=True)


class SqliteSnapshot:
    """``Snapshot`` on a connection inside its read transaction."""

    __slots__ = ("conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        try:
            return list(await self.conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def batches(self, sql: str, size: int) -> AsyncIterator[list[sqlite3.Row]]:
        try:
            async with self.conn.execute(sql) as cursor:
                while rows := await cursor.fetchmany(size):
                    yield list(rows)
        except sqlite3.Error as exc:
            raise translate(exc) from exc


class _WriterSnapshot:
    """``Snapshot`` on an in-memory database's one connection, under the writer's lock."""

    __slots__ = ("writer",)

    def __init__(self, writer: WriterThread) -> None:
        self.writer = writer

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return await self.writer.execute(sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def batches(self, sql: str, size: int) -> AsyncIterator[list[sqlite3.Row]]:
        rows = await self.writer.execute(sql)  # in memory already
        for start in range(0, len(rows), size):
            yield rows[start:start + size]


BACKUP_MODE = 0o600


def integrity_report(path: Path, *, quick: bool = False, limit: int = 100) -> list[str]:
    """``PRAGMA integrity_check`` (or ``quick_check``) of the database file at ``path``, on a
    connection of its own that writes nothing (``query_only``; not ``mode=ro``, which would
    leave a -wal and -shm behind): ``["ok"]`` when it is sound. A file SQLite can't read at
    all gives one line saying why."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        conn.execute("PRAGMA query_only = ON")
        rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
        return [str(row[0]) for row in rows]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()


def schema_version(path: Path) -> int:
    """``PRAGMA user_version`` of the (existing) database file at ``path``."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA query_only = ON")
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    finally:
        conn.close()


def in_use(path: Path) -> bool:
    """Whether another connection (the bot, a practice session, in any process) has the
    database at ``path`` open. In WAL mode every open connection holds a shared lock on the
    file, so an exclusive lock is refused while one is open. A file SQLite can't lock at all
    (damaged beyond reading) counts as not in use."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        return isinstance(translate(exc), StorageBusy)
    finally:
        conn.close()
    return False


def copy_database(source: Path, target: Path) -> None:
    """Copy the (closed, checked) database ``source`` to a new file ``target`` with SQLite's
    backup API, readable by its owner only; ``target`` must not exist yet."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE)
    os.close(fd)
    src = sqlite3.connect(source)
    try:
        src.execute("PRAGMA query_only = ON")
        _backup_to(src, target)
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    finally:
        src.close()


def _prepare_target(target: Path, overwrite: bool) -> Path:
    """A new, empty file beside ``target`` (mode 0600) for the copy to be written into."""
    if target.is_dir():
        raise FileExistsError(f"{target} is a folder")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} already exists")
    private_dir(target.parent)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)  # mkstemp makes it 0600 already
    return Path(name)


def _install_copy(temp: Path, target: Path, overwrite: bool) -> None:
    """Check the copy, then give it ``target``'s name."""
    report = integrity_report(temp)
    if report != ["ok"]:
        raise StorageDamaged(f"the copy failed its integrity check: {report[0]}")
    os.chmod(temp, BACKUP_MODE)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} already exists")
    os.replace(temp, target)
