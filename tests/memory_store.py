"""An in-memory store for the core's ports (bot/core/ports.py): the interview engine's tests
run on it, and tests/test_store_contract.py holds it to the same cases as the SQLite store.

It lives in tests/, not bot/: it is a test double, never a way to run PeerPrep (it keeps
nothing), and the contract tests are what keep it honest. Each method makes its checks and
its changes without awaiting in between, so on one event loop each is atomic, as a
transaction is; between ``answers.context`` and ``answers.record`` other coroutines may run,
as they may against a real database.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.clock import utcnow
from bot.core.records import (
    STALE_CLAIM,
    AnswerContext,
    AnswerNotCurrent,
    AnswerRecord,
    AskedFollowUp,
    CardInfo,
    Claim,
    ConcurrentChange,
    DailyPost,
    DailySchedule,
    ExpiredText,
    FollowUpNotCurrent,
    FollowUpStatus,
    Interview,
    InterviewGone,
    InterviewTakenOver,
    NotYours,
    Outcome,
    OwnAnswer,
    Person,
    ShardSet,
    Status,
    StoredAnswer,
    StoredFollowUp,
    StreakState,
)


def _periods(day: date) -> tuple[str, str, str]:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", f"{day.year:04d}-{day.month:02d}", "all"


@dataclass
class _Answer:
    id: int
    person_id: int
    interview_id: int | None
    daily_post_id: int | None
    question_id: str
    key: str
    text: str | None
    score: int
    feedback: dict[str, Any]
    crisis: bool
    answered_at: datetime
    local_day: date


@dataclass
class _FollowUp:
    question_id: str
    key_point: str
    prompt: str
    status: FollowUpStatus = FollowUpStatus.ASKED
    score: int | None = None
    text: str | None = None
    feedback: dict[str, Any] | None = None
    crisis: bool = False
    answered_at: datetime | None = None


@dataclass
class _Card:
    card: str
    due_at: datetime
    last_score: int
    reviews: int = 1


@dataclass
class MemoryData:
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    people: dict[int, Person] = field(default_factory=dict)
    guild_zones: dict[int, str | None] = field(default_factory=dict)
    interviews: dict[int, Interview] = field(default_factory=dict)
    follow_ups: dict[tuple[int, int], _FollowUp] = field(default_factory=dict)
    answers: list[_Answer] = field(default_factory=list)
    cards: dict[tuple[int, str], _Card] = field(default_factory=dict)
    days: dict[tuple[int, date], list[Any]] = field(default_factory=dict)  # [n, sum, frozen]
    totals: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # [n, sum]
    streaks: dict[int, StreakState] = field(default_factory=dict)
    daily_posts: dict[int, int] = field(default_factory=dict)  # post id -> guild id

    def interview(self, interview_id: int) -> Interview | None:
        found = self.interviews.get(interview_id)
        if found is None:
            return None
        asked = self.follow_ups.get((interview_id, found.position))
        return replace(found, follow_up=None if asked is None else AskedFollowUp(
            asked.question_id, asked.key_point, asked.prompt, asked.status, asked.score))

    def check_owner(self, interview_id: int, person_id: int | None) -> None:
        if person_id is None:
            return
        found = self.interviews.get(interview_id)
        if found is None or found.person_id != person_id:
            raise NotYours(interview_id)


class MemoryPeople:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, person_id: int) -> Person | None:
        return self.data.people.get(person_id)

    async def for_local(self, name: str) -> Person:
        for person in self.data.people.values():
            if person.local_name == name:
                return person
        person = Person(next(self.data.ids), None, name, None, False)
        self.data.people[person.id] = person
        return person

    async def for_discord(self, user_id: int) -> Person:
        for person in self.data.people.values():
            if person.discord_user_id == user_id:
                return person
        person = Person(next(self.data.ids), user_id, None, None, False)
        self.data.people[person.id] = person
        return person

    async def expired_text(self, before: datetime, limit: int = 500) -> list[ExpiredText]:
        answers = [ExpiredText("answer", (a.id,), dict(a.feedback), a.crisis)
                   for a in self.data.answers if a.text is not None and a.answered_at < before]
        follow_ups = [ExpiredText("follow_up", key, dict(f.feedback or {}) or None)
                      for key, f in self.data.follow_ups.items()
                      if f.text is not None and f.answered_at is not None
                      and f.answered_at < before]
        return answers[:limit] + follow_ups[:limit]

    async def forget_text(self, forgotten: Sequence[ExpiredText]) -> int:
        done = 0
        for expired in forgotten:
            if expired.kind == "follow_up":
                asked = self.data.follow_ups.get((expired.key[0], expired.key[1]))
                if asked is not None and asked.text is not None:
                    asked.text, asked.crisis, asked.feedback = None, False, expired.feedback
                    done += 1
                continue
            for answer in list(self.data.answers):
                if answer.id != expired.key[0] or answer.text is None:
                    continue
                if expired.crisis and answer.crisis:
                    self.data.answers.remove(answer)
                else:
                    answer.text, answer.crisis = None, False
                    answer.feedback = expired.feedback or {}
                done += 1
        return done

    async def set_timezone(self, person_id: int, timezone: str | None) -> None:
        if person_id in self.data.people:
            self.data.people[person_id] = replace(self.data.people[person_id],
                                                  timezone=timezone)


class MemoryGuilds:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def timezone(self, guild_id: int) -> str | None:
        return self.data.guild_zones.get(guild_id)

    async def update(self, guild_id: int, **values: Any) -> None:
        if "timezone" in values:
            self.data.guild_zones[guild_id] = values["timezone"]


class MemoryInterviews:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def create(
        self, person_id: int, bank: str, topic: str | None, question_ids: Sequence[str],
        place: str, guild_id: int | None = None, channel_id: int | None = None,
        follow_ups: bool = True, lease: str | None = None,
    ) -> tuple[Interview, list[int]]:
        now = utcnow()
        stopped = [i.id for i in self.data.interviews.values()
                   if i.person_id == person_id and i.is_active]
        for interview_id in stopped:
            self.data.interviews[interview_id] = replace(
                self.data.interviews[interview_id], status=Status.STOPPED, updated_at=now)
        interview = Interview(
            id=next(self.data.ids), person_id=person_id, bank=bank, topic=topic,
            status=Status.ACTIVE, position=0, attempt=1, place=place, guild_id=guild_id,
            channel_id=channel_id, question_ids=tuple(question_ids),
            outcomes=tuple(Outcome.PENDING for _ in question_ids), started_at=now,
            updated_at=now, follow_ups=follow_ups, lease=lease,
            lease_at=now if lease is not None else None)
        self.data.interviews[interview.id] = interview
        return interview, stopped

    async def get(self, interview_id: int, person_id: int | None = None) -> Interview | None:
        found = self.data.interview(interview_id)
        if found is None or (person_id is not None and found.person_id != person_id):
            return None
        return found

    async def active_for(self, person_id: int) -> Interview | None:
        active = [i for i in self.data.interviews.values()
                  if i.person_id == person_id and i.is_active]
        if not active:
            return None
        return self.data.interview(max(active, key=lambda i: (i.updated_at, i.id)).id)

    async def move(
        self, interview_id: int, *, expect_position: int, expect_attempt: int | None = None,
        position: int | None = None, attempt: int | None = None,
        outcome: Outcome | None = None, status: Status | None = None,
        person_id: int | None = None, lease: str | None = None,
    ) -> bool:
        found = self.data.interviews.get(interview_id)
        if (found is None or not found.is_active or found.position != expect_position
                or (expect_attempt is not None and found.attempt != expect_attempt)
                or (person_id is not None and found.person_id != person_id)
                or (lease is not None and found.lease != lease)):
            self.data.check_owner(interview_id, person_id)
            return False
        now = utcnow()
        outcomes = list(found.outcomes)
        if outcome is not None:
            outcomes[expect_position] = outcome
        self.data.interviews[interview_id] = replace(
            found, position=found.position if position is None else position,
            attempt=found.attempt if attempt is None else attempt,
            status=found.status if status is None else status, updated_at=now,
            lease_at=now if found.lease is not None else found.lease_at,
            outcomes=tuple(outcomes))
        self._skip(interview_id, expect_position)
        return True

    def _skip(self, interview_id: int, position: int) -> bool:
        asked = self.data.follow_ups.get((interview_id, position))
        if asked is None or asked.status is not FollowUpStatus.ASKED:
            return False
        asked.status = FollowUpStatus.SKIPPED
        return True

    async def stop(self, interview_id: int, person_id: int | None = None,
                   lease: str | None = None) -> bool:
        found = self.data.interviews.get(interview_id)
        if (found is None or not found.is_active
                or (person_id is not None and found.person_id != person_id)
                or (lease is not None and found.lease != lease)):
            self.data.check_owner(interview_id, person_id)
            return False
        self.data.interviews[interview_id] = replace(found, status=Status.STOPPED,
                                                     updated_at=utcnow())
        for (which, position) in list(self.data.follow_ups):
            if which == interview_id:
                self._skip(interview_id, position)
        return True

    async def take(self, interview_id: int, lease: str) -> Interview | None:
        found = self.data.interviews.get(interview_id)
        if found is None or not found.is_active:
            return None
        self.data.interviews[interview_id] = replace(found, lease=lease, lease_at=utcnow())
        return self.data.interview(interview_id)

    async def release(self, interview_id: int, lease: str) -> bool:
        found = self.data.interviews.get(interview_id)
        if found is None or found.lease != lease:
            return False
        self.data.interviews[interview_id] = replace(found, lease=None)
        return True

    async def skip_follow_up(self, interview_id: int, position: int,
                             person_id: int | None = None, lease: str | None = None) -> bool:
        self.data.check_owner(interview_id, person_id)
        interview = self.data.interviews.get(interview_id)
        if (lease is not None and interview is not None and interview.is_active
                and interview.lease != lease):
            raise InterviewTakenOver(interview_id)
        return self._skip(interview_id, position)

    async def answer_follow_up(self, interview_id: int, position: int, text: str,
                               score: int | None,
                               feedback: dict[str, Any], crisis: bool, answered_at: datetime,
                               person_id: int | None = None, lease: str | None = None
                               ) -> tuple[StoredFollowUp, bool]:
        self.data.check_owner(interview_id, person_id)
        asked = self.data.follow_ups.get((interview_id, position))
        interview = self.data.interviews.get(interview_id)
        held = lease is None or (interview is not None and interview.lease == lease)
        stored = (asked is not None and asked.status is FollowUpStatus.ASKED
                  and interview is not None and interview.is_active
                  and interview.position == position and held)
        if not stored and lease is not None:
            if interview is not None and interview.is_active and interview.lease != lease:
                raise InterviewTakenOver(interview_id)
            if asked is not None and asked.text is not None and asked.text != text:
                raise FollowUpNotCurrent
        if stored and asked is not None and interview is not None:
            asked.status, asked.text, asked.score = FollowUpStatus.ANSWERED, text, score
            asked.feedback, asked.crisis, asked.answered_at = feedback, crisis, answered_at
            self.data.interviews[interview_id] = replace(interview, updated_at=answered_at)
        found = (await self.follow_ups(interview_id, person_id)).get(position)
        if found is None or found.asked.status is not FollowUpStatus.ANSWERED:
            raise FollowUpNotCurrent
        return found, not stored

    async def follow_ups(self, interview_id: int, person_id: int | None = None
                         ) -> dict[int, StoredFollowUp]:
        if await self.get(interview_id, person_id) is None:
            return {}
        return {position: StoredFollowUp(
            position, AskedFollowUp(f.question_id, f.key_point, f.prompt, f.status, f.score),
            f.feedback) for (which, position), f in self.data.follow_ups.items()
            if which == interview_id}


class MemoryAnswers:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    def _context(self, person_id: int, guild_id: int | None, question_id: str
                 ) -> AnswerContext:
        person = self.data.people.get(person_id)
        card = self.data.cards.get((person_id, question_id))
        return AnswerContext(
            person_id, guild_id, person.timezone if person else None,
            self.data.guild_zones.get(guild_id) if guild_id is not None else None,
            card.card if card else None, self.data.streaks.get(person_id, StreakState()))

    async def context(self, question_id: str, *, person_id: int | None = None,
                      guild_id: int | None = None, interview_id: int | None = None
                      ) -> AnswerContext:
        if interview_id is not None:
            found = self.data.interviews.get(interview_id)
            if found is None:
                raise InterviewGone(interview_id)
            person_id, guild_id = found.person_id, found.guild_id
        if person_id is None:
            raise ValueError("an answer's context needs a person or an interview")
        return self._context(person_id, guild_id, question_id)

    async def record(self, record: AnswerRecord) -> StoredAnswer:
        await asyncio.sleep(0)  # a real write waits for the writer: others may run first
        new, data = record, self.data
        person_id, guild_id = new.expected.person_id, new.expected.guild_id
        if new.interview_id is not None:
            found = data.interviews.get(new.interview_id)
            if found is None:
                raise InterviewGone(new.interview_id)
            if new.actor_id is not None and found.person_id != new.actor_id:
                raise NotYours(new.interview_id)
            person_id, guild_id = found.person_id, found.guild_id
            if new.lease is not None and found.lease != new.lease:
                raise InterviewTakenOver(new.interview_id)
            position = new.position if new.position is not None else -1
            current = (found.is_active and found.position == new.position
                       and found.attempt == new.attempt
                       and 0 <= position < found.total
                       and found.question_ids[position] == new.question_id)
            if not current:
                stored = self._stored(new, person_id, guild_id)
                if stored is None:
                    raise AnswerNotCurrent
                return stored
        elif (new.daily_post_id is not None and new.actor_id is not None
              and data.daily_posts.get(new.daily_post_id) != guild_id):
            raise NotYours(new.daily_post_id)
        stored = self._stored(new, person_id, guild_id)
        if stored is not None:
            return stored
        if self._context(person_id, guild_id, new.question_id) != replace(
                new.expected, person_id=person_id, guild_id=guild_id):
            raise ConcurrentChange
        answer = _Answer(len(data.answers) + 1, person_id, new.interview_id,
                         new.daily_post_id, new.question_id, new.submission_key, new.text,
                         new.score, new.feedback, new.crisis, new.answered_at, new.local_day)
        data.answers.append(answer)
        if not new.crisis:
            if new.card is not None:
                old = data.cards.get((person_id, new.question_id))
                data.cards[(person_id, new.question_id)] = _Card(
                    new.card.card, new.card.due_at, new.score, old.reviews + 1 if old else 1)
            day = data.days.setdefault((person_id, new.local_day), [0, 0, False])
            day[0], day[1], day[2] = day[0] + 1, day[1] + new.score, False
            for period in _periods(new.local_day):
                total = data.totals.setdefault((person_id, period), [0, 0])
                total[0], total[1] = total[0] + 1, total[1] + new.score
        data.streaks[person_id] = new.streak.state
        if new.streak.frozen_day is not None:
            data.days.setdefault((person_id, new.streak.frozen_day), [0, 0, True])
        interview = None
        if new.interview_id is not None and new.position is not None:
            found = data.interviews[new.interview_id]
            outcomes = list(found.outcomes)
            outcomes[new.position] = Outcome.ANSWERED
            data.interviews[new.interview_id] = replace(
                found, outcomes=tuple(outcomes), updated_at=new.answered_at,
                lease_at=new.answered_at if found.lease is not None else found.lease_at)
            key = (new.interview_id, new.position)
            if new.follow_up is not None and found.follow_ups and key not in data.follow_ups:
                data.follow_ups[key] = _FollowUp(new.question_id, *new.follow_up)
            interview = data.interview(new.interview_id)
        return StoredAnswer(answer.id, new.question_id, new.score, new.feedback,
                            duplicate=False, person_id=person_id, guild_id=guild_id,
                            interview=interview)

    def _stored(self, new: AnswerRecord, person_id: int, guild_id: int | None
                ) -> StoredAnswer | None:
        for answer in self.data.answers:
            if answer.key == new.submission_key:
                if new.lease is not None and answer.text != new.text:
                    raise AnswerNotCurrent
                interview = (self.data.interview(new.interview_id)
                             if new.interview_id is not None else None)
                return StoredAnswer(answer.id, answer.question_id, answer.score,
                                    answer.feedback, duplicate=True, person_id=person_id,
                                    guild_id=guild_id, interview=interview)
        return None

    async def streak(self, person_id: int) -> StreakState:
        return self.data.streaks.get(person_id, StreakState())

    async def cards(self, person_id: int) -> dict[str, CardInfo]:
        return {question: CardInfo(question, card.due_at, card.last_score)
                for (who, question), card in self.data.cards.items() if who == person_id}

    async def answer_id(self, submission_key: str, person_id: int) -> int | None:
        for answer in self.data.answers:
            if (answer.key == submission_key and answer.person_id == person_id
                    and not answer.crisis):
                return answer.id
        return None

    async def own_answer(self, answer_id: int, person_id: int) -> OwnAnswer:
        for answer in self.data.answers:
            if answer.id == answer_id and answer.person_id == person_id:
                interview = (self.data.interview(answer.interview_id)
                             if answer.interview_id is not None else None)
                return OwnAnswer(answer.id, answer.question_id, answer.feedback, interview)
        raise NotYours(answer_id)

    async def interview_attempts(self, interview_id: int, person_id: int | None = None
                                 ) -> dict[str, list[dict[str, Any]]]:
        found = self.data.interviews.get(interview_id)
        if found is None or (person_id is not None and found.person_id != person_id):
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for answer in self.data.answers:
            if answer.interview_id == interview_id:
                out.setdefault(answer.question_id, []).append(answer.feedback)
        return out

    async def practice_days(self, person_id: int, since: date
                            ) -> dict[date, tuple[int, bool]]:
        return {day: (n, bool(frozen)) for (who, day), (n, _, frozen) in self.data.days.items()
                if who == person_id and day >= since}

    async def scores_by_question(self, person_id: int) -> list[tuple[str, int, int]]:
        out: dict[str, list[int]] = {}
        for answer in self.data.answers:
            if answer.person_id == person_id and not answer.crisis:
                entry = out.setdefault(answer.question_id, [0, 0])
                entry[0], entry[1] = entry[0] + 1, entry[1] + answer.score
        return [(question, n, total) for question, (n, total) in out.items()]


class MemoryDaily:
    """Daily schedules and posts: one post row per server and day, claimed, then settled."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data
        self.schedules: dict[int, DailySchedule] = {}
        self.posts: dict[int, DailyPost] = {}

    async def save_schedule(self, s: DailySchedule, now: datetime) -> None:
        self.schedules[s.guild_id] = s

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        return self.schedules.get(guild_id)

    async def due(self, now: datetime, limit: int = 500, excluding: Collection[int] = (),
                  shards: ShardSet | None = None) -> list[DailySchedule]:
        due = [s for s in self.schedules.values()
               if not s.paused and s.next_due_at <= now and s.guild_id not in excluding
               and (shards is None or shards.owns(s.guild_id))]
        return sorted(due, key=lambda s: (s.next_due_at, s.guild_id))[:limit]

    async def next_due_at(self, excluding: Collection[int] = (),
                          shards: ShardSet | None = None) -> datetime | None:
        times = [s.next_due_at for s in self.schedules.values()
                 if not s.paused and s.guild_id not in excluding
                 and (shards is None or shards.owns(s.guild_id))]
        return min(times, default=None)

    async def set_paused(self, guild_id: int, paused: bool, problem: str | None,
                         next_due_at: datetime | None = None) -> None:
        if guild_id in self.schedules:
            s = self.schedules[guild_id]
            self.schedules[guild_id] = replace(s, paused=paused, problem=problem,
                                               next_due_at=next_due_at or s.next_due_at)

    def _on(self, guild_id: int, post_date: date) -> DailyPost | None:
        return next((p for p in self.posts.values()
                     if p.guild_id == guild_id and p.post_date == post_date), None)

    async def claim(self, guild_id: int, post_date: date, question_id: str, claimed_by: str,
                    now: datetime, take_over: str | None = None) -> Claim:
        post = self._on(guild_id, post_date)
        if post is None:
            post = DailyPost(next(self.data.ids), guild_id, post_date, question_id, "claimed",
                             None, None, None, now, claimed_by)
            self.posts[post.id] = post
            self.data.daily_posts[post.id] = guild_id
            return Claim(post, True, False)
        if post.status == "failed" or (post.status == "claimed" and (
                post.claimed_at <= now - STALE_CLAIM
                or (take_over is not None and post.claimed_by == take_over))):
            post = replace(post, status="claimed", claimed_at=now, claimed_by=claimed_by)
            self.posts[post.id] = post
            return Claim(post, True, True)
        return Claim(post, False, False)

    def _move_on(self, schedule: DailySchedule, next_due_at: datetime) -> None:
        now = self.schedules.get(schedule.guild_id)
        if (now is not None and now.next_due_at < next_due_at
                and (now.local_time, now.timezone) == (schedule.local_time, schedule.timezone)):
            self.schedules[schedule.guild_id] = replace(now, next_due_at=next_due_at)

    async def settle(self, post_id: int, channel_id: int, message_id: int,
                     schedule: DailySchedule, next_due_at: datetime) -> None:
        self.posts[post_id] = replace(self.posts[post_id], status="posted",
                                      channel_id=channel_id, message_id=message_id, error=None)
        self._move_on(schedule, next_due_at)
        now = self.schedules.get(schedule.guild_id)
        if now is not None and now.problem is not None:
            self.schedules[schedule.guild_id] = replace(now, paused=False, problem=None)

    async def advance(self, schedule: DailySchedule, next_due_at: datetime) -> None:
        self._move_on(schedule, next_due_at)

    def _fail(self, post_id: int, error: str, claimed_by: str) -> bool:
        post = self.posts[post_id]
        if post.status != "claimed" or post.claimed_by != claimed_by:
            return False
        self.posts[post_id] = replace(post, status="failed", error=error[:500])
        return True

    async def give_up(self, post_id: int, guild_id: int, problem: str, *,
                      claimed_by: str) -> None:
        if self._fail(post_id, problem, claimed_by) and guild_id in self.schedules:
            self.schedules[guild_id] = replace(self.schedules[guild_id], paused=True,
                                               problem=problem)

    async def retry_later(self, post_id: int, error: str, guild_id: int, now: datetime,
                          retry_at: datetime, *, claimed_by: str) -> None:
        if not self._fail(post_id, error, claimed_by):
            return
        s = self.schedules.get(guild_id)
        if s is not None and s.next_due_at <= now:
            self.schedules[guild_id] = replace(s, next_due_at=retry_at)

    async def post_on(self, guild_id: int, post_date: date) -> DailyPost | None:
        return self._on(guild_id, post_date)

    async def post(self, post_id: int) -> DailyPost | None:
        return self.posts.get(post_id)

    async def used_questions(self, guild_id: int) -> Counter[str]:
        return Counter(p.question_id for p in self.posts.values()
                       if p.guild_id == guild_id and p.status != "failed")


class MemoryStore:
    """The core's ports over plain dicts (see the module's docstring)."""

    def __init__(self) -> None:
        self.data = MemoryData()
        self.people = MemoryPeople(self.data)
        self.guilds = MemoryGuilds(self.data)
        self.interviews = MemoryInterviews(self.data)
        self.answers = MemoryAnswers(self.data)
        self.daily = MemoryDaily(self.data)
