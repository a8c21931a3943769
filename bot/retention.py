"""How long the text of an answer is kept: past ANSWER_RETENTION_DAYS it is blanked (scores,
streaks and progress stay). The bot sweeps every few hours, the terminal on each run."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.storage import Store

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=6)


def cutoff(now: datetime, days: int) -> datetime | None:
    """Answers from before this lose their text; None when text is kept forever (0 days)."""
    return now - timedelta(days=days) if days > 0 else None


async def forget_expired_text(store: Store, now: datetime, days: int) -> int:
    """Blank the text of every answer past the retention period; how many were blanked."""
    before = cutoff(now, days)
    if before is None:
        return 0
    blanked = await store.progress.forget_old_text(before)
    if blanked:
        log.info("blanked the text of %d answer(s) older than %d days", blanked, days)
    return blanked
