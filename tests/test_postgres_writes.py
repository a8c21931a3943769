"""What the answer write costs on PostgreSQL: round trips to the server and serialization
failures between answers that don't touch each other's rows (bench.pg_pipeline measures
both). Runs only when PEERPREP_TEST_DATABASE_URL names a server (tests/postgres.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bench.pg import statements_sent
from bot.bank import Bank
from bot.coaching import give_feedback
from bot.interview.engine import InterviewService
from bot.storage import Store
from bot.storage.answers import _record
from bot.storage.sql import Tx
from tests import postgres

pytestmark = pytest.mark.skipif(postgres.server_url() is None,
                                reason="about PostgreSQL (PEERPREP_TEST_DATABASE_URL unset)")


async def test_a_read_is_one_statement_on_the_server(store: Store):
    """A connection goes back to the pool without asyncpg's reset query (RESET ALL and
    more): PeerPrep sets nothing for a session, and the reset was a second round trip for
    every read and every write."""
    person = await store.people.for_local("sam")
    with statements_sent() as sent:
        assert (await store.answers.streak(person.id)).current == 0
    assert sum(sent.values()) == 1, sent


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


@pytest.mark.parametrize("conflicts_by_row", [True, False],
                         ids=["as answers run (REPEATABLE READ)", "SERIALIZABLE"])
async def test_answers_of_two_people_stored_at_once_both_commit_the_first_time(
        store: Store, engine: InterviewService, bank: Bank, conflicts_by_row: bool):
    """Two people answer together: the first answer's transaction reads, then waits while
    the second is stored whole; then it writes. Both commit without running again, at the
    answer's own isolation and at SERIALIZABLE too. The write does not read the submission
    key's index page before inserting (every new key goes there): SERIALIZABLE would see
    each transaction read what the other then wrote, and refuse the first one's commit."""
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

    holding = asyncio.create_task(store.db.write(paused, conflicts_by_row=conflicts_by_row))
    await read.wait()
    assert not (await store.answers.record(second)).duplicate
    go_on.set()
    assert not (await holding).duplicate
    assert runs == 1
    assert (await store.answers.practice_days(sam.id, first.local_day))[first.local_day][0] == 2


async def test_a_cohorts_first_answers_at_once_commit_the_first_time(
        store: Store, engine: InterviewService, bank: Bank,
        caplog: pytest.LogCaptureFixture):
    """Thirty people give their first answer at the same moment: each creates its own
    review card, streak, day and period rows, all on the same few index pages of small
    tables. None depends on another's rows, so none is run again. (At SERIALIZABLE each
    answer's read of its missing card and streak shared a page with the others' inserts,
    and most were refused and run again, several times over.)"""
    question = bank.questions[0]
    people = [await store.people.for_local(f"p{i}") for i in range(30)]
    caplog.set_level("DEBUG", logger="bot.storage.postgres")
    stored = await asyncio.gather(*(
        engine.answer_daily(person.id, question, question.example_answer,
                            key=f"daily:first:{person.id}") for person in people))
    assert all(not s.duplicate for s in stored)
    again = [r for r in caplog.records if r.getMessage().startswith("database: trying again")]
    assert again == [], f"{len(again)} writes ran again: {again[0].getMessage()}"
    for person in people:
        assert (await store.answers.streak(person.id)).current == 1
