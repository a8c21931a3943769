"""A person's progress: streak, freezes, answers and average score per topic, recent days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.bank import TOPICS, Bank
from bot.core.ports import ProgressStore
from bot.streaks import current_streak


@dataclass(frozen=True, slots=True)
class TopicLine:
    topic: str
    label: str
    answers: int
    average: int | None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    current_streak: int
    best_streak: int
    freezes: int
    answers: int
    average: int | None
    topics: tuple[TopicLine, ...]
    days: dict[date, tuple[int, bool]]  # local day -> (answers, frozen), recent weeks
    today: date


async def build_report(store: ProgressStore, bank: Bank, person_id: int, today: date,
                       weeks: int = 12) -> ProgressReport:
    state = await store.answers.streak(person_id)
    per_question = await store.answers.scores_by_question(person_id)
    totals: dict[str, list[int]] = {t: [0, 0] for t in TOPICS}
    for question_id, count, total in per_question:
        question = bank.get(question_id)
        if question is None:
            continue
        totals[question.topic][0] += count
        totals[question.topic][1] += total
    lines = tuple(
        TopicLine(t, TOPICS[t], n, round(s / n) if n else None) for t, (n, s) in totals.items()
    )
    answers = sum(n for n, _ in totals.values())
    score_sum = sum(s for _, s in totals.values())
    since = today - timedelta(days=weeks * 7 - 1)
    return ProgressReport(
        current_streak=current_streak(state, today),
        best_streak=state.best,
        freezes=state.freezes,
        answers=answers,
        average=round(score_sum / answers) if answers else None,
        topics=lines,
        days=await store.answers.practice_days(person_id, since),
        today=today,
    )
