"""One person, one live interview: the window holding an interview (its lease) is checked
where an answer or a step is stored, so a window whose interview was taken over stores
nothing and is never shown another answer's guidance."""

from __future__ import annotations

import pytest

from bot.interview.engine import AnswerMovedOn, InterviewService, StaleAction, TakenOver
from bot.storage import Store

A_ANSWER = ("I would listen first and reflect back what I hear, then ask what the person "
            "wants from our time together and respect their choice.")
B_ANSWER = ("I would share a short part of my own recovery story, only if it helps them, "
            "and then turn the focus back to their goals.")


async def test_a_taken_over_window_stores_nothing_and_sees_no_other_guidance(
        engine: InterviewService, store: Store):
    ana = await store.people.for_local("ana")
    interview = (await engine.start(ana.id, count=3, lease="window-a")).interview
    taken = await engine.take(interview.id, "window-b")
    assert taken is not None and taken.lease == "window-b"
    with pytest.raises(TakenOver):  # A's answer, after B took the interview over
        await engine.answer(interview.id, 0, 1, A_ANSWER,
                            question_id=interview.question_ids[0], lease="window-a")
    assert await store.db.fetch_all("SELECT id FROM answers") == []
    result = await engine.answer(interview.id, 0, 1, B_ANSWER,
                                 question_id=interview.question_ids[0], lease="window-b")
    assert not result.duplicate
    for step in (engine.skip(interview.id, 0, lease="window-a"),
                 engine.retry(interview.id, 0, lease="window-a"),
                 engine.end(interview.id, lease="window-a")):
        with pytest.raises(TakenOver):
            await step
    now = await engine.get(interview.id)
    assert now is not None and now.is_active and now.position == 0 and now.attempt == 1
    (text,), = [tuple(r) for r in await store.db.fetch_all("SELECT text FROM answers")]
    assert text == B_ANSWER


async def test_a_different_text_under_a_stored_key_gets_no_guidance(
        engine: InterviewService, store: Store):
    ana = await store.people.for_local("ana")
    interview = (await engine.start(ana.id, count=2, lease="w")).interview
    qid = interview.question_ids[0]
    first = await engine.answer(interview.id, 0, 1, A_ANSWER, question_id=qid, lease="w")
    again = await engine.answer(interview.id, 0, 1, A_ANSWER, question_id=qid, lease="w")
    assert again.duplicate and again.feedback == first.feedback  # the same answer: its own
    with pytest.raises(AnswerMovedOn):  # another text for the same slot: not A's guidance
        await engine.answer(interview.id, 0, 1, B_ANSWER, question_id=qid, lease="w")


async def test_without_a_lease_nothing_changes_for_discord(
        engine: InterviewService, store: Store):
    ana = await store.people.for_local("ana")
    interview = (await engine.start(ana.id, count=2, place="dm")).interview
    assert interview.lease is None
    await engine.answer(interview.id, 0, 1, A_ANSWER)
    moved = await engine.skip(interview.id, 0)
    assert moved.position == 1
    with pytest.raises(StaleAction):  # a double click is still a stale action
        await engine.skip(interview.id, 0)


async def test_taking_an_ended_interview_gives_none_and_release_lets_go(
        engine: InterviewService, store: Store):
    ana = await store.people.for_local("ana")
    interview = (await engine.start(ana.id, count=2, lease="a")).interview
    await engine.release(interview.id, "b")  # not b's to release
    assert (await engine.get(interview.id)).lease == "a"  # type: ignore[union-attr]
    await engine.release(interview.id, "a")
    assert (await engine.get(interview.id)).lease is None  # type: ignore[union-attr]
    await engine.end(interview.id)
    assert await engine.take(interview.id, "b") is None


async def test_an_answer_marks_when_its_window_was_last_used(
        engine: InterviewService, store: Store, clock):
    ana = await store.people.for_local("ana")
    interview = (await engine.start(ana.id, count=2, lease="w")).interview
    clock.advance(minutes=30)
    await engine.answer(interview.id, 0, 1, A_ANSWER, question_id=interview.question_ids[0],
                        lease="w")
    now = await engine.get(interview.id)
    assert now is not None and now.lease_at == clock.now


async def test_a_taken_over_window_cannot_answer_the_follow_up_either(
        engine: InterviewService, store: Store):
    ana = await store.people.for_local("ana")
    interview, _ = await store.interviews.create(ana.id, "all", None, ["cps-05"], "terminal",
                                                 lease="window-a")
    vague = "I would be kind to them and do my best for them every single day."
    first = await engine.answer(interview.id, 0, 1, vague, "cps-05", lease="window-a")
    assert first.interview.awaiting_follow_up
    await engine.take(interview.id, "window-b")
    with pytest.raises(TakenOver):
        await engine.answer_follow_up(interview.id, 0, A_ANSWER, lease="window-a")
    assert [tuple(r) for r in await store.db.fetch_all(
        "SELECT status, text FROM interview_follow_ups")] == [("asked", None)]
    reply = await engine.answer_follow_up(interview.id, 0, B_ANSWER, lease="window-b")
    assert not reply.duplicate
    # A's own text again is not given B's guidance: nothing of A's is stored.
    with pytest.raises(TakenOver):
        await engine.answer_follow_up(interview.id, 0, A_ANSWER, lease="window-a")


async def test_a_taken_over_window_cannot_skip_the_follow_up(engine: InterviewService,
                                                            store: Store):
    ana = await store.people.for_local("ana")
    interview, _ = await store.interviews.create(ana.id, "all", None, ["cps-05"], "terminal",
                                                 lease="window-a")
    vague = "I would be kind to them and do my best for them every single day."
    await engine.answer(interview.id, 0, 1, vague, "cps-05", lease="window-a")
    await engine.take(interview.id, "window-b")
    with pytest.raises(TakenOver):
        await engine.skip_follow_up(interview.id, 0, lease="window-a")
    assert [tuple(r) for r in await store.db.fetch_all(
        "SELECT status FROM interview_follow_ups")] == [("asked",)]
