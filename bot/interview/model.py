"""An interview as the engine sees it: its questions, where it stands, how it went."""

from __future__ import annotations

from dataclasses import dataclass

from bot.bank import Question
from bot.coaching import Feedback
from bot.core.records import FollowUpStatus, Interview, Outcome, Status


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
