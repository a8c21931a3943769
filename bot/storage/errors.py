"""What can go wrong in the database, said once: the ``StorageError`` kinds, how an SQLite
error becomes one, and the one line an operator reads about it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# The kinds every store fails with live in the core (a store's failures are part of what
# the core is promised); this module adds the SQLite side: how an error becomes one.
from bot.core.records import (
    StorageBusy,
    StorageDamaged,
    StorageError,
    StorageFull,
    StorageReadOnly,
    StorageUnreachable,
)

__all__ = [
    "CannotOpen", "MigrationError", "SchemaTooNew", "StorageBusy", "StorageDamaged",
    "StorageError", "StorageFull", "StorageReadOnly", "StorageUnreachable", "damaged",
    "for_operator", "too_new",
    "translate", "translate_open",
]


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


def translate(exc: sqlite3.Error) -> StorageError:
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


def translate_open(path: Path, exc: sqlite3.Error) -> StorageError:
    """An error while opening: a wrong file or place is ``CannotOpen``, the rest as usual."""
    code = _primary(exc) or 0
    if code == sqlite3.SQLITE_NOTADB or "not a database" in str(exc):
        return CannotOpen(f"{path} is not an SQLite database (if it was PeerPrep's, its "
                          f"first page is damaged: {RESTORE_HINT})")
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY):
        return CannotOpen(f"cannot use {path}: {exc}")
    error = translate(exc)
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
        StorageUnreachable: "the database server can't be reached: check that PostgreSQL is "
                            "running and DATABASE_URL points at it; PeerPrep retries by itself",
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

