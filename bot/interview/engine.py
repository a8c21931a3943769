"""The interview engine: start, answer, retry, skip, next, end, resume. Front ends call this.

No Discord and no SQL here: the engine combines the bank, the coaching, the question choice
and the streak rules, and asks the store to remember the result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.bank import BANKS, TOPICS, Bank, Question
from bot.clock import Clock, utcnow
from bot.coaching import Feedback, give_feedback
from bot.interview import review
from bot.interview.choice import choose_questions
from bot.interview.model import AnswerResult, Interview, Outcome, Status, Summary
from bot.interview.summary import summarise
from bot.storage import AnswerNotCurrent, InterviewGone, NewAnswer, Store
from bot.streaks import current_streak, local_day, record_day
from bot.text import readable

MAX_ANSWER_CHARS = 4000  # Discord's longest text input, and the limit everywhere else too
MAX_QUESTIONS = 20


class InterviewError(Exception):
    """Something the trainee asked for can't be done; the message says why, kindly."""


class StaleAction(InterviewError):
    """The interview had already moved on: a second click, or a button from an older message."""

    def __init__(self) -> None:
        super().__init__("That was already done: the interview has moved on. "
                         "/interview resume shows where you are.")


@dataclass(frozen=True, slots=True)
class Started:
    interview: Interview
    stopped: list[int]  # interviews that were still open and were stopped to start this one


