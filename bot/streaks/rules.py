"""Streak rules, as plain functions over dates.

- A streak counts consecutive local days (the person's time zone, else the guild's, else
  UTC) with at least one answered question.
- Every 7 practised days in a run earn a freeze; at most 2 are held.
- A freeze is spent automatically on a single missed day, when the person practises the day
  after it. It keeps the streak alive but never adds to the count.
- Two or more missed days in a row end the streak, whatever freezes are held.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.records import FREEZE_EVERY, StreakState, StreakUpdate

MAX_FREEZES = 2


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` (aware) falls on in ``timezone``."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ZoneInfo(timezone)).date()


def record_day(state: StreakState, day: date) -> StreakUpdate:
    """The streak after practice on local ``day``."""
    last = state.last_day
    if last is not None and day <= last:
        return StreakUpdate(state, counted=False)
    gap = (day - last).days if last is not None else None
    frozen_day = None
    broken = False
    freezes = state.freezes
    if gap == 1:
        current, to_freeze = state.current + 1, state.days_to_freeze
    elif gap == 2 and freezes > 0:
        frozen_day = day - timedelta(days=1)
        freezes -= 1
        current, to_freeze = state.current + 1, state.days_to_freeze
    else:
        broken = state.current > 0
        current, to_freeze = 1, FREEZE_EVERY
    to_freeze -= 1
    earned = False
    if to_freeze == 0:
        to_freeze = FREEZE_EVERY
        if freezes < MAX_FREEZES:
            freezes += 1
            earned = True
    new = replace(state, current=current, best=max(state.best, current), freezes=freezes,
                  days_to_freeze=to_freeze, last_day=day)
    return StreakUpdate(new, counted=True, frozen_day=frozen_day, freeze_earned=earned,
                        broken=broken)


def current_streak(state: StreakState, today: date) -> int:
    """The streak as it stands on ``today``: still alive if today's practice can continue it."""
    if state.last_day is None:
        return 0
    gap = (today - state.last_day).days
    if gap <= 1 or (gap == 2 and state.freezes > 0):
        return state.current
    return 0


def today_in(timezone: str, now: datetime | None = None) -> date:
    return local_day(now or datetime.now(UTC), timezone)
