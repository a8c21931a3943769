"""PostgreSQL for the tests: ``PEERPREP_TEST_DATABASE_URL`` names a server and database
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``); each test gets a schema of its own,
made for it and dropped after it, named in the URL it is handed (``?search_path=``).

Unset, the tests run on SQLite alone. ``.ci/run`` sets it for its PostgreSQL pass and runs
``python -m tests.postgres`` first: a server that can't be reached fails the run there.
That pass runs the tests marked ``database``: every test that opens a store through the
``database`` fixture (tests/conftest.py marks them), and those marked by hand."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

# The schema and URL helpers are the benchmarks' (bench/pg.py), which run without pytest.
from bench.pg import own_schema
from bench.pg import with_schema as with_schema
from bench.pg import with_setting as with_setting

URL_ENV = "PEERPREP_TEST_DATABASE_URL"


def server_url() -> str | None:
    return os.environ.get(URL_ENV) or None


def fresh_schema(url: str) -> AbstractAsyncContextManager[str]:
    """A URL of ``url``'s database whose connections work in a new, empty schema, dropped
    after the test."""
    return own_schema(url, prefix="test")


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