class InterviewService:
    def __init__(self, store: Store, bank: Bank, *, default_timezone: str = "UTC",
                 clock: Clock = utcnow, rng: random.Random | None = None) -> None:
        self.store = store
        self.bank = bank
        self.default_timezone = default_timezone
        self.clock = clock
        self.rng = rng or random.Random()

    # -- starting -------------------------------------------------------------------------

    async def start(
        self, person_id: int, *, bank: str = "all", topic: str | None = None, count: int = 5,
        place: str = "terminal", guild_id: int | None = None, channel_id: int | None = None,
    ) -> Started:
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
        cards = await self.store.progress.cards(person_id)
        chosen = choose_questions(candidates, cards, self.clock(), count, self.rng)
        interview, stopped = await self.store.interviews.create(
            person_id, bank, topic, chosen, place, guild_id, channel_id,
        )
        return Started(interview, stopped)

    async def get(self, interview_id: int) -> Interview | None:
        return await self.store.interviews.get(interview_id)

    async def active(self, person_id: int) -> Interview | None:
        return await self.store.interviews.active_for(person_id)

    def question(self, interview: Interview) -> Question | None:
        qid = interview.current_question_id
        return self.bank.get(qid) if qid else None

    # -- answering ------------------------------------------------------------------------

    async def answer(self, interview_id: int, position: int, attempt: int, text: str,
                     question_id: str | None = None) -> AnswerResult:
        """Coach and store an answer to the question at ``position`` (attempt ``attempt``).

        ``question_id`` is the question the trainee was shown (an answer form carries it): with
        it, the answer is coached at once and checked against the interview only in the
        transaction that stores it. Without it, the interview is read first to find it.

        Idempotent: the same (interview, position, attempt) again returns the stored guidance
        with ``duplicate=True`` and stores nothing more. Raises ``EmptyAnswer`` for no words.
        """
        text = readable(text)  # lone surrogates can't be stored: U+FFFD instead
        if question_id is None:
            interview = await self._require(interview_id)
            if position >= interview.total:
                raise InterviewError("That question is not part of this interview.")
            question_id = interview.question_ids[position]
        question = self.bank.get(question_id)
        if question is None:
            raise InterviewError("That question is no longer in the bank; press Skip.")
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        feedback = give_feedback(question, text)
        try:
            return await self._record(
                None, None, interview_id, position, question,
                f"interview:{interview_id}:{position}:{attempt}", text, feedback, truncated,
                attempt=attempt)
        except AnswerNotCurrent:
            # A stale button or form: only an answer already stored would have been returned.
            raise InterviewError("This interview has moved on, so that answer was not saved. "
                                 "/interview resume shows where you are.") from None
        except InterviewGone:
            raise InterviewError("That interview no longer exists.") from None

    async def answer_daily(self, person_id: int, question: Question, text: str, key: str, *,
                           daily_post_id: int | None = None, guild_id: int | None = None
                           ) -> AnswerResult:
        """An answer outside an interview (the daily question): same coaching and streak."""
        text = readable(text)  # lone surrogates can't be stored: U+FFFD instead
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        feedback = give_feedback(question, text)
        return await self._record(person_id, guild_id, None, None, question, key, text, feedback,
                                  truncated, daily_post_id=daily_post_id)

    async def _record(self, person_id: int | None, guild_id: int | None,
                      interview_id: int | None, position: int | None, question: Question,
                      key: str, text: str, feedback: Feedback, truncated: bool,
                      daily_post_id: int | None = None, attempt: int | None = None
                      ) -> AnswerResult:
        now = self.clock()

        def day_of(person_zone: str | None, guild_zone: str | None) -> tuple[date, str]:
            zone = self._zone(person_zone, guild_zone)
            return local_day(now, zone), zone

        stored = await self.store.progress.record_answer(
            NewAnswer(
                person_id=person_id, question_id=question.id, submission_key=key,
                text=text, score=feedback.score, feedback=feedback.to_dict(),
                crisis=feedback.crisis, answered_at=now, guild_id=guild_id,
                interview_id=interview_id, position=position, attempt=attempt,
                daily_post_id=daily_post_id,
            ),
            review=review.review, streak=record_day, day_of=day_of,
        )
        update = stored.streak
        assert stored.person_id is not None
        if stored.duplicate:  # nothing changed: the guidance and streak as they stand
            feedback = Feedback.from_dict(stored.feedback)
        timezone = stored.timezone or await self.timezone_for(stored.person_id, stored.guild_id)
        state = update.state if update else await self.store.progress.streak(stored.person_id)
        return AnswerResult(
            interview=stored.interview, question=question, feedback=feedback,
            duplicate=stored.duplicate, truncated=truncated,
            streak=current_streak(state, local_day(self.clock(), timezone)),
            freeze_earned=bool(update and update.freeze_earned),
            freeze_spent=bool(update and update.frozen_day),
        )

    async def timezone_for(self, person_id: int, guild_id: int | None = None) -> str:
        """The person's time zone, else the guild's, else the default."""
        person = await self.store.people.get(person_id)
        guild_zone = await self.store.guilds.timezone(guild_id) if guild_id is not None else None
        return self._zone(person.timezone if person else None, guild_zone)

    def _zone(self, *candidates: str | None) -> str:
        for zone in candidates:
            if zone and _valid_zone(zone):
                return zone
        return self.default_timezone

    # -- moving on ------------------------------------------------------------------------

    async def retry(self, interview_id: int, position: int, attempt: int | None = None
                    ) -> Interview:
        """Answer the question at ``position`` again (as attempt ``attempt + 1``)."""
        interview = await self._require(interview_id)
        expected = interview.attempt if attempt is None else attempt
        moved = await self.store.interviews.move(
            interview_id, expect_position=position, expect_attempt=expected, attempt=expected + 1,
            outcome=Outcome.PENDING,
        )
        if not moved:
            raise StaleAction
        return await self._require(interview_id)

    async def skip(self, interview_id: int, position: int) -> Interview:
        interview = await self._require(interview_id)
        # A retried question that was answered before still counts as answered.
        answered = position < interview.total and (
            interview.outcomes[position] is Outcome.ANSWERED
            or (interview.position == position and interview.attempt > 1))
        return await self._advance(interview, position,
                                   Outcome.ANSWERED if answered else Outcome.SKIPPED)

    async def next(self, interview_id: int, position: int) -> Interview:
        """Move past the question at ``position`` (counted as skipped if it was not answered)."""
        return await self.skip(interview_id, position)

    async def _advance(self, interview: Interview, position: int, outcome: Outcome | None
                       ) -> Interview:
        last = position + 1 >= interview.total
        moved = await self.store.interviews.move(
            interview.id, expect_position=position, position=position + (0 if last else 1),
            attempt=1, outcome=outcome, status=Status.FINISHED if last else None,
        )
        if not moved:
            raise StaleAction
        return await self._require(interview.id)

    async def end(self, interview_id: int) -> Summary:
        await self.store.interviews.stop(interview_id)
        return await self.summary(interview_id)

    async def summary(self, interview_id: int) -> Summary:
        interview = await self._require(interview_id)
        by_question = await self.store.progress.interview_attempts(interview_id)
        attempts = {
            position: [Feedback.from_dict(f) for f in by_question.get(qid, [])]
            for position, qid in enumerate(interview.question_ids)
        }
        return summarise(interview, attempts, self.bank)

    async def _require(self, interview_id: int) -> Interview:
        interview = await self.store.interviews.get(interview_id)
        if interview is None:
            raise InterviewError("That interview no longer exists.")
        return interview


@lru_cache(maxsize=1024)
def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
