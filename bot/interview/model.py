"""An interview as the engine sees it: its questions, where it stands, how it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.bank import Question
from bot.coaching import Feedback


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
class AnswerResult:
    """What recording one answer produced."""

    interview: Interview | None  # None for an answer outside an interview (the daily question)
    question: Question
    feedback: Feedback
    duplicate: bool       # the same submission was recorded before; nothing new was stored
    truncated: bool       # the text was cut to the 4000-character limit
    streak: int           # the streak after this answer
    freeze_earned: bool
    freeze_spent: bool
    answer_id: int | None = None  # the stored answer (the first one, for a duplicate)


@dataclass(frozen=True, slots=True)
class FollowUpAnswer:
    """What answering a follow-up produced. ``question`` is the view of the question the
    answer was coached against: the follow-up's prompt and the one key point it probes."""

    interview: Interview
    question: Question
    feedback: Feedback
    duplicate: bool
    truncated: bool


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question_id: str
    topic: str
    outcome: Outcome
    score: int | None  # the latest attempt's score
    attempts: int
    missed: tuple[str, ...]  # key point labels the latest attempt missed
    follow_up: FollowUpResult | None = None  # the follow-up asked at this question, if any


@dataclass(frozen=True, slots=True)
class FollowUpResult:
    """A follow-up in the summary. Its score is shown beside the question's, never averaged
    into anything: the question's score is its main answer's."""

    prompt: str
    point: str  # the label of the key point it probed
    status: FollowUpStatus
    score: int | None
    covered: bool  # the follow-up answer made the point


@dataclass(frozen=True, slots=True)
class Summary:
    interview_id: int
    status: Status
    results: tuple[QuestionResult, ...]
    average: int | None
    strongest_topic: str | None
    weakest_topic: str | None
    practise_next: tuple[str, ...]
