"""The PostgreSQL backend (``DATABASE_URL=postgresql://...``): for deployments that outgrow
one process. Several bot processes, on several machines, share one database. (The URL may
carry server settings as query parameters, e.g. ``?search_path=peerprep`` for a schema.)

It offers what ``connection.Database`` offers SQLite's users (``write``, ``fetch_all``,
``fetch_one``, migrations) on a pool of asyncpg connections, and runs the repositories'
SQL as written (``sql.numbered`` turns its placeholders into PostgreSQL's).

Every write is one transaction at SERIALIZABLE isolation: what a write read (an answer's
streak, an interview's position) still holds when it commits, as SQLite's single writer
guarantees, or PostgreSQL refuses the commit and the write runs again from the start. A
write that itself writes every row it depends on (``conflicts_by_row``: the answer's) runs at
REPEATABLE READ, where only a row changed meanwhile refuses it (``write`` says why). A
connection lost before the commit is retried the same way on a fresh connection: nothing was
written. One lost during the commit fails with ``StorageUnreachable``: the write may or may
not have been saved (an answer sent again is stored once: its submission key).

Waiting is bounded by the store's wait (``wait_seconds``, as SQLite's busy timeout): for a
free connection, for retries, and for a lock another client holds (``lock_timeout``); past
it, ``StorageBusy`` or ``StorageUnreachable``. A server that stops answering in the middle
of a statement without closing the connection (a network partition) is given up after
``statement_seconds`` (30 s): the connection is dropped and the request fails with
``StorageUnreachable``. (Migrations and bulk writes, ``execute_many``, are not bounded.)
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import shlex
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from bot.core.records import (
    StorageBusy,
    StorageError,
    StorageFull,
    StorageReadOnly,
    StorageUnreachable,
)
from bot.paths import MIGRATIONS_DIR
from bot.storage.errors import CannotOpen, MigrationError, SchemaTooNew
from bot.storage.migrations import migrations, split_statements
from bot.storage.sql import (
    POSTGRESQL,
    Params,
    Snapshot,
    Tx,
    changed_rows,
    for_dialect,
    numbered,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

POOL_SIZE = 10
WAIT_SECONDS = 5.0  # for a free connection, and for retries, as SQLite's busy timeout
# For the server's answer to one statement. PeerPrep's statements take milliseconds; one
# that has had no answer for this long is taken for a server or network gone silent.
STATEMENT_SECONDS = 30.0
# The one row of the schema version (SQLite keeps it in PRAGMA user_version).
_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS peerprep_schema (version INTEGER NOT NULL)"
# Migrations take this lock (in their transaction): processes starting together apply each
# migration once.
_MIGRATION_LOCK = 7_210_419_501
# Every connection reads only, unless its transaction says otherwise: a write is a
# transaction begun READ WRITE (``write``, migrations), so a statement sent through
# ``fetch_all`` can't change anything, as on SQLite's read-only reader.
_READ_ONLY = {"default_transaction_read_only": "on"}
_BEGIN_WRITE = "BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE"
_BEGIN_WRITE_BY_ROW = "BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE"

# Lost connections and a server that is restarting: worth another try on a new connection.
# (asyncpg's InterfaceError and InternalClientError are one of these only on a connection that
# is closed: on an open one they are a mistake in the statement, which another try won't cure.
# A connection whose server said it is ending, before the connection closed, gives an
# InternalClientError on its next statement, and is closed after it.)
_CONNECTION_LOST: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: the connection failed, or went mid-query
    asyncpg.AdminShutdownError, asyncpg.CrashShutdownError, asyncpg.CannotConnectNowError,
    ConnectionError, OSError,
)
_CONNECTION_LOST_OR_TIMEOUT: tuple[type[BaseException], ...] = (*_CONNECTION_LOST, TimeoutError)
# A value the column's type can't take: asyncpg's own check before sending (a ValueError)
# or the server's (SQLSTATE class 22). Their messages quote the value.
VALUE_ERRORS: tuple[type[BaseException], ...] = (asyncpg.DataError, ValueError, TypeError)
_CLIENT_ERROR: tuple[type[BaseException], ...] = (
    asyncpg.InterfaceError, asyncpg.exceptions.InternalClientError)
# Another transaction got in the way: run the whole write again.
_CONFLICT: tuple[type[BaseException], ...] = (
    asyncpg.SerializationError, asyncpg.DeadlockDetectedError)


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError when the URL is malformed
    except ValueError:  # malformed: hide whatever stands between :// and @
        return re.sub(r"(://[^/@]*?:)[^/@]*@", r"\1***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)  # keeps [IPv6] hosts
    return urlunsplit(parts._replace(netloc=netloc))


def said(exc: BaseException) -> str:
    """An error's text on one line (with PostgreSQL's HINT), or its kind.

    PostgreSQL's DETAIL is dropped, from the error itself too: it can quote a row's values
    ("Failing row contains (...)", "Key (...)=(...)"), which may be someone's answer, and
    the error goes on as the cause of PeerPrep's own into logs and tracebacks. (SQLite's
    errors name the constraint, never the values.)"""
    if isinstance(exc, asyncpg.PostgresError):
        exc.detail = None
    return " ".join(str(exc).split()) or type(exc).__name__


def _closed(conn: asyncpg.Connection) -> bool:
    """Whether a pooled connection is closed (the pool lets go of one that closed: asking
    it anything then raises InterfaceError)."""
    try:
        return bool(conn.is_closed())
    except asyncpg.InterfaceError:
        return True


def _give_up(conn: asyncpg.Connection) -> None:
    """Drop a connection whose statement got no answer in time: its state is unknown, so
    it can't be used again (the pool makes a new one in its place)."""
    if not _closed(conn):
        conn.terminate()


