"""The SQLite connections: pragmas, one writer with a lock, one reader, transactions and
migrations.

Everything that touches SQL lives in ``bot.storage``; the rest of PeerPrep sees dataclasses.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.paths import MIGRATIONS_DIR
from bot.storage.files import private_dir, private_file

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """The database could not do what was asked. ``user_message`` is safe to show anyone;
    ``retry_helps`` says whether trying the same thing again soon can work."""

    user_message = "PeerPrep couldn't save that just now. Nothing was half-saved: please try again."
    retry_helps = True


class StorageBusy(StorageError):
    """Another connection held the database past ``busy_timeout``: retrying helps."""

    user_message = ("PeerPrep's database is busy right now. Nothing was saved: "
                    "please try again in a moment.")


class StorageFull(StorageError):
    """The disk (or the database's size limit) is full: retrying won't help until there is room."""

    user_message = ("PeerPrep's storage is full, so nothing was saved. Trying again won't help "
                    "until the people who run this bot free some disk space.")
    retry_helps = False


class StorageReadOnly(StorageError):
    """The database can be read but not written (file or folder permissions, a read-only
    disk): retrying won't help."""

    user_message = ("PeerPrep's database is read-only right now, so nothing was saved. Trying "
                    "again won't help until the people who run this bot make it writable.")
    retry_helps = False


class StorageDamaged(StorageError):
    """The database file is damaged (SQLITE_CORRUPT, "not a database") or its disk failed to
    read or write it (SQLITE_IOERR): retrying won't help; check it and restore a backup."""

    user_message = ("PeerPrep's database is damaged, so nothing was saved. Trying again won't "
                    "help: the people who run this bot need to check it and restore a backup.")
    retry_helps = False


class SchemaTooNew(StorageError):
    """The database was written by a newer PeerPrep than this one."""

    user_message = ("PeerPrep's database belongs to a newer version of PeerPrep, so nothing was "
                    "saved. The people who run this bot need to run that version.")
    retry_helps = False


class MigrationError(StorageError):
    """A migration failed; the database stays at the version it had before it."""

    retry_helps = False


class CannotOpen(StorageError):
    """The database file can't be created or opened, or it is not an SQLite database: a
    setting (``DATA_DIR``, ``DATABASE_PATH``) points at the wrong place. Retrying won't help."""

    retry_helps = False


CHECK_HINT = "`python -m bot db check` prints the report"
RESTORE_HINT = "`python -m bot db restore BACKUP` puts a backup in its place"


def _primary(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code of an extended one


def _translate(exc: sqlite3.Error) -> StorageError:
    """The StorageError subclass for an SQLite error: by its (primary) result code, or by
    its text when the code is missing."""
    text = str(exc).lower()
    code = _primary(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
            code is None and ("locked" in text or "busy" in text)):
        return StorageBusy(str(exc))
    if code == sqlite3.SQLITE_FULL or (code is None and "full" in text):
        return StorageFull(str(exc))
    if code == sqlite3.SQLITE_READONLY or (code is None and "readonly" in text):
        return StorageReadOnly(str(exc))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR) or (
            code is None and ("malformed" in text or "not a database" in text
                              or "disk i/o error" in text)):
        return StorageDamaged(str(exc))
    return StorageError(str(exc))


def _translate_open(path: Path, exc: sqlite3.Error) -> StorageError:
    """An error while opening: a wrong file or place is ``CannotOpen``, the rest as usual."""
    code = _primary(exc) or 0
    if code == sqlite3.SQLITE_NOTADB or "not a database" in str(exc):
        return CannotOpen(f"{path} is not an SQLite database (if it was PeerPrep's, its "
                          f"first page is damaged: {RESTORE_HINT})")
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY):
        return CannotOpen(f"cannot use {path}: {exc}")
    error = _translate(exc)
    if isinstance(error, StorageDamaged):
        return damaged(path, str(exc))
    return error


def damaged(path: Path, problem: str) -> StorageDamaged:
    """The one line for a damaged database: what is wrong, and what to do instead."""
    return StorageDamaged(f"the database {path} is damaged ({problem}); {CHECK_HINT}, "
                          f"{RESTORE_HINT} after moving the damaged file aside")


