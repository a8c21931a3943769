"""The interviewer follows up (issue 13, point 6): which follow-up is asked, how its answer is
coached and stored, and that it never counts twice. Engine over a real store (SQLite, or
PostgreSQL in that pass), its rows read back as stored."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.bank import Bank, FollowUp
from bot.coaching import EmptyAnswer, give_feedback
from bot.interview import follow_ups
from bot.interview.engine import InterviewError, InterviewService
from bot.interview.model import FollowUpStatus, Interview
from bot.retention import forget_old_answers
from bot.storage import Store
from tests.conftest import FakeClock
from tests.stored import rows

QID = "cps-05"  # someone in crisis: its first follow-up probes asking directly about suicide
# Calm, present and escalates, but never asks about suicide.
MISSES_ASKING = ("I would stay calm and stay with them, listen, and let them know I'm here. "
                 "Then I would follow our crisis protocol and bring in my supervisor.")
ASKS = ("I'd ask them directly: are you thinking about suicide? I would ask it plainly and "
        "calmly, and then listen to whatever they tell me.")
VAGUE = "I would be kind to them and do my best for them."


async def interview_of(store: Store, *question_ids: str, follow_ups_on: bool = True
                       ) -> Interview:
    sam = await store.people.for_local("sam")
    interview, _ = await store.interviews.create(sam.id, "all", None, list(question_ids or [QID]),
                                                 "terminal", follow_ups=follow_ups_on)
    return interview


# -- which follow-up --------------------------------------------------------------------------

def test_the_most_important_missed_point_is_followed_up(bank: Bank):
    question = bank[QID]
    first, second, third = question.follow_ups
    feedback = give_feedback(question, MISSES_ASKING)
    covered = {k.id for k in feedback.key_points if k.covered}
    assert first.key_point not in covered and third.key_point not in covered
    assert follow_ups.choose(question, feedback) == first  # listed first: the most important
    covered_first = replace(feedback, key_points=tuple(
        replace(k, covered=k.covered or k.id == first.key_point) for k in feedback.key_points))
    # The second one probes a point the answer made: the next missed one is asked.
    assert second.key_point in covered
    assert follow_ups.choose(question, covered_first) == third


def test_no_follow_up_when_every_probed_point_is_made_or_in_a_crisis(bank: Bank):
    question = bank[QID]
    feedback = give_feedback(question, MISSES_ASKING)
    all_made = replace(feedback, key_points=tuple(replace(k, covered=True)
                                                  for k in feedback.key_points))
    assert follow_ups.choose(question, all_made) is None
    crisis = give_feedback(question, "Honestly I want to end my life. I can't do this anymore.")
    assert crisis.crisis and follow_ups.choose(question, crisis) is None


def test_a_follow_up_is_coached_against_its_point_only(bank: Bank):
    question = bank["pss-05"]  # a story question: the follow-up is not judged as a story
    follow_up = question.follow_ups[0]
    view, feedback = follow_ups.coach(question, follow_up, "I kept asking her what she wanted "
                                      "to do next and let her make each call herself.")
    assert view.prompt == follow_up.prompt and view.id == question.id
    assert [k.id for k in feedback.key_points] == [follow_up.key_point]
    assert feedback.star is None and feedback.question_id == question.id
    with pytest.raises(LookupError):
        follow_ups.coach(question, FollowUp("not-a-point", "Why?"), "Because.")


# -- the engine -------------------------------------------------------------------------------

async def test_an_answer_missing_a_point_is_followed_up_and_coached_on_that_point(
        engine: InterviewService, store: Store, bank: Bank):
    interview = await interview_of(store)
    result = await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    asked = result.interview.follow_up
    assert result.interview.awaiting_follow_up
    assert (asked.key_point, asked.prompt) == (bank[QID].follow_ups[0].key_point,
                                               bank[QID].follow_ups[0].prompt)
    assert engine.follow_up_question(result.interview).key_points == (
        bank[QID].key_point("ask-directly"),)

    reply = await engine.answer_follow_up(interview.id, 0, ASKS)
    assert [(k.id, k.covered) for k in reply.feedback.key_points] == [("ask-directly", True)]
    assert reply.feedback.score >= 70 and not reply.duplicate
    assert not reply.interview.awaiting_follow_up
    assert reply.interview.follow_up.status is FollowUpStatus.ANSWERED
    [(status, text, score)] = await rows(store, "SELECT status, text, score "
                                                "FROM interview_follow_ups")
    assert (status, text, score) == ("answered", ASKS, reply.feedback.score)


async def test_a_follow_up_never_counts_the_question_twice(
        engine: InterviewService, store: Store):
    """Decided: the question's score is its main answer's. The follow-up is stored with the
    question and shown in the summary, and counts toward no average, streak, leaderboard or
    review card."""
    interview = await interview_of(store)
    main = await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    tables = ("answers", "practice_days", "period_totals", "review_cards", "streaks")
    before = [sorted(await rows(store, f"SELECT * FROM {t}"), key=repr) for t in tables]
    reply = await engine.answer_follow_up(interview.id, 0, ASKS)
    after = [sorted(await rows(store, f"SELECT * FROM {t}"), key=repr) for t in tables]
    assert after == before
    assert reply.feedback.score != main.feedback.score
    await engine.skip(interview.id, 0)
    summary = await engine.summary(interview.id)
    [result] = summary.results
    assert result.score == main.feedback.score == summary.average
    assert result.follow_up is not None and result.follow_up.score == reply.feedback.score
    assert result.follow_up.covered and result.follow_up.status is FollowUpStatus.ANSWERED
    assert result.follow_up.point == "Ask directly about suicide"
    [(average,)] = await rows(store, "SELECT ROUND(AVG(score)) FROM answers")
    assert average == main.feedback.score
    recent = await store.interviews.recent((await store.people.for_local("sam")).id)
    assert recent[0][1] == main.feedback.score


async def test_skipping_the_follow_up_loses_nothing(engine: InterviewService, store: Store):
    interview = await interview_of(store, QID, "pss-05")
    main = await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    skipped = await engine.skip_follow_up(interview.id, 0)
    assert not skipped.awaiting_follow_up and skipped.current_answered
    assert skipped.follow_up.status is FollowUpStatus.SKIPPED
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer_follow_up(interview.id, 0, ASKS)
    moved = await engine.skip(interview.id, 0)
    assert moved.position == 1 and moved.follow_up is None
    summary = await engine.summary(interview.id)
    assert summary.results[0].score == main.feedback.score
    assert summary.results[0].follow_up.status is FollowUpStatus.SKIPPED


async def test_moving_on_or_ending_leaves_a_waiting_follow_up_skipped(
        engine: InterviewService, store: Store):
    interview = await interview_of(store, QID, "pss-05")
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    await engine.skip(interview.id, 0)
    with pytest.raises(InterviewError, match="moved on"):
        await engine.answer_follow_up(interview.id, 0, ASKS)
    await engine.answer(interview.id, 1, 1, VAGUE, question_id="pss-05")
    await engine.end(interview.id)
    assert await rows(store, "SELECT position, status, text FROM interview_follow_ups "
                         "ORDER BY position") == [(0, "skipped", None), (1, "skipped", None)]


async def test_one_follow_up_per_question_even_after_a_retry(
        engine: InterviewService, store: Store):
    interview = await interview_of(store)
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    retried = await engine.retry(interview.id, 0)
    assert not retried.awaiting_follow_up
    again = await engine.answer(interview.id, 0, 2, MISSES_ASKING, question_id=QID)
    assert not again.interview.awaiting_follow_up
    assert await rows(store, "SELECT COUNT(*) FROM interview_follow_ups") == [(1,)]


async def test_the_same_follow_up_answer_twice_is_stored_once(
        engine: InterviewService, store: Store):
    interview = await interview_of(store)
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    first = await engine.answer_follow_up(interview.id, 0, ASKS)
    second = await engine.answer_follow_up(interview.id, 0, "something else entirely")
    assert second.duplicate and second.feedback == first.feedback
    assert await rows(store, "SELECT text FROM interview_follow_ups") == [(ASKS,)]


async def test_an_empty_follow_up_answer_is_refused_and_stays_waiting(
        engine: InterviewService, store: Store):
    interview = await interview_of(store)
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    with pytest.raises(EmptyAnswer):
        await engine.answer_follow_up(interview.id, 0, "   ")
    assert (await engine.get(interview.id)).awaiting_follow_up


async def test_a_crisis_answer_gets_no_follow_up(engine: InterviewService, store: Store):
    interview = await interview_of(store)
    result = await engine.answer(interview.id, 0, 1, "Honestly I want to end my life. I can't "
                                 "do this anymore.", question_id=QID)
    assert result.feedback.crisis and result.interview.follow_up is None


async def test_the_setting_and_the_interview_choice_turn_follow_ups_off(
        store: Store, bank: Bank, clock: FakeClock):
    off = InterviewService(store, bank, clock=clock, rng=random.Random(1), follow_ups=False)
    sam = await store.people.for_local("sam")
    started = await off.start(sam.id, count=1)
    assert not started.interview.follow_ups  # the setting wins over the interview's default
    interview = await interview_of(store)  # made before the setting was turned off
    result = await off.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    assert result.interview.follow_up is None

    on = InterviewService(store, bank, clock=clock, rng=random.Random(1))
    chosen_off = await on.start(sam.id, count=1, follow_ups=False)
    question_id = chosen_off.interview.question_ids[0]
    result = await on.answer(chosen_off.interview.id, 0, 1, VAGUE, question_id=question_id)
    assert not result.interview.follow_ups and result.interview.follow_up is None
    assert await rows(store, "SELECT COUNT(*) FROM interview_follow_ups") == [(0,)]


# -- storage ----------------------------------------------------------------------------------

async def test_follow_ups_are_exported_blanked_after_retention_and_deleted_with_the_person(
        engine: InterviewService, store: Store, clock: FakeClock):
    interview = await interview_of(store)
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    await engine.answer_follow_up(interview.id, 0, ASKS)
    exported = await store.people.export(interview.person_id)
    [follow_up] = exported["interview_follow_ups"]
    assert follow_up["text"] == ASKS and follow_up["key_point"] == "ask-directly"
    assert json.loads(json.dumps(exported))  # the export stays plain JSON

    assert await forget_old_answers(store, clock.now - timedelta(days=1)) == 0
    assert await forget_old_answers(store, clock.now + timedelta(days=1)) == 2
    assert await rows(store, "SELECT text, score IS NOT NULL FROM interview_follow_ups") == [
        (None, 1)]

    await store.people.delete(interview.person_id)
    assert await rows(store, "SELECT COUNT(*) FROM interview_follow_ups") == [(0,)]


async def test_a_follow_up_answer_is_stored_only_while_it_waits(store: Store, engine:
                                                                 InterviewService):
    from bot.storage import FollowUpNotCurrent

    interview = await interview_of(store)
    with pytest.raises(FollowUpNotCurrent):  # none asked
        await store.interviews.answer_follow_up(interview.id, 0, "x", 50, {}, False,
                                                engine.clock())
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    await store.interviews.stop(interview.id)
    with pytest.raises(FollowUpNotCurrent):  # the interview ended
        await store.interviews.answer_follow_up(interview.id, 0, "x", 50, {}, False,
                                                engine.clock())


async def test_a_crisis_follow_up_answer_has_no_score_anywhere(
        engine: InterviewService, store: Store):
    from bot.interview.render import follow_up_outcome
    interview = await interview_of(store)
    await engine.answer(interview.id, 0, 1, MISSES_ASKING, question_id=QID)
    reply = await engine.answer_follow_up(
        interview.id, 0, "Honestly I want to end my life. I can't do this anymore.")
    assert reply.feedback.crisis and not reply.feedback.scored
    assert await rows(store, "SELECT status, score FROM interview_follow_ups") == [
        ("answered", None)]
    [result] = (await engine.summary(interview.id)).results
    assert result.follow_up is not None
    assert follow_up_outcome(result.follow_up) == "answered, no score"