def _refuse_newer(version: int, latest: int, db: object) -> None:
    if version > latest:
        raise SchemaTooNew(f"the database {db} is at schema version {version}, newer than this "
                           f"PeerPrep knows (it knows up to {latest}): run the newer PeerPrep")


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def url_problem(url: str) -> str | None:
    """What keeps ``url`` from naming a PostgreSQL database PeerPrep can open, in words for
    whoever set it; None when nothing does. (It never quotes the URL: it may hold a
    password.)"""
    if not is_postgres_url(url):
        return "it is not a postgresql:// URL"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is no number or too big
    except ValueError as exc:
        return f"it can't be read: {str(exc).rstrip('.')}"
    # Without one, the driver would take the user's name for the database's, and migrate
    # whatever database that is (``postgres``, say).
    if not parts.path.strip("/") and not {"dbname", "database"} & parse_qs(parts.query).keys():
        return "it names no database (end it with the database's name, e.g. /peerprep)"
    return None


def first_schema(url: str) -> str | None:
    """The schema ``search_path`` names first in ``url``'s query, if any."""
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if name == "search_path":
            first = value.split(",")[0].strip().strip('"')
            return first if first and first != "$user" else None
    return None


async def _keep_session(conn: asyncpg.Connection) -> None:
    """A connection back in the pool as it is (asyncpg has already rolled back a transaction
    left open): PeerPrep sets nothing for a session (no SET, LISTEN, cursors or session
    advisory locks; the URL's and the pool's server settings are given at connection, and
    RESET ALL would keep them), so the default reset (RESET ALL and more) would only cost a
    round trip to the server on every release."""


class _Retry(Exception):
    """A write that changed nothing and may run again: why."""

    def __init__(self, error: StorageError) -> None:
        super().__init__(str(error))
        self.error = error


