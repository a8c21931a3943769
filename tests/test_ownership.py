"""The engine refuses an interview or answer that is not the acting person's, and the check is
in the store's own statements: each test here fails when that one check is taken out."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewError, InterviewService, NotYourInterview
from bot.storage import Store

ANSWER = ("I would listen first, ask what they need, and share a short piece of my own "
          "recovery only if it helps them. Then we would plan the next step together.")
TABLES = ("people", "interviews", "interview_questions", "answers", "review_cards",
          "practice_days", "period_totals", "streaks")


async def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an answer or a move could touch."""
    return {t: [tuple(r) for r in await store.db.fetch_all(f"SELECT * FROM {t} ORDER BY 1")]
            for t in TABLES}


async def two_people(engine: InterviewService, store: Store) -> tuple[int, int, Any]:
    owner = await store.people.for_discord(111)
    other = await store.people.for_discord(222)
    await engine.start(other.id, count=2)  # the other person has an interview of their own
    interview = (await engine.start(owner.id, count=3)).interview
    return owner.id, other.id, interview


async def test_another_persons_answer_is_neither_stored_nor_read_back(
        engine: InterviewService, store: Store):
    owner, other, interview = await two_people(engine, store)
    first = await engine.answer(interview.id, 0, 1, ANSWER, interview.question_ids[0],
                                person_id=owner)
    before = await snapshot(store)
    # The stored answer's own key: without the check, its guidance would come back.
    with pytest.raises(NotYourInterview):
        await engine.answer(interview.id, 0, 1, "anything", interview.question_ids[0],
                            person_id=other)
    with pytest.raises(NotYourInterview):  # and without a question id, read first
        await engine.answer(interview.id, 0, 1, "anything", person_id=other)
    await engine.skip(interview.id, 0, person_id=owner)
    before = await snapshot(store)
    # The question now waiting: without the check, the text would be stored as the owner's.
    with pytest.raises(NotYourInterview):
        await engine.answer(interview.id, 1, 1, ANSWER, interview.question_ids[1],
                            person_id=other)
    assert await snapshot(store) == before
    assert first.answer_id is not None


@pytest.mark.parametrize("action", ["retry", "skip", "end", "summary"])
async def test_another_person_cannot_move_end_or_read_an_interview(
        engine: InterviewService, store: Store, action: str):
    owner, other, interview = await two_people(engine, store)
    await engine.answer(interview.id, 0, 1, ANSWER, interview.question_ids[0], person_id=owner)
    before = await snapshot(store)
    calls = {
        "retry": lambda: engine.retry(interview.id, 0, 1, person_id=other),
        "skip": lambda: engine.skip(interview.id, 0, person_id=other),
        "end": lambda: engine.end(interview.id, person_id=other),
        "summary": lambda: engine.summary(interview.id, person_id=other),
    }
    with pytest.raises(NotYourInterview):
        await calls[action]()
    assert await snapshot(store) == before
    assert await engine.get(interview.id, other) is None
    assert (await engine.get(interview.id, owner)) is not None


@pytest.mark.parametrize("action", ["retry", "skip", "end"])
async def test_the_store_checks_the_owner_where_it_changes_the_interview(
        engine: InterviewService, store: Store, action: str):
    """The engine reads the interview first; the change must refuse on its own as well
    (the read and the change are separate moments)."""
    owner, other, interview = await two_people(engine, store)
    await engine.answer(interview.id, 0, 1, ANSWER, interview.question_ids[0], person_id=owner)
    before = await snapshot(store)
    with pytest.raises(LookupError):
        if action == "end":
            await store.interviews.stop(interview.id, other)
        elif action == "retry":
            await store.interviews.move(interview.id, expect_position=0, expect_attempt=1,
                                        attempt=2, person_id=other)
        else:
            await store.interviews.move(interview.id, expect_position=0, position=1,
                                        attempt=1, person_id=other)
    assert await snapshot(store) == before
    assert await store.progress.interview_attempts(interview.id, other) == {}


async def test_a_finished_interview_of_another_person_returns_nothing(
        engine: InterviewService, store: Store):
    owner, other, interview = await two_people(engine, store)
    for position in range(interview.total):
        await engine.answer(interview.id, position, 1, ANSWER, interview.question_ids[position],
                            person_id=owner)
        await engine.skip(interview.id, position, person_id=owner)
    assert not (await engine.get(interview.id)).is_active
    before = await snapshot(store)
    with pytest.raises(NotYourInterview):
        await engine.answer(interview.id, 1, 1, "x " * 20, interview.question_ids[1],
                            person_id=other)
    # The owner's own finished interview takes no new answer either.
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer(interview.id, 1, 2, ANSWER, interview.question_ids[1],
                            person_id=owner)
    assert await snapshot(store) == before


async def test_only_the_author_reads_an_answer_to_share_it(engine: InterviewService,
                                                           store: Store):
    owner, other, interview = await two_people(engine, store)
    result = await engine.answer(interview.id, 0, 1, ANSWER, interview.question_ids[0],
                                 person_id=owner)
    assert result.answer_id is not None
    own = await engine.own_answer(result.answer_id, owner)
    assert own.interview is not None and own.interview.id == interview.id
    assert own.feedback["score"] == result.feedback.score
    with pytest.raises(NotYourInterview):
        await engine.own_answer(result.answer_id, other)


async def test_a_daily_answer_is_stored_only_for_a_post_of_the_server_it_came_from(
        engine: InterviewService, store: Store, bank: Bank):
    from datetime import UTC, date, datetime

    question = bank.questions[0]
    post = (await store.daily.claim(10, date(2026, 3, 2), question.id, "test",
                                    datetime(2026, 3, 2, 9, tzinfo=UTC))).post
    person = await store.people.for_discord(333)
    before = await snapshot(store)
    for guild in (20, None):  # another server, or no server at all
        with pytest.raises(InterviewError, match="another server"):
            await engine.answer_daily(person.id, question, ANSWER, key=f"daily:{post.id}:333",
                                      daily_post_id=post.id, guild_id=guild)
    assert await snapshot(store) == before
    stored = await engine.answer_daily(person.id, question, ANSWER, key=f"daily:{post.id}:333",
                                       daily_post_id=post.id, guild_id=10)
    assert not stored.duplicate


async def test_another_persons_follow_up_is_neither_answered_skipped_nor_read(
        engine: InterviewService, store: Store):
    owner = await store.people.for_discord(111)
    other = await store.people.for_discord(222)
    interview, _ = await store.interviews.create(owner.id, "all", None, ["cps-05"], "dm")
    vague = "I would be kind to them and do my best for them every single day."
    result = await engine.answer(interview.id, 0, 1, vague, "cps-05", person_id=owner.id)
    assert result.interview.awaiting_follow_up
    before = await snapshot(store)
    follow_ups = [tuple(r) for r in await store.db.fetch_all("SELECT * FROM interview_follow_ups")]
    with pytest.raises(NotYourInterview):
        await engine.answer_follow_up(interview.id, 0, ANSWER, person_id=other.id)
    with pytest.raises(NotYourInterview):
        await engine.skip_follow_up(interview.id, 0, person_id=other.id)
    with pytest.raises(NotYourInterview):
        await engine.summary(interview.id, person_id=other.id)
    assert await store.interviews.follow_ups(interview.id, other.id) == {}
    assert await snapshot(store) == before
    assert [tuple(r) for r in await store.db.fetch_all(
        "SELECT * FROM interview_follow_ups")] == follow_ups
    reply = await engine.answer_follow_up(interview.id, 0, ANSWER, person_id=owner.id)
    assert not reply.duplicate