def for_operator(exc: StorageError) -> str:
    """One line for whoever runs PeerPrep (the terminal, the logs): what went wrong and
    whether retrying helps or what to do instead."""
    if isinstance(exc, StorageDamaged | SchemaTooNew | CannotOpen) and (
            "db check" in str(exc) or "db restore" in str(exc)):
        return str(exc)  # already says what to do
    advice = {
        StorageBusy: "the database is busy (another process holds it): try again in a moment",
        StorageFull: "the disk is full: free some space, then try again (retrying alone "
                     "won't help)",
        StorageReadOnly: "the database is read-only: make the file and its folder writable "
                         "by PeerPrep (retrying alone won't help)",
        StorageDamaged: f"the database is damaged: {CHECK_HINT}; stop PeerPrep, then "
                        f"{RESTORE_HINT} (retrying won't help)",
    }
    for kind, text in advice.items():
        if isinstance(exc, kind):
            return f"{text} [{exc}]"
    return f"the database failed: {exc}"


def too_new(path: Path, version: int, latest: int) -> SchemaTooNew:
    return SchemaTooNew(f"the database {path} is at schema version {version}, newer than this "
                        f"PeerPrep knows (it knows up to {latest}): run the newer PeerPrep, or "
                        f"{RESTORE_HINT}")


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """Numbered migration files, in order; their numbers must run 1, 2, 3... without gaps."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named like 001_initial.sql")
        found.append((int(match.group(1)), path))
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise MigrationError(f"{path.name}: expected migration number {expected:03d}")
    return found


def split_statements(script: str) -> list[str]:
    """The statements of a script, to run inside one transaction (executescript would commit)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements


class Database:
    """One aiosqlite connection used as the single writer; every transaction holds the lock.

    Coroutines sharing an aiosqlite connection would otherwise interleave their statements
    inside each other's transactions. Plain reads go to a second, read-only connection on
    its own thread: in WAL mode each read sees the last commit, never a write in progress,
    and reads neither wait for the writer's lock nor for its syncs to disk. (An in-memory
    database has no second connection: there, reads share the writer and its lock.)
    """

    def __init__(self, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self.busy_timeout_ms = busy_timeout_ms
        self._conn: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._pending: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
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
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _translate_open(self.path, exc) from exc
        self._conn = conn
        conn.row_factory = sqlite3.Row
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
                raise _translate_open(self.path, exc) from exc
            if check:
                await self._check()
            if migrate:
                await self.migrate()
            if self.path != Path(":memory:"):
                self._reader = await self._open_reader()
        except BaseException:
            await self.close()
            raise

    async def _check(self) -> None:
        """Refuse a damaged database, or one a newer PeerPrep wrote (cheap: ``quick_check``
        reads every page once but checks no index against its table)."""
        try:
            rows = await self.conn.execute_fetchall("PRAGMA quick_check(5)")
            version = await self.version()
        except StorageDamaged as exc:
            raise damaged(self.path, str(exc)) from exc
        except sqlite3.Error as exc:
            raise _translate_open(self.path, exc) from exc
        problems = [str(row[0]) for row in rows]
        if problems != ["ok"]:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise damaged(self.path, f"quick_check: {problems[0]}{more}")
        latest = len(migrations(self.migrations_dir))
        if version > latest:
            raise too_new(self.path, version, latest)

    async def _wal(self, conn: aiosqlite.Connection) -> None:
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
                if not isinstance(_translate(exc), StorageBusy) or loop.time() >= deadline:
                    raise
            await asyncio.sleep(0.02)

    async def _open_reader(self) -> aiosqlite.Connection:
        try:
            reader = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _translate_open(self.path, exc) from exc
        reader.row_factory = sqlite3.Row
        try:
            await reader.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await reader.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            await reader.close()
            raise _translate_open(self.path, exc) from exc
        except BaseException:
            await reader.close()
            raise
        return reader

    async def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            await reader.close()
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    async def version(self) -> int:
        try:
            async with self.conn.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc) from exc
        return int(row[0]) if row else 0

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
            statements = split_statements(path.read_text(encoding="utf-8"))
            version = number - 1
            try:
                async with self.transaction() as conn:
                    async with conn.execute("PRAGMA user_version") as cursor:
                        row = await cursor.fetchone()
                    version = int(row[0]) if row else 0
                    if version >= number:
                        continue  # applied by another opener since we looked
                    for statement in statements:
                        await conn.execute(statement)
                    await conn.execute(f"PRAGMA user_version = {number}")
            except StorageError as exc:
                raise MigrationError(
                    f"migration {path.name} failed and was rolled back "
                    f"(the database stays at version {version}): {exc}"
                ) from exc
            log.info("applied migration %s", path.name)
            applied.append(number)
        return applied

    @asynccontextmanager
    async def transaction(self, *, immediate: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction under the writer lock; ``BEGIN IMMEDIATE`` takes the write lock up front
        so a read-modify-write never fails half-way on a busy database."""
        async with self._lock:
            conn = self.conn
            try:
                await conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            except sqlite3.Error as exc:
                raise _translate(exc) from exc
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    await conn.execute("ROLLBACK")
                except sqlite3.Error:
                    log.warning("rollback failed", exc_info=True)
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc) from exc
                raise

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` atomically on the database's own thread; return its
        result once it is committed.

        Writes that arrive together are committed together (group commit): one
        ``BEGIN IMMEDIATE`` ... ``COMMIT`` and one sync to disk for the batch, each ``work``
        in a savepoint of its own, so one failing rolls back only itself. Every await on an
        aiosqlite connection is a round trip to its thread, and every commit a sync: under
        load both would otherwise be paid once per answer. ``work`` is plain synchronous
        code (SQL and pure functions only, never I/O of its own).

        A write that finds nothing else writing or queued runs from here, in a transaction of
        its own: no flusher task and no savepoint, so a lone answer pays one hop to the
        database thread and no more. Writes that arrive meanwhile queue as usual and are
        committed together once it is done.
        """
        if not self._pending and not self._lock.locked():
            async with self._lock:
                try:
                    return await self.conn._execute(_run_alone, self._raw, work)
                except sqlite3.Error as exc:
                    raise _translate(exc) from exc
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            async with self._lock:
                try:
                    # aiosqlite's queue to its thread: ``_execute`` is how its own methods
                    # use it; the whole batch is one hop.
                    outcomes = await self.conn._execute(
                        _run_batch, self._raw, [work for work, _ in batch])
                except BaseException as exc:  # the batch as a whole failed: nothing committed
                    error = _translate(exc) if isinstance(exc, sqlite3.Error) else exc
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
                    future.set_exception(_translate(value) if isinstance(value, sqlite3.Error)
                                         else value)

    def _raw(self) -> sqlite3.Connection:
        raw = self.conn._conn
        assert isinstance(raw, sqlite3.Connection)
        return raw

    async def fetch_all(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
                        ) -> list[sqlite3.Row]:
        bound = params if isinstance(params, dict) else tuple(params)
        try:
            if self._reader is not None:
                return list(await self._reader.execute_fetchall(sql, bound))
            async with self._lock:
                return list(await self.conn.execute_fetchall(sql, bound))
        except sqlite3.Error as exc:
            raise _translate(exc) from exc

    async def fetch_one(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
                        ) -> sqlite3.Row | None:
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
                    async with self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                        row = await cursor.fetchone()
                except sqlite3.Error as exc:
                    if not isinstance(_translate(exc), StorageBusy):
                        raise _translate(exc) from exc
                    row = None
            if row is not None and row[0] == 0:
                return True
            await asyncio.sleep(0.05)
        return False

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
                dest = await aiosqlite.connect(temp)
                try:
                    await self.conn.backup(dest)
                    # One self-contained file, without a -wal beside it.
                    await dest.execute("PRAGMA journal_mode = DELETE")
                except sqlite3.Error as exc:
                    raise _translate(exc) from exc
                finally:
                    await dest.close()
            await asyncio.to_thread(_install_copy, temp, target, overwrite)
        finally:
            await asyncio.to_thread(temp.unlink, missing_ok=True)


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
        raise _translate(exc) from exc
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
        return isinstance(_translate(exc), StorageBusy)
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
        dest = sqlite3.connect(target)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise _translate(exc) from exc
    finally:
        src.close()


@contextmanager
def _immediate(raw: sqlite3.Connection) -> Iterator[None]:
    """On the database thread: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK`` on any
    error (unless SQLite has already rolled the transaction back itself)."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        yield
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise


def _run_alone(raw_connection: Callable[[], sqlite3.Connection],
               work: Callable[[sqlite3.Connection], T]) -> T:
    """Run on the database thread: one work in a transaction of its own."""
    raw = raw_connection()
    with _immediate(raw):
        return work(raw)


def _run_batch(raw_connection: Callable[[], sqlite3.Connection],
               works: list[Callable[[sqlite3.Connection], Any]]) -> list[tuple[bool, Any]]:
    """Run on the database thread: every work in its own savepoint, one commit for all."""
    raw = raw_connection()
    outcomes: list[tuple[bool, Any]] = []
    with _immediate(raw):
        for work in works:
            raw.execute("SAVEPOINT work")
            try:
                value = work(raw)
            except Exception as exc:
                if not raw.in_transaction:
                    raise  # SQLite rolled the whole transaction back (disk full, I/O error)
                raw.execute("ROLLBACK TO work")
                raw.execute("RELEASE work")
                outcomes.append((False, exc))
            else:
                raw.execute("RELEASE work")
                outcomes.append((True, value))
    return outcomes


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