class PgTx:
    """``Tx`` on one connection inside its transaction. A statement without an answer after
    ``timeout`` seconds raises TimeoutError; ``execute_many`` (bulk: ``db copy``,
    re-encryption) waits as long as it takes."""

    __slots__ = ("conn", "timeout")

    def __init__(self, conn: asyncpg.Connection, timeout: float | None) -> None:
        self.conn = conn
        self.timeout = timeout

    async def execute(self, sql: str, params: Params = ()) -> int:
        statement = numbered(sql)
        return changed_rows(await self.conn.execute(
            statement.sql, *statement.args(params), timeout=self.timeout))

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        statement = numbered(sql)
        await self.conn.executemany(statement.sql, [statement.args(r) for r in rows])

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]:
        statement = numbered(sql)
        return list(await self.conn.fetch(statement.sql, *statement.args(params),
                                          timeout=self.timeout))

    async def fetch_one(self, sql: str, params: Params = ()) -> Any:
        statement = numbered(sql)
        return await self.conn.fetchrow(statement.sql, *statement.args(params),
                                        timeout=self.timeout)


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database; open with ``await open()``."""

    dialect = POSTGRESQL

    def __init__(self, url: str, *, migrations_dir: Path = MIGRATIONS_DIR,
                 pool_size: int = POOL_SIZE, wait_seconds: float = WAIT_SECONDS,
                 statement_seconds: float = STATEMENT_SECONDS) -> None:
        self.url = url
        self.migrations_dir = migrations_dir
        self.pool_size = pool_size
        self.wait_seconds = wait_seconds
        self.statement_seconds = statement_seconds
        self._pool: asyncpg.Pool | None = None
        self._writes: set[asyncio.Task[Any]] = set()

    def __str__(self) -> str:
        return redacted(self.url)

    async def __aenter__(self) -> PostgresDatabase:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- opening ---------------------------------------------------------------------------

    async def open(self, *, migrate: bool = True, check: bool = True,
                   create: bool = True) -> None:
        """Connect (creating the database when it does not exist yet, unless not
        ``create``), refuse a database a newer PeerPrep wrote, and apply pending
        migrations."""
        problem = url_problem(self.url)
        if problem is not None:
            raise CannotOpen(f"the PostgreSQL URL can't be used: {problem}")
        for attempt in (1, 2):
            try:
                self._pool = await asyncpg.create_pool(
                    self.url, min_size=1, max_size=self.pool_size,
                    statement_cache_size=1024, timeout=self.wait_seconds,
                    server_settings={**_READ_ONLY, **self._lock_timeout()},
                    reset=_keep_session)
                break
            except asyncpg.InvalidCatalogNameError:
                if not create:
                    raise CannotOpen(f"the database {self} does not exist") from None
                if attempt == 2:
                    raise CannotOpen(f"the database {self} does not exist and could not be "
                                     "created") from None
                await self._create_database()
            except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError
                    ) as exc:
                raise CannotOpen(f"PostgreSQL refused PeerPrep's login at {self}: {said(exc)}"
                                 ) from exc
            except _CONNECTION_LOST_OR_TIMEOUT as exc:
                raise StorageUnreachable(f"cannot reach PostgreSQL at {self}: {said(exc)}"
                                         ) from exc
            except asyncpg.InterfaceError as exc:  # the URL says something asyncpg can't do
                raise CannotOpen(f"cannot connect to {self}: {said(exc)}") from exc
            except asyncpg.PostgresError as exc:  # e.g. a server setting in the URL refused
                raise translate(exc) from exc
        try:
            if check:
                _refuse_newer(await self.version(), len(migrations(self.migrations_dir)), self)
            if migrate:
                await self.migrate()
        except BaseException:
            await self.close()
            raise

    def _lock_timeout(self) -> dict[str, str]:
        """How long a statement waits for a lock another client holds (PostgreSQL waits
        forever by default): the store's wait, as SQLite's busy timeout, unless the URL
        sets its own ``lock_timeout``. Past it the write fails with StorageBusy."""
        if "lock_timeout" in parse_qs(urlsplit(self.url).query):
            return {}
        return {"lock_timeout": str(max(1, round(self.wait_seconds * 1000)))}

    async def _create_database(self) -> None:
        """Create the database the URL names, from the server's ``postgres`` database."""
        parts = urlsplit(self.url)
        name = parts.path.lstrip("/")
        if not name:
            raise CannotOpen(f"{self} names no database")
        admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            conn = await asyncpg.connect(admin, timeout=self.wait_seconds)
        except asyncpg.PostgresError as exc:
            raise CannotOpen(f"the database {self} does not exist, and PeerPrep can't reach "
                             f"the server's postgres database to create it ({exc}): create "
                             f"it (CREATE DATABASE {quoted})") from exc
        except _CONNECTION_LOST_OR_TIMEOUT as exc:
            raise StorageUnreachable(f"cannot reach PostgreSQL at {self}: "
                                     f"{exc or type(exc).__name__}") from exc
        try:
            await conn.execute(f"CREATE DATABASE {quoted}")
            log.info("created the PostgreSQL database %s", name)
        # Another process created it first: refused by name, or, when both were at it at
        # once, by the catalog's unique index.
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            pass
        except asyncpg.InsufficientPrivilegeError as exc:
            raise CannotOpen(f"the database {self} does not exist, and PeerPrep's user may "
                             f"not create it: create it (CREATE DATABASE {quoted}), or grant "
                             f"the user CREATEDB") from exc
        finally:
            await conn.close()

    async def close(self) -> None:
        if self._writes:  # writes under way finish whole first (they are shielded)
            await asyncio.wait(set(self._writes))
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), self.wait_seconds)
            except (*_CONNECTION_LOST_OR_TIMEOUT, asyncpg.InterfaceError):
                pool.terminate()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool

    # -- schema ----------------------------------------------------------------------------

    async def version(self) -> int:
        async def read(conn: asyncpg.Connection) -> int:
            if await conn.fetchval("SELECT to_regclass('peerprep_schema')") is None:
                return 0
            return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) "
                                           "FROM peerprep_schema"))
        return await self._retrying(lambda: self._with_connection(read))

    async def migrate(self) -> list[int]:
        """Apply pending migrations, each with its version in one transaction, under an
        advisory lock so that processes starting together apply each one once."""
        applied = []
        known = migrations(self.migrations_dir)
        for number, path in known:
            statements = for_dialect(split_statements(path.read_text(encoding="utf-8")),
                                     POSTGRESQL)

            found = [number - 1]

            async def apply(conn: asyncpg.Connection, number: int = number,
                            statements: list[str] = statements, found: list[int] = found
                            ) -> bool:
                async with conn.transaction():
                    # A migration writes; and waits as long as another process's migration
                    # takes (the lock below), not the busy timeout a request waits.
                    await conn.execute("SET TRANSACTION READ WRITE; SET LOCAL lock_timeout = 0")
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                    await self._schema_in_place(conn)
                    await conn.execute(_VERSION_TABLE)
                    found[0] = await conn.fetchval("SELECT COALESCE(MAX(version), 0) "
                                                   "FROM peerprep_schema")
                    # Looked at again under the lock: a newer PeerPrep may have migrated
                    # since open() checked (a rolling upgrade, processes starting together).
                    _refuse_newer(found[0], len(known), self)
                    if found[0] >= number:
                        return False
                    for statement in statements:
                        await conn.execute(statement)
                    await conn.execute("DELETE FROM peerprep_schema")
                    await conn.execute("INSERT INTO peerprep_schema (version) VALUES ($1)",
                                       number)
                    return True

            try:
                done = await self._retrying(
                    lambda apply=apply: self._with_connection(apply))  # type: ignore[misc]
            except (StorageUnreachable, StorageBusy, CannotOpen, SchemaTooNew):
                raise
            except StorageError as exc:
                raise MigrationError(f"migration {path.name} failed and was rolled back "
                                     f"(the database stays at version {found[0]}): "
                                     f"{said(exc)}") from exc
            if done:
                log.info("applied migration %s", path.name)
                applied.append(number)
        return applied

    async def _schema_in_place(self, conn: asyncpg.Connection) -> None:
        """Create the schema the URL's ``search_path`` names when none of its schemas exists
        yet, as a missing database is created (the README suggests a schema of PeerPrep's
        own); in the migration's transaction, under its lock."""
        schema = first_schema(self.url)
        if schema is None or await conn.fetchval("SELECT current_schema()") is not None:
            return
        quoted = '"' + schema.replace('"', '""') + '"'
        try:
            async with conn.transaction():  # a savepoint: a refusal leaves the rest usable
                await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        except asyncpg.InsufficientPrivilegeError as exc:
            raise CannotOpen(f"the schema {schema} (search_path in {self}) does not exist, "
                             f"and PeerPrep's user may not create it: create it (CREATE "
                             f"SCHEMA {quoted}), or grant the user CREATE on the database"
                             ) from exc
        log.info("created the PostgreSQL schema %s", schema)

    # -- reading and writing ---------------------------------------------------------------

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]:
        statement = numbered(sql)
        args = statement.args(params)
        return await self._retrying(lambda: self._with_connection(
            lambda conn: conn.fetch(statement.sql, *args, timeout=self.statement_seconds)))

    async def fetch_one(self, sql: str, params: Params = ()) -> Any:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def write(self, work: Callable[[Tx], Awaitable[T]], *,
                    conflicts_by_row: bool = False, waits: bool = False) -> T:
        """Run ``await work(tx)`` in one transaction and return its result once committed;
        run again from the start after a serialization failure, a deadlock or a connection
        lost before the commit. The write is shielded: a caller that stops waiting does not
        cut it short (it commits or rolls back whole).

        ``conflicts_by_row``: the work writes (updates or upserts) every row whose value it
        depends on, so a change of any of them since its snapshot fails its own statement.
        It then runs at REPEATABLE READ, which refuses exactly that. SERIALIZABLE also
        refuses a write whose reads shared an index page with another's insert: with a
        cohort's first answers arriving together on small tables, nearly all of them, over
        and over (200 at once: about 4 rollbacks an answer, guidance p99 2.8 s against 0.9).
        (``waits`` changes nothing here: every statement is a trip to the server anyway.)
        """
        begin = _BEGIN_WRITE_BY_ROW if conflicts_by_row else _BEGIN_WRITE
        task = asyncio.ensure_future(self._retrying(lambda: self._write_once(work, begin)))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        return await asyncio.shield(task)

    async def _retrying(self, attempt: Callable[[], Awaitable[T]]) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_seconds
        tries = 0
        while True:
            tries += 1
            try:
                return await attempt()
            except _Retry as retry:
                if loop.time() >= deadline:
                    raise retry.error from retry.__cause__
                log.debug("database: trying again (%s)", retry.error)
                await asyncio.sleep(min(0.25, 0.005 * 2 ** tries) * random.uniform(0.5, 1.5))

    async def _write_once(self, work: Callable[[Tx], Awaitable[T]], begin: str) -> T:
        async def run(conn: asyncpg.Connection) -> T:
            # asyncpg's transaction() can't say READ WRITE
            await conn.execute(begin, timeout=self.statement_seconds)
            try:
                value = await work(PgTx(conn, self.statement_seconds))
            except BaseException as exc:
                if isinstance(exc, TimeoutError):
                    _give_up(conn)
                if not _closed(conn):
                    try:
                        await conn.execute("ROLLBACK")
                    except (asyncpg.PostgresError, *_CLIENT_ERROR, *_CONNECTION_LOST):
                        pass  # the server rolls back a transaction whose connection went
                raise
            if _closed(conn):  # lost before the COMMIT was sent: nothing was written
                raise _Retry(StorageUnreachable(
                    f"lost the connection to PostgreSQL at {self} before saving"))
            try:
                await conn.execute("COMMIT", timeout=self.statement_seconds)
            except _CONFLICT as exc:  # refused at the commit: nothing was written
                raise _Retry(StorageBusy(f"another write got in the way: {said(exc)}")
                             ) from exc
            except _CONNECTION_LOST_OR_TIMEOUT + _CLIENT_ERROR as exc:
                why = said(exc)
                if isinstance(exc, TimeoutError):  # the server went silent
                    _give_up(conn)
                    why = f"no answer within {self.statement_seconds:g} s"
                # The COMMIT went out and no answer came back: running the write again might
                # apply it twice. The caller says so; an answer sent again is stored once.
                raise StorageUnreachable(
                    f"the connection to PostgreSQL was lost while saving: it may or may not "
                    f"have been saved ({why})") from exc
            return value

        return await self._with_connection(run)

    async def _with_connection(self, use: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """``use`` a pooled connection; PostgreSQL's errors as PeerPrep's (``_Retry`` for
        those another try may cure)."""
        pool = self.pool  # released to the pool it came from, even if close() began since
        try:
            conn = await pool.acquire(timeout=self.wait_seconds)
        except TimeoutError:
            if pool.get_size() - pool.get_idle_size() < self.pool_size:
                # A connection was free to make, and making it took the whole wait (a server
                # or network that does not answer), or the event loop was held up meanwhile.
                raise _Retry(StorageUnreachable(
                    f"PostgreSQL at {self} did not accept a connection within "
                    f"{self.wait_seconds:g} s")) from None
            raise StorageBusy(
                f"all {self.pool_size} connections to PostgreSQL stayed busy for "
                f"{self.wait_seconds:g} s; nothing was saved (try again in a moment)") from None
        except _CONNECTION_LOST as exc:
            raise _Retry(StorageUnreachable(
                f"cannot reach PostgreSQL at {self}: {said(exc)}")) from exc
        except asyncpg.TooManyConnectionsError as exc:  # the server's max_connections
            raise _Retry(StorageBusy(
                f"PostgreSQL at {self} has no connection to spare: {said(exc)}")) from exc
        except asyncpg.PostgresError as exc:  # a new connection refused at login
            raise translate(exc) from exc
        except asyncpg.InterfaceError as exc:  # the pool is closing
            raise StorageError(f"the database is closing: {said(exc)}") from exc
        try:
            return await use(conn)
        except _Retry:
            raise
        except TimeoutError as exc:  # a statement the server never answered
            raise _Retry(self.gone_silent(conn)) from exc
        except _CONFLICT as exc:
            raise _Retry(StorageBusy(f"another write got in the way: {said(exc)}")) from exc
        except _CONNECTION_LOST as exc:
            raise _Retry(StorageUnreachable(
                f"lost the connection to PostgreSQL at {self}: {said(exc)}")) from exc
        except _CLIENT_ERROR as exc:
            if _closed(conn):  # "connection is closed": lost before the statement went
                raise _Retry(StorageUnreachable(
                    f"lost the connection to PostgreSQL at {self}: {said(exc)}")) from exc
            raise StorageError(f"{type(exc).__name__}: {said(exc)}") from exc
        except asyncpg.LockNotAvailableError as exc:  # past lock_timeout
            raise StorageBusy(
                f"another connection to PostgreSQL held what this needed for longer than "
                f"{self.wait_seconds:g} s; nothing was saved (try again in a moment)") from exc
        except asyncpg.PostgresError as exc:
            raise translate(exc) from exc
        finally:
            try:
                await pool.release(conn)
            except (asyncpg.PostgresError, *_CLIENT_ERROR, *_CONNECTION_LOST):
                log.debug("a broken connection left the pool", exc_info=True)

    def gone_silent(self, conn: asyncpg.Connection) -> StorageUnreachable:
        """Drop ``conn``, whose statement got no answer within ``statement_seconds``; the
        error to raise."""
        _give_up(conn)
        return StorageUnreachable(
            f"PostgreSQL at {self} did not answer within {self.statement_seconds:g} s")

    def failure(self, exc: BaseException) -> StorageError:
        """The StorageError for an error met on a connection (not retried)."""
        if isinstance(exc, asyncpg.PostgresError):
            return translate(exc)
        return StorageUnreachable(f"lost the connection to PostgreSQL at {self}: "
                                  f"{exc or type(exc).__name__}")

    async def checkpoint(self) -> bool:
        """Nothing to do: PostgreSQL has no write-ahead file of PeerPrep's to empty. (Deleted
        rows stay in its data files until VACUUM reuses their space; docs/PRIVACY.md.)"""
        return True

    async def snapshot(self, work: Callable[[Snapshot], Awaitable[T]]) -> T:
        """``await work(reads)`` in one read-only REPEATABLE READ transaction: every read
        sees the database as it was at the first one, whatever other processes write
        meanwhile (they are not held up). Not run again on a conflict or a lost
        connection: ``work`` may have acted on what it read."""
        async def run(conn: asyncpg.Connection) -> T:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                return await work(PgSnapshot(conn, self))

        try:
            return await self._with_connection(run)
        except _Retry as retry:
            raise retry.error from retry.__cause__

    async def backup(self, target: Path, *, overwrite: bool = False) -> None:
        raise StorageError(f"PeerPrep backs up SQLite only; for PostgreSQL run: "
                           f"{pg_dump_command(self.url, target)}")


class PgSnapshot:
    """``Snapshot`` on one connection inside its read-only transaction; PostgreSQL's errors
    as PeerPrep's."""

    __slots__ = ("conn", "db")

    def __init__(self, conn: asyncpg.Connection, db: PostgresDatabase) -> None:
        self.conn = conn
        self.db = db

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]:
        statement = numbered(sql)
        try:
            return list(await self.conn.fetch(statement.sql, *statement.args(params),
                                              timeout=self.db.statement_seconds))
        except (asyncpg.PostgresError, *_CONNECTION_LOST, TimeoutError) as exc:
            raise self._failure(exc) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Any:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def batches(self, sql: str, size: int) -> AsyncIterator[list[Any]]:
        try:
            cursor = await self.conn.cursor(numbered(sql).sql,
                                            timeout=self.db.statement_seconds)
            while rows := await cursor.fetch(size, timeout=self.db.statement_seconds):
                yield list(rows)
        except (asyncpg.PostgresError, *_CONNECTION_LOST, TimeoutError) as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: BaseException) -> StorageError:
        if isinstance(exc, TimeoutError):
            return self.db.gone_silent(self.conn)
        return self.db.failure(exc)


