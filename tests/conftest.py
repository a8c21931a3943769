"""Shared fixtures: a real store (an SQLite file in a temp dir, or, with
PEERPREP_TEST_DATABASE_URL set, a PostgreSQL schema of the test's own: tests/postgres.py), the
shipped bank, a controllable clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bank import Bank, load_bank
from bot.interview.engine import InterviewService
from bot.paths import CONTENT_DIR
from bot.storage import Store
from tests import postgres

_BANK = load_bank(CONTENT_DIR)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that opens a store through ``database`` (directly, or through
    ``store``, ``engine`` or a bot): the PostgreSQL pass of .ci/run runs those again."""
    for item in items:
        if "database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


@pytest.fixture
def bank() -> Bank:
    return _BANK


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file itself: a test that asks for it is about SQLite's file, and does not
    run on PostgreSQL."""
    if postgres.server_url():
        pytest.skip("about the SQLite file (this run is on PostgreSQL)")
    return tmp_path / "peerprep.sqlite3"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Path | str]:
    """Where the test's store is: an SQLite file, or a PostgreSQL URL (a fresh schema)."""
    url = postgres.server_url()
    if url is None:
        yield tmp_path / "peerprep.sqlite3"
        return
    async with postgres.fresh_schema(url) as schema_url:
        yield schema_url


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[Store]:
    async with Store(database) as opened:
        yield opened


@pytest.fixture
def engine(store: Store, bank: Bank, clock: FakeClock) -> InterviewService:
    return InterviewService(store, bank, clock=clock, rng=random.Random(1))
