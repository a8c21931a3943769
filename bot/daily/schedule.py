"""When a guild's daily question is due, in its own local time, across daylight-saving changes.

The schedule lives in the database as the next due instant (UTC). After a post for local day
D the next one is D+1 at the same wall-clock time. After downtime only the latest missed
slot is posted (once), then the schedule moves to the next slot after now.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Slot:
    day: date          # the guild's local day this post belongs to
    due_at: datetime   # UTC


def parse_time(text: str) -> time:
    """'09:30' or '9:30' or '21:05' -> time; ValueError with a clear message otherwise."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 09:30 (24-hour clock)") from None


def slot_on(day: date, at: time, timezone: str) -> Slot:
    """The slot on local ``day`` at wall-clock ``at``. A time that does not exist (the hour
    skipped when clocks go forward) resolves to the same distance after the change, e.g.
    02:30 becomes 03:30; a time that happens twice (clocks go back) is the first one."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(timezone))
    return Slot(day, local.astimezone(UTC))


def next_slot(at: time, timezone: str, after: datetime) -> Slot:
    """The first slot strictly after ``after``."""
    today = after.astimezone(ZoneInfo(timezone)).date()
    for offset in (-1, 0, 1, 2):
        slot = slot_on(today + timedelta(days=offset), at, timezone)
        if slot.due_at > after:
            return slot
    raise AssertionError("unreachable: a slot exists every day")


def latest_due(at: time, timezone: str, now: datetime) -> Slot:
    """The most recent slot at or before ``now``: what to post when the schedule is overdue."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    for offset in (1, 0, -1, -2):
        slot = slot_on(today + timedelta(days=offset), at, timezone)
        if slot.due_at <= now:
            return slot
    raise AssertionError("unreachable")


def choose_question(candidates: Sequence[str], used: dict[str, int], seed: str) -> str:
    """The next question in a rotation without repeats: one asked the fewest times so far
    (never asked, until the pool is used up), picked at random but repeatably per ``seed``."""
    if not candidates:
        raise ValueError("no questions to choose from")
    fewest = min(used.get(q, 0) for q in candidates)
    pool = sorted(q for q in candidates if used.get(q, 0) == fewest)
    return random.Random(seed).choice(pool)
