"""What the answer write costs on PostgreSQL: serialization failures between answers that
don't touch each other's rows (bench.pg_pipeline counts them). Runs only when
PEERPREP_TEST_DATABASE_URL names a server (tests/postgres.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.bank import Bank
from bot.coaching import give_feedback
from bot.interview.engine import InterviewService
from bot.storage import Store
from bot.storage.answers import _record
from bot.storage.sql import Tx
from tests import postgres

pytestmark = pytest.mark.skipif(postgres.server_url() is None,
                                reason="about PostgreSQL (PEERPREP_TEST_DATABASE_URL unset)")


class _PausedAfterFirstRead:
    """A ``Tx`` that stops after its first read until ``go_on`` is set."""

    def __init__(self, tx: Tx, read: asyncio.Event, go_on: asyncio.Event) -> None:
        self.tx, self.read, self.go_on = tx, read, go_on

    async def fetch_one(self, sql: str, params: Any = ()) -> Any:
        row = await self.tx.fetch_one(sql, params)
        if not self.read.is_set():
            self.read.set()
            await self.go_on.wait()
        return row

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tx, name)


async def test_answers_of_two_people_stored_at_once_both_commit_the_first_time(
        store: Store, engine: InterviewService, bank: Bank):
    """Two people answer together: the first answer's transaction reads, then waits while
    the second is stored whole; then it writes. Both commit without running again. The
    write does not read the submission key's index page before inserting (every new key
    goes there): SERIALIZABLE would see each transaction read what the other then wrote,
    and refuse the first one's commit."""
    question = bank.questions[0]
    text = question.example_answer
    sam, kim = [await store.people.for_local(n) for n in ("sam", "kim")]
    for person in (sam, kim):  # their card, day and streak exist: the next answers update them
        await engine.answer_daily(person.id, question, text, key=f"daily:1:{person.id}")

    async def record_of(person_id: int, key: str) -> Any:
        before = await store.answers.context(question.id, person_id=person_id)
        return engine._answer_record(before, question.id, key, text,
                                     give_feedback(question, text), engine.clock())

    first, second = await record_of(sam.id, "daily:2:1"), await record_of(kim.id, "daily:2:2")
    runs = 0
    read, go_on = asyncio.Event(), asyncio.Event()

    async def paused(tx: Tx) -> Any:
        nonlocal runs
        runs += 1
        return await _record(_PausedAfterFirstRead(tx, read, go_on), first, text,
                             store.codec.seal_json(first.feedback), store.codec,
                             store.answers.select_interview)

    holding = asyncio.create_task(store.db.write(paused))
    await read.wait()
    assert not (await store.answers.record(second)).duplicate
    go_on.set()
    assert not (await holding).duplicate
    assert runs == 1
    assert (await store.answers.practice_days(sam.id, first.local_day))[first.local_day][0] == 2
