"""What the core needs from storage, as ``typing.Protocol``s, one per aggregate.

The core (the interview engine, the daily service, progress and retention) is written
against these and never names a backend. ``bot.storage.Store`` (SQLite) satisfies them;
``tests/memory_store.py`` is an in-memory one, and ``tests/test_store_contract.py`` runs the
same cases against both (a PostgreSQL store joins the parametrized fixture there).

Every write method is atomic: it happens whole or not at all, and the checks it names
(owner, lease, position, expected state) are made where it writes, in the same transaction.
The values exchanged are in ``bot/core/records.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from bot.core.records import (
    AnswerContext,
    AnswerRecord,
    CardInfo,
    Claim,
    DailyPost,
    DailySchedule,
    ExpiredText,
    Interview,
    MemberReport,
    Outcome,
    OwnAnswer,
    Person,
    ShardSet,
    Standing,
    Status,
    StoredAnswer,
    StoredFollowUp,
    StreakState,
)


class AnswerStore(Protocol):
    """Answers and what they feed: review cards, practice days, period totals, streaks."""

    async def context(self, question_id: str, *, person_id: int | None = None,
                      guild_id: int | None = None, interview_id: int | None = None
                      ) -> AnswerContext:
        """What an answer is computed from; for an interview answer, by its interview's
        person and guild (``InterviewGone`` when there is none)."""
        ...

    async def record(self, record: AnswerRecord) -> StoredAnswer:
        """Write the answer and everything it changes, all or nothing, with the checks
        ``AnswerRecord`` lists (``NotYours``, ``InterviewTakenOver``, ``AnswerNotCurrent``,
        ``ConcurrentChange``); a submission key stored before comes back as the duplicate."""
        ...

    async def streak(self, person_id: int) -> StreakState: ...

    async def cards(self, person_id: int) -> dict[str, CardInfo]: ...

    async def answer_id(self, submission_key: str, person_id: int) -> int | None:
        """The id of ``person_id``'s answer under ``submission_key``, unless a crisis one."""
        ...

    async def own_answer(self, answer_id: int, person_id: int) -> OwnAnswer:
        """The answer only if it is ``person_id``'s (``NotYours`` otherwise)."""
        ...

    async def interview_attempts(self, interview_id: int, person_id: int | None = None
                                 ) -> dict[str, list[dict[str, Any]]]: ...

    async def practice_days(self, person_id: int, since: date
                            ) -> dict[date, tuple[int, bool]]: ...

    async def scores_by_question(self, person_id: int) -> list[tuple[str, int, int]]: ...

    async def score_history(self, person_id: int, limit: int = 500
                            ) -> list[tuple[datetime, int]]: ...


class InterviewStore(Protocol):
    """Interviews, their questions and follow-ups. Changes are guarded by position (and
    attempt, and lease): a double click changes things once."""

    async def create(
        self, person_id: int, bank: str, topic: str | None, question_ids: Sequence[str],
        place: str, guild_id: int | None = None, channel_id: int | None = None,
        follow_ups: bool = True, lease: str | None = None,
    ) -> tuple[Interview, list[int]]: ...

    async def get(self, interview_id: int, person_id: int | None = None
                  ) -> Interview | None: ...

    async def active_for(self, person_id: int) -> Interview | None: ...

    async def move(
        self, interview_id: int, *, expect_position: int, expect_attempt: int | None = None,
        position: int | None = None, attempt: int | None = None,
        outcome: Outcome | None = None, status: Status | None = None,
        person_id: int | None = None, lease: str | None = None,
    ) -> bool: ...

    async def stop(self, interview_id: int, person_id: int | None = None,
                   lease: str | None = None) -> bool: ...

    async def take(self, interview_id: int, lease: str) -> Interview | None: ...

    async def release(self, interview_id: int, lease: str) -> bool: ...

    async def relocate(self, interview_id: int, place: str, channel_id: int | None
                       ) -> Interview | None: ...

    async def recent(self, person_id: int, limit: int = 10
                     ) -> list[tuple[Interview, int | None]]: ...

    async def skip_follow_up(self, interview_id: int, position: int,
                             person_id: int | None = None, lease: str | None = None
                             ) -> bool: ...

    async def answer_follow_up(self, interview_id: int, position: int, text: str,
                               score: int | None,
                               feedback: dict[str, Any], crisis: bool, answered_at: datetime,
                               person_id: int | None = None, lease: str | None = None
                               ) -> tuple[StoredFollowUp, bool]: ...

    async def follow_ups(self, interview_id: int, person_id: int | None = None
                         ) -> dict[int, StoredFollowUp]: ...


