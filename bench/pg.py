"""What the PostgreSQL benchmarks share: where the server is, and a schema of the run's own.

``PEERPREP_BENCH_DATABASE_URL`` names a server and database the benchmarks may use (e.g.
``postgresql://postgres@127.0.0.1:5432/test``); unset, the PostgreSQL rows are skipped. Each
benchmark makes its schemas (``bench_<random>``), hands the store a URL that works in them
(``?search_path=``), and drops them when it is done, whatever happened.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

URL_ENV = "PEERPREP_BENCH_DATABASE_URL"


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
async def own_schema(url: str, label: str = "", *, prefix: str = "bench") -> AsyncIterator[str]:
    """A URL of ``url``'s database whose connections work in a new, empty schema, dropped
    afterwards (the tests' schemas too: ``prefix="test"``)."""
    schema = f"{prefix}_{label}{'_' if label else ''}{uuid.uuid4().hex[:12]}"
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


@contextmanager
def statements_sent() -> Iterator[Counter[str]]:
    """Every statement any asyncpg connection sends meanwhile, counted by its text."""
    sent: Counter[str] = Counter()
    names = ("execute", "executemany", "fetch", "fetchrow", "fetchval")
    saved = {name: getattr(asyncpg.Connection, name) for name in names}

    def counted(method: Callable[..., Any]) -> Callable[..., Any]:
        async def call(self: asyncpg.Connection, query: str, *args: Any, **kw: Any) -> Any:
            sent[query] += 1
            return await method(self, query, *args, **kw)
        return call

    for name, method in saved.items():
        setattr(asyncpg.Connection, name, counted(method))
    try:
        yield sent
    finally:
        for name, method in saved.items():
            setattr(asyncpg.Connection, name, method)
