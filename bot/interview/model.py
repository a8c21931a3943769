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


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question_id: str
    topic: str
    outcome: Outcome
    score: int | None  # the latest attempt's score
    attempts: int
    missed: tuple[str, ...]  # key point labels the latest attempt missed


@dataclass(frozen=True, slots=True)
class Summary:
    interview_id: int
    status: Status
    results: tuple[QuestionResult, ...]
    average: int | None
    strongest_topic: str | None
    weakest_topic: str | None
    practise_next: tuple[str, ...]
