"""PostgreSQL for the tests: ``PEERPREP_TEST_DATABASE_URL`` names a server and database
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``); each test gets a schema of its own,
made for it and dropped after it, named in the URL it is handed (``?search_path=``).

Unset, the tests run on SQLite alone. ``.ci/run`` sets it for its PostgreSQL pass and runs
``python -m tests.postgres`` first: a server that can't be reached fails the run there.
That pass runs the tests marked ``database``: every test that opens a store through the
``database`` fixture (tests/conftest.py marks them), and those marked by hand."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

URL_ENV = "PEERPREP_TEST_DATABASE_URL"


def server_url() -> str | None:
    return os.environ.get(URL_ENV) or None


def with_schema(url: str, schema: str) -> str:
    return with_setting(url, "search_path", schema)


def with_setting(url: str, name: str, value: str) -> str:
    """``url`` with one more server setting in its query (``application_name``...)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, f"{name}={value}") if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


@asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A URL of ``url``'s database whose connections work in a new, empty schema."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    try:
        yield with_schema(url, schema)
    finally:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        finally:
            await conn.close()


@asynccontextmanager
async def new_database(tmp_path: Path, name: str) -> AsyncIterator[Path | str]:
    """Another database, for a test that needs more than the ``database`` fixture's: a new
    SQLite file ``name`` in ``tmp_path``, or in the PostgreSQL pass a fresh schema."""
    url = server_url()
    if url is None:
        yield tmp_path / name
        return
    async with fresh_schema(url) as schema_url:
        yield schema_url


# A test of what only a PostgreSQL server does (a pool, a lost connection): run in the
# PostgreSQL pass alone.
postgres_only = pytest.mark.skipif(server_url() is None,
                                   reason=f"needs a PostgreSQL server ({URL_ENV} is unset)")

# A test about SQLite itself (its pragmas, group commit, query plans): not run on PostgreSQL.
sqlite_only = pytest.mark.skipif(server_url() is not None,
                                 reason="about SQLite itself (this run is on PostgreSQL)")


async def _reachable(url: str) -> None:
    conn = await asyncpg.connect(url, timeout=10)
    await conn.close()


if __name__ == "__main__":
    import asyncio
    import sys

    url = server_url()
    if url is None:
        sys.exit(f"{URL_ENV} is not set")
    try:
        asyncio.run(_reachable(url))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        sys.exit(f"PostgreSQL at {url} can't be reached ({exc}): the PostgreSQL pass needs it")
    print(f"PostgreSQL at {url}: reachable")
