"""The values the core and its storage exchange: what the core reads and hands over to be
written, and the refusals a store answers with. Plain data, no behaviour beyond reading
itself: ``bot.storage`` (and any other backend) imports nothing else from the core.

See ``bot/core/ports.py`` for what a store must do with them, and docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

FREEZE_EVERY = 7  # practised days in a run that earn a streak freeze (bot.streaks.rules)


# -- interviews -------------------------------------------------------------------------------

class Status(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"  # every question answered or skipped
    STOPPED = "stopped"    # ended early by the trainee


class Outcome(StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"
    SKIPPED = "skipped"


class FollowUpStatus(StrEnum):
    ASKED = "asked"        # waiting for an answer
    ANSWERED = "answered"
    SKIPPED = "skipped"    # the trainee moved on without answering it


@dataclass(frozen=True, slots=True)
class AskedFollowUp:
    """The follow-up an interview asked at one question, and how it went."""

    question_id: str
    key_point: str  # the id of the key point it probes
    prompt: str     # as it was asked
    status: FollowUpStatus
    score: int | None = None  # once answered


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    person_id: int
    bank: str
    topic: str | None
    status: Status
    position: int
    attempt: int
    place: str
    guild_id: int | None
    channel_id: int | None
    question_ids: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    started_at: datetime
    updated_at: datetime
    follow_ups: bool = True  # whether this interview asks follow-ups
    follow_up: AskedFollowUp | None = None  # the one asked at the current question, if any
    # The window (a terminal) that holds the interview, and when it last took a step there;
    # None when no window holds it (Discord interviews).
    lease: str | None = None
    lease_at: datetime | None = None

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def current_question_id(self) -> str | None:
        if self.status is not Status.ACTIVE or self.position >= self.total:
            return None
        return self.question_ids[self.position]

    @property
    def current_answered(self) -> bool:
        return self.position < self.total and self.outcomes[self.position] is Outcome.ANSWERED

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE

    @property
    def awaiting_follow_up(self) -> bool:
        """The current question was answered and its follow-up waits for an answer."""
        return (self.is_active and self.current_answered and self.follow_up is not None
                and self.follow_up.status is FollowUpStatus.ASKED)


@dataclass(frozen=True, slots=True)
class StoredFollowUp:
    """A follow-up as stored: what was asked and, once answered, its guidance."""

    position: int
    asked: AskedFollowUp
    feedback: dict[str, Any] | None


# -- answers ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CardInfo:
    question_id: str
    due_at: datetime
    last_score: int


@dataclass(frozen=True, slots=True)
class StreakState:
    current: int = 0
    best: int = 0
    freezes: int = 0
    days_to_freeze: int = FREEZE_EVERY
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class StreakUpdate:
    state: StreakState
    counted: bool  # today added to the streak (False: already practised today, or a past day)
    frozen_day: date | None = None  # the missed day a freeze covered
    freeze_earned: bool = False
    broken: bool = False  # a previous streak ended before today


@dataclass(frozen=True, slots=True)
class AnswerContext:
    """Everything an answer's updates are computed from, as read before it is written: whose
    it is, the time zones that decide its local day, its question's review card (as the
    store keeps it, opaque) and the person's streak. The store writes the answer only while
    this still holds (``ConcurrentChange`` otherwise)."""

    person_id: int
    guild_id: int | None
    person_zone: str | None
    guild_zone: str | None
    card: str | None
    streak: StreakState = field(default_factory=StreakState)


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """A question's review card after an answer (FSRS, as JSON) and when it is due."""

    card: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One answer and everything it changes, computed by the core, for the store to write in
    one transaction, all or nothing.

    Idempotent by ``submission_key``: a key stored before comes back as the duplicate and
    nothing more is written. Checked where it is written, before anything is written or
    read back: for an interview answer, that ``actor_id`` (when given) is the interview's
    person (``NotYours``), that the window ``lease`` (when given) holds it
    (``InterviewTakenOver``) and that it still stands at ``position`` and ``attempt`` asking
    ``question_id`` (``AnswerNotCurrent``, unless it is a duplicate); for a daily answer with
    an ``actor_id``, that the post is ``expected.guild_id``'s (``NotYours``); and that
    ``expected`` still holds (``ConcurrentChange``: the core reads again and computes again).
    """

    expected: AnswerContext
    question_id: str
    submission_key: str
    text: str
    score: int
    feedback: dict[str, Any]
    crisis: bool  # no card, day answers or totals; the streak still counts it
    answered_at: datetime
    local_day: date
    card: ReviewCard | None  # None for a crisis answer
    streak: StreakUpdate
    interview_id: int | None = None
    position: int | None = None
    attempt: int | None = None
    daily_post_id: int | None = None
    lease: str | None = None
    actor_id: int | None = None
    # With interview_id: the follow-up to ask if the interview asks follow-ups and none was
    # asked at this question yet, as (key point id, prompt).
    follow_up: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """What the store wrote (or found under the submission key: ``duplicate``)."""

    id: int
    question_id: str
    score: int
    feedback: dict[str, Any]
    duplicate: bool
    person_id: int
    guild_id: int | None = None
    interview: Interview | None = None  # an interview answer's interview, once it is stored


@dataclass(frozen=True, slots=True)
class OwnAnswer:
    """One of a person's answers, as they may choose to share it: never its text."""

    id: int
    question_id: str
    feedback: dict[str, Any]
    interview: Interview | None


@dataclass(frozen=True, slots=True)
class ExpiredText:
    """An answer (``kind`` "answer", ``key`` its id) or a follow-up's answer ("follow_up",
    (interview id, position)) past the retention period, with its feedback: the core works
    out what of the feedback may stay (``bot.retention``) and hands it back to be written."""

    kind: str
    key: tuple[int, ...]
    feedback: dict[str, Any] | None
    crisis: bool = False


