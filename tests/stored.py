"""What a store holds, read the same way on SQLite and PostgreSQL: rows as tuples, the tables,
their columns, keys and foreign keys (SQLite's ``sqlite_master`` and pragmas, PostgreSQL's
``information_schema``), and every value as it is stored (sealed text stays sealed); and
another process holding the database for writing (``WriteLock``), on either.

A test that takes the ``database`` fixture and reads through these runs in both passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import asyncpg

from bot.storage import Store

SEALED = "pp1:"  # how a value sealed by bot.storage.codec begins


def on_sqlite(database: Path | str) -> bool:
    """Whether the ``database`` fixture's value is an SQLite file (else a PostgreSQL URL)."""
    return isinstance(database, Path)


async def rows(store: Store, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    """``sql``'s rows as plain tuples (asyncpg's records and sqlite3's rows alike)."""
    return [tuple(r) for r in await store.db.fetch_all(sql, params)]


async def tables(store: Store) -> list[str]:
    """Every table of the store's database (its schema, on PostgreSQL), by name."""
    if store.db.dialect.name == "sqlite":
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table' "
               "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        sql = ("SELECT table_name FROM information_schema.tables "
               "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
               "ORDER BY table_name")
    return [str(r[0]) for r in await store.db.fetch_all(sql)]


async def columns(store: Store, table: str) -> list[str]:
    """``table``'s columns, in order."""
    if store.db.dialect.name == "sqlite":
        return [str(r[1]) for r in await store.db.fetch_all(f"PRAGMA table_info({table})")]
    return [str(r[0]) for r in await store.db.fetch_all(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,))]


async def primary_key(store: Store, table: str) -> list[str]:
    """The columns of ``table``'s primary key, in order."""
    if store.db.dialect.name == "sqlite":
        info = await store.db.fetch_all(f"PRAGMA table_info({table})")
        return [str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return [str(r[0]) for r in await store.db.fetch_all(
        "SELECT k.column_name FROM information_schema.table_constraints AS c "
        "JOIN information_schema.key_column_usage AS k "
        "ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name "
        "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() "
        "AND c.table_name = ? ORDER BY k.ordinal_position", (table,))]


async def foreign_keys(store: Store, table: str) -> list[tuple[str, str]]:
    """``table``'s foreign keys: (its column, the table that column refers to)."""
    if store.db.dialect.name == "sqlite":
        return [(str(r[3]), str(r[2]))
                for r in await store.db.fetch_all(f"PRAGMA foreign_key_list({table})")]
    return [(str(r[0]), str(r[1])) for r in await store.db.fetch_all(
        "SELECT k.column_name, u.table_name FROM information_schema.table_constraints AS c "
        "JOIN information_schema.key_column_usage AS k "
        "ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name "
        "JOIN information_schema.constraint_column_usage AS u "
        "ON u.constraint_schema = c.constraint_schema AND u.constraint_name = c.constraint_name "
        "WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = current_schema() "
        "AND c.table_name = ? ORDER BY k.ordinal_position", (table,))]


async def everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as stored (nothing opened or decoded)."""
    return {table: await rows(store, f"SELECT * FROM {table}") for table in await tables(store)}


async def stored_text(store: Store) -> str:
    """Every value the database holds, as one text to search: what anyone reading the
    tables directly (a copy of the database, a database administrator) would see."""
    return "\n".join(str(value) for table_rows in (await everything(store)).values()
                     for row in table_rows for value in row)


async def unsealed(store: Store) -> list[tuple[str, str, Any]]:
    """Answer text and feedback stored as they are, not sealed: (table, column, value)."""
    found = []
    for table in ("answers", "interview_follow_ups"):
        for text, feedback in await rows(store, f"SELECT text, feedback FROM {table}"):
            found += [(table, column, value) for column, value in
                      (("text", text), ("feedback", feedback))
                      if value is not None and not str(value).startswith(SEALED)]
    return found


async def contents(store: Store) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table's columns and rows (in a stable order), the schema version's own table
    aside (compare ``store.db.version()``)."""
    return {table: (await columns(store, table),
                    sorted(await rows(store, f"SELECT * FROM {table}"), key=repr))
            for table in await tables(store) if table != "peerprep_schema"}


async def schema(store: Store) -> list[tuple[str, ...]]:
    """The database's schema, to compare with another's: SQLite's own text of each table,
    index and trigger; on PostgreSQL each column (type, null, default, identity), index and
    constraint, with the schema's own name left out."""
    if store.db.dialect.name == "sqlite":
        return await rows(store, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                 "ORDER BY name")
    [(name,)] = await rows(store, "SELECT current_schema()")
    found = await rows(
        store, "SELECT 'column', table_name || '.' || column_name, data_type, is_nullable, "
               "COALESCE(column_default, ''), is_identity FROM information_schema.columns "
               "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
    found += await rows(
        store, "SELECT 'index', indexname, indexdef FROM pg_indexes "
               "WHERE schemaname = current_schema() ORDER BY indexname")
    found += await rows(
        store, "SELECT 'constraint', c.relname || '.' || k.conname, pg_get_constraintdef(k.oid) "
               "FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid "
               "WHERE k.connamespace = current_schema()::regnamespace ORDER BY 2")
    return [tuple(str(v).replace(f"{name}.", "") for v in row) for row in found]


class WriteLock:
    """Another process holding the database for writing, as long as the test says: SQLite's
    write lock (``BEGIN IMMEDIATE`` on the file), or on PostgreSQL a transaction holding every
    table in EXCLUSIVE mode. Reads go on; writes wait for it."""

    def __init__(self, database: Path | str) -> None:
        self.database = database
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: asyncpg.Connection | None = None

    async def hold(self) -> WriteLock:
        if isinstance(self.database, Path):
            self._sqlite = sqlite3.connect(self.database, isolation_level=None,
                                           check_same_thread=False)
            self._sqlite.execute("BEGIN IMMEDIATE")
            return self
        self._postgres = conn = await asyncpg.connect(self.database)
        names = [r[0] for r in await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")]
        await conn.execute("BEGIN")
        await conn.execute(f"LOCK TABLE {', '.join(names)} IN EXCLUSIVE MODE")
        return self

    async def release(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("ROLLBACK")
            self._sqlite.close()
            self._sqlite = None
        if self._postgres is not None:
            await self._postgres.execute("ROLLBACK")
            await self._postgres.close()
            self._postgres = None

    async def __aenter__(self) -> WriteLock:
        return await self.hold()

    async def __aexit__(self, *exc: object) -> None:
        await self.release()
