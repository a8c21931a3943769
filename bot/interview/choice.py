"""Which questions an interview asks: due and weak ones first, unseen ones mixed in."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.core.records import CardInfo


def choose_questions(
    candidates: Sequence[str], cards: dict[str, CardInfo], now: datetime, count: int,
    rng: random.Random,
) -> list[str]:
    """Up to ``count`` distinct questions from ``candidates``.

    Due cards come first, weakest (lowest last score) first; one unseen question is mixed in
    after every two due ones; when both run out, the cards due soonest fill the rest.
    """
    seen = [cards[q] for q in candidates if q in cards]
    due = sorted((c for c in seen if c.due_at <= now), key=lambda c: (c.last_score, c.due_at))
    later = sorted((c for c in seen if c.due_at > now), key=lambda c: (c.due_at, c.last_score))
    unseen = [q for q in candidates if q not in cards]
    rng.shuffle(unseen)
    due_ids = [c.question_id for c in due]
    picked: list[str] = []
    while len(picked) < count and (due_ids or unseen):
        for _ in range(2):
            if due_ids and len(picked) < count:
                picked.append(due_ids.pop(0))
        if unseen and len(picked) < count:
            picked.append(unseen.pop(0))
    picked.extend(c.question_id for c in later[: count - len(picked)])
    return picked
