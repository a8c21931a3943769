"""Copying every row of one PeerPrep database into another, SQLite or PostgreSQL, either
way (``python -m bot db copy --to TARGET``): how an SQLite deployment moves to PostgreSQL,
and back.

The source is read in one read transaction (``snapshot``): the copy is the database as it
was at one moment, even should something write to it meanwhile. The target is written in
one transaction: every row or none. Ids are kept (answers point at interviews, members at
cohorts), and PostgreSQL's identity sequences are moved past the highest id copied, so the
next row the bot stores gets a fresh id. Sealed answer text (``DATA_ENCRYPTION_KEY``) is
copied as it is stored, with the ``encryption`` table's key check: the same key opens it
on the target, and the copy needs no key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.storage.connection import Database
from bot.storage.errors import StorageError
from bot.storage.postgres import VALUE_ERRORS, PostgresDatabase
from bot.storage.sql import Dialect, Snapshot, Tx

# Every table of the schema, each after the tables its rows refer to (their foreign keys
# are checked as each row goes in). A migration that adds a table adds it here:
# tests/test_db_copy.py fails until it does, and a copy refuses a database with a table
# this list lacks rather than leave its rows behind.
TABLES: tuple[str, ...] = (
    "people",
    "guild_settings",
    "interviews",
    "interview_questions",
    "daily_posts",
    "answers",
    "interview_follow_ups",
    "review_cards",
    "practice_days",
    "period_totals",
    "streaks",
    "daily_schedules",
    "cohorts",
    "cohort_members",
    "cohort_invitations",
    "posted_messages",
    "encryption",
)
# Kept by each database itself, not copied: PostgreSQL's schema version (SQLite keeps it
# in PRAGMA user_version), which migrating the target sets.
OWN_TABLES = frozenset({"peerprep_schema"})
BATCH_ROWS = 1000

Backend = Database | PostgresDatabase


class CopyRefused(StorageError):
    """The copy did not start (nothing was written): the message says why and what to do."""

    retry_helps = False


class TargetNotEmpty(CopyRefused):
    """The target already holds PeerPrep data; a copy goes into an empty database only."""


class CopyFailed(StorageError):
    """The copy stopped part-way and was rolled back: the target holds nothing of it."""

    retry_helps = False


@dataclass(frozen=True)
class CopyReport:
    version: int  # the schema version of both
    rows: dict[str, int]  # table -> rows copied, counted again in the target
    encrypted: bool  # the answers' text was sealed with DATA_ENCRYPTION_KEY
    # NUL characters replaced by U+FFFD: PostgreSQL's text can't hold them, SQLite's can
    # (answers saved before PeerPrep replaced them on the way in).
    nuls_replaced: int = 0


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


async def table_names(reads: Snapshot | Tx, dialect: Dialect) -> set[str]:
    """The tables of the database (of its schema on PostgreSQL), its own bookkeeping aside."""
    if dialect.name == "sqlite":
        rows = await reads.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%'")
    else:
        rows = await reads.fetch_all(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {str(row[0]) for row in rows} - OWN_TABLES


async def column_names(reads: Snapshot | Tx, dialect: Dialect, table: str) -> list[str]:
    """The columns of ``table``, in their order."""
    if dialect.name == "sqlite":
        rows = await reads.fetch_all("SELECT name FROM pragma_table_info(?) ORDER BY cid",
                                     (table,))
    else:
        rows = await reads.fetch_all(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))
    return [str(row[0]) for row in rows]


async def _identity_columns(tx: Tx) -> list[tuple[str, str]]:
    """PostgreSQL's identity columns (SQLite's row ids), as (table, column)."""
    rows = await tx.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES' "
        "ORDER BY table_name")
    return [(str(row[0]), str(row[1])) for row in rows if row[0] not in OWN_TABLES]


def _check_tables(found: set[str], where: str) -> None:
    unknown = sorted(found - set(TABLES))
    if unknown:
        raise CopyRefused(f"{where} has table(s) this PeerPrep does not copy: "
                          f"{', '.join(unknown)}; nothing was copied (is it PeerPrep's?)")
    missing = sorted(set(TABLES) - found)
    if missing:
        raise CopyRefused(f"{where} lacks table(s) {', '.join(missing)}; nothing was copied")


async def copy_rows(source: Backend, target: Backend, *,
                        batch_rows: int = BATCH_ROWS) -> CopyReport:
    """Copy every row of ``source`` into ``target``, both open and at the same schema
    version; ``target`` must hold no PeerPrep data (``TargetNotEmpty``). Nothing else may
    write to ``target`` meanwhile (its one transaction holds SQLite's writer for the whole
    copy). Returns the rows per table, counted in the target after the copy."""
    version, target_version = await source.version(), await target.version()
    if version != target_version:
        raise CopyRefused(f"the source is at schema version {version} and the target at "
                          f"{target_version}: migrate both to the same version first")

    async def read(snap: Snapshot) -> CopyReport:
        _check_tables(await table_names(snap, source.dialect), "the source")

        async def write(tx: Tx) -> CopyReport:
            _check_tables(await table_names(tx, target.dialect), "the target")
            holding = [t for t in TABLES
                       if await tx.fetch_one(f"SELECT 1 FROM {_name(t)} LIMIT 1") is not None]
            if holding:
                raise TargetNotEmpty(
                    f"the target already holds PeerPrep data (in {', '.join(holding)}); "
                    "copy into a new, empty database; nothing was copied")
            rows: dict[str, int] = {}
            nuls = 0
            for table in TABLES:
                rows[table], replaced = await _copy_table(snap, source.dialect, tx,
                                                          target.dialect, table, batch_rows)
                nuls += replaced
            if target.dialect.name == "postgresql":
                # Identity columns take their next value from a sequence that the copied ids
                # (given explicitly) did not move: move it past the highest.
                for table, column in await _identity_columns(tx):
                    await tx.fetch_one(
                        f"SELECT setval(pg_get_serial_sequence(quote_ident(current_schema()) "
                        f"|| '.' || quote_ident(?), ?), COALESCE(MAX({_name(column)}), 0) + 1, "
                        f"false) FROM {_name(table)}", (table, column))
            encrypted = rows["encryption"] > 0
            return CopyReport(version=version, rows=rows, encrypted=encrypted,
                              nuls_replaced=nuls)

        return await target.write(write, waits=True)  # on the source's reads

    return await source.snapshot(read)


async def _copy_table(snap: Snapshot, source_dialect: Dialect, tx: Tx,
                      target_dialect: Dialect, table: str, batch_rows: int
                      ) -> tuple[int, int]:
    """Copy one table in batches; its row count, checked in the source and the target, and
    the NUL characters replaced on the way to PostgreSQL."""
    columns = await column_names(tx, target_dialect, table)
    theirs = await column_names(snap, source_dialect, table)
    if sorted(columns) != sorted(theirs):
        raise CopyRefused(f"the table {table} has columns {', '.join(theirs)} in the source "
                          f"but {', '.join(columns)} in the target; nothing was copied")
    listed = ", ".join(_name(c) for c in columns)
    select = f"SELECT {listed} FROM {_name(table)}"
    insert = (f"INSERT INTO {_name(table)} ({listed}) "
              f"VALUES ({', '.join('?' for _ in columns)})")
    copied = replaced = 0
    async for batch in snap.batches(select, batch_rows):
        values: list[tuple[Any, ...]] = [tuple(row) for row in batch]
        if target_dialect.name == "postgresql":
            values, nuls = _without_nuls(values)
            replaced += nuls
        try:
            await tx.execute_many(insert, values)
        except VALUE_ERRORS:
            # A value the target's column can't take (a driver's refusal, which may quote
            # the value: not repeated, it may be someone's answer).
            raise CopyFailed(f"a row of {table} has a value the target's column type does "
                             "not take") from None
        copied += len(values)
    expected = (await snap.fetch_one(f"SELECT COUNT(*) FROM {_name(table)}"))[0]
    found = (await tx.fetch_one(f"SELECT COUNT(*) FROM {_name(table)}"))[0]
    if not copied == expected == found:
        raise CopyFailed(f"{table}: {expected} row(s) in the source, {copied} copied, "
                         f"{found} in the target")
    return int(found), replaced


def _without_nuls(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], int]:
    """``rows`` with every NUL in their text replaced by U+FFFD, and how many were."""
    replaced = 0
    out = []
    for row in rows:
        if any(isinstance(v, str) and "\x00" in v for v in row):
            replaced += sum(v.count("\x00") for v in row if isinstance(v, str))
            row = tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in row)
        out.append(row)
    return out, replaced
