"""The interview engine: start, answer, retry, skip, next, end, resume. Front ends call this.

No Discord and no SQL here: the engine combines the bank, the coaching, the question choice
and the streak rules, and asks the store to remember the result.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import timezones
from bot.bank import BANKS, TOPICS, Bank, FollowUp, Question
from bot.clock import Clock, utcnow
from bot.coaching import Feedback, give_feedback
from bot.core.ports import EngineStore
from bot.core.records import (
    AnswerContext,
    AnswerNotCurrent,
    AnswerRecord,
    ConcurrentChange,
    FollowUpNotCurrent,
    InterviewGone,
    InterviewTakenOver,
    NotYours,
    OwnAnswer,
    ReviewCard,
    StorageBusy,
)
from bot.interview import follow_ups, review
from bot.interview.choice import choose_questions
from bot.interview.model import (
    AnswerResult,
    FollowUpAnswer,
    Interview,
    Outcome,
    Status,
    Summary,
)
from bot.interview.place import Place
from bot.interview.summary import summarise
from bot.people import People
from bot.streaks import current_streak, local_day, record_day
from bot.text import readable

MAX_ANSWER_CHARS = 4000  # Discord's longest text input, and the limit everywhere else too
MAX_QUESTIONS = 20
# How many times an answer is computed again when what it was computed from changed before it
# was written (another answer of the same person at the same moment): each try reads afresh.
MAX_WRITE_TRIES = 5


class InterviewError(Exception):
    """Something the trainee asked for can't be done; the message says why, kindly."""


class StaleAction(InterviewError):
    """The interview had already moved on: a second click, or a button from an older message."""

    def __init__(self) -> None:
        super().__init__("That was already done: the interview has moved on. "
                         "/interview resume shows where you are.")


class NotYourInterview(InterviewError):
    """The interview or answer named is not the acting person's (a forged or foreign id)."""

    def __init__(self) -> None:
        super().__init__("That isn't one of your interviews, so nothing was shown or saved. "
                         "/interview start begins your own.")


class TakenOver(InterviewError):
    """The interview was taken over in another window: this window's step or answer was not
    done (an answer is not saved, so the front end can keep it)."""

    def __init__(self) -> None:
        super().__init__("This interview was taken over in another window, so that was not "
                         "done here.")


class AnswerMovedOn(InterviewError):
    """The answer was written for a question or attempt the interview has moved past: it
    was not saved (the front end can keep it)."""


@dataclass(frozen=True, slots=True)
class Started:
    interview: Interview
    stopped: list[int]  # interviews that were still open and were stopped to start this one


