"""PostgreSQL for the tests: ``PEERPREP_TEST_DATABASE_URL`` names a server and database
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``); each test gets a schema of its own,
made for it and dropped after it, named in the URL it is handed (``?search_path=``).

Unset, the tests run on SQLite alone. ``.ci/run`` sets it for its PostgreSQL pass, where a
server that can't be reached fails the run (``PEERPREP_TEST_REQUIRE_POSTGRES``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


# A test of what only a PostgreSQL server does (a pool, a lost connection): run in the
# PostgreSQL pass alone.
postgres_only = pytest.mark.skipif(server_url() is None,
                                   reason=f"needs a PostgreSQL server ({URL_ENV} is unset)")

# A test about SQLite itself (its pragmas, group commit, query plans): not run on PostgreSQL.
sqlite_only = pytest.mark.skipif(server_url() is not None,
                                 reason="about SQLite itself (this run is on PostgreSQL)")