def libpq_url(url: str) -> tuple[str, str | None]:
    """``url`` as PostgreSQL's own tools (libpq) take it: without its password (they ask for
    it, or read PGPASSWORD or ~/.pgpass) and without ``search_path`` (which asyncpg passes to
    the server and libpq refuses); and the schema that ``search_path`` named first, if any."""
    parts = urlsplit(without_password(url))
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
             if name != "search_path"]
    return (urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), "")),
            first_schema(url))


def without_password(url: str) -> str:
    """``url`` with no password in it at all (to show as a setting to use)."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    netloc = f"{userinfo.partition(':')[0]}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def pg_dump_command(url: str, target: Path | str) -> str:
    """The ``pg_dump`` line that backs up the database at ``url`` (its schema, when the URL
    names one) into ``target``, quoted for a shell, without the URL's password."""
    plain, schema = libpq_url(url)
    words = ["pg_dump", "--format=custom", f"--file={target}"]
    if schema:
        words.append(f"--schema={schema}")
    return shlex.join([*words, plain])


def pg_restore_command(url: str, backup: Path | str) -> str:
    """The ``pg_restore`` line that puts a ``pg_dump --format=custom`` backup in place of
    what the database at ``url`` holds, in one transaction, without the URL's password."""
    plain, _ = libpq_url(url)
    return shlex.join(["pg_restore", "--clean", "--if-exists", "--single-transaction",
                       f"--dbname={plain}", str(backup)])


def translate(exc: asyncpg.PostgresError) -> StorageError:
    """The StorageError kind for a PostgreSQL error, by its SQLSTATE class (its DETAIL
    dropped: see ``said``)."""
    state = getattr(exc, "sqlstate", "") or ""
    if state in ("53100", "53200"):  # disk full, out of memory
        return StorageFull(said(exc))
    if state == "25006":  # read_only_sql_transaction (a hot standby)
        return StorageReadOnly(said(exc))
    if state in ("53300", "55P03", "57014"):  # too many connections, lock timeout, cancelled
        return StorageBusy(said(exc))
    return StorageError(f"{type(exc).__name__}: {said(exc)}")