# -- people, servers, daily posts, cohorts ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Person:
    id: int
    discord_user_id: int | None
    local_name: str | None
    timezone: str | None
    hide_leaderboards: bool


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    training_channel_id: int | None = None
    facilitator_role_id: int | None = None
    timezone: str | None = None


# A claim older than this that never became a post (its process died) may be taken over.
# A live process gives up on a send long before (the Discord extension's SEND_TIMEOUT).
STALE_CLAIM = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class DailySchedule:
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    topic: str | None
    ping_role_id: int | None
    discussion_thread: bool
    paused: bool
    problem: str | None
    next_due_at: datetime


@dataclass(frozen=True, slots=True)
class DailyPost:
    id: int
    guild_id: int
    post_date: date
    question_id: str
    status: str
    channel_id: int | None
    message_id: int | None
    error: str | None
    claimed_at: datetime
    claimed_by: str | None = None  # the process that claimed it (DailyService.instance)


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming a day: the row as it now stands, and whether it is ours."""

    post: DailyPost
    won: bool
    # An earlier try at this day existed: its message may be out although it was never
    # recorded (the process died, or Discord's answer was lost), so look before sending.
    retake: bool

    @property
    def stale_at(self) -> datetime:
        """When a claim held by someone else may be taken over."""
        return self.post.claimed_at + STALE_CLAIM


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard whose gateway connection carries a server's events (Discord's rule)."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class ShardSet:
    """The shards one bot process runs, of ``count`` in all: it schedules the daily posts of
    the servers on those shards only. No ShardSet (None) where one is asked for means every
    server. Two processes that disagree (a restart's overlap, a wrong setting) may both own
    a server: the claim row still lets only one of them post each day."""

    count: int
    ids: frozenset[int]

    def __post_init__(self) -> None:
        if self.count < 1 or not self.ids or not all(0 <= i < self.count for i in self.ids):
            raise ValueError(f"shards {sorted(self.ids)} of {self.count}")

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids


@dataclass(frozen=True, slots=True)
class Cohort:
    id: int
    guild_id: int
    name: str
    role_id: int | None
    members: int = 0


# An average of fewer answers than this is too near one answer's own score to show others:
# the average-score board leaves out members with fewer answers in its period.
MIN_ANSWERS_FOR_AN_AVERAGE = 3


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    person_id: int
    discord_user_id: int | None
    value: float


@dataclass(frozen=True, slots=True)
class MemberReport:
    discord_user_id: int | None
    answers: int
    average: float | None
    current_streak: int
    best_streak: int
    last_practice: str | None
    joined_at: str


# -- failures: any store fails with these (``user_message`` is safe to show anyone) -------

class StorageError(Exception):
    """The database could not do what was asked. ``user_message`` is safe to show anyone;
    ``retry_helps`` says whether trying the same thing again soon can work."""

    user_message = "PeerPrep couldn't save that just now. Nothing was half-saved: please try again."
    retry_helps = True


class StorageBusy(StorageError):
    """Another connection held the database past ``busy_timeout``: retrying helps."""

    user_message = ("PeerPrep's database is busy right now. Nothing was saved: "
                    "please try again in a moment.")


class StorageUnreachable(StorageBusy):
    """The database server (PostgreSQL) could not be reached, or the connection was lost:
    retrying helps once it is back. Lost during a commit, the write may have been saved."""

    user_message = ("PeerPrep can't reach its database right now. Please try again in a "
                    "moment: whatever you send again is never stored twice.")


class StorageFull(StorageError):
    """The disk (or the database's size limit) is full: retrying won't help until there is room."""

    user_message = ("PeerPrep's storage is full, so nothing was saved. Trying again won't help "
                    "until the people who run this bot free some disk space.")
    retry_helps = False


class StorageReadOnly(StorageError):
    """The database can be read but not written (file or folder permissions, a read-only
    disk): retrying won't help."""

    user_message = ("PeerPrep's database is read-only right now, so nothing was saved. Trying "
                    "again won't help until the people who run this bot make it writable.")
    retry_helps = False


class StorageDamaged(StorageError):
    """The database file is damaged (SQLITE_CORRUPT, "not a database") or its disk failed to
    read or write it (SQLITE_IOERR): retrying won't help; check it and restore a backup."""

    user_message = ("PeerPrep's database is damaged, so nothing was saved. Trying again won't "
                    "help: the people who run this bot need to check it and restore a backup.")
    retry_helps = False


# -- refusals ---------------------------------------------------------------------------------

class ConcurrentChange(Exception):
    """What an answer's updates were computed from changed before it was written (another
    answer of the same person, a new time zone): nothing was written; read and try again."""


class CohortExists(Exception):
    """A cohort with that name already exists in the server."""


class NotYours(LookupError):
    """The person acting does not own the interview or answer named (a forged or foreign
    id): nothing was read back and nothing was changed."""


class InterviewGone(LookupError):
    """The answer names an interview that does not exist (any more)."""


class InterviewTakenOver(Exception):
    """Another window took the interview over from the one the answer was written in (its
    lease no longer holds it): nothing was saved, and no other answer's guidance is given."""


class AnswerNotCurrent(Exception):
    """The interview has moved past the question and attempt the answer was written for,
    and that submission was never stored: nothing was saved."""


class FollowUpNotCurrent(Exception):
    """The follow-up is not waiting for an answer (the interview moved on, or it was
    skipped), and no answer to it was stored: nothing was saved."""
