"""How long the text of an answer is kept: past ANSWER_RETENTION_DAYS it is blanked, and so is
everything derived from it (the crisis flag, language notes, quoted evidence, filler words,
and the tips and summary line that repeat them). The score stays, and so do which key points
and STAR parts were covered, the length band and the word count: progress, streaks and
leaderboards need them and they quote nothing. The bot sweeps every few hours, the terminal
on each run."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # bot.storage uses forget_derived: no import of it at run time
    from bot.storage import Store

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


async def forget_expired_text(store: Store, now: datetime, days: int) -> int:
    """Blank the text of every answer past the retention period and forget what was derived
    from it; how many answers were blanked."""
    before = cutoff(now, days)
    if before is None:
        return 0
    blanked = await store.people.forget_old_answers(before)
    if blanked:
        log.info("blanked the text of %d answer(s) older than %d days", blanked, days)
    return blanked
