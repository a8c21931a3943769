"""How long the text of an answer is kept: past ANSWER_RETENTION_DAYS it is blanked, and so is
everything derived from it (the crisis flag, language notes, quoted evidence, filler words,
and the tips and summary line that repeat them). The score stays, and so do which key points
and STAR parts were covered, the length band and the word count: progress, streaks and
leaderboards need them and they quote nothing. The bot sweeps every few hours, the terminal
on each run."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core.ports import RetentionStore

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=6)
NEXT_STEP = " Next: "  # the summary's second half repeats the first tip (see coaching.feedback)


def cutoff(now: datetime, days: int) -> datetime | None:
    """Answers from before this lose their text; None when text is kept forever (0 days)."""
    return now - timedelta(days=days) if days > 0 else None


def forget_derived(feedback: dict[str, Any]) -> dict[str, Any]:
    """Stored feedback without anything that came from the answer's words: what stays can
    be read back with ``Feedback.from_dict`` and still explains the score."""
    kept = dict(feedback)
    if "key_points" in kept:
        kept["key_points"] = [{**point, "evidence": None} for point in kept["key_points"]]
    for key, empty in (("language", []), ("filler_words", {}), ("tips", []),
                       ("crisis", False)):
        if key in kept:
            kept[key] = empty
    summary = kept.get("summary")
    if isinstance(summary, str) and NEXT_STEP in summary:
        kept["summary"] = summary[:summary.index(NEXT_STEP)]
    return kept


async def forget_old_answers(store: RetentionStore, before: datetime, batch: int = 500) -> int:
    """Blank the text of answers from before ``before`` and forget what was derived from it;
    scores stay. A crisis answer, which has no score, goes altogether. In batches, so answers
    being stored meanwhile never wait long. How many answers changed."""
    total = 0
    while expired := await store.people.expired_text(before, batch):
        # Only answers whose text is still there change, so each look finds the rest.
        total += await store.people.forget_text([
            replace(e, feedback=None if e.feedback is None else forget_derived(e.feedback))
            for e in expired])
    return total


async def forget_expired_text(store: RetentionStore, now: datetime, days: int) -> int:
    """Blank the text of every answer past the retention period and forget what was derived
    from it; how many answers were blanked."""
    before = cutoff(now, days)
    if before is None:
        return 0
    blanked = await forget_old_answers(store, before)
    if blanked:
        log.info("blanked the text of %d answer(s) older than %d days", blanked, days)
    return blanked
