"""The interview engine over a real store (SQLite) and over the in-memory one
(tests/memory_store.py): flow, idempotence, resume, question choice. The cases that read
the SQLite file itself run on SQLite only."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.coaching import EmptyAnswer
from bot.interview.engine import InterviewError, InterviewService
from bot.interview.model import Outcome, Status
from bot.storage import Store
from tests.conftest import FakeClock
from tests.memory_store import MemoryStore

# These read the database file itself (its rows, or a second process opening it).
SQLITE_ONLY = {
    "test_the_same_submission_twice_stores_one_answer",
    "test_a_stale_answer_for_a_question_never_answered_is_refused",
    "test_empty_answers_are_refused_and_nothing_is_stored",
    "test_long_answers_are_cut_at_4000_characters_and_say_so",
    "test_odd_text_is_stored_exactly",
    "test_streak_counts_local_days",
    "test_an_answer_names_its_question_and_is_checked_where_it_is_stored",
    "test_an_answer_to_an_interview_that_does_not_exist_is_refused",
    "test_answers_to_one_question_at_the_same_moment_each_review_the_card",
}


@pytest.fixture(params=["database", "memory"])
async def store(request: pytest.FixtureRequest, database: Path | str
                ):  # type: ignore[no-untyped-def]
    """The engine's store: the real one (SQLite, or PostgreSQL in the PostgreSQL pass), then
    the in-memory one (the ``engine`` fixture in conftest.py is built on this)."""
    if request.param == "memory":
        if request.function.__name__ in SQLITE_ONLY:
            pytest.skip("reads the SQLite file itself")
        yield MemoryStore()
        return
    async with Store(database) as opened:
        yield opened


async def test_a_whole_interview(engine: InterviewService, store: Store, bank: Bank):
    sam = await store.people.for_local("sam")
    started = await engine.start(sam.id, bank="all", count=3)
    interview = started.interview
    assert interview.total == 3 and len(set(interview.question_ids)) == 3

    first = engine.question(interview)
    result = await engine.answer(interview.id, 0, 1, first.example_answer)
    assert result.feedback.score >= 80 and not result.duplicate
    assert result.streak == 1
    interview = await engine.skip(interview.id, 0)
    assert interview.position == 1

    interview = await engine.skip(interview.id, 1)
    assert interview.outcomes[1] is Outcome.SKIPPED and interview.position == 2

    third = engine.question(interview)
    await engine.answer(interview.id, 2, 1, "I would listen.")
    interview = await engine.retry(interview.id, 2)
    assert interview.attempt == 2
    await engine.answer(interview.id, 2, 2, third.example_answer)
    interview = await engine.skip(interview.id, 2)
    assert interview.status is Status.FINISHED

    summary = await engine.summary(interview.id)
    scores = [r.score for r in summary.results]
    assert scores[0] >= 80 and scores[1] is None and scores[2] >= 80  # latest attempt counts
    assert summary.results[2].attempts == 2
    assert any("skipped" in step for step in summary.practise_next)


async def test_topic_filter_and_no_repeats(engine: InterviewService, store: Store, bank: Bank):
    sam = await store.people.for_local("sam")
    topic = bank.questions[0].topic
    pool = {q.id for q in bank.select("all", topic)}
    started = await engine.start(sam.id, topic=topic, count=20)
    assert set(started.interview.question_ids) == pool  # asks for more than exist: all, once


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bank": "nope"}, "no bank"), ({"topic": "nope"}, "no topic"), ({"count": 0}, "between"),
])
async def test_bad_start_options_are_explained(engine: InterviewService, store: Store,
                                               kwargs: dict, message: str):
    sam = await store.people.for_local("sam")
    with pytest.raises(InterviewError, match=message):
        await engine.start(sam.id, **kwargs)


async def test_starting_again_stops_the_open_interview(engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    first = (await engine.start(sam.id, count=2)).interview
    second = await engine.start(sam.id, count=2)
    assert second.stopped == [first.id]
    assert (await engine.get(first.id)).status is Status.STOPPED
    assert (await engine.active(sam.id)).id == second.interview.id


async def test_the_same_submission_twice_stores_one_answer(engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=2)).interview
    text = engine.question(interview).example_answer
    results = await asyncio.gather(*(engine.answer(interview.id, 0, 1, text) for _ in range(5)))
    assert sorted(r.duplicate for r in results) == [False, True, True, True, True]
    assert len({r.feedback.score for r in results}) == 1
    count = (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0]
    assert count == 1
    days = (await store.db.fetch_one("SELECT answers FROM practice_days"))[0]
    assert days == 1
    # A late duplicate after moving on still gets the stored guidance, and changes nothing.
    await engine.skip(interview.id, 0)
    late = await engine.answer(interview.id, 0, 1, text)
    assert late.duplicate
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 1


async def test_double_click_on_next_moves_once(engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=3)).interview
    await engine.answer(interview.id, 0, 1, engine.question(interview).example_answer)
    results = await asyncio.gather(engine.skip(interview.id, 0), engine.skip(interview.id, 0),
                                   return_exceptions=True)
    assert sum(isinstance(r, InterviewError) for r in results) == 1
    assert (await engine.get(interview.id)).position == 1


async def test_a_stale_answer_for_a_question_never_answered_is_refused(
        engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=3)).interview
    await engine.skip(interview.id, 0)
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer(interview.id, 0, 1, "A late answer to a skipped question.")
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u200b\u200b", "!!! ... ???"])
async def test_empty_answers_are_refused_and_nothing_is_stored(
        engine: InterviewService, store: Store, text: str):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=1)).interview
    with pytest.raises(EmptyAnswer):
        await engine.answer(interview.id, 0, 1, text)
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0


async def test_long_answers_are_cut_at_4000_characters_and_say_so(
        engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=1)).interview
    result = await engine.answer(interview.id, 0, 1, "I listen closely. " * 400)
    assert result.truncated
    stored = (await store.db.fetch_one("SELECT text FROM answers"))[0]
    assert len(stored) == 4000


async def test_odd_text_is_stored_exactly(engine: InterviewService, store: Store):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=1)).interview
    text = "@everyone **bold** `code` 🙂 \u202eRTL\u202c'); DROP TABLE answers;-- ok"
    await engine.answer(interview.id, 0, 1, text)
    assert (await store.db.fetch_one("SELECT text FROM answers"))[0] == text


async def test_resume_after_a_restart(database: Path | str, bank: Bank, clock: FakeClock):
    async with Store(database) as store:
        engine = InterviewService(store, bank, clock=clock)
        sam = await store.people.for_local("sam")
        interview = (await engine.start(sam.id, count=3)).interview
        await engine.answer(interview.id, 0, 1, engine.question(interview).example_answer)
        await engine.skip(interview.id, 0)
    async with Store(database) as store:  # a new process on the same database
        engine = InterviewService(store, bank, clock=clock)
        sam = await store.people.for_local("sam")
        resumed = await engine.active(sam.id)
        assert resumed is not None and resumed.id == interview.id
        assert resumed.position == 1 and resumed.question_ids == interview.question_ids
        assert resumed.outcomes[0] is Outcome.ANSWERED


async def test_low_scored_question_comes_back_before_a_high_scored_one(
        store: Store, bank: Bank, clock: FakeClock):
    bank = Bank(bank.questions[:12])  # small enough to be asked whole in one interview
    engine = InterviewService(store, bank, clock=clock, rng=random.Random(3))
    sam = await store.people.for_local("sam")
    strong_q, weak_q = bank.questions[0], bank.questions[1]
    first = (await engine.start(sam.id, count=1)).interview
    # Answer two chosen questions directly through daily answers, as any answer counts.
    await engine.answer_daily(sam.id, strong_q, strong_q.example_answer, key="t:strong")
    await engine.answer_daily(sam.id, weak_q, "I would be supportive.", key="t:weak")
    await engine.end(first.id)
    clock.advance(days=2)  # the weak card is due (an hour), the strong one is not (a week)
    chosen = (await engine.start(sam.id, count=len(bank))).interview.question_ids
    assert chosen.index(weak_q.id) < chosen.index(strong_q.id)
    assert chosen[0] == weak_q.id
    assert chosen[-1] == strong_q.id  # not yet due: asked only once everything else is


async def test_streak_counts_local_days(store: Store, bank: Bank, clock: FakeClock):
    engine = InterviewService(store, bank, clock=clock)
    sam = await store.people.for_local("sam")
    await store.people.set_timezone(sam.id, "America/Los_Angeles")
    q = bank.questions[0]
    results = []
    for day in range(3):
        results.append(await engine.answer_daily(sam.id, q, q.example_answer, key=f"d{day}"))
        clock.advance(days=1)
    assert [r.streak for r in results] == [1, 2, 3]
    days = await store.db.fetch_all("SELECT day FROM practice_days ORDER BY day")
    # 15:00 UTC is 07:00 in Los Angeles: the local days are the same calendar days here.
    assert [d[0] for d in days] == ["2026-03-02", "2026-03-03", "2026-03-04"]


async def test_double_click_on_retry_and_stale_buttons(engine: InterviewService, store: Store):
    from bot.interview.engine import StaleAction

    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=2)).interview
    await engine.answer(interview.id, 0, 1, "I would listen and reflect.")
    await engine.retry(interview.id, 0, attempt=1)
    with pytest.raises(StaleAction):
        await engine.retry(interview.id, 0, attempt=1)
    assert (await engine.get(interview.id)).attempt == 2
    # Moving on after a retry that was not answered again still counts the question answered.
    moved = await engine.skip(interview.id, 0)
    assert moved.outcomes[0] is Outcome.ANSWERED
    with pytest.raises(StaleAction):
        await engine.skip(interview.id, 0)


async def test_an_answer_names_its_question_and_is_checked_where_it_is_stored(
        engine: InterviewService, store: Store, bank: Bank):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=3)).interview
    shown = engine.question(interview)
    other = next(q for q in bank if q.id not in interview.question_ids)
    # A form for another question (never shown at this position) stores nothing.
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer(interview.id, 0, 1, other.example_answer, question_id=other.id)
    result = await engine.answer(interview.id, 0, 1, shown.example_answer,
                                 question_id=shown.id)
    assert result.interview.outcomes[0] is Outcome.ANSWERED and not result.duplicate
    # Retry moves to attempt 2: the first attempt's form again is its stored answer...
    await engine.retry(interview.id, 0)
    again = await engine.answer(interview.id, 0, 1, "Different words.", question_id=shown.id)
    assert again.duplicate and again.feedback == result.feedback
    assert again.interview.attempt == 2
    # ...and an attempt the interview never reached stores nothing.
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer(interview.id, 0, 3, shown.example_answer, question_id=shown.id)
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 1


async def test_an_answer_to_an_interview_that_does_not_exist_is_refused(
        engine: InterviewService, store: Store, bank: Bank):
    question = bank.questions[0]
    with pytest.raises(InterviewError, match="no longer exists"):
        await engine.answer(12345, 0, 1, question.example_answer, question_id=question.id)
    assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0


async def test_answers_to_one_question_at_the_same_moment_each_review_the_card(
        engine: InterviewService, store: Store, bank: Bank, clock: FakeClock):
    """Both answers are computed from the card as it stood before either; the store takes
    the first and refuses the second (what it was computed from changed), which the engine
    computes again from the first one's card: the card is reviewed twice, not once."""
    from bot.interview import review

    sam = await store.people.for_local("sam")
    question = bank.questions[0]
    results = await asyncio.gather(*(
        engine.answer_daily(sam.id, question, question.example_answer, key=f"same:{i}")
        for i in range(3)))
    assert not any(r.duplicate for r in results)
    card, _ = review.review(None, results[0].feedback.score, clock())
    for _ in range(2):
        card, _ = review.review(card, results[0].feedback.score, clock())
    row = await store.db.fetch_one("SELECT card, reviews FROM review_cards")
    assert row["reviews"] == 3 and row["card"] == card
    days = await store.db.fetch_one("SELECT answers FROM practice_days")
    assert days["answers"] == 3 and results[-1].streak == 1
