"""The store contract: what the core relies on from any store (bot/core/ports.py), run the
same against every backend in ``OPENERS``: the SQLite store and the in-memory one the
engine's tests use, and PostgreSQL when a server is given (PEERPREP_TEST_DATABASE_URL). A
new backend adds one opener here; every case then runs on it too. Each case sets up through the ports (and, for the answer write, the engine's
own record), never through a backend's SQL.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.bank import Bank
from bot.coaching import give_feedback
from bot.core.records import (
    STALE_CLAIM,
    AnswerNotCurrent,
    AnswerRecord,
    ConcurrentChange,
    DailySchedule,
    FollowUpNotCurrent,
    FollowUpStatus,
    InterviewGone,
    InterviewTakenOver,
    NotYours,
    Outcome,
    ShardSet,
    Status,
    StreakState,
    shard_of,
)
from bot.interview.engine import InterviewService, NotYourInterview
from bot.retention import forget_old_answers
from bot.storage import Store
from tests import postgres
from tests.conftest import FakeClock
from tests.memory_store import MemoryStore

# The PostgreSQL pass of .ci/run runs these (with PostgreSQL among the backends).
pytestmark = pytest.mark.database

Opener = Callable[[Path], AbstractAsyncContextManager[Any]]


@asynccontextmanager
async def _sqlite(tmp: Path) -> AsyncIterator[Store]:
    async with Store(tmp / "contract.sqlite3") as store:
        yield store


@asynccontextmanager
async def _memory(tmp: Path) -> AsyncIterator[MemoryStore]:
    yield MemoryStore()


@asynccontextmanager
async def _postgres(tmp: Path) -> AsyncIterator[Store]:
    url = postgres.server_url()
    assert url is not None
    async with postgres.fresh_schema(url) as schema_url, Store(schema_url) as store:
        yield store


# One line per backend. PostgreSQL runs when PEERPREP_TEST_DATABASE_URL names a server
# (tests/postgres.py); .ci/run sets it, and there a server it can't reach fails the run.
OPENERS: dict[str, Opener] = {"sqlite": _sqlite, "memory": _memory}
if postgres.server_url():
    OPENERS["postgres"] = _postgres


@pytest.fixture(params=sorted(OPENERS))
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    async with OPENERS[request.param](tmp_path) as store:
        yield store


@pytest.fixture
def engine(backend: Any, bank: Bank, clock: FakeClock) -> InterviewService:
    return InterviewService(backend, bank, clock=clock, rng=random.Random(1))


async def _record(engine: InterviewService, question_id: str, key: str, text: str, *,
                  person_id: int | None = None, guild_id: int | None = None,
                  **where: Any) -> AnswerRecord:
    """The record the engine would hand the store, computed from the store's context now."""
    question = engine.bank.get(question_id)
    assert question is not None
    before = await engine.store.answers.context(
        question_id, person_id=person_id, guild_id=guild_id,
        interview_id=where.get("interview_id"))
    return engine._answer_record(before, question_id, key, text,
                                 give_feedback(question, text), engine.clock(), **where)


async def _unchanged(backend: Any, person_id: int, call: Callable[[], Awaitable[Any]],
                     error: type[Exception]) -> None:
    """``call`` raises ``error`` and leaves the person's streak, days and cards as they were."""
    before = (await backend.answers.streak(person_id),
              await backend.answers.practice_days(person_id, date(2000, 1, 1)),
              await backend.answers.cards(person_id))
    with pytest.raises(error):
        await call()
    after = (await backend.answers.streak(person_id),
             await backend.answers.practice_days(person_id, date(2000, 1, 1)),
             await backend.answers.cards(person_id))
    assert after == before


# -- the answer write ------------------------------------------------------------------------

