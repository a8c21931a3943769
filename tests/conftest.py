"""Shared fixtures: a real SQLite store in a temp dir, the shipped bank, a controllable clock."""

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


@pytest.fixture
def bank() -> Bank:
    return _BANK


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "peerprep.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with Store(db_path) as opened:
        yield opened


@pytest.fixture
def engine(store: Store, bank: Bank, clock: FakeClock) -> InterviewService:
    return InterviewService(store, bank, clock=clock, rng=random.Random(1))
