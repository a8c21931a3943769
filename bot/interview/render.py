"""What a person reads after an answer and at the end of an interview: built here once.

Every front end (the Discord interview, the daily question, the terminal) lays these out
in its own way (embeds, a message's text, lines on a terminal), but the notes and the
summary's content come from here, so no front end says less than another: a streak freeze
earned or spent, a duplicate, a cut answer, the offer to pause after a hard answer.
No discord import here: plain text only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.bank import TOPICS, Question
from bot.interview.engine import MAX_ANSWER_CHARS
from bot.interview.model import (
    AnswerResult,
    FollowUpAnswer,
    FollowUpResult,
    FollowUpStatus,
    Summary,
)
from bot.interview.place import Place

ALREADY_SAVED = "This answer was already saved; here is its guidance again."
FOLLOW_UP_ALREADY_SAVED = "This follow-up answer was already saved; here is its guidance again."
FOLLOW_UP_NOTE = ("Follow-up: guidance on the point it asked about. It is shown in your "
                  "summary and doesn't change the question's score.")
FREEZE_SPENT = "❄ A streak freeze covered the day you missed."
FREEZE_EARNED = "❄ You earned a streak freeze: it covers one missed day."
PAUSE = {
    Place.TERMINAL: "If you'd like to pause, type e to end: your progress is saved.",
}
PAUSE_ON_DISCORD = "Pause whenever you like: End keeps everything you answered."


def cut_note(length: int | None = None) -> str:
    """An answer longer than the limit: only its first part was coached (``length``: how
    long it really was, when the front end knows)."""
    if length is None:
        return (f"Your answer was longer than {MAX_ANSWER_CHARS} characters; the first "
                f"{MAX_ANSWER_CHARS} were kept and coached.")
    return (f"Your answer was {length} characters; the first {MAX_ANSWER_CHARS} were kept "
            f"and coached.")


def pause_note(place: Place) -> str:
    """After an answer the safety net read as a crisis: the practice can stop any time."""
    return PAUSE.get(place, PAUSE_ON_DISCORD)


def streak_note(streak: int) -> str:
    return f"🔥 Streak: {streak} day(s)."


def answer_notes(result: AnswerResult, place: Place, *, length: int | None = None
                 ) -> list[str]:
    """The notes shown with the guidance on an answer, in order. ``place``: where they are
    read (the pause offer names that front end's way to end); ``length``: how long the
    answer really was, if the front end cut it itself before the engine saw it."""
    notes = []
    if result.duplicate:
        notes.append(ALREADY_SAVED)
    if result.truncated or (length is not None and length > MAX_ANSWER_CHARS):
        notes.append(cut_note(length if length is not None and length > MAX_ANSWER_CHARS
                              else None))
    if result.freeze_spent:
        notes.append(FREEZE_SPENT)
    if result.freeze_earned:
        notes.append(FREEZE_EARNED)
    notes.append(streak_note(result.streak))
    # Where an interview goes on (the daily question has none to end, the terminal's
    # window does even for a kept answer submitted on its own).
    if result.feedback.crisis and (result.interview is not None or place is Place.TERMINAL):
        notes.append(pause_note(place))
    return notes


def follow_up_notes(result: FollowUpAnswer, place: Place, *, length: int | None = None
                    ) -> list[str]:
    """The notes shown with the guidance on a follow-up answer, in order."""
    notes = []
    if result.duplicate:
        notes.append(FOLLOW_UP_ALREADY_SAVED)
    notes.append(FOLLOW_UP_NOTE)
    if result.truncated or (length is not None and length > MAX_ANSWER_CHARS):
        notes.append(cut_note(length if length is not None and length > MAX_ANSWER_CHARS
                              else None))
    if result.feedback.crisis:
        notes.append(pause_note(place))
    return notes


# -- questions ----------------------------------------------------------------------------------

FOLLOW_UP_TITLE = "The interviewer follows up"
DAILY_TITLE = "Today's practice question"


def question_title(number: int, total: int) -> str:
    return f"Question {number} of {total}"


def daily_details(question: Question) -> str:
    """The line under the daily question."""
    return f"{question.topic_label} · {question.id} · answers stay private"


def question_details(question: Question, attempt: int = 1, *, with_id: bool = True) -> str:
    """The line under a question: its topic, kind, id, and the attempt after the first."""
    parts = [question.topic_label, question.kind] + ([question.id] if with_id else [])
    if attempt > 1:
        parts.append(f"attempt {attempt}")
    return " · ".join(parts)


# -- the summary --------------------------------------------------------------------------------

FOLLOW_UPS_NOT_COUNTED = " (follow-ups not counted)"
OUTCOME_WORDS = {"skipped": "skipped", "answered": "no score"}


@dataclass(frozen=True, slots=True)
class SummaryRow:
    number: int
    question_id: str
    topic: str          # the topic's label
    score: int | None   # None: no score (skipped, not reached, or a crisis answer)
    outcome: str        # how it went, in words, when there is no score
    follow_up: str | None  # the line for the follow-up asked at this question

    @property
    def result(self) -> str:
        return f"{self.score}/100" if self.score is not None else self.outcome


@dataclass(frozen=True, slots=True)
class SummaryText:
    rows: tuple[SummaryRow, ...]
    average: str | None      # "72/100", with a note when follow-ups were asked
    strongest: str | None    # a topic's label
    to_work_on: str | None
    practise_next: tuple[str, ...]


def follow_up_outcome(follow_up: FollowUpResult) -> str:
    """How a follow-up went, for a summary line."""
    if follow_up.status is FollowUpStatus.ANSWERED:
        if follow_up.score is None:  # a crisis answer: no score, nothing counted
            return "answered, no score"
        made = "point made" if follow_up.covered else "point still missing"
        return f"{follow_up.score}/100, {made}"
    return "skipped"


def follow_up_line(follow_up: FollowUpResult) -> str:
    point = follow_up.point[:1].lower() + follow_up.point[1:]
    return f"↳ follow-up on {point}: {follow_up_outcome(follow_up)}"


def summary_text(summary: Summary) -> SummaryText:
    """The end-of-interview summary, in words, for every front end."""
    rows = tuple(
        SummaryRow(number=number, question_id=r.question_id,
                   topic=TOPICS.get(r.topic, r.topic), score=r.score,
                   outcome=OUTCOME_WORDS.get(r.outcome, "not reached"),
                   follow_up=follow_up_line(r.follow_up) if r.follow_up is not None else None)
        for number, r in enumerate(summary.results, start=1))
    average = None
    if summary.average is not None:
        note = FOLLOW_UPS_NOT_COUNTED if any(r.follow_up for r in summary.results) else ""
        average = f"{summary.average}/100{note}"
    return SummaryText(
        rows=rows, average=average,
        strongest=_topic(summary.strongest_topic), to_work_on=_topic(summary.weakest_topic),
        practise_next=summary.practise_next)


def _topic(topic: str | None) -> str | None:
    return TOPICS.get(topic, topic) if topic else None
