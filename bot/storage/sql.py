"""What both database backends share: the transaction a repository's write runs in (``Tx``),
the rows it reads, and how one form of SQL serves SQLite and PostgreSQL.

The repositories write each statement once, in the SQL both databases understand, with
SQLite's placeholders (``?``, ``?3`` or ``:name``). On PostgreSQL ``numbered`` turns them
into ``$1, $2...`` once per statement (cached), with the parameters in that order. Where the
two dialects really differ (making JSON, joining strings) the ``Dialect`` says how, and
only there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, TypeVar

Params = Sequence[Any] | Mapping[str, Any]
T = TypeVar("T")


class Row(Protocol):
    """A row as both drivers give it (``sqlite3.Row``, ``asyncpg.Record``): by column name
    or position; ``dict(row)`` gives its columns."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> Any: ...


class Tx(Protocol):
    """The open transaction a write's work runs in. Statements run in order; a failure
    rolls the whole write back (the work may also raise to roll itself back)."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; how many rows it inserted, changed or deleted."""
        ...

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Any: ...
    """The first row, or None."""


class Snapshot(Protocol):
    """Reads inside one read-only transaction (``snapshot``): all of them see the database
    as it was at one moment, whatever is written meanwhile. Errors come as StorageErrors."""

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Any: ...

    def batches(self, sql: str, size: int) -> AsyncIterator[list[Any]]:
        """The rows of ``sql`` (no parameters), ``size`` at a time, without holding them all
        in memory."""
        ...


@dataclass(frozen=True)
class Dialect:
    """The few spellings the two databases don't share."""

    name: str
    json_array: str  # the function that makes one JSON array of its arguments

    def join_distinct(self, column: str) -> str:
        """The distinct values of a text column, joined by commas (an aggregate)."""
        if self.name == "sqlite":
            return f"GROUP_CONCAT(DISTINCT {column})"
        return f"string_agg(DISTINCT {column}, ',')"


SQLITE = Dialect(name="sqlite", json_array="json_array")
POSTGRESQL = Dialect(name="postgresql", json_array="json_build_array")


class Backend(Protocol):
    """A database the repositories run on: SQLite (``connection.Database``) or PostgreSQL
    (``postgres.PostgresDatabase``)."""

    dialect: Dialect

    async def write(self, work: Callable[[Tx], Awaitable[T]], *,
                    conflicts_by_row: bool = False, waits: bool = False) -> T:
        """``work`` in one transaction, all or nothing, as if no other write ran meanwhile.
        ``conflicts_by_row``: the work writes every row it depends on, so a database that
        refuses a write whose rows changed meanwhile needs no more (PostgreSQL runs it at
        REPEATABLE READ instead of SERIALIZABLE; SQLite's writes are serial anyway).
        ``waits``: the work also waits on something besides its statements (a copy reading
        its source between them); without it, SQLite runs the work whole on its writer's
        thread, where it cannot wait on anything else."""
        ...

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Any: ...

    async def checkpoint(self) -> bool: ...


# -- placeholders -------------------------------------------------------------------------------

# A string literal, a quoted name, a comment, a ``::`` cast, or one of the placeholders.
_TOKENS = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|::|\?(\d+)?|(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Numbered:
    """A statement with ``$n`` placeholders, and where each number's value comes from: a
    name (from a mapping) or a position (from a sequence)."""

    sql: str
    sources: tuple[str | int, ...]

    def args(self, params: Params) -> list[Any]:
        if isinstance(params, Mapping):
            return [params[str(source)] for source in self.sources]
        values = list(params)
        return [values[source] for source in self.sources]  # type: ignore[index]


@lru_cache(maxsize=4096)
def numbered(sql: str) -> Numbered:
    """``sql`` with SQLite's placeholders (``?``, ``?N``, ``:name``; one kind of the first two
    or names, as SQLite itself allows) as PostgreSQL's ``$1, $2...``. A name or number used
    twice is one parameter."""
    sources: list[str | int] = []
    out: list[str] = []
    last, highest = 0, 0

    def number_of(source: str | int) -> int:
        if source not in sources:
            sources.append(source)
        return sources.index(source) + 1

    for match in _TOKENS.finditer(sql):
        token = match.group(0)
        if token.startswith("?"):
            # As SQLite numbers them: ``?N`` is N, a bare ``?`` one more than the highest yet.
            n = int(match.group(1)) if match.group(1) else highest + 1
            highest = max(highest, n)
            source: str | int = n - 1
        elif match.group(2):
            source = match.group(2)
        else:
            continue  # a literal, a comment or a cast: left as it is
        out.append(sql[last:match.start()])
        out.append(f"${number_of(source)}")
        last = match.end()
    out.append(sql[last:])
    return Numbered("".join(out), tuple(sources))


def changed_rows(status: str) -> int:
    """The row count at the end of PostgreSQL's command status ('UPDATE 3', 'INSERT 0 1')."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# -- migrations ---------------------------------------------------------------------------------

_ONLY = re.compile(r"^\s*--\s*(sqlite|postgresql) only\b", re.IGNORECASE | re.MULTILINE)


def for_dialect(statements: Iterable[str], dialect: Dialect) -> list[str]:
    """A migration's statements for one database. A statement whose comment lines say
    ``-- sqlite only`` or ``-- postgresql only`` is kept for that database alone; on
    PostgreSQL the rest are read with SQLite's types mapped to PostgreSQL's (``postgres_ddl``).
    """
    out = []
    for statement in statements:
        only = _ONLY.search(statement)
        if only and only.group(1).lower() != dialect.name:
            continue
        out.append(statement if dialect is SQLITE else postgres_ddl(statement))
    return out


_ROWID_KEY = re.compile(r"\bid(\s+)INTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_INTEGER = re.compile(r"\bINTEGER\b", re.IGNORECASE)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID", re.IGNORECASE)


def postgres_ddl(statement: str) -> str:
    """A schema statement written for SQLite, for PostgreSQL: every INTEGER is a BIGINT
    (Discord ids are 64-bit), an ``id INTEGER PRIMARY KEY`` (SQLite's row id) is an identity
    column, and ``WITHOUT ROWID`` (an SQLite storage choice) goes."""
    statement = _ROWID_KEY.sub(r"id\1BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                               statement)
    statement = _INTEGER.sub("BIGINT", statement)
    return _WITHOUT_ROWID.sub(")", statement)