class InterviewService:
    def __init__(self, store: EngineStore, bank: Bank, *, default_timezone: str = "UTC",
                 clock: Clock = utcnow, rng: random.Random | None = None,
                 follow_ups: bool = True) -> None:
        """``follow_ups``: the deployment's setting (FOLLOW_UPS); off, no interview asks any."""
        self.store = store
        self.follow_ups = follow_ups
        self.bank = bank
        self.default_timezone = default_timezone
        self.clock = clock
        self.rng = rng or random.Random()
        self.people = People(store)  # who is acting: for the front ends

    # -- starting -------------------------------------------------------------------------

    async def start(
        self, person_id: int, *, bank: str = "all", topic: str | None = None, count: int = 5,
        place: str = Place.TERMINAL, guild_id: int | None = None, channel_id: int | None = None,
        follow_ups: bool = True, lease: str | None = None,
    ) -> Started:
        """``follow_ups``: the trainee's choice for this interview (the setting can still
        turn them off for every interview)."""
        if bank != "all" and bank not in BANKS:
            raise InterviewError(f"There is no bank {bank[:40]!r}: choose all, "
                                 f"{', '.join(BANKS)}.")
        if topic is not None and topic not in TOPICS:
            raise InterviewError(f"There is no topic {topic[:40]!r}. Topics: "
                                 f"{', '.join(TOPICS)}.")
        if not 1 <= count <= MAX_QUESTIONS:
            raise InterviewError(f"Choose between 1 and {MAX_QUESTIONS} questions.")
        candidates = [q.id for q in self.bank.select(bank, topic)]
        if not candidates:
            raise InterviewError("No questions match that bank and topic; try bank 'all'.")
        cards = await self.store.answers.cards(person_id)
        chosen = choose_questions(candidates, cards, self.clock(), count, self.rng)
        interview, stopped = await self.store.interviews.create(
            person_id, bank, topic, chosen, place, guild_id, channel_id,
            follow_ups=follow_ups and self.follow_ups, lease=lease,
        )
        return Started(interview, stopped)

    async def get(self, interview_id: int, person_id: int | None = None) -> Interview | None:
        """The interview; with ``person_id`` (the person acting), None unless it is theirs."""
        return await self.store.interviews.get(interview_id, person_id)

    async def current_answer_id(self, interview: Interview) -> int | None:
        """The stored answer to the question ``interview`` stands at (its current attempt),
        for Share; None when there is none, or it was a crisis answer (never shared)."""
        return await self.store.answers.answer_id(
            f"interview:{interview.id}:{interview.position}:{interview.attempt}",
            interview.person_id)

    async def own_answer(self, answer_id: int, person_id: int) -> OwnAnswer:
        """One of ``person_id``'s answers (its guidance, never its text), for them to share."""
        try:
            return await self.store.answers.own_answer(answer_id, person_id)
        except NotYours:
            raise NotYourInterview from None

    async def relocate(self, interview_id: int, place: str, channel_id: int | None
                       ) -> Interview | None:
        """Run an active interview somewhere else (its first question could not be shown
        where it was meant to be); None if it is no longer active."""
        return await self.store.interviews.relocate(interview_id, place, channel_id)

    async def recent(self, person_id: int, limit: int = 10
                     ) -> list[tuple[Interview, int | None]]:
        """The person's recent interviews, newest first, each with its average score."""
        return await self.store.interviews.recent(person_id, limit=limit)

    async def active(self, person_id: int) -> Interview | None:
        return await self.store.interviews.active_for(person_id)

    async def take(self, interview_id: int, lease: str) -> Interview | None:
        """Hold the interview in the window ``lease`` names (taking it from any other: that
        one's next answer or step is refused with ``TakenOver``). None if it has ended."""
        return await self.store.interviews.take(interview_id, lease)

    async def release(self, interview_id: int, lease: str) -> None:
        await self.store.interviews.release(interview_id, lease)

    def question(self, interview: Interview) -> Question | None:
        qid = interview.current_question_id
        return self.bank.get(qid) if qid else None

    # -- answering ------------------------------------------------------------------------

    async def answer(self, interview_id: int, position: int, attempt: int, text: str,
                     question_id: str | None = None, *, person_id: int | None = None,
                     lease: str | None = None) -> AnswerResult:
        """Coach and store an answer to the question at ``position`` (attempt ``attempt``).

        ``question_id`` is the question the trainee was shown (an answer form carries it): with
        it, the answer is coached at once and checked against the interview only in the
        transaction that stores it. Without it, the interview is read first to find it.

        Idempotent: the same (interview, position, attempt) again returns the stored guidance
        with ``duplicate=True`` and stores nothing more. Raises ``EmptyAnswer`` for no words.
        ``person_id`` is the person acting (every front end where ids come back from a client
        passes it): an interview that is not theirs raises ``NotYourInterview``, checked in the
        transaction that would store the answer, before any stored guidance is read back.
        With a ``lease`` (the terminal window it was written in), the answer is stored only
        while that window holds the interview (``TakenOver`` otherwise, checked where it is
        stored).
        """
        text = readable(text)  # lone surrogates can't be stored: U+FFFD instead
        if question_id is None:
            interview = await self._require(interview_id, person_id)
            if position >= interview.total:
                raise InterviewError("That question is not part of this interview.")
            question_id = interview.question_ids[position]
        question = self.bank.get(question_id)
        if question is None:
            raise InterviewError("That question is no longer in the bank; press Skip.")
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        feedback, before = await self._coach_while_reading(question, text,
                                                           interview_id=interview_id)
        # Asked only if the interview asks follow-ups and none was asked at this question yet
        # (checked where the answer is stored).
        asked = follow_ups.choose(question, feedback) if self.follow_ups else None
        try:
            return await self._record(
                None, None, interview_id, position, question,
                f"interview:{interview_id}:{position}:{attempt}", text, feedback, truncated,
                attempt=attempt, actor_id=person_id, follow_up=asked, lease=lease,
                before=before)
        except NotYours:
            raise NotYourInterview from None
        except InterviewTakenOver:
            raise TakenOver from None
        except AnswerNotCurrent:
            # A stale button or form: only an answer already stored would have been returned.
            raise AnswerMovedOn("This interview has moved on, so that answer was not saved. "
                                "/interview resume shows where you are.") from None
        except InterviewGone:
            raise InterviewError("That interview no longer exists.") from None

    async def answer_daily(self, person_id: int, question: Question, text: str, key: str, *,
                           daily_post_id: int | None = None, guild_id: int | None = None
                           ) -> AnswerResult:
        """An answer outside an interview (the daily question): same coaching and streak.

        With a ``daily_post_id``, ``guild_id`` is the server the answer was given in: a post of
        another server stores nothing (checked in the transaction that stores the answer)."""
        text = readable(text)  # lone surrogates can't be stored: U+FFFD instead
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        feedback, before = await self._coach_while_reading(question, text, person_id=person_id,
                                                           guild_id=guild_id)
        try:
            return await self._record(person_id, guild_id, None, None, question, key, text,
                                      feedback, truncated, daily_post_id=daily_post_id,
                                      actor_id=person_id, before=before)
        except NotYours:
            raise InterviewError("That daily question was posted in another server, so your "
                                 "answer was not saved. Answer it where it was posted.") from None

    async def _record(self, person_id: int | None, guild_id: int | None,
                      interview_id: int | None, position: int | None, question: Question,
                      key: str, text: str, feedback: Feedback, truncated: bool,
                      daily_post_id: int | None = None, attempt: int | None = None,
                      actor_id: int | None = None, follow_up: FollowUp | None = None,
                      lease: str | None = None,
                      before: Awaitable[AnswerContext] | None = None) -> AnswerResult:
        now = self.clock()
        for _ in range(MAX_WRITE_TRIES):
            # Read what the answer's updates depend on (the first time, ``before``: read while
            # it was coached), compute them here, and hand the store one record to write; it
            # refuses it (ConcurrentChange) if that changed meanwhile.
            context = await (before or self.store.answers.context(
                question.id, person_id=person_id, guild_id=guild_id, interview_id=interview_id))
            before = None
            record = self._answer_record(
                context, question.id, key, text, feedback, now, interview_id=interview_id,
                position=position, attempt=attempt, daily_post_id=daily_post_id,
                actor_id=actor_id, lease=lease,
                follow_up=(follow_up.key_point, follow_up.prompt) if follow_up else None)
            try:
                stored = await self.store.answers.record(record)
            except ConcurrentChange:
                continue
            break
        else:
            raise StorageBusy("an answer's streak kept changing while it was written")
        if stored.duplicate:  # nothing changed: the guidance and streak as they stand
            feedback = Feedback.from_dict(stored.feedback)
            timezone = await self.timezone_for(stored.person_id, stored.guild_id)
            state = await self.store.answers.streak(stored.person_id)
            update = None
        else:
            timezone = self._zone(context.person_zone, context.guild_zone)
            update = record.streak
            state = update.state
        return AnswerResult(
            interview=stored.interview, question=question, feedback=feedback,
            duplicate=stored.duplicate, truncated=truncated,
            streak=current_streak(state, local_day(self.clock(), timezone)),
            freeze_earned=bool(update and update.freeze_earned),
            freeze_spent=bool(update and update.frozen_day), answer_id=stored.id,
        )

    async def _coach_while_reading(self, question: Question, text: str, **where: Any
                                   ) -> tuple[Feedback, asyncio.Future[AnswerContext]]:
        """Coach the answer while the store reads what it will be computed from (on its own
        thread): the read costs no wait of its own."""
        reading = asyncio.ensure_future(self.store.answers.context(question.id, **where))
        await asyncio.sleep(0)  # the read is on its way before the coaching takes the CPU
        try:
            return give_feedback(question, text), reading
        except BaseException:
            reading.cancel()
            reading.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise

    def _answer_record(self, before: AnswerContext, question_id: str, key: str, text: str,
                       feedback: Feedback, now: datetime, **where: Any) -> AnswerRecord:
        """The answer and everything it changes, computed from ``before`` by pure functions:
        its local day, its review card (none for a crisis answer) and the streak update."""
        day = local_day(now, self._zone(before.person_zone, before.guild_zone))
        card = None
        if not feedback.crisis:
            card_json, due = review.review(before.card, feedback.score, now)
            card = ReviewCard(card_json, due)
        return AnswerRecord(
            expected=before, question_id=question_id, submission_key=key, text=text,
            score=feedback.score, feedback=feedback.to_dict(), crisis=feedback.crisis,
            answered_at=now, local_day=day, card=card,
            streak=record_day(before.streak, day), **where)

    # -- follow-ups ------------------------------------------------------------------------

    async def answer_follow_up(self, interview_id: int, position: int, text: str, *,
                               person_id: int | None = None, lease: str | None = None
                               ) -> FollowUpAnswer:
        """Coach and store the answer to the follow-up waiting at ``position``.

        It is coached against the key point the follow-up probes, and stored with its question
        (not as an answer of its own: no streak, average or leaderboard counts it). The same
        follow-up answered again returns the stored guidance with ``duplicate=True``. Raises
        ``EmptyAnswer`` for no words. With ``person_id`` (the person acting), an interview
        that is not theirs raises ``NotYourInterview`` (checked again where it is stored);
        with a ``lease`` (a terminal window), one another window took over raises
        ``TakenOver`` and nothing is saved."""
        text = readable(text)
        interview = await self._require(interview_id, person_id)
        asked = interview.follow_up if interview.position == position else None
        if asked is None:
            stored = (await self.store.interviews.follow_ups(interview_id, person_id)
                      ).get(position)
            asked = stored.asked if stored else None
        if asked is None:
            raise InterviewError("No follow-up question was asked there.")
        question = self.bank.get(asked.question_id)
        view = follow_ups.probe(question, FollowUp(asked.key_point, asked.prompt)) \
            if question else None
        if view is None:
            raise InterviewError("That follow-up is no longer in the question bank; "
                                 "press Next to move on.")
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        feedback = give_feedback(view, text)
        try:
            stored, duplicate = await self.store.interviews.answer_follow_up(
                interview_id, position, text, feedback.score if feedback.scored else None,
                feedback.to_dict(), feedback.crisis, self.clock(), person_id, lease)
        except NotYours:
            raise NotYourInterview from None
        except InterviewTakenOver:
            raise TakenOver from None
        except FollowUpNotCurrent:
            raise InterviewError("This interview has moved on from that follow-up, so the "
                                 "answer was not saved. /interview resume shows where you are."
                                 ) from None
        if duplicate and stored.feedback is not None:
            feedback = Feedback.from_dict(stored.feedback)
        return FollowUpAnswer(interview=await self._require(interview_id, person_id),
                              question=view,
                              feedback=feedback, duplicate=duplicate, truncated=truncated)

    async def skip_follow_up(self, interview_id: int, position: int, *,
                             person_id: int | None = None, lease: str | None = None
                             ) -> Interview:
        """Leave the follow-up at ``position`` unanswered; the question's answer stands."""
        try:
            await self.store.interviews.skip_follow_up(interview_id, position, person_id,
                                                       lease)
        except NotYours:
            raise NotYourInterview from None
        except InterviewTakenOver:
            raise TakenOver from None
        return await self._require(interview_id, person_id)

    def follow_up_question(self, interview: Interview) -> Question | None:
        """The view of the current question that its waiting follow-up asks, if any."""
        asked = interview.follow_up
        question = self.bank.get(asked.question_id) if asked else None
        if asked is None or question is None:
            return None
        return follow_ups.probe(question, FollowUp(asked.key_point, asked.prompt))

    async def timezone_for(self, person_id: int, guild_id: int | None = None) -> str:
        """The person's time zone, else the guild's, else the default."""
        person = await self.store.people.get(person_id)
        guild_zone = await self.store.guilds.timezone(guild_id) if guild_id is not None else None
        return self._zone(person.timezone if person else None, guild_zone)

    def _zone(self, *candidates: str | None) -> str:
        for zone in candidates:
            if zone and timezones.is_valid(zone):
                return zone
        return self.default_timezone

    # -- moving on ------------------------------------------------------------------------

    # With ``person_id`` (the person acting), each of these refuses an interview that is not
    # theirs with ``NotYourInterview``; with a ``lease`` (a terminal window), one that another
    # window has taken over with ``TakenOver``. The change itself checks both in its
    # transaction.

    async def retry(self, interview_id: int, position: int, attempt: int | None = None, *,
                    person_id: int | None = None, lease: str | None = None) -> Interview:
        """Answer the question at ``position`` again (as attempt ``attempt + 1``)."""
        interview = await self._require(interview_id, person_id)
        expected = interview.attempt if attempt is None else attempt
        moved = await self._move(
            interview_id, person_id, expect_position=position, expect_attempt=expected,
            attempt=expected + 1, outcome=Outcome.PENDING, lease=lease,
        )
        if not moved:
            await self._why_not_moved(interview_id, lease)
        return await self._require(interview_id)

    async def _why_not_moved(self, interview_id: int, lease: str | None) -> None:
        """Raise why a step changed nothing: another window holds the interview now, or it
        had moved on already."""
        if lease is not None:
            now = await self.store.interviews.get(interview_id)
            if now is not None and now.is_active and now.lease != lease:
                raise TakenOver
        raise StaleAction

    async def skip(self, interview_id: int, position: int, *, person_id: int | None = None,
                   lease: str | None = None) -> Interview:
        interview = await self._require(interview_id, person_id)
        # A retried question that was answered before still counts as answered.
        answered = position < interview.total and (
            interview.outcomes[position] is Outcome.ANSWERED
            or (interview.position == position and interview.attempt > 1))
        return await self._advance(interview, position,
                                   Outcome.ANSWERED if answered else Outcome.SKIPPED, person_id,
                                   lease)

    async def _advance(self, interview: Interview, position: int, outcome: Outcome | None,
                       person_id: int | None = None, lease: str | None = None) -> Interview:
        last = position + 1 >= interview.total
        moved = await self._move(
            interview.id, person_id, expect_position=position,
            position=position + (0 if last else 1),
            attempt=1, outcome=outcome, status=Status.FINISHED if last else None, lease=lease,
        )
        if not moved:
            await self._why_not_moved(interview.id, lease)
        return await self._require(interview.id)

    async def _move(self, interview_id: int, person_id: int | None, **change: Any) -> bool:
        try:
            return await self.store.interviews.move(interview_id, person_id=person_id, **change)
        except NotYours:
            raise NotYourInterview from None

    async def end(self, interview_id: int, *, person_id: int | None = None,
                  lease: str | None = None) -> Summary:
        """Stop the interview and sum it up. Given a ``lease``, only the window holding it
        stops it (``TakenOver`` otherwise)."""
        try:
            stopped = await self.store.interviews.stop(interview_id, person_id, lease)
        except NotYours:
            raise NotYourInterview from None
        if not stopped and lease is not None:
            await self._why_not_moved(interview_id, lease)
        return await self.summary(interview_id, person_id=person_id)

    async def summary(self, interview_id: int, *, person_id: int | None = None) -> Summary:
        interview = await self._require(interview_id, person_id)
        by_question = await self.store.answers.interview_attempts(interview_id, person_id)
        attempts = {
            position: [Feedback.from_dict(f) for f in by_question.get(qid, [])]
            for position, qid in enumerate(interview.question_ids)
        }
        asked = await self.store.interviews.follow_ups(interview_id, person_id)
        return summarise(interview, attempts, self.bank, asked)

    async def _require(self, interview_id: int, person_id: int | None = None) -> Interview:
        interview = await self.store.interviews.get(interview_id, person_id)
        if interview is None:
            if person_id is not None:
                raise NotYourInterview  # missing or someone else's: the same answer for both
            raise InterviewError("That interview no longer exists.")
        return interview
