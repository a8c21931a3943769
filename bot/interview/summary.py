"""The end-of-interview summary: per-question scores, strongest and weakest topics, next steps."""

from __future__ import annotations

from collections import Counter, defaultdict

from bot.bank import TOPICS, Bank, Question
from bot.coaching import Feedback
from bot.core.records import StoredFollowUp
from bot.interview.model import FollowUpResult, Interview, Outcome, QuestionResult, Summary


def summarise(interview: Interview, attempts: dict[int, list[Feedback]], bank: Bank,
              follow_ups: dict[int, StoredFollowUp] | None = None) -> Summary:
    """``attempts`` maps each position to its answers' feedback, oldest first;
    ``follow_ups`` the follow-up asked at a position. A follow-up is shown with its question
    and counts toward nothing: each question's score is its latest main answer's."""
    results = []
    for position, question_id in enumerate(interview.question_ids):
        question = bank.get(question_id)
        tries = attempts.get(position, [])
        latest = tries[-1] if tries else None
        results.append(QuestionResult(
            question_id=question_id,
            topic=question.topic if question else "unknown",
            outcome=interview.outcomes[position],
            # A crisis answer has no score: it counts in no average (and misses nothing).
            score=latest.score if latest and latest.scored else None,
            attempts=len(tries),
            missed=tuple(k.label for k in latest.key_points if not k.covered) if latest else (),
            follow_up=_follow_up((follow_ups or {}).get(position), question),
        ))
    scored = [r for r in results if r.score is not None]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for r in scored:
        by_topic[r.topic].append(r.score or 0)
    averages = {t: sum(s) / len(s) for t, s in by_topic.items()}
    # Strongest and weakest only mean something when there are two topics to compare.
    strongest = max(averages, key=lambda t: averages[t]) if len(averages) > 1 else None
    weakest = min(averages, key=lambda t: averages[t]) if len(averages) > 1 else None
    next_steps = []
    low = [t for t in averages if averages[t] < 70]
    if weakest or low:
        topic = weakest or low[0]
        next_steps.append(f"Practise more {TOPICS.get(topic or '', topic)} questions "
                          f"(python -m bot practice --topic {topic}).")
    missed = Counter(label for r in scored for label in r.missed)
    next_steps.extend(f"Work on: {label[0].lower()}{label[1:]}." for label, _ in
                      missed.most_common(2))
    skipped = [r.question_id for r in results if r.outcome is Outcome.SKIPPED]
    if skipped:
        next_steps.append(f"Come back to the skipped question{'s' if len(skipped) > 1 else ''}: "
                          + ", ".join(skipped) + ".")
    return Summary(
        interview_id=interview.id,
        status=interview.status,
        results=tuple(results),
        average=round(sum(r.score or 0 for r in scored) / len(scored)) if scored else None,
        strongest_topic=strongest,
        weakest_topic=weakest,
        practise_next=tuple(next_steps),
    )


def _follow_up(stored: StoredFollowUp | None, question: Question | None) -> FollowUpResult | None:
    if stored is None:
        return None
    point = question.key_point(stored.asked.key_point) if question else None
    covered = bool(stored.feedback) and any(
        k.get("covered") for k in (stored.feedback or {}).get("key_points", []))
    return FollowUpResult(prompt=stored.asked.prompt,
                          point=point.label if point else stored.asked.key_point,
                          status=stored.asked.status, score=stored.asked.score, covered=covered)
