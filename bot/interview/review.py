"""Spaced repetition per person and question (FSRS), rated from the feedback score."""

from __future__ import annotations

from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler

# Practice questions, not flashcards: a weak answer returns within the hour, a decent one the
# next day, a strong one in about a week; after that FSRS spaces them out.
_SCHEDULER = Scheduler(
    learning_steps=(timedelta(hours=1), timedelta(days=1)),
    relearning_steps=(timedelta(hours=1),),
    enable_fuzzing=False,
)


def rating_for(score: int) -> Rating:
    if score < 45:
        return Rating.Again
    if score < 65:
        return Rating.Hard
    return Rating.Good if score < 85 else Rating.Easy


def review(card_json: str | None, score: int, now: datetime) -> tuple[str, datetime]:
    """The card after an answer scored ``score`` at ``now``: (card as JSON, when it is due)."""
    # An explicit card_id: without one, fsrs sleeps 1 ms per new card to keep its ids unique,
    # and PeerPrep keys cards by (person, question) anyway.
    card = Card.from_json(card_json) if card_json else Card(card_id=1)
    card, _ = _SCHEDULER.review_card(card, rating_for(score), now)
    return card.to_json(), card.due