async def test_an_answer_feeds_its_card_day_and_streak(backend: Any, engine: InterviewService,
                                                      bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    record = await _record(engine, question.id, "k1", question.example_answer,
                           person_id=sam.id)
    stored = await backend.answers.record(record)
    assert not stored.duplicate and stored.person_id == sam.id
    assert (await backend.answers.streak(sam.id)) == record.streak.state
    assert (await backend.answers.practice_days(sam.id, record.local_day)) == {
        record.local_day: (1, False)}
    cards = await backend.answers.cards(sam.id)
    assert record.card is not None and cards[question.id].due_at == record.card.due_at
    assert await backend.answers.answer_id("k1", sam.id) == stored.id
    assert (await backend.answers.own_answer(stored.id, sam.id)).question_id == question.id
    by_question = await backend.answers.scores_by_question(sam.id)
    assert by_question == [(question.id, 1, record.score)]
    assert [type(v) for v in by_question[0][1:]] == [int, int]  # not PostgreSQL's Decimal


async def test_the_same_submission_key_stores_one_answer(backend: Any, engine: InterviewService,
                                                        bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    first = await backend.answers.record(
        await _record(engine, question.id, "once", question.example_answer, person_id=sam.id))
    again = await _record(engine, question.id, "once", question.example_answer,
                          person_id=sam.id)
    second = await backend.answers.record(again)
    assert second.duplicate and second.id == first.id and second.feedback == first.feedback
    assert (await backend.answers.practice_days(sam.id, again.local_day))[again.local_day] == (
        1, False)
    assert (await backend.answers.streak(sam.id)).current == 1


async def test_a_record_computed_from_a_changed_state_is_refused(
        backend: Any, engine: InterviewService, bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    stale = await _record(engine, question.id, "late", question.example_answer,
                          person_id=sam.id)
    await backend.answers.record(
        await _record(engine, question.id, "early", question.example_answer, person_id=sam.id))
    await _unchanged(backend, sam.id, lambda: backend.answers.record(stale), ConcurrentChange)
    assert await backend.answers.answer_id("late", sam.id) is None


async def test_a_new_time_zone_refuses_a_record_computed_before_it(
        backend: Any, engine: InterviewService, bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    stale = await _record(engine, question.id, "k", question.example_answer, person_id=sam.id)
    await backend.people.set_timezone(sam.id, "Pacific/Kiritimati")
    await _unchanged(backend, sam.id, lambda: backend.answers.record(stale), ConcurrentChange)


async def test_a_crisis_answer_counts_for_the_streak_only(backend: Any, engine: InterviewService,
                                                         bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    record = await _record(engine, question.id, "c", "I want to end my life tonight.",
                           person_id=sam.id)
    assert record.crisis and record.card is None
    stored = await backend.answers.record(record)
    assert (await backend.answers.streak(sam.id)).current == 1
    assert await backend.answers.cards(sam.id) == {}
    assert await backend.answers.practice_days(sam.id, record.local_day) == {}
    assert await backend.answers.scores_by_question(sam.id) == []
    assert await backend.answers.answer_id("c", sam.id) is None  # never offered for sharing
    assert stored.id


async def test_a_streak_freeze_spent_marks_the_missed_day(backend: Any, engine: InterviewService,
                                                         bank: Bank):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    record = await _record(engine, question.id, "f", question.example_answer, person_id=sam.id)
    day = record.local_day
    state = StreakState(current=9, best=9, freezes=1, days_to_freeze=5,
                        last_day=day - timedelta(days=2))
    spent = replace(record, streak=replace(record.streak, frozen_day=day - timedelta(days=1),
                                           state=replace(state, last_day=day, current=10)))
    # The record claims the state it was computed from; the store checks only that claim.
    if isinstance(backend, MemoryStore):
        backend.data.streaks[sam.id] = state
    else:
        await backend.db.write(lambda conn: conn.execute(
            "INSERT INTO streaks (person_id, current, best, freezes, days_to_freeze, last_day) "
            "VALUES (?, 9, 9, 1, 5, ?)", (sam.id, (day - timedelta(days=2)).isoformat())))
    await backend.answers.record(replace(spent, expected=replace(record.expected, streak=state)))
    days = await backend.answers.practice_days(sam.id, day - timedelta(days=3))
    assert days == {day - timedelta(days=1): (0, True), day: (1, False)}
    assert (await backend.answers.streak(sam.id)).current == 10


# -- interview answers: owner, lease, position, all checked where the answer is written ------

async def _interview(backend: Any, person_id: int, bank: Bank, *, lease: str | None = None,
                     count: int = 2) -> Any:
    ids = [q.id for q in bank.questions[:count]]
    interview, _ = await backend.interviews.create(person_id, "all", None, ids, "terminal",
                                                   lease=lease)
    return interview


async def test_an_interview_answer_of_someone_else_is_refused(
        backend: Any, engine: InterviewService, bank: Bank):
    sam = await backend.people.for_local("sam")
    eve = await backend.people.for_local("eve")
    interview = await _interview(backend, sam.id, bank)
    qid = interview.question_ids[0]
    record = await _record(engine, qid, f"interview:{interview.id}:0:1", "I would listen.",
                           interview_id=interview.id, position=0, attempt=1, actor_id=eve.id)
    await _unchanged(backend, sam.id, lambda: backend.answers.record(record), NotYours)
    assert await backend.answers.interview_attempts(interview.id) == {}


async def test_an_answer_from_a_window_that_lost_the_interview_is_refused(
        backend: Any, engine: InterviewService, bank: Bank):
    sam = await backend.people.for_local("sam")
    interview = await _interview(backend, sam.id, bank, lease="first")
    assert (await backend.interviews.take(interview.id, "second")).lease == "second"
    record = await _record(engine, interview.question_ids[0], f"interview:{interview.id}:0:1",
                           "I would listen.", interview_id=interview.id, position=0,
                           attempt=1, lease="first")
    await _unchanged(backend, sam.id, lambda: backend.answers.record(record),
                     InterviewTakenOver)
    assert await backend.interviews.release(interview.id, "first") is False
    assert await backend.interviews.release(interview.id, "second") is True


async def test_an_answer_for_a_question_the_interview_moved_past_is_refused(
        backend: Any, engine: InterviewService, bank: Bank):
    sam = await backend.people.for_local("sam")
    interview = await _interview(backend, sam.id, bank)
    record = await _record(engine, interview.question_ids[0], f"interview:{interview.id}:0:1",
                           "I would listen.", interview_id=interview.id, position=0,
                           attempt=1)
    assert await backend.interviews.move(interview.id, expect_position=0, position=1,
                                         attempt=1, outcome=Outcome.SKIPPED)
    await _unchanged(backend, sam.id, lambda: backend.answers.record(record), AnswerNotCurrent)


async def test_an_answer_to_no_interview_is_refused(backend: Any, engine: InterviewService,
                                                   bank: Bank):
    with pytest.raises(InterviewGone):
        await backend.answers.context(bank.questions[0].id, interview_id=999)


async def test_an_interview_answer_marks_its_question_and_asks_its_follow_up(
        backend: Any, engine: InterviewService, bank: Bank, clock: FakeClock):
    sam = await backend.people.for_local("sam")
    interview = await _interview(backend, sam.id, bank)
    record = await _record(engine, interview.question_ids[0], f"interview:{interview.id}:0:1",
                           "I would listen.", interview_id=interview.id, position=0,
                           attempt=1, actor_id=sam.id, follow_up=("kp", "And then?"))
    stored = await backend.answers.record(record)
    assert stored.interview.outcomes[0] is Outcome.ANSWERED
    assert stored.interview.follow_up.status is FollowUpStatus.ASKED
    assert stored.interview.awaiting_follow_up
    feedback = {"score": 50}
    first, again = await backend.interviews.answer_follow_up(
        interview.id, 0, "More.", 50, feedback, False, clock(), sam.id)
    assert not again and first.feedback == feedback
    second, again = await backend.interviews.answer_follow_up(
        interview.id, 0, "More.", 50, feedback, False, clock(), sam.id)
    assert again and second == first
    with pytest.raises(NotYours):
        await backend.interviews.skip_follow_up(interview.id, 0, person_id=sam.id + 1000)
    with pytest.raises(FollowUpNotCurrent):
        await backend.interviews.answer_follow_up(interview.id, 1, "x", 1, {}, False, clock())
    attempts = await backend.answers.interview_attempts(interview.id, sam.id)
    assert list(attempts) == [interview.question_ids[0]]


# -- interview steps: guarded by position, attempt, owner and lease ------------------------

async def test_a_step_moves_the_interview_once(backend: Any, bank: Bank):
    sam = await backend.people.for_local("sam")
    interview = await _interview(backend, sam.id, bank)
    moves = await asyncio.gather(*(backend.interviews.move(
        interview.id, expect_position=0, position=1, attempt=1, outcome=Outcome.SKIPPED)
        for _ in range(3)))
    assert sorted(moves) == [False, False, True]
    now = await backend.interviews.get(interview.id)
    assert now.position == 1 and now.outcomes[0] is Outcome.SKIPPED
    with pytest.raises(NotYours):
        await backend.interviews.move(interview.id, expect_position=1, position=1,
                                      person_id=sam.id + 1000)
    assert await backend.interviews.get(interview.id, sam.id + 1000) is None


async def test_a_new_interview_stops_the_open_one(backend: Any, bank: Bank):
    sam = await backend.people.for_local("sam")
    first = await _interview(backend, sam.id, bank)
    second, stopped = await backend.interviews.create(sam.id, "all", None,
                                                      [bank.questions[0].id], "terminal")
    assert stopped == [first.id]
    assert (await backend.interviews.get(first.id)).status is Status.STOPPED
    assert (await backend.interviews.active_for(sam.id)).id == second.id


async def test_stop_is_guarded_by_owner_and_lease(backend: Any, bank: Bank):
    sam = await backend.people.for_local("sam")
    interview = await _interview(backend, sam.id, bank, lease="w")
    with pytest.raises(NotYours):
        await backend.interviews.stop(interview.id, sam.id + 1000)
    assert await backend.interviews.stop(interview.id, sam.id, "other") is False
    assert await backend.interviews.stop(interview.id, sam.id, "w") is True
    assert await backend.interviews.stop(interview.id, sam.id, "w") is False
    assert await backend.interviews.take(interview.id, "w") is None


# -- retention: the core works out what stays, the store blanks it --------------------------

async def test_retention_blanks_old_text_and_removes_old_crisis_answers(
        backend: Any, engine: InterviewService, bank: Bank, clock: FakeClock):
    sam = await backend.people.for_local("sam")
    question = bank.questions[0]
    await engine.answer_daily(sam.id, question, question.example_answer, key="old")
    await engine.answer_daily(sam.id, bank.questions[1], "I want to end my life tonight.",
                              key="old-crisis")
    clock.advance(days=30)
    await engine.answer_daily(sam.id, bank.questions[2], bank.questions[2].example_answer,
                              key="new")
    before = clock() - timedelta(days=1)
    expired = await backend.people.expired_text(before)
    assert sorted(e.crisis for e in expired) == [False, True]
    assert await forget_old_answers(backend, before) == 2
    assert await backend.people.expired_text(before) == []
    assert await backend.people.forget_text(expired) == 0  # a second sweep, done already
    assert await forget_old_answers(backend, before) == 0
    assert await backend.answers.answer_id("old", sam.id) is not None  # the score stays
    assert await backend.answers.answer_id("new", sam.id) is not None
    shared = await backend.answers.own_answer(
        await backend.answers.answer_id("old", sam.id), sam.id)
    assert shared.feedback["tips"] == [] and shared.feedback["language"] == []
    assert shared.feedback["score"] > 0
    assert len(await backend.answers.scores_by_question(sam.id)) == 2


# -- daily posts: one per server and day, claimed then settled ------------------------------

DAILY_NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


async def test_a_claim_of_a_process_known_to_have_ended_is_taken_over_at_once(backend: Any):
    first = await backend.daily.claim(7, TODAY, "pss-01", "dead", DAILY_NOW)
    assert first.won and first.post.claimed_by == "dead"
    other = await backend.daily.claim(7, TODAY, "pss-01", "alive", DAILY_NOW,
                                      take_over="someone else")
    assert not other.won and other.post.claimed_by == "dead"
    taken = await backend.daily.claim(7, TODAY, "pss-01", "alive", DAILY_NOW,
                                      take_over="dead")
    assert taken.won and taken.retake and taken.post.id == first.post.id
    assert taken.post.claimed_by == "alive"
    again = await backend.daily.claim(7, TODAY, "pss-01", "third", DAILY_NOW,
                                      take_over="dead")  # "alive" holds it now
    assert not again.won and again.post.claimed_by == "alive"


async def test_a_dead_claim_is_taken_over_after_a_while(backend: Any):
    first = await backend.daily.claim(7, TODAY, "pss-01", "dead", DAILY_NOW)
    assert first.won and not first.retake
    alive = await backend.daily.claim(7, TODAY, "pss-01", "alive", DAILY_NOW + timedelta(minutes=1))
    assert not alive.won and alive.stale_at == DAILY_NOW + STALE_CLAIM
    later = await backend.daily.claim(7, TODAY, "pss-01", "alive", DAILY_NOW + timedelta(minutes=6))
    assert later.won and later.retake  # its message may be out: look before sending
    assert later.post.id == first.post.id
    s = DailySchedule(7, 1, "09:00", "UTC", None, None, False, False, None, DAILY_NOW)
    await backend.daily.settle(later.post.id, 1, 2, s, DAILY_NOW + timedelta(days=1))
    done = await backend.daily.claim(7, TODAY, "pss-01", "x", DAILY_NOW + timedelta(hours=5))
    assert not done.won and done.post.status == "posted"


async def test_a_failed_day_can_be_claimed_again(backend: Any):
    s = DailySchedule(7, 70, "09:00", "UTC", None, None, False, False, None, DAILY_NOW)
    await backend.daily.save_schedule(s, DAILY_NOW)
    first = await backend.daily.claim(7, TODAY, "pss-01", "a", DAILY_NOW)
    await backend.daily.give_up(first.post.id, 7, "Missing permission", claimed_by="a")
    assert (await backend.daily.schedule(7)).paused
    again = await backend.daily.claim(7, TODAY, "pss-02", "b", DAILY_NOW + timedelta(seconds=1))
    assert again.won and again.post.id == first.post.id
    assert again.post.question_id == "pss-01"  # the day keeps its question
    await backend.daily.retry_later(again.post.id, "503", 7, DAILY_NOW,
                                    DAILY_NOW + timedelta(minutes=1), claimed_by="b")
    third = await backend.daily.claim(7, TODAY, "pss-01", "c", DAILY_NOW + timedelta(seconds=2))
    assert third.won


async def test_a_late_failure_of_a_claim_taken_over_changes_nothing(backend: Any):
    """Process a's claim went stale (or a was thought to have ended) and b took the day
    over. a's late failure, before or after b posted, leaves b's day as it is: posted stays
    posted (not failed, to be posted again), and the server is not paused."""
    s = DailySchedule(7, 70, "09:00", "UTC", None, None, False, False, None, DAILY_NOW)
    await backend.daily.save_schedule(s, DAILY_NOW)
    first = await backend.daily.claim(7, TODAY, "pss-01", "a", DAILY_NOW)
    taken = await backend.daily.claim(7, TODAY, "pss-02", "b", DAILY_NOW + STALE_CLAIM)
    assert taken.won and taken.post.id == first.post.id
    retry_at = DAILY_NOW + STALE_CLAIM + timedelta(minutes=1)
    await backend.daily.retry_later(first.post.id, "503", 7, DAILY_NOW + STALE_CLAIM, retry_at,
                                    claimed_by="a")
    post = await backend.daily.post(first.post.id)
    assert (post.status, post.claimed_by) == ("claimed", "b")  # b is still at it
    assert (await backend.daily.schedule(7)).next_due_at == DAILY_NOW
    tomorrow = DAILY_NOW + timedelta(days=1)
    await backend.daily.settle(taken.post.id, 70, 99, s, tomorrow)
    await backend.daily.give_up(first.post.id, 7, "Missing permission", claimed_by="a")
    post = await backend.daily.post(first.post.id)
    assert (post.status, post.message_id) == ("posted", 99)
    saved = await backend.daily.schedule(7)
    assert (saved.paused, saved.problem, saved.next_due_at) == (False, None, tomorrow)


async def test_settling_moves_the_schedule_forward_only(backend: Any):
    s = DailySchedule(7, 70, "09:00", "UTC", None, None, False, False, "Missing permission",
                      DAILY_NOW)
    await backend.daily.save_schedule(s, DAILY_NOW)
    claim = await backend.daily.claim(7, TODAY, "pss-01", "a", DAILY_NOW)
    tomorrow = DAILY_NOW + timedelta(days=1)
    await backend.daily.settle(claim.post.id, 70, 99, s, tomorrow)
    saved = await backend.daily.schedule(7)
    assert (saved.next_due_at, saved.paused, saved.problem) == (tomorrow, False, None)
    assert (await backend.daily.post(claim.post.id)).status == "posted"
    await backend.daily.advance(s, DAILY_NOW)  # never backwards
    assert (await backend.daily.schedule(7)).next_due_at == tomorrow
    changed = DailySchedule(7, 70, "17:00", "UTC", None, None, False, False, None, DAILY_NOW)
    await backend.daily.save_schedule(changed, DAILY_NOW)  # /daily setup chose another time
    await backend.daily.advance(s, tomorrow)
    assert (await backend.daily.schedule(7)).next_due_at == DAILY_NOW


async def test_due_schedules_can_leave_out_held_guilds(backend: Any):
    for guild, due in ((1, DAILY_NOW), (2, DAILY_NOW + timedelta(hours=1)), (3, DAILY_NOW + timedelta(hours=2))):
        await backend.daily.save_schedule(
            DailySchedule(guild, 70, "09:00", "UTC", None, None, False, False, None, due), DAILY_NOW)
    assert await backend.daily.next_due_at() == DAILY_NOW
    assert await backend.daily.next_due_at(excluding={1}) == DAILY_NOW + timedelta(hours=1)
    assert await backend.daily.next_due_at(excluding={1, 2, 3}) is None
    later = DAILY_NOW + timedelta(hours=3)
    assert [s.guild_id for s in await backend.daily.due(later, excluding={2})] == [1, 3]


async def test_schedules_due_at_the_same_moment_come_in_guild_order(backend: Any):
    """Ties are not left to the backend (SQLite and PostgreSQL return them differently):
    past ``limit``, the same servers wait for the next round whichever stores them."""
    for guild in (30, 10, 20, 25, 15):
        await backend.daily.save_schedule(
            DailySchedule(guild, 70, "09:00", "UTC", None, None, False, False, None, DAILY_NOW),
            DAILY_NOW)
    assert [s.guild_id for s in await backend.daily.due(DAILY_NOW)] == [10, 15, 20, 25, 30]
    assert [s.guild_id for s in await backend.daily.due(DAILY_NOW, limit=2)] == [10, 15]


def _guild_on(shard: int, count: int, n: int = 0) -> int:
    """A snowflake, as real as Discord's, of a server on ``shard`` of ``count``."""
    return (((310_000_000_000 // count + n) * count + shard) << 22) | 0x3FFFFF


async def test_due_schedules_can_be_only_those_of_some_shards(backend: Any):
    biggest = 2**63 - 1  # the largest snowflake there can be: a signed 64-bit integer
    guilds = [_guild_on(0, 3), _guild_on(1, 3), _guild_on(2, 3), _guild_on(0, 3, 1), biggest]
    assert [shard_of(g, 3) for g in guilds] == [0, 1, 2, 0, 1]
    for i, guild in enumerate(guilds):
        await backend.daily.save_schedule(DailySchedule(
            guild, 70, "09:00", "UTC", None, None, False, False, None,
            DAILY_NOW + timedelta(minutes=i)), DAILY_NOW)
    later = DAILY_NOW + timedelta(hours=1)

    async def due(*ids: int, excluding: set[int] | None = None) -> list[int]:
        shards = ShardSet(3, frozenset(ids))
        return [s.guild_id for s in await backend.daily.due(later, excluding=excluding or (),
                                                           shards=shards)]

    assert await due(0) == [guilds[0], guilds[3]]
    assert await due(1) == [guilds[1], biggest]
    assert await due(0, 2) == [guilds[0], guilds[2], guilds[3]]
    assert await due(0, 1, 2) == guilds
    assert await due(1, excluding={guilds[1]}) == [biggest]
    assert [s.guild_id for s in await backend.daily.due(later)] == guilds  # no shards: all
    one = ShardSet(3, frozenset({1}))
    assert await backend.daily.next_due_at(shards=one) == DAILY_NOW + timedelta(minutes=1)
    assert await backend.daily.next_due_at(excluding={guilds[1]}, shards=one
                                           ) == DAILY_NOW + timedelta(minutes=4)
    assert await backend.daily.next_due_at(excluding={guilds[1], biggest}, shards=one) is None
    assert await backend.daily.next_due_at(shards=ShardSet(3, frozenset({2}))
                                           ) == DAILY_NOW + timedelta(minutes=2)
    assert await backend.daily.next_due_at() == DAILY_NOW


async def test_schedules_round_trip_and_due(backend: Any):
    s = DailySchedule(7, 70, "09:00", "UTC", None, None, False, False, None, DAILY_NOW)
    await backend.daily.save_schedule(s, DAILY_NOW)
    assert await backend.daily.schedule(7) == s
    assert [d.guild_id for d in await backend.daily.due(DAILY_NOW)] == [7]
    assert await backend.daily.due(DAILY_NOW - timedelta(seconds=1)) == []
    await backend.daily.set_paused(7, True, "Missing permission")
    assert await backend.daily.due(DAILY_NOW) == []
    assert (await backend.daily.schedule(7)).problem == "Missing permission"


# -- the engine over each backend ------------------------------------------------------------

async def test_a_whole_interview_through_the_engine(backend: Any, engine: InterviewService,
                                                    bank: Bank):
    sam = await backend.people.for_local("sam")
    interview = (await engine.start(sam.id, count=2)).interview
    first = engine.question(interview)
    result = await engine.answer(interview.id, 0, 1, first.example_answer, person_id=sam.id)
    assert result.streak == 1 and not result.duplicate
    again = await engine.answer(interview.id, 0, 1, first.example_answer, person_id=sam.id)
    assert again.duplicate and again.feedback.score == result.feedback.score
    with pytest.raises(NotYourInterview):
        await engine.answer(interview.id, 0, 1, "mine", person_id=sam.id + 1000)
    interview = await engine.skip(interview.id, 0, person_id=sam.id)
    interview = await engine.skip(interview.id, 1, person_id=sam.id)
    assert interview.status is Status.FINISHED
    summary = await engine.summary(interview.id, person_id=sam.id)
    assert summary.results[0].score == result.feedback.score and summary.results[1].score is None


async def test_answers_of_one_person_at_once_all_count(backend: Any, engine: InterviewService,
                                                      bank: Bank, clock: FakeClock):
    sam = await backend.people.for_local("sam")
    questions = bank.questions[:4]
    results = await asyncio.gather(*(
        engine.answer_daily(sam.id, q, q.example_answer, key=f"d{i}")
        for i, q in enumerate(questions)))
    assert [r.duplicate for r in results] == [False] * 4
    day = clock().date()
    assert (await backend.answers.practice_days(sam.id, day - timedelta(days=1))) == {
        day: (4, False)}
    assert len(await backend.answers.cards(sam.id)) == 4
    assert (await backend.answers.streak(sam.id)).current == 1