class PeopleStore(Protocol):
    async def get(self, person_id: int) -> Person | None: ...

    async def find_discord(self, user_id: int) -> Person | None: ...

    async def for_discord(self, user_id: int) -> Person:
        """The person for a Discord user, created on first contact."""
        ...

    async def find_local(self, name: str) -> Person | None: ...

    async def set_timezone(self, person_id: int, timezone: str | None) -> None: ...

    async def for_local(self, name: str) -> Person:
        """The terminal practiser called ``name``, created on first use."""
        ...


class GuildStore(Protocol):
    async def timezone(self, guild_id: int) -> str | None: ...


class DailyStore(Protocol):
    """Daily schedules and the one post per server and local day (claimed, then settled)."""

    async def save_schedule(self, s: DailySchedule, now: datetime) -> None: ...

    async def schedule(self, guild_id: int) -> DailySchedule | None: ...

    async def post_on(self, guild_id: int, post_date: date) -> DailyPost | None: ...

    async def used_questions(self, guild_id: int) -> Any: ...

    async def claim(self, guild_id: int, post_date: date, question_id: str, claimed_by: str,
                    now: datetime, take_over: str | None = None) -> Claim:
        """Claim the day's post (see storage's ``Daily.claim``); ``take_over``: also take a
        live claim over from that process, known to have ended."""
        ...

    async def settle(self, post_id: int, channel_id: int, message_id: int,
                     schedule: DailySchedule, next_due_at: datetime) -> None: ...

    async def advance(self, schedule: DailySchedule, next_due_at: datetime) -> None: ...

    async def give_up(self, post_id: int, guild_id: int, problem: str, *,
                      claimed_by: str) -> None: ...

    async def retry_later(self, post_id: int, error: str, guild_id: int, now: datetime,
                          retry_at: datetime, *, claimed_by: str) -> None: ...

    async def due(self, now: datetime, limit: int = 500, excluding: Collection[int] = (),
                  shards: ShardSet | None = None) -> list[DailySchedule]:
        """The active schedules due at ``now``, earliest first, leaving out ``excluding``
        and, with ``shards``, every server on another shard."""
        ...

    async def next_due_at(self, excluding: Collection[int] = (),
                          shards: ShardSet | None = None) -> datetime | None: ...

    async def set_paused(self, guild_id: int, paused: bool, problem: str | None,
                         next_due_at: datetime | None = None) -> None: ...

    async def post(self, post_id: int) -> DailyPost | None: ...

    async def last_post(self, guild_id: int) -> DailyPost | None: ...


class EngineStore(Protocol):
    """What the interview engine needs: a store's repositories by aggregate."""

    @property
    def answers(self) -> AnswerStore: ...

    @property
    def interviews(self) -> InterviewStore: ...

    @property
    def people(self) -> PeopleStore: ...

    @property
    def guilds(self) -> GuildStore: ...


class CohortStore(Protocol):
    """Cohort reports and leaderboards: aggregates only, never answer text."""

    async def report(self, cohort_id: int, today: date) -> list[MemberReport]: ...

    async def leaderboard(self, *, guild_id: int, cohort_id: int | None, metric: str,
                          period: str, today: date, caller_person_id: int | None,
                          limit: int = 10) -> tuple[list[Standing], Standing | None]: ...


class StandingsStore(Protocol):
    """What progress, cohort reports and leaderboards read."""

    @property
    def answers(self) -> AnswerStore: ...

    @property
    def cohorts(self) -> CohortStore: ...


class PeopleServiceStore(Protocol):
    @property
    def people(self) -> PeopleStore: ...


class DailyServiceStore(Protocol):
    @property
    def daily(self) -> DailyStore: ...


class ProgressStore(Protocol):
    @property
    def answers(self) -> AnswerStore: ...


class RetentionPeople(Protocol):
    async def expired_text(self, before: datetime, limit: int = 500) -> list[ExpiredText]:
        """Answers from before ``before`` whose text is still kept, with their feedback."""
        ...

    async def forget_text(self, forgotten: Sequence[ExpiredText]) -> int:
        """Blank each one's text (a crisis answer goes altogether) and store its feedback as
        given, in one transaction, for those whose text is still there; how many changed."""
        ...


class RetentionStore(Protocol):
    @property
    def people(self) -> RetentionPeople: ...
