"""Answer text is kept for ANSWER_RETENTION_DAYS, then blanked; scores and progress stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.retention import cutoff, forget_expired_text, forget_old_answers
from bot.storage import Store
from tests.conftest import FakeClock
from tests.postgres import sqlite_only
from tests.stored import on_sqlite, rows
from tests.test_practice_cli import run

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def answered(store: Store, bank: Bank, clock: FakeClock, days_ago: list[int]) -> int:
    """One answer per entry, that many days before NOW; returns the person's id."""
    engine = InterviewService(store, bank, clock=clock)
    person = await store.people.for_local("sam")
    question = bank.questions[0]
    for n, days in enumerate(days_ago):
        clock.now = NOW - timedelta(days=days)
        await engine.answer_daily(person.id, question, f"My answer number {n}.", key=f"k{n}")
    clock.now = NOW
    return person.id


def test_no_retention_keeps_text_forever():
    assert cutoff(NOW, 0) is None
    assert cutoff(NOW, 30) == NOW - timedelta(days=30)


async def test_text_past_the_period_is_blanked_and_nothing_else(store: Store, bank: Bank,
                                                               clock: FakeClock):
    await answered(store, bank, clock, [400, 366, 364, 1])
    before = await store.db.fetch_all("SELECT id, score FROM answers ORDER BY id")
    assert await forget_expired_text(store, NOW, 365) == 2
    rows = await store.db.fetch_all("SELECT id, score, text FROM answers ORDER BY id")
    assert [(r["id"], r["score"]) for r in rows] == [(r["id"], r["score"]) for r in before]
    assert [r["text"] for r in rows] == [None, None, "My answer number 2.", "My answer number 3."]
    days = await store.db.fetch_one("SELECT SUM(answers) FROM practice_days")
    assert days[0] == 4  # progress and streak history stay
    assert await forget_expired_text(store, NOW, 365) == 0  # nothing left to blank
    assert await forget_expired_text(store, NOW, 0) == 0  # 0: keep forever


async def test_a_large_backlog_is_blanked_in_batches(store: Store, bank: Bank, clock: FakeClock):
    await answered(store, bank, clock, [500] * 1203)
    assert await forget_old_answers(store, NOW - timedelta(days=365), batch=500) == 1203
    assert (await store.db.fetch_one("SELECT COUNT(text) FROM answers"))[0] == 0


@sqlite_only
async def test_the_sweep_reads_only_answers_that_still_hold_text(store: Store):
    plan = await store.db.fetch_all(
        "EXPLAIN QUERY PLAN SELECT id FROM answers WHERE text IS NOT NULL AND answered_at < ?",
        ("2026-01-01",))
    assert any("answers_with_text" in row["detail"] for row in plan), [r["detail"] for r in plan]


def test_the_terminal_forgets_expired_text_when_it_runs(database: Path | str, tmp_path: Path):
    db = {} if on_sqlite(database) else {"DATABASE_URL": str(database)}
    assert run(["practice", "--user", "sam", "--questions", "1"], tmp_path,
               stdin="I would listen first and ask what they need.\n\ne\n", **db
               ).returncode == 0

    async def backdate() -> None:
        async with Store(database) as store:
            await store.db.write(lambda tx: tx.execute(
                "UPDATE answers SET answered_at = '2020-01-01T00:00:00.000000+00:00'"))

    async def stored() -> list[tuple[object, ...]]:
        async with Store(database) as store:
            return await rows(store, "SELECT text, score FROM answers")

    asyncio.run(backdate())  # (the commands start event loops of their own: not async here)
    assert asyncio.run(stored())[0][0] is not None
    assert run(["progress", "--user", "sam"], tmp_path, ANSWER_RETENTION_DAYS="30", **db
               ).returncode == 0
    [(text, score)] = asyncio.run(stored())
    assert text is None and score is not None


async def test_a_crisis_answer_past_the_period_goes_and_never_reads_as_a_zero(
        store: Store, bank: Bank, clock: FakeClock):
    engine = InterviewService(store, bank, clock=clock)
    person = await store.people.for_local("sam")
    question = bank.questions[0]
    clock.now = NOW - timedelta(days=400)
    crisis = await engine.answer_daily(person.id, question, "I want to end my life.", key="c")
    scored = await engine.answer_daily(
        person.id, question, "I would listen first and ask what they need from me today.",
        key="s")
    assert crisis.feedback.crisis and not crisis.feedback.scored
    clock.now = NOW
    history = await store.progress.score_history(person.id)
    by_question = await store.progress.scores_by_question(person.id)
    assert await forget_expired_text(store, NOW, 365) == 2
    assert [r[0] for r in await store.db.fetch_all("SELECT id FROM answers")] == [scored.answer_id]
    # Once its flag would be forgotten, a kept crisis row would count as a score of 0.
    assert await store.progress.score_history(person.id) == history
    assert await store.progress.scores_by_question(person.id) == by_question
